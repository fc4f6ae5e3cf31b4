"""Check a draft post from the command line as the page does: with the rules and the classifier's sensitivity in
force in Deonto (the admin's edits included). Prints the findings as JSON; counts nothing and stores nothing.

Same arguments and output as `python -m deonto.postcheck.analyzers`, which uses what is shipped."""

from __future__ import annotations

import argparse
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from deonto.postcheck.analyzers.__main__ import NOTHING_TO_CHECK, add_arguments, run
from deonto.postcheck.rules_db import current_rules
from deonto.postcheck.sensitivity_db import current_classifier


class Command(BaseCommand):
    help = (
        "Check a draft post (text and/or photo) with the rules and classifier sensitivity in force in Deonto; "
        "prints the findings as JSON. Nothing is counted or stored."
    )

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        add_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["textfile"] is None and options["image"] is None:
            raise CommandError(NOTHING_TO_CHECK)
        status = run(
            options["textfile"],
            options["image"],
            options["lang"],
            rules=current_rules(),
            classifier=current_classifier(),
        )
        if status:
            raise SystemExit(status)
