"""E-mail the assigned inspectors the cases whose deadlines are near or past:
``manage.py send_integrity_reminders``, meant for a daily cron job or systemd timer.

Running it twice on the same day sends nothing new: each case, deadline and day is sent once.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from deonto.integrity.services_case import reminders_send


class Command(BaseCommand):
    help = "E-mail each assigned inspector the integrity cases whose acknowledgement or feedback is due soon or overdue."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--today", type=date.fromisoformat, default=None, help="The day to count from (YYYY-MM-DD)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        sent = reminders_send(today=options["today"])
        self.stdout.write(f"Sent {sent} reminder e-mail(s).")
