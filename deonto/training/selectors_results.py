"""The learners' results for export: one row per e-learning attempt, as text cells.

Rows are produced one by one from a server-side iterator, so a large export streams rather than
being held in memory.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import chain
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from deonto.training.models import Attempt
from deonto.training.permissions import can_view_results

RESULTS_TIMEZONE = ZoneInfo("Europe/Brussels")
_CHUNK = 2000


def attempts_for_results(*, viewer: Any) -> QuerySet[Attempt]:
    """Every attempt for those who may see results, with what a row needs; none for anyone else."""
    if not can_view_results(viewer):
        return Attempt.objects.none()
    return Attempt.objects.select_related(
        "user", "user__employee", "course", "completion__certificate"
    ).order_by("course__code", "created_at", "pk")


def results_header() -> list[str]:
    return [
        _("Personnel number"),
        _("Name"),
        _("Course"),
        _("Version"),
        _("Language"),
        _("Status"),
        _("Quiz score (%)"),
        _("Completed at"),
        _("Certificate"),
    ]


def _related(instance: Any, name: str) -> Any:
    try:
        return getattr(instance, name)
    except ObjectDoesNotExist:
        return None


def _row(attempt: Attempt) -> list[str]:
    user = attempt.user
    employee = _related(user, "employee")
    if employee is not None:
        number, name = employee.personnel_number, f"{employee.first_name} {employee.last_name}"
    else:
        number, name = "", user.get_full_name() or user.get_username()
    completion = _related(attempt, "completion")
    certificate = _related(completion, "certificate") if completion is not None else None
    completed_at = ""
    if attempt.completed_at is not None:
        completed_at = attempt.completed_at.astimezone(RESULTS_TIMEZONE).strftime("%Y-%m-%d %H:%M")
    return [
        number,
        name,
        attempt.course.code,
        str(attempt.course_version),
        attempt.language,
        str(attempt.get_status_display()),
        "" if attempt.quiz_score is None else str(attempt.quiz_score),
        completed_at,
        certificate.code if certificate is not None and certificate.revoked_at is None else "",
    ]


def results_rows(*, viewer: Any) -> Iterator[list[str]]:
    """The header (translated now, in the request's language), then one row per attempt, read
    from the database only as the rows are consumed."""
    attempts = attempts_for_results(viewer=viewer)
    return chain([results_header()], (_row(attempt) for attempt in attempts.iterator(chunk_size=_CHUNK)))
