"""The instructor's attendance list for a session, made for a phone: each person present, absent
or excused, saved, then closed after a confirmation. Once closed, the list is read-only."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext, ngettext

from deonto.core.auth import signed_in_user
from deonto.core.errors import DomainError
from deonto.rollout import selectors_sessions, services
from deonto.rollout.forms import ATTENDANCE_CHOICES, attendance_marks
from deonto.rollout.models import Session, SessionStatus
from deonto.rollout.permissions import can_take_attendance


def _session_for_attendance(request: HttpRequest, pk: int) -> Session:
    session = get_object_or_404(
        Session.objects.select_related("campaign__course", "room__site", "closed_by"), pk=pk
    )
    if not can_take_attendance(request.user, session):
        raise PermissionDenied
    return session


@login_required
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session_for_attendance(request, pk)
    enrolments = selectors_sessions.attendance_list(session=session)
    error = ""
    posted: dict[int, str] = {}
    if request.method == "POST":
        posted = attendance_marks(request.POST, [enrolment.pk for enrolment in enrolments])
        try:
            changed = services.attendance_record(actor=signed_in_user(request), session=session, marks=posted)
        except DomainError as refusal:
            error = refusal.message
        else:
            messages.success(
                request,
                ngettext(
                    "Attendance saved: %(count)s mark changed.",
                    "Attendance saved: %(count)s marks changed.",
                    changed,
                )
                % {"count": changed},
            )
            return redirect("rollout:attendance", pk=pk)
    rows = [
        {"enrolment": enrolment, "mark": posted.get(enrolment.pk, enrolment.status)}
        for enrolment in enrolments
    ]
    editable = session.status == SessionStatus.PUBLISHED and session.closed_at is None
    return TemplateResponse(
        request,
        "rollout/attendance.html",
        {
            "session": session,
            "rows": rows,
            "choices": ATTENDANCE_CHOICES,
            "editable": editable,
            "unmarked": sum(1 for row in rows if row["mark"] not in dict(ATTENDANCE_CHOICES)),
            "error": error,
        },
        status=400 if error else 200,
    )


@login_required
def attendance_close(request: HttpRequest, pk: int) -> HttpResponse:
    """Asks for a confirmation (GET), then closes the attendance (POST)."""
    session = _session_for_attendance(request, pk)
    if session.status != SessionStatus.PUBLISHED:
        return redirect("rollout:attendance", pk=pk)
    enrolments = selectors_sessions.attendance_list(session=session)
    error = ""
    if request.method == "POST":
        try:
            services.session_close(actor=signed_in_user(request), session=session)
        except DomainError as refusal:
            error = refusal.message
        else:
            messages.success(request, gettext("The attendance is closed. Thank you."))
            return redirect("rollout:attendance", pk=pk)
    counts: dict[str, int] = {value: 0 for value, _label in ATTENDANCE_CHOICES}
    for enrolment in enrolments:
        if enrolment.status in counts:
            counts[enrolment.status] += 1
    return TemplateResponse(
        request,
        "rollout/attendance_close.html",
        {
            "session": session,
            "counts": [(label, counts[value]) for value, label in ATTENDANCE_CHOICES],
            "unmarked": len(enrolments) - sum(counts.values()),
            "error": error,
        },
        status=400 if error else 200,
    )
