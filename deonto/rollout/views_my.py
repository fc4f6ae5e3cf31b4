"""The employee's own training page: their invitation, their answer, moving to another session or
onto the waiting list of a full one, and the calendar file again."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from deonto.core.auth import signed_in_user
from deonto.core.errors import DomainError
from deonto.rollout import messaging, selectors, selectors_sessions, services
from deonto.rollout.forms import DeclineForm, posted_id
from deonto.rollout.models import Enrolment, EnrolmentStatus, Session
from deonto.rollout.permissions import can_answer_enrolment, can_manage_rollout, employee_of

# The statuses in which the employee has a session in their calendar.
IN_CALENDAR = (EnrolmentStatus.INVITED, EnrolmentStatus.ACCEPTED)


def _own_enrolment(request: HttpRequest, pk: int) -> Enrolment:
    """The signed-in employee's own enrolment; anyone else's is simply not found."""
    enrolment = get_object_or_404(
        Enrolment.objects.select_related("session__room__site__region", "campaign__course", "employee__site"),
        pk=pk,
    )
    if not can_answer_enrolment(request.user, enrolment):
        raise Http404
    return enrolment


# How far back an instructor's list of sessions reaches, to close attendance taken late.
TAUGHT_DAYS_BACK = 14


@login_required
def rollout_home(request: HttpRequest) -> HttpResponse:
    """/rollout/ itself: a coordinator's campaigns, anyone else's own training."""
    return redirect("rollout:campaign_list" if can_manage_rollout(request.user) else "rollout:my_training")


@login_required
def my_training(request: HttpRequest) -> HttpResponse:
    """The employee's invitation; for an instructor, also the sessions they teach."""
    employee = employee_of(request.user)
    enrolment = selectors.enrolment_for_employee(employee=employee) if employee is not None else None
    taught = (
        selectors_sessions.sessions_taught(
            employee=employee, since=timezone.localdate() - datetime.timedelta(days=TAUGHT_DAYS_BACK)
        )
        if employee is not None
        else None
    )
    return TemplateResponse(
        request,
        "rollout/my_training.html",
        {
            "employee": employee,
            "enrolment": enrolment,
            "detail": selectors_sessions.invitation_detail(enrolment=enrolment) if enrolment else None,
            "Status": EnrolmentStatus,
            "in_calendar": enrolment is not None and enrolment.status in IN_CALENDAR,
            "decline_form": DeclineForm(),
            "taught": taught,
        },
    )


@require_POST
@login_required
def my_accept(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = _own_enrolment(request, pk)
    try:
        services.enrolment_accept(actor=signed_in_user(request), enrolment=enrolment)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, gettext("Thank you: you have accepted the invitation."))
    return redirect("rollout:my_training")


@require_POST
@login_required
def my_decline(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = _own_enrolment(request, pk)
    form = DeclineForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.enrolment_decline(actor=signed_in_user(request), enrolment=enrolment, reason=reason)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, gettext("You have declined the invitation. You will be invited to another session.")
        )
    return redirect("rollout:my_training")


@login_required
def my_move(request: HttpRequest, pk: int) -> HttpResponse:
    """The sessions the employee may move to (free seats), and the full ones whose waiting list they
    may join instead."""
    enrolment = _own_enrolment(request, pk)
    error = ""
    if request.method == "POST":
        session = get_object_or_404(Session, pk=posted_id(request, "session"), campaign=enrolment.campaign)
        actor = signed_in_user(request)
        try:
            if request.POST.get("action") == "waitlist":
                services.enrolment_waitlist(actor=actor, enrolment=enrolment, session=session)
                done = gettext("You are on the waiting list. You will be told as soon as a seat is free.")
            else:
                services.enrolment_move(actor=actor, enrolment=enrolment, session=session)
                done = gettext("You have moved to the other session. Your calendar entry has been updated.")
        except DomainError as refusal:
            error = refusal.message
        else:
            messages.success(request, done)
            return redirect("rollout:my_training")
    return TemplateResponse(
        request,
        "rollout/my_move.html",
        {
            "enrolment": enrolment,
            "open_sessions": selectors.open_sessions_for(enrolment=enrolment),
            "full_sessions": selectors_sessions.full_sessions_for(enrolment=enrolment),
            "holds_seat": enrolment.status in IN_CALENDAR,
            "error": error,
        },
        status=400 if error else 200,
    )


@login_required
def my_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = _own_enrolment(request, pk)
    if enrolment.status not in IN_CALENDAR or enrolment.session is None:
        raise Http404
    response = HttpResponse(
        messaging.enrolment_calendar(enrolment=enrolment), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="invite.ics"'
    return response
