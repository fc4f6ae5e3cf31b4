"""Enrolments: proposing people for a session, inviting them, their answers, moves, the waiting
list, attendance.

Every change of status writes exactly one ``EnrolmentEvent`` (who, when, why) together with the new
status. Every booking locks the session's row first, so two requests for its last seat are served
one after the other and never overbook. A seat that frees goes to the earliest person on the
session's waiting list, who is told.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from deonto.accounts.models import User
from deonto.core.audit import audit_record
from deonto.core.errors import DomainError
from deonto.people.models import Employee
from deonto.rollout.messaging import message_enqueue
from deonto.rollout.models import (
    SEAT_HOLDING,
    Enrolment,
    EnrolmentEvent,
    EnrolmentStatus,
    Message,
    MessageKind,
    Session,
    SessionStatus,
)
from deonto.rollout.permissions import can_manage_rollout
from deonto.rollout.rules import check_bookable, check_language, check_seats, check_unit_rule
from deonto.rollout.selectors import SEAT_TAKEN

ATTENDANCE_MARKS = (EnrolmentStatus.ATTENDED, EnrolmentStatus.ABSENT, EnrolmentStatus.EXCUSED)
# People marked absent or excused may be proposed again once that session's attendance is closed:
# the enrolment moves on, its events keep the mark (see selectors_sessions.attendance_list).
NO_SHOW_MARKS = (EnrolmentStatus.ABSENT, EnrolmentStatus.EXCUSED)


def absence_closed(enrolment: Enrolment) -> bool:
    """The enrolment's session (where it was marked) is held: its attendance can no longer change."""
    return enrolment.session is None or enrolment.session.status == SessionStatus.HELD


def _user(actor: User | None) -> User | None:
    return actor if isinstance(actor, User) and actor.pk else None


def lock_session(session: Session) -> Session:
    """The session's row, locked until the transaction ends: bookings of it wait for each other."""
    return (
        Session.objects.select_for_update(of=("self",))
        .select_related("campaign", "room__site")
        .get(pk=session.pk)
    )


def lock_sessions(pks: Sequence[int | None]) -> None:
    """Lock several sessions' rows in one order, so that two moves in opposite directions wait
    for each other instead of deadlocking."""
    wanted = sorted({pk for pk in pks if pk is not None})
    list(
        Session.objects.select_for_update(of=("self",))
        .filter(pk__in=wanted)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def sequence_raise_if_sent(enrolment: Enrolment) -> None:
    """Raise the calendar SEQUENCE (saved with the next status change) when a calendar entry with
    the enrolment's UID may already have been sent: a new invitation must be newer than it."""
    if Message.objects.filter(enrolment=enrolment).exists():
        enrolment.ics_sequence = F("ics_sequence") + 1


def taken_seats(session: Session) -> int:
    return Enrolment.objects.filter(session=session, status__in=SEAT_TAKEN).count()


def status_set(
    enrolment: Enrolment,
    *,
    actor: User | None,
    status: str,
    session: Session | None,
    reason: str = "",
    event_session: Session | None = None,
    at: datetime.datetime | None = None,
) -> EnrolmentEvent:
    """Give the enrolment its new status and session, and write the event that records it."""
    at = at or timezone.now()
    from_status = enrolment.status
    enrolment.status = status
    enrolment.session = session
    enrolment.status_changed_at = at
    enrolment.save(update_fields=["status", "session", "status_changed_at", "ics_sequence", "updated_at"])
    return EnrolmentEvent.objects.create(
        enrolment=enrolment,
        from_status=from_status,
        to_status=status,
        session=event_session if event_session is not None else session,
        actor=_user(actor),
        at=at,
        reason=reason[:255],
    )


def enrolment_propose(
    *, actor: User | None, session: Session, employees: Sequence[Employee]
) -> list[Enrolment]:
    """Propose people for a session: each gets (or re-uses) their enrolment in the campaign, in
    status proposed. Refused as a whole when a seat, the language or the unit rule is lacking.
    A constant number of queries, however many people."""
    employees = list({employee.pk: employee for employee in employees}.values())
    if not employees:
        raise DomainError(_("Choose at least one person."))
    with transaction.atomic():
        session = lock_session(session)
        check_bookable(session=session)
        check_language(session=session, employees=employees)
        existing = {
            enrolment.employee_id: enrolment
            for enrolment in Enrolment.objects.filter(
                campaign_id=session.campaign_id, employee__in=employees
            ).select_related("session")
        }
        for enrolment in existing.values():
            if enrolment.session_id == session.pk and enrolment.status in SEAT_TAKEN:
                raise DomainError(
                    _("%(employee)s is already booked on this session.")
                    % {"employee": enrolment.employee.full_name}
                )
            if (
                enrolment.status in (*SEAT_HOLDING, EnrolmentStatus.ATTENDED)
                and enrolment.session_id is not None
            ):
                raise DomainError(
                    _("%(employee)s is already booked on another session of this campaign.")
                    % {"employee": enrolment.employee.full_name}
                )
            if enrolment.status in NO_SHOW_MARKS and not absence_closed(enrolment):
                raise DomainError(
                    _(
                        "%(employee)s was marked absent or excused at a session whose attendance is not "
                        "closed yet: close it first."
                    )
                    % {"employee": enrolment.employee.full_name}
                )
        check_seats(session=session, taken=taken_seats(session), wanted=len(employees))
        check_unit_rule(session=session, employees=employees)
        now = timezone.now()
        new = [
            Enrolment(
                campaign_id=session.campaign_id,
                employee=employee,
                session=session,
                status=EnrolmentStatus.PROPOSED,
                status_changed_at=now,
            )
            for employee in employees
            if employee.pk not in existing
        ]
        Enrolment.objects.bulk_create(new)
        reused = list(existing.values())
        previous = {enrolment.pk: enrolment.status for enrolment in reused}
        for enrolment in reused:
            enrolment.status = EnrolmentStatus.PROPOSED
            enrolment.session = session
            enrolment.status_changed_at = now
        Enrolment.objects.bulk_update(reused, ["status", "session", "status_changed_at"])
        events = [
            EnrolmentEvent(
                enrolment=enrolment,
                from_status=previous.get(enrolment.pk, ""),
                to_status=EnrolmentStatus.PROPOSED,
                session=session,
                actor=_user(actor),
                at=now,
            )
            for enrolment in [*new, *reused]
        ]
        EnrolmentEvent.objects.bulk_create(events)
        audit_record(
            actor=actor,
            action="rollout.enrolment_propose",
            target=session,
            details={"employees": [employee.pk for employee in employees]},
        )
    by_employee = {enrolment.employee_id: enrolment for enrolment in [*new, *reused]}
    return [by_employee[employee.pk] for employee in employees]


def enrolment_invite(*, actor: User | None, session: Session) -> int:
    """Invite everyone proposed for a published session; each gets an invitation with a calendar
    entry. Returns how many were invited."""
    with transaction.atomic():
        session = lock_session(session)
        if session.status != SessionStatus.PUBLISHED:
            raise DomainError(_("Publish the session before inviting people."))
        proposed = list(
            Enrolment.objects.filter(session=session, status=EnrolmentStatus.PROPOSED).select_related(
                "employee"
            )
        )
        for enrolment in proposed:
            sequence_raise_if_sent(enrolment)
            status_set(enrolment, actor=actor, status=EnrolmentStatus.INVITED, session=session)
            enrolment.refresh_from_db(fields=["ics_sequence"])
            message_enqueue(enrolment=enrolment, kind=MessageKind.INVITATION, session=session)
        audit_record(
            actor=actor, action="rollout.enrolment_invite", target=session, details={"invited": len(proposed)}
        )
    return len(proposed)


def enrolment_accept(*, actor: User | None, enrolment: Enrolment) -> Enrolment:
    with transaction.atomic():
        enrolment = (
            Enrolment.objects.select_for_update(of=("self",)).select_related("session").get(pk=enrolment.pk)
        )
        if enrolment.status == EnrolmentStatus.ACCEPTED:
            raise DomainError(_("You have already accepted this invitation."))
        if enrolment.status != EnrolmentStatus.INVITED or enrolment.session is None:
            raise DomainError(_("There is no invitation to accept."))
        if enrolment.session.status != SessionStatus.PUBLISHED:
            raise DomainError(_("This session can no longer be booked."))
        status_set(enrolment, actor=actor, status=EnrolmentStatus.ACCEPTED, session=enrolment.session)
        audit_record(actor=actor, action="rollout.enrolment_accept", target=enrolment)
    return enrolment


def enrolment_decline(*, actor: User | None, enrolment: Enrolment, reason: str = "") -> Enrolment:
    """Decline the session: the seat goes to the waiting list and the person is to be scheduled
    again."""
    with transaction.atomic():
        enrolment = (
            Enrolment.objects.select_for_update(of=("self",)).select_related("session").get(pk=enrolment.pk)
        )
        if enrolment.status not in SEAT_HOLDING or enrolment.session is None:
            raise DomainError(_("There is no session to decline."))
        freed = enrolment.session
        status_set(
            enrolment,
            actor=actor,
            status=EnrolmentStatus.DECLINED,
            session=None,
            event_session=freed,
            reason=reason,
        )
        audit_record(
            actor=actor, action="rollout.enrolment_decline", target=enrolment, details={"reason": reason}
        )
        waitlist_fill(actor=actor, session=freed)
    return enrolment


def enrolment_move(*, actor: User | None, enrolment: Enrolment, session: Session) -> Enrolment:
    """Move someone to another session of the campaign. The employee themselves may choose only a
    published upcoming session in their language and region; a coordinator may choose any session
    that can be booked. Seats and the unit rule hold for both; the freed seat goes to the waiting
    list."""
    coordinator = actor is not None and can_manage_rollout(actor)
    with transaction.atomic():
        lock_sessions([session.pk, enrolment.session_id])
        session = lock_session(session)
        enrolment = (
            Enrolment.objects.select_for_update(of=("self",)).select_related(
                "session", "employee__site", "employee__unit"
            )
        ).get(pk=enrolment.pk)
        employee = enrolment.employee
        if session.campaign_id != enrolment.campaign_id:
            raise DomainError(_("That session belongs to another campaign."))
        if enrolment.session_id == session.pk:
            raise DomainError(_("You are already booked on this session."))
        if enrolment.status in ATTENDANCE_MARKS:
            raise DomainError(_("This training has already taken place."))
        check_bookable(session=session)
        check_language(session=session, employees=[employee])
        if not coordinator:
            if session.status != SessionStatus.PUBLISHED or session.date <= timezone.localdate():
                raise DomainError(_("Choose an upcoming published session."))
            if employee.site is not None and session.room.site.region_id != employee.site.region_id:
                raise DomainError(_("Choose a session in your region."))
            if enrolment.status not in (*SEAT_HOLDING, EnrolmentStatus.DECLINED, EnrolmentStatus.WAITLISTED):
                raise DomainError(_("There is no invitation to change."))
        check_seats(session=session, taken=taken_seats(session), wanted=1)
        holding = enrolment.status in SEAT_HOLDING and enrolment.session is not None
        freed = enrolment.session if holding or enrolment.status == EnrolmentStatus.WAITLISTED else None
        check_unit_rule(
            session=session, employees=[employee], moving_from=enrolment.session if holding else None
        )
        status: str
        if session.status != SessionStatus.PUBLISHED:
            status = EnrolmentStatus.PROPOSED
        elif coordinator:
            status = enrolment.status if enrolment.status in SEAT_HOLDING else EnrolmentStatus.INVITED
        else:
            status = EnrolmentStatus.ACCEPTED
        had_calendar_entry = enrolment.status in (EnrolmentStatus.INVITED, EnrolmentStatus.ACCEPTED)
        has_calendar_entry = status in (EnrolmentStatus.INVITED, EnrolmentStatus.ACCEPTED)
        if had_calendar_entry:
            enrolment.ics_sequence = F("ics_sequence") + 1
        elif has_calendar_entry:
            sequence_raise_if_sent(enrolment)
        status_set(
            enrolment, actor=actor, status=status, session=session, reason=_("Moved to another session.")
        )
        enrolment.refresh_from_db(fields=["ics_sequence"])
        if had_calendar_entry and has_calendar_entry:
            message_enqueue(enrolment=enrolment, kind=MessageKind.UPDATE, session=session)
        elif had_calendar_entry:
            message_enqueue(enrolment=enrolment, kind=MessageKind.CANCELLATION, session=freed)
        elif has_calendar_entry:
            message_enqueue(enrolment=enrolment, kind=MessageKind.INVITATION, session=session)
        audit_record(
            actor=actor,
            action="rollout.enrolment_move",
            target=enrolment,
            details={"from": freed.pk if freed else None, "to": session.pk},
        )
        if freed is not None:
            waitlist_fill(actor=actor, session=freed)
    return enrolment


def enrolment_waitlist(*, actor: User | None, enrolment: Enrolment, session: Session) -> Enrolment:
    """Put someone on the waiting list of a full session. A seat they held elsewhere is freed."""
    with transaction.atomic():
        session = lock_session(session)
        enrolment = (
            Enrolment.objects.select_for_update(of=("self",))
            .select_related("session", "employee")
            .get(pk=enrolment.pk)
        )
        if session.campaign_id != enrolment.campaign_id:
            raise DomainError(_("That session belongs to another campaign."))
        if session.status != SessionStatus.PUBLISHED:
            raise DomainError(_("Only a published session has a waiting list."))
        if enrolment.status in ATTENDANCE_MARKS:
            raise DomainError(_("This training has already taken place."))
        if enrolment.session_id == session.pk:
            raise DomainError(
                _("%(employee)s is already on this session.") % {"employee": enrolment.employee.full_name}
            )
        check_language(session=session, employees=[enrolment.employee])
        if taken_seats(session) < session.capacity:
            raise DomainError(_("The session still has free seats: book one instead."))
        freed = enrolment.session if enrolment.status in (*SEAT_HOLDING, EnrolmentStatus.WAITLISTED) else None
        status_set(enrolment, actor=actor, status=EnrolmentStatus.WAITLISTED, session=session)
        audit_record(
            actor=actor,
            action="rollout.enrolment_waitlist",
            target=enrolment,
            details={"session": session.pk},
        )
        if freed is not None:
            waitlist_fill(actor=actor, session=freed)
    return enrolment


def waitlist_fill(*, actor: User | None, session: Session) -> int:
    """Give the session's free seats to the people on its waiting list, earliest first, skipping
    anyone whose unit is already away enough that day. Each is invited and told. Returns how many
    got a seat."""
    with transaction.atomic():
        session = lock_session(session)
        if session.status != SessionStatus.PUBLISHED:
            return 0
        free = session.capacity - taken_seats(session)
        if free <= 0:
            return 0
        waiting = Enrolment.objects.filter(session=session, status=EnrolmentStatus.WAITLISTED).select_related(
            "employee__unit"
        )
        filled = 0
        for enrolment in waiting.order_by("status_changed_at", "pk"):
            if filled == free:
                break
            try:
                check_unit_rule(session=session, employees=[enrolment.employee])
            except DomainError:
                continue
            enrolment.ics_sequence = F("ics_sequence") + 1
            status_set(
                enrolment,
                actor=actor,
                status=EnrolmentStatus.INVITED,
                session=session,
                reason=_("A seat became free."),
            )
            enrolment.refresh_from_db(fields=["ics_sequence"])
            message_enqueue(enrolment=enrolment, kind=MessageKind.SEAT_OFFERED, session=session)
            filled += 1
        if filled:
            audit_record(
                actor=actor, action="rollout.waitlist_fill", target=session, details={"filled": filled}
            )
    return filled


def enrolment_cancel(*, actor: User | None, enrolment: Enrolment, reason: str) -> Enrolment:
    """A coordinator takes someone off their session (to be scheduled again); the seat goes to
    the waiting list."""
    with transaction.atomic():
        enrolment = (
            Enrolment.objects.select_for_update(of=("self",)).select_related("session").get(pk=enrolment.pk)
        )
        if enrolment.session is None or enrolment.status not in (*SEAT_HOLDING, EnrolmentStatus.WAITLISTED):
            raise DomainError(_("This person is not booked on a session."))
        freed = enrolment.session
        had_calendar_entry = enrolment.status in (EnrolmentStatus.INVITED, EnrolmentStatus.ACCEPTED)
        if had_calendar_entry:
            enrolment.ics_sequence = F("ics_sequence") + 1
        status_set(
            enrolment,
            actor=actor,
            status=EnrolmentStatus.PROPOSED,
            session=None,
            event_session=freed,
            reason=reason,
        )
        enrolment.refresh_from_db(fields=["ics_sequence"])
        if had_calendar_entry:
            message_enqueue(enrolment=enrolment, kind=MessageKind.CANCELLATION, session=freed)
        audit_record(
            actor=actor, action="rollout.enrolment_cancel", target=enrolment, details={"reason": reason}
        )
        waitlist_fill(actor=actor, session=freed)
    return enrolment


def attendance_record(*, actor: User | None, session: Session, marks: dict[int, str]) -> int:
    """Mark people present, absent or excused (enrolment id → status). Returns how many changed."""
    with transaction.atomic():
        session = lock_session(session)
        if session.status != SessionStatus.PUBLISHED or session.closed_at is not None:
            raise DomainError(_("The attendance of this session can no longer be changed."))
        if any(mark not in ATTENDANCE_MARKS for mark in marks.values()):
            raise DomainError(_("Mark each person present, absent or excused."))
        enrolments = {
            enrolment.pk: enrolment
            for enrolment in Enrolment.objects.select_for_update(of=("self",)).filter(
                session=session, status__in=SEAT_TAKEN, pk__in=list(marks)
            )
        }
        if len(enrolments) != len(marks):
            raise DomainError(_("Some of these people are not booked on this session."))
        changed = 0
        for pk, mark in marks.items():
            enrolment = enrolments[pk]
            if enrolment.status != mark:
                status_set(enrolment, actor=actor, status=mark, session=session)
                changed += 1
        audit_record(
            actor=actor, action="rollout.attendance_record", target=session, details={"changed": changed}
        )
    return changed


def unmarked_count(session: Session) -> int:
    return Enrolment.objects.filter(session=session, status__in=SEAT_HOLDING).count()


def unmarked_message(count: int) -> str:
    return ngettext(
        "%(count)s person is not marked yet.",
        "%(count)s people are not marked yet.",
        count,
    ) % {"count": count}
