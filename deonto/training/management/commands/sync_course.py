"""Load the course shipped in ``deonto/training/content/social-media/``: safe to run on every start.

The shipped course is applied when the database does not have it yet, or has an older version:
texts that translators or editors changed in Deonto are never overwritten by the same version."""

from __future__ import annotations

from typing import Any

import yaml
from django.core.management.base import BaseCommand, CommandError

from deonto.core.errors import DomainError
from deonto.training.management.commands.import_course import write_report
from deonto.training.models import Course
from deonto.training.services import DEFAULT_BUNDLE, course_bundle_sync


class Command(BaseCommand):
    help = "Create the default course shipped with Deonto, or update it to a newer shipped version."

    def handle(self, *args: Any, **options: Any) -> None:
        meta = yaml.safe_load((DEFAULT_BUNDLE / "course.yaml").read_text(encoding="utf-8"))
        loaded = Course.objects.filter(code=meta["code"]).values_list("version", flat=True).first()
        if loaded is not None and loaded >= int(meta["version"]):
            if options["verbosity"] > 0:
                self.stdout.write(f"Course {meta['code']}: version {loaded} is loaded; nothing to do.")
            return
        try:
            report = course_bundle_sync(directory_or_zip=DEFAULT_BUNDLE)
        except DomainError as error:
            raise CommandError(error.message) from error
        write_report(self, report, options["verbosity"])
