"""The coordinator's session pages: the filtered list, creating and changing a session (every
refusal shown on the form, nothing typed lost), its detail with enrolments, seats and waiting list,
and the actions on it: publish, cancel, propose people, invite, move someone, fill from the waiting
list."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_POST

from deonto.core.auth import signed_in_user
from deonto.core.errors import DomainError
from deonto.rollout import selectors, selectors_sessions, services
from deonto.rollout.forms import CancelForm, MoveForm, ProposeForm, SessionFilterForm, SessionForm
from deonto.rollout.models import Enrolment, Session, SessionStatus, Wave
from deonto.rollout.permissions import can_manage_rollout

SESSIONS_PER_PAGE = 50
CANDIDATES_SHOWN = 200


def _coordinator_only(request: HttpRequest) -> None:
    if not can_manage_rollout(request.user):
        raise PermissionDenied


def _session(pk: int) -> Session:
    return get_object_or_404(Session.objects.select_related("campaign", "room__site__region"), pk=pk)


@login_required
def session_list(request: HttpRequest) -> HttpResponse:
    _coordinator_only(request)
    form = SessionFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    sessions = selectors_sessions.sessions_filtered(
        viewer=request.user,
        campaign=filters.get("campaign"),
        status=filters.get("status", ""),
        region=filters.get("region"),
        language=filters.get("language", ""),
        date_from=filters.get("date_from"),
        date_to=filters.get("date_to"),
    )
    page = Paginator(sessions, SESSIONS_PER_PAGE).get_page(request.GET.get("page"))
    return TemplateResponse(request, "rollout/session_list.html", {"form": form, "page": page})


@login_required
def session_create(request: HttpRequest) -> HttpResponse:
    _coordinator_only(request)
    initial = {}
    campaign_id = request.GET.get("campaign", "")
    if campaign_id.isdigit():
        initial["campaign"] = int(campaign_id)
    form = SessionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_create(actor=signed_in_user(request), **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, gettext("The session has been created as a draft."))
            return redirect("rollout:session_detail", pk=session.pk)
    return TemplateResponse(request, "rollout/session_form.html", {"form": form, "session": None})


@login_required
def session_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _coordinator_only(request)
    session = _session(pk)
    form = SessionForm(request.POST or None, session=session, initial=SessionForm.initial_for(session))
    if request.method == "POST" and form.is_valid():
        changes = {name: value for name, value in form.cleaned_data.items() if name != "campaign"}
        if changes.get("capacity") is None:
            changes.pop("capacity", None)
        try:
            services.session_update(actor=signed_in_user(request), session=session, **changes)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, gettext("The session has been saved."))
            return redirect("rollout:session_detail", pk=session.pk)
    return TemplateResponse(request, "rollout/session_form.html", {"form": form, "session": session})


@login_required
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _coordinator_only(request)
    detail = selectors_sessions.session_detail(pk=pk)
    return TemplateResponse(
        request,
        "rollout/session_detail.html",
        {"detail": detail, "session": detail.session, "Status": SessionStatus},
    )


@require_POST
@login_required
def session_publish(request: HttpRequest, pk: int) -> HttpResponse:
    _coordinator_only(request)
    session = _session(pk)
    try:
        services.session_publish(actor=signed_in_user(request), session=session)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, gettext("The session is published."))
    return redirect("rollout:session_detail", pk=pk)


@login_required
def session_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    _coordinator_only(request)
    session = _session(pk)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_cancel(
                actor=signed_in_user(request), session=session, reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, gettext("The session is cancelled; the people enrolled are to be scheduled again.")
            )
            return redirect("rollout:session_detail", pk=pk)
    enrolled = selectors.seats_taken(session=session)
    return TemplateResponse(
        request, "rollout/session_cancel.html", {"form": form, "session": session, "enrolled": enrolled}
    )


@login_required
def session_propose(request: HttpRequest, pk: int) -> HttpResponse:
    """Pick people for the session among the wave's people not yet scheduled who speak the
    session's language and work in its region."""
    _coordinator_only(request)
    session = _session(pk)
    waves = list(Wave.objects.filter(campaign=session.campaign).order_by("order"))
    wave = next((w for w in waves if str(w.pk) == request.GET.get("wave", "")), waves[0] if waves else None)
    candidates = selectors_sessions.candidates_for(viewer=request.user, session=session, wave=wave)
    form = ProposeForm(request.POST or None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        try:
            proposed = services.enrolment_propose(
                actor=signed_in_user(request), session=session, employees=list(form.cleaned_data["employees"])
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)s person has been proposed for this session.",
                    "%(count)s people have been proposed for this session.",
                    len(proposed),
                )
                % {"count": len(proposed)},
            )
            return redirect("rollout:session_detail", pk=pk)
    total = candidates.count()
    return TemplateResponse(
        request,
        "rollout/session_propose.html",
        {
            "session": session,
            "form": form,
            "waves": waves,
            "wave": wave,
            "total": total,
            "shown": min(total, CANDIDATES_SHOWN),
            "boxes": list(form["employees"])[:CANDIDATES_SHOWN],
        },
    )


@require_POST
@login_required
def session_invite(request: HttpRequest, pk: int) -> HttpResponse:
    _coordinator_only(request)
    session = _session(pk)
    try:
        invited = services.enrolment_invite(actor=signed_in_user(request), session=session)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            ngettext(
                "%(count)s invitation is on its way.", "%(count)s invitations are on their way.", invited
            )
            % {"count": invited},
        )
    return redirect("rollout:session_detail", pk=pk)


@require_POST
@login_required
def session_fill_waitlist(request: HttpRequest, pk: int) -> HttpResponse:
    _coordinator_only(request)
    session = _session(pk)
    try:
        filled = services.waitlist_fill(actor=signed_in_user(request), session=session)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            ngettext(
                "%(count)s person from the waiting list has a seat now.",
                "%(count)s people from the waiting list have a seat now.",
                filled,
            )
            % {"count": filled},
        )
    return redirect("rollout:session_detail", pk=pk)


@login_required
def enrolment_move(request: HttpRequest, pk: int) -> HttpResponse:
    """A coordinator moves someone to another session of the campaign."""
    _coordinator_only(request)
    enrolment = get_object_or_404(
        Enrolment.objects.select_related("employee", "session__room__site", "campaign"), pk=pk
    )
    form = MoveForm(request.POST or None, sessions=selectors_sessions.move_targets(enrolment=enrolment))
    if request.method == "POST" and form.is_valid():
        try:
            services.enrolment_move(
                actor=signed_in_user(request), enrolment=enrolment, session=form.cleaned_data["session"]
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                gettext("%(name)s has been moved to this session.") % {"name": enrolment.employee.full_name},
            )
            return redirect("rollout:session_detail", pk=form.cleaned_data["session"].pk)
    return TemplateResponse(request, "rollout/enrolment_move.html", {"form": form, "enrolment": enrolment})
