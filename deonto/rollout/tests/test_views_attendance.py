"""The instructor's attendance page: marking, saving, closing after a confirmation, then read-only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from conftest import sign_in
from deonto.accounts.roles import Role
from deonto.rollout.models import EnrolmentStatus, SessionStatus
from deonto.rollout.tests.factories import EnrolmentFactory, SessionFactory
from deonto.training.models import Completion

pytestmark = pytest.mark.django_db


@pytest.fixture
def lesson(setting, make_user, client):
    """A published session taught by an instructor who can sign in, with three people accepted."""
    user = make_user(Role.INSTRUCTOR, language="en")
    setting.instructor.employee.user = user
    setting.instructor.employee.save()
    session = SessionFactory(
        campaign=setting.campaign, room=setting.room, date=setting.day, instructors=[setting.instructor]
    )
    enrolments = [
        EnrolmentFactory(session=session, employee=employee, status=EnrolmentStatus.ACCEPTED)
        for employee in setting.people[:3]
    ]
    return session, enrolments, sign_in(client, user)


def _marks(enrolments, *statuses):
    return {f"mark-{enrolment.pk}": status for enrolment, status in zip(enrolments, statuses, strict=True)}


def test_the_instructor_sees_everyone_booked_with_three_choices_each(lesson) -> None:
    session, enrolments, client = lesson
    page = client.get(reverse("rollout:attendance", args=[session.pk])).content.decode()
    for enrolment in enrolments:
        assert enrolment.employee.full_name in page
        assert page.count(f'name="mark-{enrolment.pk}"') == 3
    assert "3 people are not marked yet." in page


def test_the_instructor_saves_the_marks(lesson) -> None:
    session, enrolments, client = lesson
    url = reverse("rollout:attendance", args=[session.pk])
    response = client.post(url, _marks(enrolments, "attended", "absent", "excused"), follow=True)
    assert "Attendance saved: 3 marks changed." in response.content.decode()
    for enrolment in enrolments:
        enrolment.refresh_from_db()
    statuses = [enrolment.status for enrolment in enrolments]
    assert statuses == [EnrolmentStatus.ATTENDED, EnrolmentStatus.ABSENT, EnrolmentStatus.EXCUSED]
    assert "Everyone is marked." in response.content.decode()


def test_closing_asks_for_a_confirmation_first(lesson) -> None:
    session, enrolments, client = lesson
    client.post(
        reverse("rollout:attendance", args=[session.pk]), _marks(enrolments, "attended", "attended", "absent")
    )
    response = client.get(reverse("rollout:attendance_close", args=[session.pk]))
    assert "Yes, close the attendance" in response.content.decode()
    session.refresh_from_db()
    assert session.status == SessionStatus.PUBLISHED


def test_closing_with_people_unmarked_is_not_offered(lesson) -> None:
    session, enrolments, client = lesson
    client.post(reverse("rollout:attendance", args=[session.pk]), _marks(enrolments[:1], "attended"))
    response = client.get(reverse("rollout:attendance_close", args=[session.pk]))
    assert "2 people are not marked yet: mark everyone before closing." in response.content.decode()
    response = client.post(reverse("rollout:attendance_close", args=[session.pk]))
    assert response.status_code == 400
    session.refresh_from_db()
    assert session.status == SessionStatus.PUBLISHED


def test_closing_records_the_session_as_held_and_the_list_becomes_read_only(lesson) -> None:
    session, enrolments, client = lesson
    url = reverse("rollout:attendance", args=[session.pk])
    client.post(url, _marks(enrolments, "attended", "absent", "attended"))
    response = client.post(reverse("rollout:attendance_close", args=[session.pk]), follow=True)
    session.refresh_from_db()
    assert session.status == SessionStatus.HELD
    page = response.content.decode()
    assert "The attendance is closed. Thank you." in page
    assert "can no longer be changed" in page
    assert 'type="radio"' not in page
    refused = client.post(url, _marks(enrolments, "absent", "absent", "absent"))
    assert refused.status_code == 400
    enrolments[0].refresh_from_db()
    assert enrolments[0].status == EnrolmentStatus.ATTENDED


def test_closing_records_a_completion_for_attendees_with_an_account(lesson, make_user) -> None:
    session, enrolments, client = lesson
    attendee = enrolments[0].employee
    attendee.user = make_user(Role.EMPLOYEE)
    attendee.save()
    client.post(
        reverse("rollout:attendance", args=[session.pk]), _marks(enrolments, "attended", "absent", "excused")
    )
    client.post(reverse("rollout:attendance_close", args=[session.pk]))
    assert Completion.objects.filter(user=attendee.user, course=session.campaign.course).exists()


def test_an_instructor_of_another_session_may_not_take_this_attendance(lesson, client_for) -> None:
    session, enrolments, _client = lesson
    other = client_for(Role.INSTRUCTOR)
    assert other.get(reverse("rollout:attendance", args=[session.pk])).status_code == 403
    assert (
        other.post(
            reverse("rollout:attendance", args=[session.pk]), _marks(enrolments, *["absent"] * 3)
        ).status_code
        == 403
    )
    assert other.post(reverse("rollout:attendance_close", args=[session.pk])).status_code == 403


def test_a_coordinator_may_take_the_attendance(lesson, client_for) -> None:
    session, _enrolments, _client = lesson
    assert (
        client_for(Role.COORDINATOR).get(reverse("rollout:attendance", args=[session.pk])).status_code == 200
    )


def test_the_instructor_finds_the_attendance_list_on_their_training_page(lesson) -> None:
    session, _enrolments, client = lesson
    page = client.get(reverse("rollout:my_training")).content.decode()
    assert reverse("rollout:attendance", args=[session.pk]) in page
