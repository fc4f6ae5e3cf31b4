"""Move on the planner runs a dead task worker left behind: ``manage.py recover_plan_runs``, meant
for a cron job or systemd timer every few minutes, beside ``send_rollout_reminders``.

It runs the recovery itself rather than queueing it, since the task worker may be the one that
died. A run still within its deadline is left alone, so running it often is harmless.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from deonto.rollout.models import PlanRunStatus
from deonto.rollout.services_planner import plan_runs_recover


class Command(BaseCommand):
    help = "Fail the planner runs, and reopen the publishings, that a dead task worker left behind."

    def handle(self, *args: Any, **options: Any) -> None:
        recovered = plan_runs_recover()
        failed = sum(run.status == PlanRunStatus.FAILED for run in recovered)
        self.stdout.write(
            f"Recovered {len(recovered)} planner run(s): {failed} interrupted while running, "
            f"{len(recovered) - failed} publishable again."
        )
