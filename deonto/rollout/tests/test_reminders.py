"""Reminders: ``reminder_days`` working days before a published session, to the people invited to
it or who accepted it, once per enrolment and session, through the task queue."""

from __future__ import annotations

import datetime
import threading
import time
from collections.abc import Callable
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import OperationalError, connection, connections
from django.utils import timezone
from django_tasks.base import TaskResultStatus

from deonto.rollout.calendar import business_days_before
from deonto.rollout.messaging import message_send, reminders_send_due
from deonto.rollout.models import EnrolmentStatus, Message, MessageKind, MessageStatus, SessionStatus
from deonto.rollout.tasks import send_due_reminders
from deonto.rollout.tests.smtp import Mailbox, smtp_server  # noqa: F401 (fixture)
from deonto.rollout.tests.test_messaging import build_campaign, build_enrolment, build_session, parts

pytestmark = pytest.mark.django_db

# Tuesday 29 December 2026; Friday the 25th is Christmas, so three working days before is the 23rd.
SESSION_DAY = datetime.date(2026, 12, 29)
REMINDER_DAY = datetime.date(2026, 12, 23)


def reminders() -> list[tuple[int, int | None]]:
    return list(
        Message.objects.filter(kind=MessageKind.REMINDER)
        .order_by("pk")
        .values_list("enrolment_id", "session_id")
    )


def test_the_reminder_is_due_three_working_days_before_skipping_weekend_and_christmas(
    django_capture_on_commit_callbacks: Any,
) -> None:
    enrolment = build_enrolment(session=build_session(date=SESSION_DAY))

    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_send_due(today=REMINDER_DAY - datetime.timedelta(days=1)) == 0
        assert reminders() == []
        assert reminders_send_due(today=REMINDER_DAY) == 1

    assert reminders() == [(enrolment.pk, enrolment.session_id)]


def test_a_campaign_sets_its_own_number_of_reminder_days(django_capture_on_commit_callbacks: Any) -> None:
    campaign = build_campaign(reminder_days=1)
    enrolment = build_enrolment(session=build_session(date=SESSION_DAY, campaign=campaign))

    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_send_due(today=REMINDER_DAY) == 0
        assert reminders_send_due(today=datetime.date(2026, 12, 28)) == 1

    assert reminders() == [(enrolment.pk, enrolment.session_id)]


def test_only_people_invited_or_accepted_to_a_published_session_are_reminded(
    django_capture_on_commit_callbacks: Any,
) -> None:
    published = build_session(date=SESSION_DAY)
    invited = build_enrolment(session=published, status=EnrolmentStatus.INVITED)
    accepted = build_enrolment(session=published, status=EnrolmentStatus.ACCEPTED)
    for status in (EnrolmentStatus.PROPOSED, EnrolmentStatus.DECLINED, EnrolmentStatus.WAITLISTED):
        build_enrolment(session=published, status=status)
    for session_status in (SessionStatus.DRAFT, SessionStatus.CANCELLED):
        other = build_session(date=SESSION_DAY, campaign=published.campaign, status=session_status)
        build_enrolment(session=other, status=EnrolmentStatus.INVITED)

    with django_capture_on_commit_callbacks(execute=True):
        queued = reminders_send_due(today=REMINDER_DAY)

    assert queued == 2
    assert sorted(reminders()) == sorted([(invited.pk, published.pk), (accepted.pk, published.pk)])


def test_each_enrolment_is_reminded_once_per_session(django_capture_on_commit_callbacks: Any) -> None:
    first = build_session(date=SESSION_DAY)
    enrolment = build_enrolment(session=first)

    with django_capture_on_commit_callbacks(execute=True):
        for day in (REMINDER_DAY, REMINDER_DAY, datetime.date(2026, 12, 24), datetime.date(2026, 12, 28)):
            reminders_send_due(today=day)
    assert reminders() == [(enrolment.pk, first.pk)]

    # Wednesday 6 January 2027; New Year's Day is a Friday, so the reminder is due on 31 December.
    later = build_session(date=datetime.date(2027, 1, 6), campaign=first.campaign)
    enrolment.session = later
    enrolment.save()
    with django_capture_on_commit_callbacks(execute=True):
        for day in (datetime.date(2026, 12, 30), datetime.date(2026, 12, 31), datetime.date(2027, 1, 4)):
            reminders_send_due(today=day)

    assert reminders() == [(enrolment.pk, first.pk), (enrolment.pk, later.pk)]
    assert Message.objects.filter(kind=MessageKind.REMINDER, session=later).get().created_at is not None


def test_a_missed_day_still_reminds_but_never_on_or_after_the_session(
    django_capture_on_commit_callbacks: Any,
) -> None:
    tomorrow = build_enrolment(session=build_session(date=SESSION_DAY))
    build_enrolment(session=build_session(date=datetime.date(2026, 12, 28)))

    with django_capture_on_commit_callbacks(execute=True):
        queued = reminders_send_due(today=datetime.date(2026, 12, 28))

    assert queued == 1
    assert reminders() == [(tomorrow.pk, tomorrow.session_id)]


def test_the_daily_command_sends_the_reminders_to_the_smtp_server(
    smtp_server: Mailbox,  # noqa: F811
    django_capture_on_commit_callbacks: Any,
) -> None:
    enrolment = build_enrolment(session=build_session(date=SESSION_DAY, language="fr"), language="fr")
    output = StringIO()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_rollout_reminders", "--today", REMINDER_DAY.isoformat(), stdout=output)
        call_command("send_rollout_reminders", "--today", REMINDER_DAY.isoformat(), stdout=output)

    assert output.getvalue().splitlines() == [
        "Queued 1 reminder(s) and 0 failed message(s) again.",
        "Queued 0 reminder(s) and 0 failed message(s) again.",
    ]
    (received,) = smtp_server.received
    assert received.recipients == [enrolment.employee.email]
    found = parts(received.message)
    assert "mardi 29 décembre 2026" in found["text"]
    event = found["calendar"].walk("VEVENT")[0]
    assert found["calendar"]["METHOD"] == "REQUEST"
    assert str(event["UID"]) == f"{enrolment.ics_uid}@deonto"
    assert Message.objects.get(kind=MessageKind.REMINDER).status == MessageStatus.SENT


def test_the_reminder_task_runs_on_the_task_backend(
    smtp_server: Mailbox,  # noqa: F811
    django_capture_on_commit_callbacks: Any,
) -> None:
    today = timezone.localdate()
    day = today + datetime.timedelta(days=1)
    while business_days_before(day, 3) < today:
        day += datetime.timedelta(days=1)
    enrolment = build_enrolment(session=build_session(date=day), status=EnrolmentStatus.ACCEPTED)

    with django_capture_on_commit_callbacks(execute=True):
        result = send_due_reminders.enqueue()

    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == 1
    assert [r.recipients for r in smtp_server.received] == [[enrolment.employee.email]]


def at_once(*calls: Callable[[], int]) -> list[int | Exception]:
    """Run the calls in threads, each with its own database connection, released together."""
    barrier = threading.Barrier(len(calls))
    results: list[int | Exception] = [0] * len(calls)

    def run(index: int, call: Callable[[], int]) -> None:
        try:
            barrier.wait()
            results[index] = call()
        except Exception as error:
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def retrying_while_locked(call: Callable[[], int]) -> int:
    """On PostgreSQL the second run waits for the first one's row locks. The in-memory SQLite test
    database, shared between threads, answers "table is locked" instead of waiting: retry, as the
    busy handler of a SQLite file would."""
    for _attempt in range(200):
        try:
            return call()
        except OperationalError as error:
            if connection.vendor != "sqlite" or "locked" not in str(error):
                raise
            time.sleep(0.05)
    raise AssertionError("The other run never finished.")


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_the_same_moment_remind_each_person_once() -> None:
    session = build_session(date=SESSION_DAY)
    people = [build_enrolment(session=session) for _ in range(5)]

    def run() -> int:
        return retrying_while_locked(lambda: reminders_send_due(today=REMINDER_DAY))

    results = at_once(run, run)
    # The in-memory SQLite test database answers "table is locked" instead of waiting (PostgreSQL and
    # a SQLite file wait), so a send task that ran while the other thread wrote may have failed and
    # left its message queued: send those now. A message is never sent twice (message_send skips a
    # message that is no longer queued), which the count below also pins.
    for message_id in Message.objects.filter(status=MessageStatus.QUEUED).values_list("pk", flat=True):
        retrying_while_locked(lambda message_id=message_id: message_send(message_id=message_id) or 0)

    assert sorted(results, key=str) == [0, 5], results
    assert sorted(reminders()) == sorted((enrolment.pk, session.pk) for enrolment in people)
    assert Message.objects.filter(kind=MessageKind.REMINDER, status=MessageStatus.SENT).count() == 5
