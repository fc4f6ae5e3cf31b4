"""The planner's instance for a campaign, read from the database as of a planning start, and the
mapping back from the planner's ids to regions, units, instructors, rooms and calendar half-days.

Week 0 is the week of the planning start (a Monday); half-day ``2d`` is the morning and ``2d + 1``
the afternoon of weekday ``d``. Who is still to plan: the active people of the campaign's waves
who are not trained (attended, or passed the e-learning when the campaign counts it) and hold no
seat in a published or held session of the campaign. The pilot is the first wave. A person is
planned in the region of their site; people without a site cannot be planned and are counted
apart (``PlanningInstance.without_site``).

Units and the unit rule: the app allows ``max(1, floor(active people of the unit x share))`` of a
unit away on a day, counting every active employee of the unit, in or out of the campaign. The
planner counts a unit within one region, so a unit whose people sit in several regions becomes one
planner unit per (unit, region), each with a size proportional to its share of the unit's active
people (largest remainders, summing to the unit's size). As ``floor(a) + floor(b) <= floor(a + b)``,
the daily caps of the parts never add up to more than the unit's own cap, except where a part is so
small that the planner's "at least one person" lifts it: publishing then checks the real rule and
lists the day that breaks it.

People marked absent or excused at a held session are planned again like everyone else (their
enrolment moves to the new session; its events keep the absence). People the booking services would
refuse to propose are not planned and are counted apart (``PlanningInstance.blocked``): a seat in a
draft session (publish or cancel that draft first) and an absence at a session whose attendance is
not closed yet. The services are the rule: a plan that proposes them could not be published.

Sessions already in the calendar: this campaign's sessions in the horizon are fixed sessions,
holding their instructor, a room and their people's share of the unit rule; the free seats of the
published ones may still take people (a draft's may not: its people are not invited yet). Other
campaigns' sessions held in one of the planner's rooms are fixed sessions too, with no free seat:
they hold their instructor and their room, and their people count on their unit's day (the unit
rule counts people away in any session). Rooms are counted per region (active rooms that seat the
session capacity). What is left is seen less finely: a session without an active instructor or in
a smaller room makes its instructors unavailable then, and closes the region's half-day if it takes
every room; its people are not seen by the planner's unit rule, and publishing, which checks every
rule again, lists a day that breaks it.
"""

from __future__ import annotations

import datetime
import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from deonto.people.models import Employee, Region
from deonto.rollout.calendar import public_holiday
from deonto.rollout.models import (
    SEAT_HOLDING,
    Absence,
    Campaign,
    ClosingDay,
    Enrolment,
    HalfDay,
    Instructor,
    Room,
    Session,
    SessionInstructor,
    SessionStatus,
)
from deonto.rollout.planner.instance import (
    Closure,
    FixedSession,
    Group,
    Instance,
    dump_instance,
    group_key,
)
from deonto.rollout.planner.instance import Instructor as PlannerInstructor
from deonto.rollout.planner.instance import Region as PlannerRegion
from deonto.rollout.planner.instance import Unit as PlannerUnit
from deonto.rollout.progress import audience, campaign_waves
from deonto.rollout.selectors import SEAT_TAKEN, unit_sizes
from deonto.rollout.services_enrolments import NO_SHOW_MARKS

HALFDAYS_PER_WEEK = 10
MIN_WEEKS = 26
MAX_WEEKS = 156
HALF_DAYS = (HalfDay.MORNING, HalfDay.AFTERNOON)
PLACED_STATUSES = (SessionStatus.PUBLISHED, SessionStatus.HELD)
WEEKDAYS = (2, 3, 4, 5, 6)  # Monday to Friday in Django's ``week_day`` lookup (Sunday is 1)


@dataclass(frozen=True)
class PlanningInstance:
    """The instance and how to read the plan back. ``mapping`` is JSON: ``regions`` (planner id →
    Region pk), ``units`` (planner id → OrgUnit pk and region id), ``instructors`` (planner id →
    Instructor pk), ``rooms`` (region id → Room pks in the order of the planner's room indexes),
    ``fixed_sessions`` (Session pks in the order of ``instance.fixed_sessions``) and ``starts_on``."""

    instance: Instance
    mapping: dict[str, Any]
    without_site: int
    without_site_pilot: int
    blocked: int

    def to_json(self) -> dict[str, Any]:
        return dump_instance(self.instance)


def planning_start_default(*, campaign: Campaign, today: datetime.date | None = None) -> datetime.date:
    """The Monday after today, or the Monday of the campaign's start week if that is later."""
    today = today or timezone.localdate()
    monday = today + datetime.timedelta(days=7 - today.weekday())
    start = campaign.starts_on - datetime.timedelta(days=campaign.starts_on.weekday())
    return max(monday, start)


def slot_date(*, starts_on: datetime.date, week: int, halfday: int) -> tuple[datetime.date, str]:
    """The date and half-day of a planner (week, half-day)."""
    return starts_on + datetime.timedelta(weeks=week, days=halfday // 2), HALF_DAYS[halfday % 2]


def slot_of(*, starts_on: datetime.date, date: datetime.date, half_day: str) -> tuple[int, int]:
    """The planner (week, half-day) of a date and half-day on or after the planning start."""
    days = (date - starts_on).days
    return days // 7, halfday_index(weekday=days % 7, half_day=half_day)


def halfday_index(*, weekday: int, half_day: str) -> int:
    """The planner's half-day within the week: Monday morning 0, Monday afternoon 1, …"""
    return weekday * 2 + (1 if half_day == HalfDay.AFTERNOON else 0)


def weeks_until_target(*, campaign: Campaign, starts_on: datetime.date) -> int:
    """How many weeks the planner may use: up to the campaign's target date, but at least
    ``MIN_WEEKS`` and at most ``MAX_WEEKS``."""
    weeks = math.ceil((campaign.target_on - starts_on).days / 7)
    return min(MAX_WEEKS, max(MIN_WEEKS, weeks))


def people_to_plan(*, campaign: Campaign) -> QuerySet[Any]:
    """The campaign's people still to plan, each annotated with ``wave_id`` and ``is_blocked``, in
    the order they are given seats: by wave, then by name. ``is_blocked`` marks the people the
    booking services would refuse to propose (see ``planning_instance``)."""
    waves = campaign_waves(campaign)
    placed = Q(
        campaign_enrolment__status__in=SEAT_HOLDING,
        campaign_enrolment__session__status__in=PLACED_STATUSES,
    )
    draft_seat = Q(campaign_enrolment__status__in=SEAT_HOLDING, campaign_enrolment__session__isnull=False)
    open_absence = Q(
        campaign_enrolment__status__in=NO_SHOW_MARKS, campaign_enrolment__session__isnull=False
    ) & ~Q(campaign_enrolment__session__status=SessionStatus.HELD)
    blocked = draft_seat | open_absence
    wave_order = Case(
        *[When(wave_id=wave.pk, then=Value(wave.order)) for wave in waves],
        default=Value(0),
        output_field=IntegerField(),
    )
    people: QuerySet[Any] = (
        audience(campaign=campaign, waves=waves)
        .annotate(
            is_placed=Case(When(placed, then=Value(1)), default=Value(0), output_field=IntegerField()),
            is_blocked=Case(When(blocked, then=Value(1)), default=Value(0), output_field=IntegerField()),
            wave_order=wave_order,
        )
        .filter(is_trained=0, is_placed=0)
        .order_by("wave_order", "last_name", "first_name", "pk")
    )
    return people


def pilot_wave_id(*, campaign: Campaign) -> int | None:
    """The first wave is the pilot."""
    return campaign.waves.order_by("order").values_list("pk", flat=True).first()


def planner_unit_id(*, unit_code: str, region_code: str, split: bool) -> str:
    return f"{unit_code}@{region_code}" if split else unit_code


def _proportional(total: int, shares: dict[str, int]) -> dict[str, int]:
    """``total`` divided in proportion to ``shares`` by largest remainders (each part at least 1)."""
    weight = sum(shares.values())
    exact = {key: total * share / weight for key, share in shares.items()}
    parts = {key: math.floor(value) for key, value in exact.items()}
    left = total - sum(parts.values())
    for key in sorted(exact, key=lambda k: (parts[k] - exact[k], k))[:left]:
        parts[key] += 1
    return {key: max(1, part) for key, part in parts.items()}


def planning_instance(
    *, campaign: Campaign, starts_on: datetime.date, session_capacity: int
) -> PlanningInstance:
    """Read everything the planner needs for the campaign from the database."""
    max_weeks = weeks_until_target(campaign=campaign, starts_on=starts_on)
    ends_before = starts_on + datetime.timedelta(weeks=max_weeks)
    pilot_id = pilot_wave_id(campaign=campaign)
    regions = list(Region.objects.order_by("code"))
    region_code = {region.pk: region.code for region in regions}

    demand: Counter[tuple[int, str, str, bool]] = Counter()
    unit_codes: dict[int, str] = {}
    without_site = without_site_pilot = blocked = 0
    for person in people_to_plan(campaign=campaign).values(
        "unit_id", "unit__code", "site__region_id", "language", "wave_id", "is_blocked"
    ):
        pilot = person["wave_id"] == pilot_id
        if person["is_blocked"]:
            blocked += 1
            continue
        if person["site__region_id"] is None:
            without_site += 1
            without_site_pilot += int(pilot)
            continue
        unit_codes[person["unit_id"]] = person["unit__code"]
        demand[(person["unit_id"], region_code[person["site__region_id"]], person["language"], pilot)] += 1

    rooms = _rooms_by_region(session_capacity)
    fixed = _fixed_sessions(
        campaign=campaign,
        starts_on=starts_on,
        ends_before=ends_before,
        rooms={pk for pks in rooms.values() for pk in pks},
    )
    fixed_people: Counter[tuple[int, str, str, bool]] = Counter()
    for _session, attendees in fixed:
        for (unit_id, unit_code, region, language, pilot), count in attendees.items():
            unit_codes[unit_id] = unit_code
            fixed_people[(unit_id, region, language, pilot)] += count

    units, unit_ids = _planner_units(unit_codes, {key[:2] for key in [*demand, *fixed_people]})
    groups = tuple(
        Group(unit=unit_ids[(unit_id, region)], language=language, pilot=pilot, count=count)
        for (unit_id, region, language, pilot), count in sorted(
            demand.items(), key=lambda item: (unit_ids[item[0][:2]], item[0][2], not item[0][3])
        )
    )

    instructors = list(
        Instructor.objects.filter(is_active=True).prefetch_related("regions", "availabilities").order_by("pk")
    )
    instructor_ids = {instructor.pk: f"I{instructor.pk}" for instructor in instructors}
    fixed_sessions: list[FixedSession] = []
    fixed_pks: list[int] = []
    fixed_teaching: set[tuple[int, int]] = set()
    for session, attendees in fixed:
        teacher = next(
            (
                t.instructor_id
                for t in session.teaching.all()
                if t.is_active and t.instructor_id in instructor_ids
            ),
            None,
        )
        if teacher is None:
            continue
        week, halfday = slot_of(starts_on=starts_on, date=session.date, half_day=session.half_day)
        taken = sum(attendees.values())
        fixed_sessions.append(
            FixedSession(
                week=week,
                halfday=halfday,
                region=region_code[session.room.site.region_id],
                language=session.language,
                instructor=instructor_ids[teacher],
                attendees={
                    group_key(unit_ids[(unit_id, region)], language, pilot): count
                    for (unit_id, _code, region, language, pilot), count in sorted(attendees.items())
                },
                free_seats=(
                    max(0, session.capacity - taken)
                    if session.status in PLACED_STATUSES and session.campaign_id == campaign.pk
                    else 0
                ),
            )
        )
        fixed_pks.append(session.pk)
        fixed_teaching.add((session.pk, teacher))

    unavailable = _unavailable(
        starts_on=starts_on, ends_before=ends_before, instructors=instructor_ids, keep=fixed_teaching
    )
    instance = Instance(
        session_capacity=session_capacity,
        unit_away_share=campaign.unit_share_max / 100,
        halfdays_per_week=HALFDAYS_PER_WEEK,
        regions=tuple(PlannerRegion(id=region.code, rooms=len(rooms[region.pk])) for region in regions),
        units=units,
        groups=groups,
        instructors=tuple(
            PlannerInstructor(
                id=instructor_ids[instructor.pk],
                languages=tuple(sorted(instructor.languages)),
                regions=tuple(sorted(region_code[region.pk] for region in instructor.regions.all())),
                halfdays=tuple(
                    sorted(
                        halfday_index(weekday=a.weekday, half_day=a.half_day)
                        for a in instructor.availabilities.all()
                    )
                ),
                unavailable=frozenset(unavailable.get(instructor.pk, set())),
            )
            for instructor in instructors
        ),
        closures=_closures(
            starts_on=starts_on,
            ends_before=ends_before,
            region_code=region_code,
            rooms=rooms,
            fixed=fixed_pks,
        ),
        fixed_sessions=tuple(fixed_sessions),
        max_weeks=max_weeks,
    )
    mapping = {
        "starts_on": starts_on.isoformat(),
        "regions": {region.code: region.pk for region in regions},
        "units": {
            unit_ids[(unit_id, region)]: {"unit": unit_id, "region": region}
            for unit_id, region in sorted(unit_ids)
        },
        "instructors": {planner_id: pk for pk, planner_id in instructor_ids.items()},
        "rooms": {region.code: rooms[region.pk] for region in regions},
        "fixed_sessions": fixed_pks,
    }
    return PlanningInstance(
        instance=instance,
        mapping=mapping,
        without_site=without_site,
        without_site_pilot=without_site_pilot,
        blocked=blocked,
    )


def _planner_units(
    unit_codes: dict[int, str], needed: set[tuple[int, str]]
) -> tuple[tuple[PlannerUnit, ...], dict[tuple[int, str], str]]:
    """One planner unit per (unit, region) with people to plan or in a fixed session, its size the
    region's proportional share of the unit's active people (see the module docstring)."""
    unit_list = sorted({unit_id for unit_id, _region in needed})
    sizes = unit_sizes(unit_ids=unit_list)
    spread: dict[int, dict[str, int]] = defaultdict(dict)
    for unit_id, region, people in (
        Employee.objects.filter(unit_id__in=unit_list, is_active=True, site__isnull=False)
        .values("unit_id", "site__region__code")
        .annotate(people=Count("pk"))
        .values_list("unit_id", "site__region__code", "people")
    ):
        spread[unit_id][region] = people
    units: list[PlannerUnit] = []
    ids: dict[tuple[int, str], str] = {}
    for unit_id, region in sorted(needed, key=lambda key: (unit_codes[key[0]], key[1])):
        shares = dict(spread[unit_id])
        shares.setdefault(region, 1)
        split = len(shares) > 1
        size = _proportional(max(1, sizes[unit_id]), shares)[region] if split else max(1, sizes[unit_id])
        planner_id = planner_unit_id(unit_code=unit_codes[unit_id], region_code=region, split=split)
        ids[(unit_id, region)] = planner_id
        units.append(PlannerUnit(id=planner_id, region=region, size=size))
    return tuple(units), ids


def _fixed_sessions(
    *, campaign: Campaign, starts_on: datetime.date, ends_before: datetime.date, rooms: set[int]
) -> list[tuple[Session, Counter[tuple[int, str, str, str, bool]]]]:
    """The sessions in the horizon the planner must plan around (drafts included), each with the
    people holding or having held a seat in it, counted per (unit, unit code, region, language,
    pilot). A person without a site counts in the session's region. The campaign's sessions all;
    other campaigns' sessions on a weekday in one of the planner's ``rooms`` (they hold that room,
    their instructor, and their people count on their unit's day; nobody of this campaign is added
    to them). Their people are never of the pilot wave."""
    in_horizon = Q(date__gte=starts_on, date__lt=ends_before)
    sessions = list(
        Session.objects.filter(in_horizon)
        .filter(Q(campaign=campaign) | Q(room_id__in=rooms, date__week_day__in=WEEKDAYS))
        .exclude(status=SessionStatus.CANCELLED)
        .select_related("room__site")
        .prefetch_related("teaching")
        .order_by("date", "half_day", "pk")
    )
    pilot_id = pilot_wave_id(campaign=campaign)
    waves = {row["pk"]: row["wave_id"] for row in _waves_of(campaign)}
    attendees: dict[int, Counter[tuple[int, str, str, str, bool]]] = {s.pk: Counter() for s in sessions}
    regions = dict(Region.objects.values_list("pk", "code"))
    by_pk = {session.pk: session for session in sessions}
    for row in Enrolment.objects.filter(session__in=sessions, status__in=SEAT_TAKEN).values(
        "session_id",
        "employee_id",
        "employee__unit_id",
        "employee__unit__code",
        "employee__site__region_id",
        "employee__language",
    ):
        session = by_pk[row["session_id"]]
        region_id = row["employee__site__region_id"] or session.room.site.region_id
        key = (
            row["employee__unit_id"],
            row["employee__unit__code"],
            regions[region_id],
            row["employee__language"],
            session.campaign_id == campaign.pk and waves.get(row["employee_id"]) == pilot_id,
        )
        attendees[session.pk][key] += 1
    return [(session, attendees[session.pk]) for session in sessions]


def _waves_of(campaign: Campaign) -> QuerySet[Any]:
    return audience(campaign=campaign, waves=campaign_waves(campaign)).values("pk", "wave_id")


def _rooms_by_region(session_capacity: int) -> dict[int, list[int]]:
    """The active rooms that seat the session capacity, per region, in a stable order: the
    planner's room index ``k`` of a region is the ``k``-th of its list."""
    rooms: dict[int, list[int]] = defaultdict(list)
    for pk, region_id in (
        Room.objects.filter(is_active=True, capacity__gte=session_capacity)
        .order_by("site__code", "name", "pk")
        .values_list("pk", "site__region_id")
    ):
        rooms[region_id].append(pk)
    return rooms


def _weekdays(starts_on: datetime.date, ends_before: datetime.date) -> list[datetime.date]:
    days = (ends_before - starts_on).days
    return [starts_on + datetime.timedelta(days=n) for n in range(days) if n % 7 < 5]


def _unavailable(
    *,
    starts_on: datetime.date,
    ends_before: datetime.date,
    instructors: dict[int, str],
    keep: set[tuple[int, int]],
) -> dict[int, set[tuple[int, int]]]:
    """Per instructor, the (week, half-day) pairs they cannot teach: absent, or teaching a session
    that is not one of the fixed sessions (those hold them already)."""
    unavailable: dict[int, set[tuple[int, int]]] = defaultdict(set)
    for instructor_id, absent_from, absent_to in Absence.objects.filter(
        instructor_id__in=list(instructors), starts_on__lt=ends_before, ends_on__gte=starts_on
    ).values_list("instructor_id", "starts_on", "ends_on"):
        day = max(absent_from, starts_on)
        while day <= absent_to and day < ends_before:
            if day.weekday() < 5:
                week, halfday = slot_of(starts_on=starts_on, date=day, half_day=HalfDay.MORNING)
                unavailable[instructor_id].update({(week, halfday), (week, halfday + 1)})
            day += datetime.timedelta(days=1)
    for session_id, instructor_id, date, half_day in (
        SessionInstructor.objects.filter(
            instructor_id__in=list(instructors),
            is_active=True,
            date__gte=starts_on,
            date__lt=ends_before,
        )
        .exclude(session__status=SessionStatus.CANCELLED)
        .values_list("session_id", "instructor_id", "date", "half_day")
    ):
        if (session_id, instructor_id) in keep or date.weekday() >= 5:
            continue
        unavailable[instructor_id].add(slot_of(starts_on=starts_on, date=date, half_day=half_day))
    return unavailable


def _closures(
    *,
    starts_on: datetime.date,
    ends_before: datetime.date,
    region_code: dict[int, str],
    rooms: dict[int, list[int]],
    fixed: list[int],
) -> tuple[Closure, ...]:
    """Public holidays and closing days everywhere or in a region, and the half-days on which
    sessions that are not fixed take every room of a region."""
    closed: set[tuple[int, int, str | None]] = set()
    for day in _weekdays(starts_on, ends_before):
        if public_holiday(day):
            week, halfday = slot_of(starts_on=starts_on, date=day, half_day=HalfDay.MORNING)
            closed.update({(week, halfday, None), (week, halfday + 1, None)})
    for day, region_id in ClosingDay.objects.filter(date__gte=starts_on, date__lt=ends_before).values_list(
        "date", "region_id"
    ):
        if day.weekday() < 5:
            week, halfday = slot_of(starts_on=starts_on, date=day, half_day=HalfDay.MORNING)
            region = region_code[region_id] if region_id is not None else None
            closed.update({(week, halfday, region), (week, halfday + 1, region)})
    room_region = {pk: region_id for region_id, pks in rooms.items() for pk in pks}
    taken: Counter[tuple[datetime.date, str, int]] = Counter()
    for room_id, date, half_day in (
        Session.objects.filter(room_id__in=list(room_region), date__gte=starts_on, date__lt=ends_before)
        .exclude(status=SessionStatus.CANCELLED)
        .exclude(pk__in=fixed)
        .values_list("room_id", "date", "half_day")
    ):
        taken[(date, half_day, room_region[room_id])] += 1
    for (date, half_day, region_id), count in taken.items():
        if count >= len(rooms[region_id]) and date.weekday() < 5:
            week, halfday = slot_of(starts_on=starts_on, date=date, half_day=half_day)
            closed.add((week, halfday, region_code[region_id]))
    everywhere = {(week, halfday) for week, halfday, region in closed if region is None}
    return tuple(
        Closure(week=week, halfday=halfday, region=region)
        for week, halfday, region in sorted(closed, key=lambda c: (c[0], c[1], c[2] or ""))
        if region is None or (week, halfday) not in everywhere
    )
