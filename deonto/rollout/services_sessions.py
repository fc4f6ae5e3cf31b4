"""Sessions: creating and changing them within the rules of the calendar, rooms and instructors,
publishing, cancelling (everyone is proposed again) and closing (attendance and completions).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from deonto.accounts.models import User
from deonto.core.audit import audit_record
from deonto.core.errors import DomainError
from deonto.rollout.calendar import session_times
from deonto.rollout.messaging import message_enqueue
from deonto.rollout.models import (
    Campaign,
    Enrolment,
    EnrolmentStatus,
    Instructor,
    MessageKind,
    Room,
    Session,
    SessionInstructor,
    SessionStatus,
)
from deonto.rollout.rules import check_session_plan, check_unit_rule
from deonto.rollout.selectors import SEAT_TAKEN
from deonto.rollout.services_enrolments import (
    lock_session,
    status_set,
    taken_seats,
    unmarked_count,
    unmarked_message,
)
from deonto.training.models import Completion, CompletionMethod

SESSION_FIELDS = ("date", "half_day", "room", "language", "instructors", "capacity")
CALENDAR_FIELDS = ("date", "half_day", "room")


def _double_booking() -> DomainError:
    return DomainError(_("The room or an instructor was booked for that half-day in the meantime."))


def session_create(
    *,
    actor: User | None,
    campaign: Campaign,
    date: datetime.date,
    half_day: str,
    room: Room,
    language: str,
    instructors: Sequence[Instructor],
    capacity: int | None = None,
) -> Session:
    instructors = list(instructors)
    seats = capacity if capacity is not None else room.capacity
    if not campaign.is_active:
        raise DomainError(_("The campaign is no longer active."))
    check_session_plan(
        date=date, half_day=half_day, room=room, language=language, instructors=instructors, capacity=seats
    )
    try:
        with transaction.atomic():
            session = Session.objects.create(
                campaign=campaign,
                date=date,
                half_day=half_day,
                room=room,
                language=language,
                capacity=seats,
                status=SessionStatus.DRAFT,
            )
            SessionInstructor.objects.bulk_create(
                SessionInstructor(session=session, instructor=instructor, date=date, half_day=half_day)
                for instructor in instructors
            )
            audit_record(actor=actor, action="rollout.session_create", target=session)
    except IntegrityError as error:
        raise _double_booking() from error
    return session


def session_update(*, actor: User | None, session: Session, **changes: Any) -> Session:
    """Change a session within the same rules as creating it. People with a calendar entry get an
    update when the day, half-day or room changes."""
    unknown = set(changes) - set(SESSION_FIELDS)
    if unknown:
        raise TypeError(f"Unknown session fields: {sorted(unknown)}")
    try:
        with transaction.atomic():
            session = lock_session(session)
            if session.status not in (SessionStatus.DRAFT, SessionStatus.PUBLISHED):
                raise DomainError(_("A held or cancelled session can no longer be changed."))
            current = list(
                Instructor.objects.filter(teaching__session=session, teaching__is_active=True).select_related(
                    "employee"
                )
            )
            instructors = list(changes.get("instructors", current))
            date = changes.get("date", session.date)
            half_day = changes.get("half_day", session.half_day)
            room = changes.get("room", session.room)
            language = changes.get("language", session.language)
            capacity = changes.get("capacity", session.capacity)
            check_session_plan(
                date=date,
                half_day=half_day,
                room=room,
                language=language,
                instructors=instructors,
                capacity=capacity,
                session=session,
            )
            if capacity < taken_seats(session):
                raise DomainError(_("More people are booked than the new number of seats."))
            if (
                language != session.language
                and Enrolment.objects.filter(session=session, status__in=SEAT_TAKEN)
                .exclude(employee__language=language)
                .exists()
            ):
                raise DomainError(_("People who speak another language are booked on this session."))
            if date != session.date:
                booked = [
                    enrolment.employee
                    for enrolment in Enrolment.objects.filter(
                        session=session, status__in=SEAT_TAKEN
                    ).select_related("employee__unit")
                ]
                if booked:
                    check_unit_rule(session=Session(campaign=session.campaign, date=date), employees=booked)
            moved = any(
                getattr(session, name) != value for name, value in changes.items() if name in CALENDAR_FIELDS
            )
            session.date, session.half_day, session.room = date, half_day, room
            session.language, session.capacity = language, capacity
            session.save()
            SessionInstructor.objects.filter(session=session).exclude(instructor__in=instructors).delete()
            SessionInstructor.objects.filter(session=session).update(date=date, half_day=half_day)
            kept = set(
                SessionInstructor.objects.filter(session=session).values_list("instructor_id", flat=True)
            )
            SessionInstructor.objects.bulk_create(
                SessionInstructor(session=session, instructor=instructor, date=date, half_day=half_day)
                for instructor in instructors
                if instructor.pk not in kept
            )
            if moved:
                informed = list(
                    Enrolment.objects.filter(
                        session=session, status__in=(EnrolmentStatus.INVITED, EnrolmentStatus.ACCEPTED)
                    )
                )
                Enrolment.objects.filter(pk__in=[e.pk for e in informed]).update(
                    ics_sequence=F("ics_sequence") + 1
                )
                for enrolment in informed:
                    enrolment.refresh_from_db(fields=["ics_sequence"])
                    message_enqueue(enrolment=enrolment, kind=MessageKind.UPDATE, session=session)
            audit_record(
                actor=actor,
                action="rollout.session_update",
                target=session,
                details={name: str(value) for name, value in changes.items() if name != "instructors"},
            )
    except IntegrityError as error:
        raise _double_booking() from error
    return session


def session_publish(*, actor: User | None, session: Session) -> Session:
    with transaction.atomic():
        session = lock_session(session)
        if session.status != SessionStatus.DRAFT:
            raise DomainError(_("Only a draft session can be published."))
        session.status = SessionStatus.PUBLISHED
        session.save(update_fields=["status", "updated_at"])
        audit_record(actor=actor, action="rollout.session_publish", target=session)
    return session


def session_cancel(*, actor: User | None, session: Session, reason: str) -> Session:
    """Cancel a session: its room and instructors are free again and everyone booked on it is
    proposed again without a session; those who had a calendar entry get a cancellation."""
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Say why the session is cancelled."))
    with transaction.atomic():
        session = lock_session(session)
        if session.status not in (SessionStatus.DRAFT, SessionStatus.PUBLISHED):
            raise DomainError(_("A held or cancelled session cannot be cancelled."))
        session.status = SessionStatus.CANCELLED
        session.save(update_fields=["status", "updated_at"])
        SessionInstructor.objects.filter(session=session).update(is_active=False)
        enrolments = list(
            Enrolment.objects.select_for_update(of=("self",)).filter(session=session).order_by("pk")
        )
        for enrolment in enrolments:
            informed = enrolment.status in (EnrolmentStatus.INVITED, EnrolmentStatus.ACCEPTED)
            if informed:
                enrolment.ics_sequence = F("ics_sequence") + 1
            status_set(
                enrolment,
                actor=actor,
                status=EnrolmentStatus.PROPOSED,
                session=None,
                event_session=session,
                reason=reason,
            )
            if informed:
                enrolment.refresh_from_db(fields=["ics_sequence"])
                message_enqueue(enrolment=enrolment, kind=MessageKind.CANCELLATION, session=session)
        audit_record(
            actor=actor,
            action="rollout.session_cancel",
            target=session,
            details={"reason": reason, "enrolments": len(enrolments)},
        )
    return session


def session_close(*, actor: User | None, session: Session) -> Session:
    """Close the attendance once everyone is marked: the session is held, and everyone present who
    has a user account gets the course's completion (classroom)."""
    with transaction.atomic():
        session = lock_session(session)
        if session.status != SessionStatus.PUBLISHED:
            raise DomainError(_("Only a published session can be closed."))
        missing = unmarked_count(session)
        if missing:
            raise DomainError(unmarked_message(missing))
        now = timezone.now()
        session.status = SessionStatus.HELD
        session.closed_at = now
        session.closed_by = actor if isinstance(actor, User) else None
        session.save(update_fields=["status", "closed_at", "closed_by", "updated_at"])
        course = session.campaign.course
        _start, end = session_times(session)
        user_ids = list(
            Enrolment.objects.filter(
                session=session, status=EnrolmentStatus.ATTENDED, employee__user__isnull=False
            ).values_list("employee__user_id", flat=True)
        )
        Completion.objects.bulk_create(
            Completion(
                user_id=user_id,
                course=course,
                course_version=course.version,
                method=CompletionMethod.CLASSROOM,
                completed_at=min(end, now),
            )
            for user_id in user_ids
        )
        audit_record(
            actor=actor,
            action="rollout.session_close",
            target=session,
            details={"completions": len(user_ids)},
        )
    return session
