"""Write a course to a bundle directory, or to a ZIP file when the target ends with ``.zip``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from deonto.training.models import Course
from deonto.training.services import course_bundle_export, course_bundle_zip


class Command(BaseCommand):
    help = "Export a course as a bundle directory or ZIP file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("code", help="The course's code, for example social-media.")
        parser.add_argument("out", help="A directory, or a file name ending in .zip.")

    def handle(self, *args: Any, **options: Any) -> None:
        course = Course.objects.filter(code=options["code"]).first()
        if course is None:
            raise CommandError(f"There is no course {options['code']!r}.")
        out = Path(options["out"])
        if out.suffix.lower() == ".zip":
            out.write_bytes(course_bundle_zip(course=course))
        else:
            out.mkdir(parents=True, exist_ok=True)
            course_bundle_export(course=course, directory=out)
        if options["verbosity"] > 0:
            self.stdout.write(self.style.SUCCESS(f"Course {course.code} written to {out}."))
