"""The coordinator's planning pages: campaigns and their waves, rooms, instructors with their
availability and absences, and closing days."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import get_language, gettext

from deonto.core.auth import signed_in_user
from deonto.core.errors import DomainError
from deonto.rollout import selectors_planning, services
from deonto.rollout.forms import (
    AbsenceForm,
    CampaignForm,
    ClosingDayForm,
    InstructorForm,
    RoomForm,
    WaveForm,
    posted_id,
    year_of,
)
from deonto.rollout.models import Absence, Campaign, ClosingDay, Instructor, Room, Wave
from deonto.rollout.permissions import can_manage_rollout
from deonto.training.selectors_learning import course_title, course_titles


def _coordinator_only(request: HttpRequest) -> None:
    if not can_manage_rollout(request.user):
        raise PermissionDenied


# Campaigns ---------------------------------------------------------------------------------------


def _reader_language() -> str:
    return (get_language() or "nl")[:2]


@login_required
def campaign_list(request: HttpRequest) -> HttpResponse:
    _coordinator_only(request)
    campaigns = list(selectors_planning.campaigns_overview())
    titles = course_titles(courses=[campaign.course for campaign in campaigns], language=_reader_language())
    rows = [(campaign, titles.get(campaign.course_id, "")) for campaign in campaigns]
    return TemplateResponse(request, "rollout/campaign_list.html", {"campaigns": campaigns, "rows": rows})


@login_required
def campaign_create(request: HttpRequest) -> HttpResponse:
    _coordinator_only(request)
    form = CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.campaign_create(actor=signed_in_user(request), **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, gettext("The campaign has been created. Add its waves now."))
            return redirect("rollout:campaign_detail", pk=campaign.pk)
    return TemplateResponse(request, "rollout/campaign_form.html", {"form": form, "campaign": None})


@login_required
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _coordinator_only(request)
    campaign = get_object_or_404(Campaign.objects.select_related("course"), pk=pk)
    waves = selectors_planning.waves_with_sizes(campaign=campaign)
    return TemplateResponse(
        request,
        "rollout/campaign_detail.html",
        {
            "campaign": campaign,
            "course_title": course_title(course=campaign.course, language=_reader_language()),
            "waves": waves,
            "audience": sum(size.members for size in waves),
        },
    )


@login_required
def campaign_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _coordinator_only(request)
    campaign = get_object_or_404(Campaign, pk=pk)
    form = CampaignForm(request.POST or None, instance=campaign)
    if request.method == "POST" and form.is_valid():
        try:
            services.campaign_update(actor=signed_in_user(request), campaign=campaign, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, gettext("The campaign has been saved."))
            return redirect("rollout:campaign_detail", pk=campaign.pk)
    return TemplateResponse(request, "rollout/campaign_form.html", {"form": form, "campaign": campaign})


# Waves -------------------------------------------------------------------------------------------


def _wave_form_page(
    request: HttpRequest, campaign: Campaign, form: WaveForm, wave: Wave | None
) -> HttpResponse:
    return TemplateResponse(
        request,
        "rollout/wave_form.html",
        {"form": form, "campaign": campaign, "wave": wave, "count": _rule_count(form, campaign, wave)},
    )


@login_required
def wave_create(request: HttpRequest, pk: int) -> HttpResponse:
    _coordinator_only(request)
    campaign = get_object_or_404(Campaign, pk=pk)
    next_order = (campaign.waves.order_by("-order").values_list("order", flat=True).first() or 0) + 1
    form = WaveForm(request.POST or None, initial={"order": next_order})
    if request.method == "POST" and form.is_valid():
        try:
            services.wave_create(actor=signed_in_user(request), campaign=campaign, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, gettext("The wave has been added."))
            return redirect("rollout:campaign_detail", pk=campaign.pk)
    return _wave_form_page(request, campaign, form, None)


@login_required
def wave_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _coordinator_only(request)
    wave = get_object_or_404(Wave.objects.select_related("campaign"), pk=pk)
    form = WaveForm(request.POST or None, initial=WaveForm.initial_for(wave))
    if request.method == "POST" and form.is_valid():
        try:
            services.wave_update(actor=signed_in_user(request), wave=wave, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, gettext("The wave has been saved."))
            return redirect("rollout:campaign_detail", pk=wave.campaign_id)
    return _wave_form_page(request, wave.campaign, form, wave)


@login_required
def wave_count(request: HttpRequest, pk: int) -> HttpResponse:
    """The live count of the people a wave's rule matches, asked for by the wave form as it changes."""
    _coordinator_only(request)
    campaign = get_object_or_404(Campaign, pk=pk)
    wave = None
    wave_id = request.GET.get("wave", "")
    if wave_id.isdigit():
        wave = get_object_or_404(Wave, pk=int(wave_id), campaign=campaign)
    form = WaveForm(request.GET)
    return TemplateResponse(request, "rollout/_wave_count.html", {"count": _rule_count(form, campaign, wave)})


def _rule_count(form: WaveForm, campaign: Campaign, wave: Wave | None) -> dict[str, int] | None:
    """How many people the rule as typed matches: read from the submitted values when there are
    any, else from the initial ones."""
    if form.is_bound:
        form.is_valid()
        data: dict[str, Any] = {
            name: form.cleaned_data.get(name, form.fields[name].initial) for name in form.fields
        }
    else:
        data = {name: form.initial.get(name, field.initial) for name, field in form.fields.items()}
    order = data.get("order") or (wave.order if wave else 1)
    matching, members = selectors_planning.rule_match_count(
        campaign=campaign,
        armed_only=bool(data.get("armed_only")),
        region_ids=[region.pk for region in data.get("regions") or []],
        unit_paths=[unit.path for unit in data.get("units") or []],
        languages=list(data.get("languages") or []),
        functions=list(data.get("functions") or []),
        order=int(order),
        exclude=wave,
    )
    return {"matching": matching, "members": members}


# Rooms -------------------------------------------------------------------------------------------


@login_required
def room_list(request: HttpRequest) -> HttpResponse:
    _coordinator_only(request)
    return TemplateResponse(request, "rollout/room_list.html", {"rooms": selectors_planning.rooms_overview()})


@login_required
def room_create(request: HttpRequest) -> HttpResponse:
    _coordinator_only(request)
    form = RoomForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.room_create(actor=signed_in_user(request), **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, gettext("The room has been added."))
            return redirect("rollout:room_list")
    return TemplateResponse(request, "rollout/room_form.html", {"form": form, "room": None})


@login_required
def room_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _coordinator_only(request)
    room = get_object_or_404(Room, pk=pk)
    form = RoomForm(request.POST or None, instance=room)
    if request.method == "POST" and form.is_valid():
        try:
            services.room_update(actor=signed_in_user(request), room=room, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, gettext("The room has been saved."))
            return redirect("rollout:room_list")
    return TemplateResponse(request, "rollout/room_form.html", {"form": form, "room": room})


# Instructors -------------------------------------------------------------------------------------


@login_required
def instructor_list(request: HttpRequest) -> HttpResponse:
    _coordinator_only(request)
    return TemplateResponse(
        request, "rollout/instructor_list.html", {"instructors": selectors_planning.instructors_overview()}
    )


@login_required
def instructor_create(request: HttpRequest) -> HttpResponse:
    _coordinator_only(request)
    form = InstructorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actor = signed_in_user(request)
        try:
            instructor = services.instructor_create(
                actor=actor,
                employee=form.cleaned_data["employee"],
                languages=form.cleaned_data["languages"],
                regions=list(form.cleaned_data["regions"]),
                slots=form.slot_set(),
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, gettext("The instructor has been added. Add their absences here."))
            return redirect("rollout:instructor_edit", pk=instructor.pk)
    return TemplateResponse(
        request, "rollout/instructor_form.html", {"form": form, "instructor": None, "absence_form": None}
    )


@login_required
def instructor_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The instructor's languages, regions and weekly availability; and, as a second form on the
    same page, their absences."""
    _coordinator_only(request)
    instructor = get_object_or_404(
        Instructor.objects.select_related("employee").prefetch_related("regions", "availabilities"), pk=pk
    )
    actor = signed_in_user(request)
    form = InstructorForm(instructor=instructor, initial=InstructorForm.initial_for(instructor))
    absence_form = AbsenceForm()
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "absence-add":
            absence_form = AbsenceForm(request.POST)
            if absence_form.is_valid():
                try:
                    services.absence_add(actor=actor, instructor=instructor, **absence_form.cleaned_data)
                except DomainError as error:
                    absence_form.add_error(None, error.message)
                else:
                    messages.success(request, gettext("The absence has been added."))
                    return redirect("rollout:instructor_edit", pk=pk)
        elif action == "absence-delete":
            absence = get_object_or_404(Absence, pk=posted_id(request, "absence"), instructor=instructor)
            services.absence_delete(actor=actor, absence=absence)
            messages.success(request, gettext("The absence has been removed."))
            return redirect("rollout:instructor_edit", pk=pk)
        else:
            form = InstructorForm(
                request.POST, instructor=instructor, initial=InstructorForm.initial_for(instructor)
            )
            if form.is_valid():
                try:
                    services.instructor_update(
                        actor=actor,
                        instructor=instructor,
                        languages=form.cleaned_data["languages"],
                        regions=list(form.cleaned_data["regions"]),
                        is_active=form.cleaned_data["is_active"],
                    )
                    services.availability_set(actor=actor, instructor=instructor, slots=form.slot_set())
                except DomainError as error:
                    form.add_error(None, error.message)
                else:
                    messages.success(request, gettext("The instructor has been saved."))
                    return redirect("rollout:instructor_list")
    absences = instructor.absences.order_by("starts_on")
    return TemplateResponse(
        request,
        "rollout/instructor_form.html",
        {"form": form, "instructor": instructor, "absence_form": absence_form, "absences": absences},
    )


# Closing days ------------------------------------------------------------------------------------


@login_required
def closing_day_list(request: HttpRequest) -> HttpResponse:
    """The closing days of a year, with a form to add one; the Belgian public holidays of the same
    year are listed beside them, read-only (they are closed anyway)."""
    _coordinator_only(request)
    year = year_of(request.GET.get("year"), timezone.localdate())
    form = ClosingDayForm()
    if request.method == "POST":
        actor = signed_in_user(request)
        if request.POST.get("action") == "delete":
            closing_day = get_object_or_404(ClosingDay, pk=posted_id(request, "closing_day"))
            services.closing_day_delete(actor=actor, closing_day=closing_day)
            messages.success(request, gettext("The closing day has been removed."))
            return redirect(f"{request.path}?year={closing_day.date.year}")
        form = ClosingDayForm(request.POST)
        if form.is_valid():
            try:
                closing_day = services.closing_day_add(actor=actor, **form.cleaned_data)
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, gettext("The closing day has been added."))
                return redirect(f"{request.path}?year={closing_day.date.year}")
    return TemplateResponse(
        request,
        "rollout/closing_day_list.html",
        {
            "form": form,
            "year": year,
            "closing_days": selectors_planning.closing_days_of(year),
            "holidays": selectors_planning.public_holidays_of(year, get_language() or "nl"),
        },
    )
