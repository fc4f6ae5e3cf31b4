"""Queue the rollout's reminders for the day, and queue again the failed messages that are still
current: ``manage.py send_rollout_reminders``, meant for a daily cron job or systemd timer.

The e-mails themselves are sent by the task worker. Running it twice on the same day queues
nothing new: each enrolment is reminded of each session once.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from deonto.rollout.messaging import messages_retry_failed, reminders_send_due


class Command(BaseCommand):
    help = "Queue the reminders of upcoming training sessions, and retry failed rollout messages."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--today", type=date.fromisoformat, default=None, help="The day to count from (YYYY-MM-DD)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        retried = messages_retry_failed(today=options["today"])
        reminded = reminders_send_due(today=options["today"])
        self.stdout.write(f"Queued {reminded} reminder(s) and {retried} failed message(s) again.")
