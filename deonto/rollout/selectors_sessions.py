"""Reads for the session pages: the filtered list, one session with its people, the people who
could be proposed for it, the sessions someone could be moved to, and the attendance list."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import get_language

from deonto.people.models import Employee, Region
from deonto.rollout import progress
from deonto.rollout.calendar import BRUSSELS, session_times
from deonto.rollout.models import (
    Campaign,
    Enrolment,
    EnrolmentEvent,
    EnrolmentStatus,
    Session,
    SessionStatus,
    Wave,
)
from deonto.rollout.selectors import SEAT_TAKEN, sessions_for, with_seats_taken
from deonto.training.selectors_learning import course_title


def sessions_filtered(
    *,
    viewer: Any,
    campaign: Campaign | None = None,
    status: str = "",
    region: Region | None = None,
    language: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> QuerySet[Session]:
    sessions = sessions_for(
        viewer=viewer, campaign=campaign, status=status or None, date_from=date_from, date_to=date_to
    )
    if region is not None:
        sessions = sessions.filter(room__site__region=region)
    if language:
        sessions = sessions.filter(language=language)
    return sessions


@dataclass(frozen=True)
class SessionDetail:
    session: Session
    instructors: list[str]
    booked: list[Enrolment]
    waitlist: list[Enrolment]
    seats_taken: int

    @property
    def seats_free(self) -> int:
        return max(0, self.session.capacity - self.seats_taken)

    @property
    def proposed(self) -> int:
        return sum(1 for enrolment in self.booked if enrolment.status == EnrolmentStatus.PROPOSED)


def session_detail(*, pk: int) -> SessionDetail:
    session = get_object_or_404(
        Session.objects.select_related("campaign__course", "room__site__region", "closed_by"), pk=pk
    )
    enrolments = list(
        Enrolment.objects.filter(session=session)
        .exclude(status=EnrolmentStatus.DECLINED)
        .select_related("employee__unit")
        .order_by("status_changed_at", "pk")
    )
    booked = sorted(
        (e for e in enrolments if e.status in SEAT_TAKEN),
        key=lambda e: (e.employee.last_name, e.employee.first_name),
    )
    waitlist = [e for e in enrolments if e.status == EnrolmentStatus.WAITLISTED]
    instructors = [
        teaching.instructor.employee.full_name
        for teaching in session.teaching.filter(is_active=True).select_related("instructor__employee")
    ]
    return SessionDetail(
        session=session, instructors=instructors, booked=booked, waitlist=waitlist, seats_taken=len(booked)
    )


def candidates_for(*, viewer: Any, session: Session, wave: Wave | None) -> QuerySet[Employee]:
    """The wave's people not yet scheduled, in the session's language and region."""
    if wave is None:
        return Employee.objects.none()
    return progress.not_scheduled(
        campaign=session.campaign,
        viewer=viewer,
        wave=wave,
        region=session.room.site.region,
        language=session.language,
    )


def move_targets(*, enrolment: Enrolment) -> QuerySet[Session]:
    """Sessions of the same campaign in the person's language, not held and not cancelled, other than the current one;
    whether the move is allowed (seats, language, unit rule) is the service's to say."""
    sessions = with_seats_taken(
        Session.objects.filter(
            campaign_id=enrolment.campaign_id,
            language=enrolment.employee.language,
            status__in=(SessionStatus.DRAFT, SessionStatus.PUBLISHED),
            closed_at__isnull=True,
        )
    ).select_related("room__site")
    if enrolment.session_id is not None:
        sessions = sessions.exclude(pk=enrolment.session_id)
    return sessions.order_by("date", "half_day", "room__site__name")


MARKS = (EnrolmentStatus.ATTENDED, EnrolmentStatus.ABSENT, EnrolmentStatus.EXCUSED)


def attendance_list(*, session: Session) -> list[Enrolment]:
    """The people booked on the session. For a held session, also those marked absent or excused
    there who were proposed for another session since: their enrolment moved on, so their mark is
    read from its events and set on ``status`` (in memory only) as the mark at this session."""
    booked = list(
        Enrolment.objects.filter(session=session, status__in=SEAT_TAKEN).select_related("employee__unit")
    )
    if session.status == SessionStatus.HELD:
        marks: dict[int, str] = {}
        for enrolment_id, mark in (
            EnrolmentEvent.objects.filter(session=session, to_status__in=MARKS)
            .exclude(enrolment__session=session)
            .order_by("at", "pk")
            .values_list("enrolment_id", "to_status")
        ):
            marks[enrolment_id] = mark
        moved = list(Enrolment.objects.filter(pk__in=list(marks)).select_related("employee__unit"))
        for enrolment in moved:
            enrolment.status = marks[enrolment.pk]
        booked += moved
    return sorted(booked, key=lambda e: (e.employee.last_name, e.employee.first_name, e.pk))


@dataclass(frozen=True)
class InvitationDetail:
    title: str
    start: datetime.datetime | None
    end: datetime.datetime | None
    instructors: list[str]


def invitation_detail(*, enrolment: Enrolment) -> InvitationDetail:
    """What the employee's page shows about their session, in the reader's language."""
    language = (get_language() or "nl")[:2]
    title = course_title(course=enrolment.campaign.course, language=language)
    session = enrolment.session
    if session is None:
        return InvitationDetail(title=title, start=None, end=None, instructors=[])
    start, end = (moment.astimezone(BRUSSELS) for moment in session_times(session))
    instructors = [
        teaching.instructor.employee.full_name
        for teaching in session.teaching.filter(is_active=True).select_related("instructor__employee")
    ]
    return InvitationDetail(title=title, start=start, end=end, instructors=instructors)


def full_sessions_for(*, enrolment: Enrolment) -> list[Session]:
    """Published upcoming sessions of the campaign in the employee's language and region that are
    full: the employee may join their waiting list."""
    employee = enrolment.employee
    sessions = with_seats_taken(
        Session.objects.filter(
            campaign_id=enrolment.campaign_id,
            status=SessionStatus.PUBLISHED,
            language=employee.language,
            date__gt=timezone.localdate(),
        )
    ).select_related("room__site__region")
    if employee.site is not None:
        sessions = sessions.filter(room__site__region_id=employee.site.region_id)
    if enrolment.session_id is not None:
        sessions = sessions.exclude(pk=enrolment.session_id)
    return [
        session
        for session in sessions.order_by("date", "half_day")
        if session.seats_taken >= session.capacity  # type: ignore[attr-defined]
    ]


def sessions_taught(*, employee: Employee, since: datetime.date) -> QuerySet[Session]:
    """The published or held sessions an employee teaches from a day on, for their way to the
    attendance lists."""
    return (
        Session.objects.filter(
            teaching__instructor__employee=employee,
            teaching__is_active=True,
            status__in=(SessionStatus.PUBLISHED, SessionStatus.HELD),
            date__gte=since,
        )
        .select_related("room__site")
        .order_by("date", "half_day")
    )
