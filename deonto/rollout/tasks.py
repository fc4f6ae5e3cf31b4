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
