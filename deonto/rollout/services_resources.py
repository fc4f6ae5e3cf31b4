"""The plan's frame: campaigns and their waves, rooms, instructors with their availability and
absences, and closing days."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from deonto.accounts.models import User
from deonto.core.audit import audit_record
from deonto.core.errors import DomainError
from deonto.people.models import Employee, OrgUnit, Region, Site, StaffLanguage
from deonto.rollout.models import (
    Absence,
    Availability,
    Campaign,
    ClosingDay,
    HalfDay,
    Instructor,
    Room,
    Session,
    SessionInstructor,
    SessionStatus,
    Wave,
)
from deonto.training.models import Course

CAMPAIGN_FIELDS = (
    "name",
    "course",
    "starts_on",
    "target_on",
    "unit_share_max",
    "reminder_days",
    "elearning_completes",
    "is_active",
)
WAVE_FIELDS = ("name", "order", "deadline", "armed_only", "regions", "units", "languages", "functions")
ROOM_FIELDS = ("site", "name", "capacity", "is_accessible", "is_active")


def _check_fields(changes: dict[str, Any], allowed: Iterable[str]) -> None:
    unknown = set(changes) - set(allowed)
    if unknown:
        raise TypeError(f"Unknown fields: {sorted(unknown)}")


def _check_campaign(campaign: Campaign) -> None:
    if not campaign.name.strip():
        raise DomainError(_("Give the campaign a name."))
    if campaign.target_on < campaign.starts_on:
        raise DomainError(_("The target date comes after the start date."))
    if not 1 <= campaign.unit_share_max <= 100:
        raise DomainError(_("The share of a unit away is a percentage between 1 and 100."))


def campaign_create(
    *,
    actor: User | None,
    name: str,
    course: Course,
    starts_on: datetime.date,
    target_on: datetime.date,
    unit_share_max: int = 20,
    reminder_days: int = 3,
    elearning_completes: bool = False,
) -> Campaign:
    campaign = Campaign(
        name=name.strip(),
        course=course,
        starts_on=starts_on,
        target_on=target_on,
        unit_share_max=unit_share_max,
        reminder_days=reminder_days,
        elearning_completes=elearning_completes,
    )
    _check_campaign(campaign)
    with transaction.atomic():
        campaign.save()
        audit_record(actor=actor, action="rollout.campaign_create", target=campaign)
    return campaign


def campaign_update(*, actor: User | None, campaign: Campaign, **changes: Any) -> Campaign:
    _check_fields(changes, CAMPAIGN_FIELDS)
    for name, value in changes.items():
        setattr(campaign, name, value.strip() if name == "name" else value)
    try:
        _check_campaign(campaign)
    except DomainError:
        campaign.refresh_from_db()
        raise
    with transaction.atomic():
        campaign.save()
        audit_record(
            actor=actor,
            action="rollout.campaign_update",
            target=campaign,
            details={name: str(value) for name, value in changes.items()},
        )
    return campaign


def _check_wave(wave: Wave) -> None:
    if not wave.name.strip():
        raise DomainError(_("Give the wave a name."))
    if any(language not in StaffLanguage.values for language in wave.languages):
        raise DomainError(_("Choose languages from the list."))
    if Wave.objects.filter(campaign_id=wave.campaign_id, order=wave.order).exclude(pk=wave.pk).exists():
        raise DomainError(_("Another wave of this campaign already has this place in the order."))


def wave_create(
    *,
    actor: User | None,
    campaign: Campaign,
    name: str,
    order: int | None = None,
    deadline: datetime.date | None = None,
    armed_only: bool = False,
    regions: Iterable[Region] = (),
    units: Iterable[OrgUnit] = (),
    languages: Iterable[str] = (),
    functions: Iterable[str] = (),
) -> Wave:
    """Add a wave; without an order it comes after the campaign's last wave."""
    if order is None:
        order = (Wave.objects.filter(campaign=campaign).aggregate(last=Max("order"))["last"] or 0) + 1
    wave = Wave(
        campaign=campaign,
        name=name.strip(),
        order=order,
        deadline=deadline,
        armed_only=armed_only,
        languages=sorted(set(languages)),
        functions=sorted({function.strip() for function in functions if function.strip()}),
    )
    _check_wave(wave)
    with transaction.atomic():
        wave.save()
        wave.regions.set(list(regions))
        wave.units.set(list(units))
        audit_record(actor=actor, action="rollout.wave_create", target=wave)
    return wave


def wave_update(*, actor: User | None, wave: Wave, **changes: Any) -> Wave:
    _check_fields(changes, WAVE_FIELDS)
    for name in ("name", "order", "deadline", "armed_only"):
        if name in changes:
            setattr(wave, name, changes[name].strip() if name == "name" else changes[name])
    if "languages" in changes:
        wave.languages = sorted(set(changes["languages"]))
    if "functions" in changes:
        wave.functions = sorted({function.strip() for function in changes["functions"] if function.strip()})
    try:
        _check_wave(wave)
    except DomainError:
        wave.refresh_from_db()
        raise
    with transaction.atomic():
        wave.save()
        if "regions" in changes:
            wave.regions.set(list(changes["regions"]))
        if "units" in changes:
            wave.units.set(list(changes["units"]))
        audit_record(
            actor=actor,
            action="rollout.wave_update",
            target=wave,
            details={name: str(value) for name, value in changes.items() if name not in ("regions", "units")},
        )
    return wave


def wave_delete(*, actor: User | None, wave: Wave) -> None:
    """Remove a wave: its people fall into the next wave whose rule they match, if any."""
    with transaction.atomic():
        audit_record(actor=actor, action="rollout.wave_delete", target=wave, details={"name": wave.name})
        wave.delete()


def _check_room(room: Room) -> None:
    if not room.name.strip():
        raise DomainError(_("Give the room a name."))
    if room.capacity < 1:
        raise DomainError(_("A room holds at least one person."))
    if Room.objects.filter(site_id=room.site_id, name=room.name).exclude(pk=room.pk).exists():
        raise DomainError(_("This site already has a room with this name."))


def room_create(
    *, actor: User | None, site: Site, name: str, capacity: int, is_accessible: bool = False
) -> Room:
    room = Room(site=site, name=name.strip(), capacity=capacity, is_accessible=is_accessible)
    _check_room(room)
    with transaction.atomic():
        room.save()
        audit_record(actor=actor, action="rollout.room_create", target=room)
    return room


def room_update(*, actor: User | None, room: Room, **changes: Any) -> Room:
    _check_fields(changes, ROOM_FIELDS)
    for name, value in changes.items():
        setattr(room, name, value.strip() if name == "name" else value)
    try:
        _check_room(room)
    except DomainError:
        room.refresh_from_db()
        raise
    with transaction.atomic():
        room.save()
        audit_record(
            actor=actor,
            action="rollout.room_update",
            target=room,
            details={name: str(value) for name, value in changes.items()},
        )
    return room


def _check_languages(languages: list[str]) -> list[str]:
    chosen = sorted(set(languages))
    if not chosen:
        raise DomainError(_("An instructor teaches in at least one language."))
    if any(language not in StaffLanguage.values for language in chosen):
        raise DomainError(_("Choose languages from the list."))
    return chosen


def _check_slots(slots: set[tuple[int, str]]) -> None:
    for weekday, half_day in slots:
        if weekday not in range(5) or half_day not in HalfDay.values:
            raise DomainError(_("Availability is given per weekday, morning or afternoon."))


def instructor_create(
    *,
    actor: User | None,
    employee: Employee,
    languages: Iterable[str],
    regions: Iterable[Region],
    slots: set[tuple[int, str]] | None = None,
) -> Instructor:
    chosen = _check_languages(list(languages))
    region_list = list(regions)
    if not region_list:
        raise DomainError(_("An instructor travels to at least one region."))
    if Instructor.objects.filter(employee=employee).exists():
        raise DomainError(_("%(employee)s is already an instructor.") % {"employee": employee.full_name})
    _check_slots(slots or set())
    with transaction.atomic():
        instructor = Instructor.objects.create(employee=employee, languages=chosen)
        instructor.regions.set(region_list)
        Availability.objects.bulk_create(
            Availability(instructor=instructor, weekday=weekday, half_day=half_day)
            for weekday, half_day in sorted(slots or set())
        )
        audit_record(actor=actor, action="rollout.instructor_create", target=instructor)
    return instructor


def instructor_update(
    *,
    actor: User | None,
    instructor: Instructor,
    languages: Iterable[str] | None = None,
    regions: Iterable[Region] | None = None,
    is_active: bool | None = None,
) -> Instructor:
    """Change what an instructor teaches and where; sessions already planned stay as they are."""
    with transaction.atomic():
        if languages is not None:
            instructor.languages = _check_languages(list(languages))
        if is_active is not None:
            instructor.is_active = is_active
        instructor.save()
        if regions is not None:
            region_list = list(regions)
            if not region_list:
                raise DomainError(_("An instructor travels to at least one region."))
            instructor.regions.set(region_list)
        audit_record(actor=actor, action="rollout.instructor_update", target=instructor)
    return instructor


def availability_set(*, actor: User | None, instructor: Instructor, slots: set[tuple[int, str]]) -> None:
    """Replace the instructor's weekly availability by these (weekday, half-day) slots."""
    _check_slots(slots)
    with transaction.atomic():
        Availability.objects.filter(instructor=instructor).delete()
        Availability.objects.bulk_create(
            Availability(instructor=instructor, weekday=weekday, half_day=half_day)
            for weekday, half_day in sorted(slots)
        )
        audit_record(
            actor=actor,
            action="rollout.availability_set",
            target=instructor,
            details={"slots": [f"{weekday}{half_day}" for weekday, half_day in sorted(slots)]},
        )


def absence_add(
    *,
    actor: User | None,
    instructor: Instructor,
    starts_on: datetime.date,
    ends_on: datetime.date,
    reason: str = "",
) -> Absence:
    """Record an absence; refused while the instructor still teaches a session in it."""
    if ends_on < starts_on:
        raise DomainError(_("An absence ends on or after its first day."))
    teaching = (
        SessionInstructor.objects.filter(
            instructor=instructor, is_active=True, date__gte=starts_on, date__lte=ends_on
        )
        .exclude(session__status=SessionStatus.CANCELLED)
        .order_by("date")
        .first()
    )
    if teaching is not None:
        raise DomainError(
            _("%(instructor)s teaches a session on %(date)s: give it another instructor first.")
            % {"instructor": instructor, "date": date_format(teaching.date)}
        )
    with transaction.atomic():
        absence = Absence.objects.create(
            instructor=instructor, starts_on=starts_on, ends_on=ends_on, reason=reason.strip()
        )
        audit_record(actor=actor, action="rollout.absence_add", target=absence)
    return absence


def absence_delete(*, actor: User | None, absence: Absence) -> None:
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="rollout.absence_delete",
            target=absence,
            details={"starts_on": str(absence.starts_on), "ends_on": str(absence.ends_on)},
        )
        absence.delete()


def closing_day_add(
    *, actor: User | None, date: datetime.date, reason: str, region: Region | None = None
) -> ClosingDay:
    """Close a day (everywhere, or in one region); refused while sessions are planned on it."""
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Say why the day is closed."))
    sessions = Session.objects.filter(date=date).exclude(status=SessionStatus.CANCELLED)
    if region is not None:
        sessions = sessions.filter(room__site__region=region)
    if sessions.exists():
        raise DomainError(
            _("Sessions are planned on %(date)s: move or cancel them first.") % {"date": date_format(date)}
        )
    if ClosingDay.objects.filter(date=date, region=region).exists():
        raise DomainError(_("This day is already closed."))
    with transaction.atomic():
        closing_day = ClosingDay.objects.create(date=date, region=region, reason=reason)
        audit_record(actor=actor, action="rollout.closing_day_add", target=closing_day)
    return closing_day


def closing_day_delete(*, actor: User | None, closing_day: ClosingDay) -> None:
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="rollout.closing_day_delete",
            target=closing_day,
            details={"date": str(closing_day.date), "reason": closing_day.reason},
        )
        closing_day.delete()
