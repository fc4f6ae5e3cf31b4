"""Background work of integrity reports."""

from __future__ import annotations

from django_tasks import task

from deonto.integrity import retention, services_case


@task()
def purge_closed_reports() -> int:
    """The daily retention purge; how many reports were purged."""
    return len(retention.reports_purge(actor=None))


@task()
def send_integrity_reminders() -> int:
    """The daily reminders of the acknowledgement and feedback deadlines; how many e-mails went."""
    return services_case.reminders_send()
