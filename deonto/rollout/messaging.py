"""E-mail about enrolments: invitations with a calendar entry, changes, cancellations, reminders.

Every message is a ``Message`` row from the moment it is queued; the send task (``tasks.py``) turns
it into sent, failed or skipped. The row keeps the enrolment's calendar SEQUENCE as it was when the
message was queued, so a message sent late still carries the calendar entry it was written for.

A message is written in the employee's language when Deonto has a catalogue for it (Dutch,
French); otherwise (German) in the language of their user account, and else in Dutch.

django-tasks does not retry a failed task, so a failed message stays failed, with the error, until
it is queued again: by ``message_retry`` (one message) or by the daily ``send_rollout_reminders``
run (``messages_retry_failed``: failed messages that are still current).
"""

from __future__ import annotations

import datetime
import smtplib
from dataclasses import dataclass
from email.mime.text import MIMEText

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from deonto.accounts.models import User
from deonto.core.audit import audit_record
from deonto.core.errors import DomainError
from deonto.core.mail import mail_in
from deonto.people.models import Employee
from deonto.rollout.calendar import BRUSSELS, business_days_before, session_times
from deonto.rollout.ics import CalendarEntry, ics_cancel, ics_request
from deonto.rollout.models import (
    Campaign,
    Enrolment,
    EnrolmentStatus,
    Message,
    MessageKind,
    MessageStatus,
    Session,
    SessionStatus,
)
from deonto.training.selectors_learning import course_title

# The people who have the session in their calendar.
REMINDED_STATUSES = (EnrolmentStatus.INVITED, EnrolmentStatus.ACCEPTED)
RETRIABLE_STATUSES = (MessageStatus.FAILED, MessageStatus.SKIPPED)


def message_enqueue(*, enrolment: Enrolment, kind: MessageKind, session: Session | None = None) -> Message:
    """Log a message about ``enrolment`` and send it through the task queue once the transaction
    commits. ``session`` defaults to the enrolment's session; a cancellation passes the cancelled
    one, since the enrolment no longer has it."""
    message = Message.objects.create(
        enrolment=enrolment,
        kind=kind,
        session=session if session is not None else enrolment.session,
        ics_sequence=enrolment.ics_sequence,
    )
    _send_on_commit(message)
    return message


def _send_on_commit(message: Message) -> None:
    from deonto.rollout.tasks import send_message  # tasks.py imports this module

    message_id = message.pk
    transaction.on_commit(lambda: send_message.enqueue(message_id=message_id))


def message_language(employee: Employee) -> str:
    """The language to write to an employee in: theirs if Deonto speaks it, else their account's,
    else the default (Dutch)."""
    available = {code for code, _name in settings.LANGUAGES}
    if employee.language in available:
        return employee.language
    user = employee.user
    if user is not None and user.language in available:
        return user.language
    return str(settings.LANGUAGE_CODE)


def message_recipient(employee: Employee) -> str:
    """The employee's address from the roster, or else their user account's."""
    if employee.email:
        return employee.email
    return employee.user.email if employee.user is not None else ""


def message_send(*, message_id: int) -> None:
    """Send one queued message and record the outcome. A message that is no longer queued (sent
    already, by a task that ran twice) is left alone. A failed send is recorded, then raised, so
    the task is marked failed as well."""
    with transaction.atomic():
        message = (
            Message.objects.select_for_update(of=("self",))
            .select_related("enrolment__employee__user", "enrolment__campaign__course", "session__room__site")
            .get(pk=message_id)
        )
        if message.status != MessageStatus.QUEUED:
            return
        employee = message.enrolment.employee
        message.language = message_language(employee)
        message.recipient = message_recipient(employee)
        failure: Exception | None = None
        if not message.recipient:
            message.status = MessageStatus.SKIPPED
        elif message.session is None:
            message.status = MessageStatus.FAILED
            message.error = "The session of this message no longer exists."
        else:
            try:
                _email(message, session=message.session).send()
            except (smtplib.SMTPException, OSError) as error:
                message.status = MessageStatus.FAILED
                message.error = f"{type(error).__name__}: {error}"
                failure = error
            else:
                message.status = MessageStatus.SENT
                message.sent_at = timezone.now()
                message.error = ""
        message.save(update_fields=["language", "recipient", "status", "sent_at", "error", "updated_at"])
    if failure is not None:
        raise failure


@dataclass(frozen=True)
class _SessionText:
    """What a message says about its session, in the message's language."""

    title: str
    when: str
    day: str
    location: str
    instructors: str
    link: str
    start: datetime.datetime
    end: datetime.datetime


def _session_text(*, enrolment: Enrolment, session: Session, language: str) -> _SessionText:
    start, end = (moment.astimezone(BRUSSELS) for moment in session_times(session))
    with translation.override(language):
        room = session.room
        return _SessionText(
            title=course_title(course=enrolment.campaign.course, language=language),
            when=_("%(date)s from %(start)s to %(end)s")
            % {
                "date": date_format(start.date(), "l j F Y"),
                "start": start.strftime("%H:%M"),
                "end": end.strftime("%H:%M"),
            },
            day=date_format(start.date(), "j F Y"),
            location=", ".join(part for part in (room.name, room.site.name, room.site.address) if part),
            instructors=", ".join(
                teaching.instructor.employee.full_name
                for teaching in session.teaching.select_related("instructor__employee").filter(is_active=True)
            ),
            link=f"{settings.SITE_URL}{reverse('rollout:my_training')}",
            start=start,
            end=end,
        )


def _calendar_entry(
    *, enrolment: Enrolment, text: _SessionText, sequence: int, language: str, recipient: str
) -> CalendarEntry:
    with translation.override(language):
        return CalendarEntry(
            uid=f"{enrolment.ics_uid}@deonto",
            sequence=sequence,
            start=text.start,
            end=text.end,
            summary=_("Training: %(title)s") % {"title": text.title},
            description=_("%(title)s, %(when)s. Your invitation: %(link)s")
            % {"title": text.title, "when": text.when, "link": text.link},
            location=text.location,
            organizer=settings.DEFAULT_FROM_EMAIL,
            attendee_email=recipient,
            attendee_name=enrolment.employee.full_name,
            stamp=timezone.now(),
        )


def enrolment_calendar(*, enrolment: Enrolment) -> bytes:
    """The enrolment's calendar entry as it stands (METHOD:REQUEST, current SEQUENCE), for
    downloading it again. Only an enrolment with a session has one."""
    if enrolment.session is None:
        raise DomainError(_("You have no session to put in your calendar yet."))
    language = message_language(enrolment.employee)
    text = _session_text(enrolment=enrolment, session=enrolment.session, language=language)
    return ics_request(
        _calendar_entry(
            enrolment=enrolment,
            text=text,
            sequence=enrolment.ics_sequence,
            language=language,
            recipient=message_recipient(enrolment.employee),
        )
    )


def _email(message: Message, *, session: Session) -> EmailMultiAlternatives:
    enrolment = message.enrolment
    text = _session_text(enrolment=enrolment, session=session, language=message.language)
    entry = _calendar_entry(
        enrolment=enrolment,
        text=text,
        sequence=message.ics_sequence,
        language=message.language,
        recipient=message.recipient,
    )
    context = {
        "kind": message.kind,
        "language": message.language,
        "employee": enrolment.employee,
        "title": text.title,
        "when": text.when,
        "location": text.location,
        "instructors": text.instructors,
        "link": text.link,
    }
    with translation.override(message.language):
        subject = _subject(message.kind, title=text.title, date=text.day)
        body = render_to_string("rollout/email/message.txt", context)
        html = render_to_string("rollout/email/message.html", context)
    cancelled = message.kind == MessageKind.CANCELLATION
    method = "CANCEL" if cancelled else "REQUEST"
    calendar = (ics_cancel if cancelled else ics_request)(entry)
    attachment = MIMEText(calendar.decode("utf-8"), "calendar", "utf-8")
    attachment.replace_header("Content-Type", f"text/calendar; method={method}; charset=UTF-8")
    attachment.add_header("Content-Disposition", "attachment", filename="invite.ics")
    email = mail_in(message.language, subject=subject, body=body, to=[message.recipient], html=html)
    email.attach(attachment)
    return email


def _subject(kind: str, *, title: str, date: str) -> str:
    values = {"title": title, "date": date}
    if kind == MessageKind.INVITATION:
        return _("Invitation: %(title)s on %(date)s") % values
    if kind == MessageKind.UPDATE:
        return _("Changed: %(title)s, now on %(date)s") % values
    if kind == MessageKind.CANCELLATION:
        return _("Cancelled: %(title)s on %(date)s") % values
    if kind == MessageKind.REMINDER:
        return _("Reminder: %(title)s on %(date)s") % values
    return _("A seat is free for you: %(title)s on %(date)s") % values


def message_retry(*, actor: User, message: Message) -> Message:
    """Queue a failed message again, or one that was not sent for want of an address (once the
    address is known)."""
    if message.status not in RETRIABLE_STATUSES:
        raise DomainError(_("Only a message that failed or had no address can be sent again."))
    with transaction.atomic():
        message.status = MessageStatus.QUEUED
        message.error = ""
        message.save(update_fields=["status", "error", "updated_at"])
        audit_record(
            actor=actor, action="rollout.message_retry", target=message, details={"kind": message.kind}
        )
        _send_on_commit(message)
    return message


def messages_retry_failed(*, today: datetime.date | None = None) -> int:
    """Queue again every failed message that still says what is true: its session is ahead, it
    carries the enrolment's current calendar sequence and, unless it is a cancellation, the
    enrolment is still invited to (or accepted) that session. Returns how many."""
    today = today or timezone.localdate()
    with transaction.atomic():
        failed = list(
            Message.objects.select_for_update(of=("self",))
            .filter(
                status=MessageStatus.FAILED,
                session__date__gt=today,
                ics_sequence=F("enrolment__ics_sequence"),
            )
            .filter(
                Q(kind=MessageKind.CANCELLATION)
                | Q(enrolment__session=F("session"), enrolment__status__in=REMINDED_STATUSES)
            )
            .order_by("pk")
        )
        for message in failed:
            message.status = MessageStatus.QUEUED
            message.error = ""
            message.save(update_fields=["status", "error", "updated_at"])
            _send_on_commit(message)
    return len(failed)


def reminders_send_due(*, today: datetime.date | None = None) -> int:
    """Queue a reminder for everyone invited to, or who accepted, a published session whose
    reminder day (``reminder_days`` working days before it) has come. Each enrolment is reminded
    of each session once: the message log is the proof, and the enrolments are locked while it is
    read so two runs at the same time cannot both send. Returns how many were queued."""
    today = today or timezone.localdate()
    due_sessions: list[int] = []
    due_on: dict[tuple[datetime.date, int], datetime.date] = {}
    for campaign in Campaign.objects.filter(is_active=True):
        days = campaign.reminder_days
        upcoming = Session.objects.filter(
            campaign=campaign,
            status=SessionStatus.PUBLISHED,
            date__gt=today,
            date__lte=today + datetime.timedelta(days=days * 3 + 30),
        ).values_list("pk", "date")
        for session_id, date in upcoming:
            if (date, days) not in due_on:
                due_on[date, days] = business_days_before(date, days)
            if due_on[date, days] <= today:
                due_sessions.append(session_id)
    with transaction.atomic():
        enrolments = list(
            Enrolment.objects.select_for_update(of=("self",))
            .filter(session_id__in=due_sessions, status__in=REMINDED_STATUSES)
            .order_by("pk")
        )
        reminded = set(
            Message.objects.filter(
                kind=MessageKind.REMINDER, enrolment__in=[enrolment.pk for enrolment in enrolments]
            ).values_list("enrolment_id", "session_id")
        )
        queued = 0
        for enrolment in enrolments:
            if (enrolment.pk, enrolment.session_id) not in reminded:
                message_enqueue(enrolment=enrolment, kind=MessageKind.REMINDER)
                queued += 1
    return queued
