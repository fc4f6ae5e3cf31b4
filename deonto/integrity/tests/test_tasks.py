"""The daily reminders of the deadlines: to the assigned inspectors, in their language, once per
case, deadline and day."""

from __future__ import annotations

import email
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import translation
from django.utils.formats import date_format

from deonto.integrity.models import ReminderSent
from deonto.integrity.services_case import conflict_declare, reminders_send, report_acknowledge
from deonto.integrity.tasks import send_integrity_reminders
from deonto.integrity.tests.case_setup import case_assigned

pytestmark = pytest.mark.django_db

# The factory's report: acknowledge by 2026-01-08, feedback by 2026-04-01.
BEFORE_ACKNOWLEDGE = date(2026, 1, 7)


def _parsed(mail):
    """The e-mail as it goes on the wire, read back: what the inspector's mail program shows."""
    return email.message_from_bytes(mail.message().as_bytes())


def test_an_inspector_is_reminded_of_a_deadline_within_two_days(make_user, mailoutbox):
    case = case_assigned(make_user)

    assert reminders_send(today=BEFORE_ACKNOWLEDGE) == 1

    [mail] = mailoutbox
    message = _parsed(mail)
    body = message.get_payload(decode=True).decode(message.get_content_charset())
    assert message["To"] == case.inspector.email
    assert case.report.reference in body
    assert f"/integrity/{case.report.reference}/" in body
    assert "/integrity/deadlines/" in body
    assert "To acknowledge:" in body
    assert "Feedback to the reporter:" not in body
    assert case.report.description not in body


def test_the_same_deadline_is_not_sent_twice_on_the_same_day_but_again_the_next(make_user, mailoutbox):
    case = case_assigned(make_user)

    reminders_send(today=BEFORE_ACKNOWLEDGE)
    reminders_send(today=BEFORE_ACKNOWLEDGE)
    assert len(mailoutbox) == 1
    reminders_send(today=date(2026, 1, 8))

    assert len(mailoutbox) == 2
    assert list(ReminderSent.objects.order_by("day").values_list("report", "deadline", "day")) == [
        (case.report.pk, "acknowledge", date(2026, 1, 7)),
        (case.report.pk, "acknowledge", date(2026, 1, 8)),
    ]


def test_nothing_is_sent_before_the_deadline_is_near(make_user, mailoutbox):
    case_assigned(make_user)

    assert reminders_send(today=date(2026, 1, 2)) == 0
    assert mailoutbox == []


def test_the_reminder_is_in_the_inspector_s_language(make_user, mailoutbox):
    case = case_assigned(make_user)
    case.inspector.language = "fr"
    case.inspector.save(update_fields=["language"])

    reminders_send(today=BEFORE_ACKNOWLEDGE)

    with translation.override("fr"):
        due = date_format(case.report.acknowledge_due, "DATE_FORMAT")
    assert due in mailoutbox[0].body


def test_overdue_feedback_is_reminded_once_the_report_is_acknowledged(make_user, mailoutbox):
    case = case_assigned(make_user)
    report_acknowledge(actor=case.inspector, report=case.report, message="Received.")

    reminders_send(today=date(2026, 4, 5))

    body = mailoutbox[0].body
    assert "Feedback to the reporter:" in body
    assert "To acknowledge:" not in body


def test_an_inspector_who_declared_a_conflict_is_not_reminded(make_user, mailoutbox):
    case = case_assigned(make_user, confirmed=False)
    conflict_declare(actor=case.inspector, report=case.report, reason="My neighbour.")

    assert reminders_send(today=BEFORE_ACKNOWLEDGE) == 0


def test_the_head_of_service_is_not_sent_inspector_reminders(make_user, mailoutbox):
    case = case_assigned(make_user)

    reminders_send(today=BEFORE_ACKNOWLEDGE)

    assert [mail.to for mail in mailoutbox] == [[case.inspector.email]]
    assert case.head.email not in mailoutbox[0].to


def test_the_command_and_the_task_send_the_reminders(make_user, mailoutbox, settings):
    case_assigned(make_user)
    out = StringIO()

    call_command("send_integrity_reminders", "--today=2026-01-07", stdout=out)

    assert "Sent 1 reminder" in out.getvalue()
    assert len(mailoutbox) == 1
    # Today, both of the factory's deadlines (in early 2026) are overdue: one more e-mail.
    result = send_integrity_reminders.enqueue()
    assert result.return_value == 1
    assert len(mailoutbox) == 2
