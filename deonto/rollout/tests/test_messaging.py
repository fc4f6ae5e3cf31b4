"""Messages about enrolments, sent through the task queue to a real SMTP server on loopback: the
e-mail in the employee's language with its calendar file, and the log of what happened."""

from __future__ import annotations

import datetime
from email.message import EmailMessage
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django_tasks.base import TaskResultStatus
from icalendar import Calendar

from deonto.core.errors import DomainError
from deonto.core.models import AuditEntry
from deonto.people.models import Employee
from deonto.people.tests.factories import EmployeeFactory, OrgUnitFactory, SiteFactory
from deonto.rollout.messaging import (
    enrolment_calendar,
    message_enqueue,
    message_retry,
    messages_retry_failed,
)
from deonto.rollout.models import (
    Campaign,
    Enrolment,
    EnrolmentStatus,
    HalfDay,
    Instructor,
    Message,
    MessageKind,
    MessageStatus,
    Room,
    Session,
    SessionInstructor,
    SessionStatus,
)
from deonto.rollout.services import enrolment_invite, enrolment_move, enrolment_propose, session_cancel
from deonto.rollout.tasks import send_message
from deonto.rollout.tests.factories import SessionFactory, course_with_titles
from deonto.rollout.tests.smtp import Mailbox, free_port, smtp_server  # noqa: F401 (fixture)
from deonto.training.models import Course

BRUSSELS = ZoneInfo("Europe/Brussels")
FROM = "Deonto <deonto@douane.example>"


@pytest.fixture(autouse=True)
def sender(settings: Any) -> None:
    settings.DEFAULT_FROM_EMAIL = FROM
    settings.SITE_URL = "https://deonto.example"


def build_campaign(**values: Any) -> Campaign:
    course = course_with_titles(
        f"social-media-{Course.objects.count()}", nl="Sociale media", fr="Médias sociaux"
    )
    values = {"starts_on": datetime.date(2026, 9, 1), "target_on": datetime.date(2027, 6, 30), **values}
    return Campaign.objects.create(name="Sociale media", course=course, **values)


def build_session(
    *,
    date: datetime.date,
    campaign: Campaign | None = None,
    half_day: str = HalfDay.MORNING,
    language: str = "nl",
    status: str = SessionStatus.PUBLISHED,
) -> Session:
    site = SiteFactory(name="Liège Centre", address="Rue de la Douane 3, 4000 Liège")
    room = Room.objects.create(site=site, name=f"Salle {Room.objects.count() + 1}", capacity=12)
    session = Session.objects.create(
        campaign=campaign or build_campaign(),
        date=date,
        half_day=half_day,
        room=room,
        language=language,
        capacity=12,
        status=status,
    )
    teacher = Instructor.objects.create(
        employee=EmployeeFactory(first_name="Anne", last_name="Dubois"), languages=[language]
    )
    SessionInstructor.objects.create(session=session, instructor=teacher, date=date, half_day=half_day)
    return session


def build_enrolment(
    *,
    session: Session,
    status: str = EnrolmentStatus.INVITED,
    employee: Employee | None = None,
    **employee_values: Any,
) -> Enrolment:
    person = employee or EmployeeFactory(
        unit=OrgUnitFactory(site=session.room.site), **{"language": session.language, **employee_values}
    )
    return Enrolment.objects.create(
        campaign=session.campaign, employee=person, session=session, status=status
    )


def send(callbacks_fixture: Any, *, enrolment: Enrolment, kind: MessageKind, **values: Any) -> Message:
    with callbacks_fixture(execute=True):
        message = message_enqueue(enrolment=enrolment, kind=kind, **values)
    message.refresh_from_db()
    return message


def parts(message: EmailMessage) -> dict[str, Any]:
    """The plain text, the HTML and the calendar attachment of a received e-mail."""
    found: dict[str, Any] = {}
    for part in message.walk():
        if part.get_content_type() == "text/calendar":
            found["calendar_part"] = part
            found["calendar"] = Calendar.from_ical(part.get_payload(decode=True))
        elif part.get_content_type() == "text/plain":
            found["text"] = part.get_content()
        elif part.get_content_type() == "text/html":
            found["html"] = part.get_content()
    return found


def event_of(calendar: Calendar) -> Any:
    (event,) = calendar.walk("VEVENT")
    return event


@pytest.mark.django_db
def test_invitation_reaches_the_server_in_french_with_a_calendar_request(
    smtp_server: Mailbox,  # noqa: F811
    django_capture_on_commit_callbacks: Any,
) -> None:
    session = build_session(date=datetime.date(2026, 12, 1), language="fr")
    enrolment = build_enrolment(session=session, email="marie.lambert@douane.example", language="fr")

    message = send(django_capture_on_commit_callbacks, enrolment=enrolment, kind=MessageKind.INVITATION)

    (received,) = smtp_server.received
    assert received.recipients == ["marie.lambert@douane.example"]
    assert received.message["From"] == FROM
    assert "Médias sociaux" in received.message["Subject"]
    found = parts(received.message)
    assert "Médias sociaux" in found["text"]
    assert "mardi 1 décembre 2026" in found["text"]
    assert "09:00" in found["text"] and "12:30" in found["text"]
    assert "Salle" in found["text"] and "Rue de la Douane 3" in found["text"]
    assert "Anne Dubois" in found["text"]
    assert "https://deonto.example/rollout/my/" in found["text"]
    assert 'lang="fr"' in found["html"] and "Médias sociaux" in found["html"]
    attachment = found["calendar_part"]
    assert attachment.get_filename() == "invite.ics"
    assert attachment.get_content_type() == "text/calendar"
    assert dict(attachment["Content-Type"].params) == {"method": "REQUEST", "charset": "UTF-8"}

    calendar = found["calendar"]
    event = event_of(calendar)
    assert calendar["METHOD"] == "REQUEST"
    assert str(event["UID"]) == f"{enrolment.ics_uid}@deonto"
    assert event["SEQUENCE"] == 0
    assert event["DTSTART"].dt == datetime.datetime(2026, 12, 1, 9, 0, tzinfo=BRUSSELS)
    assert event["DTEND"].dt == datetime.datetime(2026, 12, 1, 12, 30, tzinfo=BRUSSELS)
    assert event["DTSTART"].params["TZID"] == "Europe/Brussels"
    assert [zone["TZID"] for zone in calendar.walk("VTIMEZONE")] == ["Europe/Brussels"]
    assert "Médias sociaux" in str(event["SUMMARY"])
    assert "Médias sociaux" in str(event["DESCRIPTION"])
    assert "Rue de la Douane 3" in str(event["LOCATION"])
    assert str(event["ORGANIZER"]) == "mailto:deonto@douane.example"
    assert str(event["ATTENDEE"]) == "mailto:marie.lambert@douane.example"

    assert message.status == MessageStatus.SENT
    assert message.sent_at is not None
    assert message.recipient == "marie.lambert@douane.example"
    assert message.language == "fr"


@pytest.mark.django_db
def test_a_dutch_speaker_gets_the_message_in_dutch(
    smtp_server: Mailbox,  # noqa: F811
    django_capture_on_commit_callbacks: Any,
) -> None:
    session = build_session(date=datetime.date(2026, 12, 2), half_day=HalfDay.AFTERNOON)
    enrolment = build_enrolment(session=session, language="nl")

    message = send(django_capture_on_commit_callbacks, enrolment=enrolment, kind=MessageKind.INVITATION)

    found = parts(smtp_server.received[0].message)
    assert message.language == "nl"
    assert "woensdag 2 december 2026" in found["text"]
    assert "13:30" in found["text"] and "17:00" in found["text"]
    assert "Sociale media" in str(event_of(found["calendar"])["SUMMARY"])


@pytest.mark.django_db
def test_a_german_speaker_is_written_to_in_their_account_language_or_else_dutch(
    smtp_server: Mailbox,  # noqa: F811
    django_capture_on_commit_callbacks: Any,
    make_user: Any,
) -> None:
    session = build_session(date=datetime.date(2026, 12, 3))
    with_account = build_enrolment(session=session, language="de", user=make_user("employee", language="fr"))
    without_account = build_enrolment(session=session, language="de")

    first = send(django_capture_on_commit_callbacks, enrolment=with_account, kind=MessageKind.INVITATION)
    second = send(django_capture_on_commit_callbacks, enrolment=without_account, kind=MessageKind.INVITATION)

    assert (first.language, second.language) == ("fr", "nl")
    assert "jeudi 3 décembre 2026" in parts(smtp_server.received[0].message)["text"]
    assert "donderdag 3 december 2026" in parts(smtp_server.received[1].message)["text"]


@pytest.mark.django_db
def test_the_message_carries_the_sequence_of_the_moment_it_was_queued(
    smtp_server: Mailbox,  # noqa: F811
    django_capture_on_commit_callbacks: Any,
) -> None:
    enrolment = build_enrolment(session=build_session(date=datetime.date(2026, 12, 4)))
    enrolment.ics_sequence = 3
    enrolment.save()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        message = message_enqueue(enrolment=enrolment, kind=MessageKind.UPDATE)
    assert message.status == MessageStatus.QUEUED
    assert message.ics_sequence == 3
    assert smtp_server.received == []

    Enrolment.objects.filter(pk=enrolment.pk).update(ics_sequence=4)
    for callback in callbacks:
        callback()

    assert event_of(parts(smtp_server.received[0].message)["calendar"])["SEQUENCE"] == 3


@pytest.mark.django_db
def test_a_move_updates_the_same_calendar_entry_with_a_higher_sequence(
    smtp_server: Mailbox,  # noqa: F811
    django_capture_on_commit_callbacks: Any,
) -> None:
    first = build_session(date=datetime.date(2026, 12, 7))
    second = build_session(
        date=datetime.date(2026, 12, 8), campaign=first.campaign, half_day=HalfDay.AFTERNOON
    )
    enrolment = build_enrolment(session=first)
    send(django_capture_on_commit_callbacks, enrolment=enrolment, kind=MessageKind.INVITATION)

    enrolment.session = second
    enrolment.ics_sequence = 1
    enrolment.save()
    send(django_capture_on_commit_callbacks, enrolment=enrolment, kind=MessageKind.UPDATE)

    invitation, update = (event_of(parts(r.message)["calendar"]) for r in smtp_server.received)
    assert parts(smtp_server.received[1].message)["calendar"]["METHOD"] == "REQUEST"
    assert update["UID"] == invitation["UID"]
    assert update["SEQUENCE"] > invitation["SEQUENCE"]
    assert update["DTSTART"].dt == datetime.datetime(2026, 12, 8, 13, 30, tzinfo=BRUSSELS)


@pytest.mark.django_db
def test_a_cancellation_cancels_the_same_uid_with_a_raised_sequence(
    smtp_server: Mailbox,  # noqa: F811
    django_capture_on_commit_callbacks: Any,
) -> None:
    session = build_session(date=datetime.date(2026, 12, 9), language="fr")
    enrolment = build_enrolment(session=session)
    send(django_capture_on_commit_callbacks, enrolment=enrolment, kind=MessageKind.INVITATION)

    session.status = SessionStatus.CANCELLED
    session.save()
    enrolment.session = None
    enrolment.status = EnrolmentStatus.PROPOSED
    enrolment.ics_sequence = 1
    enrolment.save()
    message = send(
        django_capture_on_commit_callbacks,
        enrolment=enrolment,
        kind=MessageKind.CANCELLATION,
        session=session,
    )

    request_part, cancel_part = (parts(r.message) for r in smtp_server.received)
    assert dict(cancel_part["calendar_part"]["Content-Type"].params) == {
        "method": "CANCEL",
        "charset": "UTF-8",
    }
    calendar = cancel_part["calendar"]
    assert calendar["METHOD"] == "CANCEL"
    assert event_of(calendar)["STATUS"] == "CANCELLED"
    assert event_of(calendar)["UID"] == event_of(request_part["calendar"])["UID"]
    assert event_of(calendar)["SEQUENCE"] == 1 > event_of(request_part["calendar"])["SEQUENCE"]
    assert event_of(calendar)["DTSTART"].dt == datetime.datetime(2026, 12, 9, 9, 0, tzinfo=BRUSSELS)
    assert message.session == session
    assert message.status == MessageStatus.SENT


@pytest.mark.django_db
def test_someone_without_an_address_is_logged_as_skipped(
    smtp_server: Mailbox,  # noqa: F811
    django_capture_on_commit_callbacks: Any,
) -> None:
    enrolment = build_enrolment(session=build_session(date=datetime.date(2026, 12, 10)), email="")

    message = send(django_capture_on_commit_callbacks, enrolment=enrolment, kind=MessageKind.INVITATION)

    assert message.status == MessageStatus.SKIPPED
    assert message.sent_at is None
    assert smtp_server.received == []


@pytest.mark.django_db
def test_the_user_account_address_is_used_when_the_roster_has_none(
    smtp_server: Mailbox,  # noqa: F811
    django_capture_on_commit_callbacks: Any,
    make_user: Any,
) -> None:
    user = make_user("employee", username="jpeeters")
    enrolment = build_enrolment(session=build_session(date=datetime.date(2026, 12, 10)), email="", user=user)

    message = send(django_capture_on_commit_callbacks, enrolment=enrolment, kind=MessageKind.INVITATION)

    assert message.status == MessageStatus.SENT
    assert smtp_server.received[0].recipients == ["jpeeters@example.test"]


@pytest.mark.django_db
def test_a_failed_send_is_logged_with_its_error_and_can_be_sent_again(
    smtp_server: Mailbox,  # noqa: F811
    django_capture_on_commit_callbacks: Any,
    settings: Any,
    make_user: Any,
) -> None:
    enrolment = build_enrolment(session=build_session(date=datetime.date(2026, 12, 11)))
    settings.EMAIL_PORT = free_port()

    message = send(django_capture_on_commit_callbacks, enrolment=enrolment, kind=MessageKind.INVITATION)

    assert message.status == MessageStatus.FAILED
    assert "ConnectionRefusedError" in message.error
    assert message.sent_at is None

    settings.EMAIL_PORT = smtp_server.port
    coordinator = make_user("coordinator")
    with django_capture_on_commit_callbacks(execute=True):
        message_retry(actor=coordinator, message=message)

    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert message.error == ""
    assert len(smtp_server.received) == 1
    assert AuditEntry.objects.filter(action="rollout.message_retry", object_id=str(message.pk)).exists()


@pytest.mark.django_db
def test_only_a_failed_or_skipped_message_can_be_sent_again(
    smtp_server: Mailbox,  # noqa: F811
    django_capture_on_commit_callbacks: Any,
    make_user: Any,
) -> None:
    enrolment = build_enrolment(session=build_session(date=datetime.date(2026, 12, 14)))
    message = send(django_capture_on_commit_callbacks, enrolment=enrolment, kind=MessageKind.INVITATION)

    with pytest.raises(DomainError, match="Only a message that failed"):
        message_retry(actor=make_user("coordinator"), message=message)
    assert len(smtp_server.received) == 1


@pytest.mark.django_db
def test_the_daily_retry_sends_again_only_failed_messages_that_are_still_current(
    smtp_server: Mailbox,  # noqa: F811
    django_capture_on_commit_callbacks: Any,
    settings: Any,
) -> None:
    upcoming = build_session(date=datetime.date(2026, 12, 15))
    past = build_session(date=datetime.date(2026, 11, 2), campaign=upcoming.campaign)
    current = build_enrolment(session=upcoming)
    outdated = build_enrolment(session=upcoming)
    declined = build_enrolment(session=upcoming)
    over = build_enrolment(session=past)
    settings.EMAIL_PORT = free_port()
    for enrolment in (current, outdated, declined, over):
        send(django_capture_on_commit_callbacks, enrolment=enrolment, kind=MessageKind.INVITATION)
    Enrolment.objects.filter(pk=outdated.pk).update(ics_sequence=1)
    Enrolment.objects.filter(pk=declined.pk).update(status=EnrolmentStatus.DECLINED)
    settings.EMAIL_PORT = smtp_server.port

    with django_capture_on_commit_callbacks(execute=True):
        retried = messages_retry_failed(today=datetime.date(2026, 11, 24))

    assert retried == 1
    assert [r.recipients for r in smtp_server.received] == [[current.employee.email]]
    statuses = dict(Message.objects.values_list("enrolment_id", "status"))
    assert statuses == {
        current.pk: MessageStatus.SENT,
        outdated.pk: MessageStatus.FAILED,
        declined.pk: MessageStatus.FAILED,
        over.pk: MessageStatus.FAILED,
    }


@pytest.mark.django_db
def test_the_send_task_runs_on_the_task_backend_and_sends_once(
    smtp_server: Mailbox,  # noqa: F811
    django_capture_on_commit_callbacks: Any,
) -> None:
    enrolment = build_enrolment(session=build_session(date=datetime.date(2026, 12, 16)))
    with django_capture_on_commit_callbacks(execute=False):
        message = message_enqueue(enrolment=enrolment, kind=MessageKind.REMINDER)

    first = send_message.enqueue(message_id=message.pk)
    second = send_message.enqueue(message_id=message.pk)

    assert type(first.task.get_backend()).__name__ == "ImmediateBackend"
    assert (first.status, second.status) == (TaskResultStatus.SUCCESSFUL, TaskResultStatus.SUCCESSFUL)
    assert len(smtp_server.received) == 1
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT


@pytest.mark.django_db
def test_a_failed_send_fails_its_task_too(
    django_capture_on_commit_callbacks: Any,
    settings: Any,
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()
    enrolment = build_enrolment(session=build_session(date=datetime.date(2026, 12, 17)))
    with django_capture_on_commit_callbacks(execute=False):
        message = message_enqueue(enrolment=enrolment, kind=MessageKind.INVITATION)

    result = send_message.enqueue(message_id=message.pk)

    assert result.status == TaskResultStatus.FAILED
    assert result.errors[0].exception_class_path == "builtins.ConnectionRefusedError"
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED


@pytest.mark.parametrize(
    ("kind", "subject", "method"),
    [
        (MessageKind.INVITATION, "Invitation: Sociale media on 18 December 2026", "REQUEST"),
        (MessageKind.UPDATE, "Changed: Sociale media, now on 18 December 2026", "REQUEST"),
        (MessageKind.CANCELLATION, "Cancelled: Sociale media on 18 December 2026", "CANCEL"),
        (MessageKind.REMINDER, "Reminder: Sociale media on 18 December 2026", "REQUEST"),
        (MessageKind.SEAT_OFFERED, "A seat is free for you: Sociale media on 18 December 2026", "REQUEST"),
    ],
)
@pytest.mark.django_db
def test_each_kind_of_message_has_its_own_subject_and_calendar_method(
    smtp_server: Mailbox,  # noqa: F811
    django_capture_on_commit_callbacks: Any,
    make_user: Any,
    kind: MessageKind,
    subject: str,
    method: str,
) -> None:
    session = build_session(date=datetime.date(2026, 12, 18))
    enrolment = build_enrolment(session=session, language="de", user=make_user("employee", language="en"))

    send(django_capture_on_commit_callbacks, enrolment=enrolment, kind=kind, session=session)

    (received,) = smtp_server.received
    assert received.message["Subject"] == subject
    assert parts(received.message)["calendar"]["METHOD"] == method


@pytest.mark.django_db
def test_the_current_calendar_entry_can_be_downloaded_again() -> None:
    enrolment = build_enrolment(session=build_session(date=datetime.date(2026, 12, 21)), language="fr")
    enrolment.ics_sequence = 2
    enrolment.save()

    calendar = Calendar.from_ical(enrolment_calendar(enrolment=enrolment))

    event = event_of(calendar)
    assert calendar["METHOD"] == "REQUEST"
    assert str(event["UID"]) == f"{enrolment.ics_uid}@deonto"
    assert event["SEQUENCE"] == 2
    assert "Médias sociaux" in str(event["SUMMARY"])
    assert str(event["ATTENDEE"]) == f"mailto:{enrolment.employee.email}"


@pytest.mark.django_db
def test_without_a_session_there_is_no_calendar_entry_to_download() -> None:
    enrolment = build_enrolment(session=build_session(date=datetime.date(2026, 12, 21)))
    enrolment.session = None
    enrolment.status = EnrolmentStatus.PROPOSED
    enrolment.save()

    with pytest.raises(DomainError, match="no session"):
        enrolment_calendar(enrolment=enrolment)


@pytest.mark.django_db
def test_invitation_move_and_cancellation_by_the_services_keep_one_calendar_entry(
    smtp_server: Mailbox,  # noqa: F811
    django_capture_on_commit_callbacks: Any,
    setting: Any,
) -> None:
    morning, afternoon = (
        SessionFactory(
            campaign=setting.campaign,
            date=setting.day,
            half_day=half_day,
            room=setting.room,
            instructors=[setting.instructor],
        )
        for half_day in (HalfDay.MORNING, HalfDay.AFTERNOON)
    )
    with django_capture_on_commit_callbacks(execute=True):
        (enrolment,) = enrolment_propose(actor=None, session=morning, employees=setting.people[:1])
        enrolment_invite(actor=None, session=morning)
    with django_capture_on_commit_callbacks(execute=True):
        enrolment_move(actor=None, enrolment=enrolment, session=afternoon)
    with django_capture_on_commit_callbacks(execute=True):
        session_cancel(actor=None, session=afternoon, reason="Instructor ill")

    calendars = [parts(received.message)["calendar"] for received in smtp_server.received]
    events = [event_of(calendar) for calendar in calendars]
    assert [calendar["METHOD"] for calendar in calendars] == ["REQUEST", "REQUEST", "CANCEL"]
    assert {str(event["UID"]) for event in events} == {f"{enrolment.ics_uid}@deonto"}
    assert [event["SEQUENCE"] for event in events] == [0, 1, 2]
    assert [event["DTSTART"].dt.hour for event in events] == [9, 13, 13]
    assert list(
        Message.objects.order_by("pk").values_list("kind", "session_id", "ics_sequence", "status")
    ) == [
        (MessageKind.INVITATION, morning.pk, 0, MessageStatus.SENT),
        (MessageKind.UPDATE, afternoon.pk, 1, MessageStatus.SENT),
        (MessageKind.CANCELLATION, afternoon.pk, 2, MessageStatus.SENT),
    ]
