"""The rules a booking must keep, each raising a ``DomainError`` with a translated message.

Sessions: the day is open, the room is free and large enough, every instructor teaches the
language, travels to the room's region, is available that half-day, is not absent and is not
teaching elsewhere. Enrolments: the session has a free seat, is in the employee's language, and the
employee's unit keeps enough people at work that day (the unit rule).
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable, Sequence

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from deonto.core.errors import DomainError
from deonto.people.models import Employee, OrgUnit, StaffLanguage
from deonto.rollout.calendar import is_closed
from deonto.rollout.models import (
    Absence,
    Availability,
    HalfDay,
    Instructor,
    Room,
    Session,
    SessionInstructor,
    SessionStatus,
)
from deonto.rollout.selectors import unit_sizes, units_away_on

MAX_INSTRUCTORS = 2


def check_session_plan(
    *,
    date: datetime.date,
    half_day: str,
    room: Room,
    language: str,
    instructors: Sequence[Instructor],
    capacity: int,
    session: Session | None = None,
) -> None:
    """Refuse a session (new, or ``session`` changed) that breaks a rule of the calendar, the room
    or the instructors."""
    if half_day not in HalfDay.values:
        raise DomainError(_("Choose the morning or the afternoon."))
    if language not in StaffLanguage.values:
        raise DomainError(_("Choose the language of the session."))
    if not room.is_active:
        raise DomainError(_("The room %(room)s is no longer in use.") % {"room": room})
    closed = is_closed(date, room.site.region_id)
    if closed:
        raise DomainError(closed)
    if capacity < 1:
        raise DomainError(_("A session has at least one seat."))
    if capacity > room.capacity:
        raise DomainError(
            _("The room %(room)s holds %(capacity)s people; the session cannot have more seats.")
            % {"room": room, "capacity": room.capacity}
        )
    others = Session.objects.exclude(status=SessionStatus.CANCELLED).filter(date=date, half_day=half_day)
    if session is not None:
        others = others.exclude(pk=session.pk)
    if others.filter(room=room).exists():
        raise DomainError(
            _("The room %(room)s is already booked on %(date)s (%(half_day)s).")
            % {"room": room, "date": date_format(date), "half_day": HalfDay(half_day).label}
        )
    if not instructors:
        raise DomainError(_("A session needs an instructor."))
    if len(instructors) > MAX_INSTRUCTORS:
        raise DomainError(_("A session has one or two instructors."))
    if len({instructor.pk for instructor in instructors}) != len(instructors):
        raise DomainError(_("The same instructor is named twice."))
    for instructor in instructors:
        _check_instructor(instructor=instructor, date=date, half_day=half_day, room=room, language=language)
    busy = SessionInstructor.objects.filter(
        instructor__in=instructors, date=date, half_day=half_day, is_active=True
    ).select_related("instructor__employee")
    if session is not None:
        busy = busy.exclude(session=session)
    taken = busy.first()
    if taken is not None:
        raise DomainError(
            _("%(instructor)s already teaches another session on %(date)s (%(half_day)s).")
            % {"instructor": taken.instructor, "date": date_format(date), "half_day": HalfDay(half_day).label}
        )


def _check_instructor(
    *, instructor: Instructor, date: datetime.date, half_day: str, room: Room, language: str
) -> None:
    names = {"instructor": instructor, "date": date_format(date), "half_day": HalfDay(half_day).label}
    if not instructor.is_active:
        raise DomainError(_("%(instructor)s no longer teaches.") % names)
    if language not in instructor.languages:
        raise DomainError(
            _("%(instructor)s does not teach in %(language)s.")
            % {**names, "language": StaffLanguage(language).label}
        )
    if not instructor.regions.filter(pk=room.site.region_id).exists():
        raise DomainError(
            _("%(instructor)s does not travel to the region %(region)s.")
            % {**names, "region": room.site.region}
        )
    if not Availability.objects.filter(
        instructor=instructor, weekday=date.weekday(), half_day=half_day
    ).exists():
        raise DomainError(_("%(instructor)s is not available on %(date)s (%(half_day)s).") % names)
    if Absence.objects.filter(instructor=instructor, starts_on__lte=date, ends_on__gte=date).exists():
        raise DomainError(_("%(instructor)s is absent on %(date)s.") % names)


def check_seats(*, session: Session, taken: int, wanted: int) -> None:
    """Refuse more people than the session has free seats."""
    free = max(0, session.capacity - taken)
    if wanted > free:
        if free == 0:
            raise DomainError(_("The session is full."))
        raise DomainError(
            ngettext(
                "The session has only %(free)s free seat.",
                "The session has only %(free)s free seats.",
                free,
            )
            % {"free": free}
        )


def check_bookable(*, session: Session) -> None:
    if session.status not in (SessionStatus.DRAFT, SessionStatus.PUBLISHED):
        raise DomainError(_("This session can no longer be booked."))


def check_language(*, session: Session, employees: Iterable[Employee]) -> None:
    for employee in employees:
        if employee.language != session.language:
            raise DomainError(
                _("%(employee)s speaks %(language)s; the session is in %(session_language)s.")
                % {
                    "employee": employee.full_name,
                    "language": StaffLanguage(employee.language).label,
                    "session_language": StaffLanguage(session.language).label,
                }
            )


def check_unit_rule(
    *, session: Session, employees: Sequence[Employee], moving_from: Session | None = None
) -> None:
    """Refuse a booking that would take more of a unit away on the session's day than the
    campaign allows: the share of its active employees, rounded down, but at least one person.
    People already booked that day, in any session, count; someone moving within the same day
    does not count twice. The units' rows are locked, so two bookings in different sessions of
    the same day cannot both take a unit's last place."""
    wanted = Counter(employee.unit_id for employee in employees)
    share = session.campaign.unit_share_max
    # Bookings of the same units wait for each other, whatever their sessions (PostgreSQL).
    list(OrgUnit.objects.select_for_update().filter(pk__in=sorted(wanted)).order_by("pk").values_list("pk"))
    away = units_away_on(unit_ids=list(wanted), date=session.date)
    sizes = unit_sizes(unit_ids=list(wanted))
    for unit_id, count in wanted.items():
        already = away[unit_id]
        if moving_from is not None and moving_from.date == session.date:
            already -= 1
        limit = max(1, sizes[unit_id] * share // 100)
        if already + count > limit:
            unit = next(employee.unit for employee in employees if employee.unit_id == unit_id)
            raise DomainError(
                ngettext(
                    "At most %(limit)s person of %(unit)s may be away on %(date)s (%(share)s %%); "
                    "%(away)s already is.",
                    "At most %(limit)s people of %(unit)s may be away on %(date)s (%(share)s %%); "
                    "%(away)s already are.",
                    limit,
                )
                % {
                    "limit": limit,
                    "unit": unit,
                    "date": date_format(session.date),
                    "share": share,
                    "away": already,
                }
            )
