"""Reads of the rollout: who is in which wave, which sessions a viewer sees, where an employee may go.

Wave membership is never stored: it is the waves' rules evaluated over the roster when asked, so a
person added to the roster later is in their wave at once. An employee belongs to the first wave, in
order, whose rule they match.
"""

from __future__ import annotations

import datetime
from collections import Counter
from typing import Any

from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone

from deonto.people.models import Employee, Region
from deonto.rollout.models import (
    SEAT_HOLDING,
    Campaign,
    Enrolment,
    EnrolmentStatus,
    Session,
    SessionInstructor,
    SessionStatus,
    Wave,
)

# The statuses that count against a session's capacity: holding a seat, or having held it.
SEAT_TAKEN = (*SEAT_HOLDING, EnrolmentStatus.ATTENDED, EnrolmentStatus.ABSENT, EnrolmentStatus.EXCUSED)


def _waves_up_to(*, campaign: Campaign, order: int | None = None) -> list[Wave]:
    """The campaign's waves in order (up to and including ``order``), with their rules' regions
    and units loaded: three queries, however many waves."""
    waves = Wave.objects.filter(campaign=campaign).prefetch_related("regions", "units").order_by("order")
    if order is not None:
        waves = waves.filter(order__lte=order)
    return list(waves)


def wave_rules(*, campaign: Campaign) -> list[tuple[Wave, Q]]:
    """Each wave with the condition that puts an employee in it and in no earlier wave."""
    rules: list[tuple[Wave, Q]] = []
    earlier = Q(pk__in=[])
    for wave in _waves_up_to(campaign=campaign):
        rule = wave.rule_q()
        rules.append((wave, rule & ~earlier))
        earlier |= rule
    return rules


def wave_members(*, wave: Wave) -> QuerySet[Employee]:
    """The active employees in the wave: matching its rule and no earlier wave's. The members are
    read in one query; loading the rules costs three more, whatever the size of the roster."""
    condition = Q(pk__in=[])
    earlier = Q(pk__in=[])
    for candidate in _waves_up_to(campaign=wave.campaign, order=wave.order):
        if candidate.pk == wave.pk:
            condition = candidate.rule_q() & ~earlier
            break
        earlier |= candidate.rule_q()
    return Employee.objects.filter(condition).select_related("unit", "site")


def campaign_audience(*, campaign: Campaign) -> QuerySet[Employee]:
    """Everyone the campaign must reach: the union of its waves."""
    audience = Q(pk__in=[])
    for wave in _waves_up_to(campaign=campaign):
        audience |= wave.rule_q()
    return Employee.objects.filter(audience).select_related("unit", "site")


def employees_with_wave(*, campaign: Campaign) -> QuerySet[Employee]:
    """The campaign's audience, each employee annotated with ``wave_id``, the wave they belong to:
    for grouping by wave in one query."""
    whens = [When(rule, then=Value(wave.pk)) for wave, rule in wave_rules(campaign=campaign)]
    if not whens:
        return Employee.objects.none()
    return Employee.objects.annotate(wave_id=Case(*whens, default=None, output_field=IntegerField())).filter(
        wave_id__isnull=False
    )


def wave_for(*, campaign: Campaign, employee: Employee) -> Wave | None:
    """The first wave of the campaign whose rule the employee matches, if any."""
    for wave, rule in wave_rules(campaign=campaign):
        if Employee.objects.filter(rule, pk=employee.pk).exists():
            return wave
    return None


def seats_taken(*, session: Session) -> int:
    return Enrolment.objects.filter(session=session, status__in=SEAT_TAKEN).count()


def with_seats_taken(sessions: QuerySet[Session]) -> QuerySet[Session]:
    """Annotate ``seats_taken`` and ``waitlisted`` on each session."""
    return sessions.annotate(
        seats_taken=Count("enrolments", filter=Q(enrolments__status__in=SEAT_TAKEN), distinct=True),
        waitlisted=Count(
            "enrolments", filter=Q(enrolments__status=EnrolmentStatus.WAITLISTED), distinct=True
        ),
    )


def sessions_for(
    *,
    viewer: Any,
    campaign: Campaign | None = None,
    status: str | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    region: Region | None = None,
    language: str = "",
) -> QuerySet[Session]:
    """The sessions a viewer may see, with room, site and campaign loaded and seats counted: every
    session for a coordinator, the sessions they teach for an instructor, none for anyone else."""
    from deonto.rollout.permissions import can_manage_rollout, employee_of

    sessions = Session.objects.all()
    if not can_manage_rollout(viewer):
        employee = employee_of(viewer)
        if employee is None:
            return Session.objects.none()
        sessions = sessions.filter(teaching__instructor__employee=employee, teaching__is_active=True)
    if campaign is not None:
        sessions = sessions.filter(campaign=campaign)
    if status:
        sessions = sessions.filter(status=status)
    if date_from is not None:
        sessions = sessions.filter(date__gte=date_from)
    if date_to is not None:
        sessions = sessions.filter(date__lte=date_to)
    if region is not None:
        sessions = sessions.filter(room__site__region=region)
    if language:
        sessions = sessions.filter(language=language)
    return (
        with_seats_taken(sessions)
        .select_related("room__site__region", "campaign")
        .prefetch_related(
            Prefetch(
                "teaching",
                queryset=SessionInstructor.objects.filter(is_active=True).select_related(
                    "instructor__employee"
                ),
            )
        )
        .order_by("date", "half_day", "room__site__name", "room__name")
    )


def enrolment_for_employee(*, employee: Employee, campaign: Campaign | None = None) -> Enrolment | None:
    """The employee's enrolment in the campaign, or in the newest active campaign when none is
    given, with its session, room and campaign loaded."""
    enrolments = Enrolment.objects.filter(employee=employee).select_related(
        "session__room__site__region", "campaign__course", "employee"
    )
    if campaign is not None:
        enrolments = enrolments.filter(campaign=campaign)
    else:
        enrolments = enrolments.filter(campaign__is_active=True).order_by("-campaign__starts_on", "-pk")
    return enrolments.first()


# The enrolments worth a line on the employee's home page.
HOME_STATUSES = (
    EnrolmentStatus.INVITED,
    EnrolmentStatus.ACCEPTED,
    EnrolmentStatus.WAITLISTED,
    EnrolmentStatus.ATTENDED,
)


def enrolment_for_home(*, employee: Employee) -> Enrolment | None:
    """The employee's classroom session as their home page mentions it: one to answer, to attend or to wait
    for (today or later, not cancelled), or the one they attended."""
    enrolment = enrolment_for_employee(employee=employee)
    if enrolment is None or enrolment.session is None or enrolment.status not in HOME_STATUSES:
        return None
    if enrolment.status == EnrolmentStatus.ATTENDED:
        return enrolment
    session = enrolment.session
    if session.status == SessionStatus.CANCELLED or session.date < timezone.localdate():
        return None
    return enrolment


def unit_away_counts(*, unit_id: int, dates: list[datetime.date]) -> Counter[datetime.date]:
    """How many people of a unit hold (or held) a seat in a session on each of the dates."""
    rows = (
        Enrolment.objects.filter(
            employee__unit_id=unit_id,
            status__in=SEAT_TAKEN,
            session__date__in=dates,
        )
        .exclude(session__status=SessionStatus.CANCELLED)
        .values("session__date")
        .annotate(people=Count("employee", distinct=True))
        .values_list("session__date", "people")
    )
    return Counter(dict(rows))


def units_away_on(*, unit_ids: list[int], date: datetime.date) -> Counter[int]:
    """How many people of each unit hold (or held) a seat in a session on the date: one query."""
    rows = (
        Enrolment.objects.filter(employee__unit_id__in=unit_ids, status__in=SEAT_TAKEN, session__date=date)
        .exclude(session__status=SessionStatus.CANCELLED)
        .values("employee__unit_id")
        .annotate(people=Count("employee", distinct=True))
        .values_list("employee__unit_id", "people")
    )
    return Counter(dict(rows))


def unit_sizes(*, unit_ids: list[int]) -> Counter[int]:
    """The number of active employees of each unit: one query."""
    rows = (
        Employee.objects.filter(unit_id__in=unit_ids, is_active=True)
        .values("unit_id")
        .annotate(people=Count("pk"))
        .values_list("unit_id", "people")
    )
    return Counter(dict(rows))


def unit_limit(*, unit_id: int, share: int) -> int:
    """How many people of a unit may be away on one day: the share of its active employees,
    rounded down, but at least one."""
    size = Employee.objects.filter(unit_id=unit_id, is_active=True).count()
    return max(1, size * share // 100)


def open_sessions_for(*, enrolment: Enrolment) -> list[Session]:
    """The sessions the employee may move to themselves: published, upcoming, of the same campaign,
    in their language and region, with a free seat, and where their unit still has room that day."""
    employee = enrolment.employee
    today = timezone.localdate()
    sessions = (
        with_seats_taken(
            Session.objects.filter(
                campaign_id=enrolment.campaign_id,
                status=SessionStatus.PUBLISHED,
                language=employee.language,
                date__gt=today,
            )
        )
        .select_related("room__site__region")
        .order_by("date", "half_day")
    )
    if employee.site is not None:
        sessions = sessions.filter(room__site__region_id=employee.site.region_id)
    if enrolment.session_id is not None:
        sessions = sessions.exclude(pk=enrolment.session_id)
    candidates = [session for session in sessions if session.seats_taken < session.capacity]  # type: ignore[attr-defined]
    if not candidates:
        return []
    away = unit_away_counts(unit_id=employee.unit_id, dates=sorted({s.date for s in candidates}))
    limit = unit_limit(unit_id=employee.unit_id, share=enrolment.campaign.unit_share_max)
    current_date = (
        enrolment.session.date if enrolment.session is not None and enrolment.status in SEAT_HOLDING else None
    )
    return [
        session
        for session in candidates
        if away[session.date] - (1 if session.date == current_date else 0) < limit
    ]
