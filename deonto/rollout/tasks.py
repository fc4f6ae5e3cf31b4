"""Background work of the rollout: sending one message, and queueing the day's reminders."""

from __future__ import annotations

from django_tasks import task

from deonto.rollout import messaging


@task()
def send_message(message_id: int) -> None:
    messaging.message_send(message_id=message_id)


@task()
def send_due_reminders() -> int:
    return messaging.reminders_send_due()


@task()
def run_planner(plan_run_id: int) -> None:
    """Run the rollout planner for a queued run (in a child process, see services_planner)."""
    from deonto.rollout import services_planner

    services_planner.plan_run_execute(plan_run_id=plan_run_id)


@task()
def publish_plan(plan_run_id: int) -> None:
    """Publish a planner run's plan as sessions and invitations, all or nothing (services_planner)."""
    from deonto.rollout import services_planner

    services_planner.plan_run_publish_execute(plan_run_id=plan_run_id)


@task()
def recover_plan_runs() -> int:
    """Move on the planner runs a dead task worker left running or publishing (services_planner)."""
    from deonto.rollout import services_planner

    return len(services_planner.plan_runs_recover())
