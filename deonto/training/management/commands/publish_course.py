"""Make a loaded course available in the e-learning: ``manage.py publish_course social-media``."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from deonto.training.models import Course
from deonto.training.services_learning import course_publish


class Command(BaseCommand):
    help = "Publish a course by its code, so every signed-in user can take its e-learning."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("code", help="The course's code, for example social-media.")

    def handle(self, *args: Any, **options: Any) -> None:
        course = Course.objects.filter(code=options["code"]).first()
        if course is None:
            raise CommandError(f"There is no course with the code {options['code']}.")
        course_publish(actor=None, course=course)
        if options["verbosity"]:
            self.stdout.write(f"The course {course.code} is published.")
