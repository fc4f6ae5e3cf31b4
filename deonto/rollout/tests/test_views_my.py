"""The employee's own training page: the invitation, accepting and declining it, moving to another
session or onto a waiting list, and the calendar file."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from icalendar import Calendar

from conftest import sign_in
from deonto.accounts.roles import Role
from deonto.people.models import Employee
from deonto.people.tests.factories import EmployeeFactory
from deonto.rollout.models import Enrolment, EnrolmentStatus, SessionStatus
from deonto.rollout.tests.factories import EnrolmentFactory, SessionFactory

pytestmark = pytest.mark.django_db


def _session(setting, **fields):
    fields.setdefault("date", setting.day)
    return SessionFactory(
        campaign=setting.campaign, room=setting.room, instructors=[setting.instructor], **fields
    )


@pytest.fixture
def person(setting, make_user, client):
    """An employee of the setting's unit who can sign in, with their signed-in client."""
    user = make_user(Role.EMPLOYEE, language="en")
    employee: Employee = setting.people[0]
    employee.user = user
    employee.save()
    return employee, sign_in(client, user)


def _invited(setting, employee, **fields) -> Enrolment:
    return EnrolmentFactory(
        session=_session(setting, **fields), employee=employee, status=EnrolmentStatus.INVITED
    )


def test_someone_not_on_the_roster_is_told_so(client_for) -> None:
    response = client_for(Role.EMPLOYEE, language="en").get(reverse("rollout:my_training"))
    assert response.status_code == 200
    assert "not linked to the staff roster" in response.content.decode()


def test_an_employee_without_an_invitation_is_told_one_will_come(person) -> None:
    _employee, client = person
    response = client.get(reverse("rollout:my_training"))
    assert "You have no invitation yet." in response.content.decode()


def test_an_employee_sees_the_date_half_day_room_address_and_language_of_their_invitation(
    setting, person
) -> None:
    employee, client = person
    setting.site.address = "Kaai 1, 2000 Antwerpen"
    setting.site.save()
    _invited(setting, employee)
    page = client.get(reverse("rollout:my_training")).content.decode()
    assert setting.day.strftime("%-d") in page
    assert "Morning, from 09:00 to 12:30" in page
    assert "Schelde, Antwerpen" in page
    assert "Kaai 1, 2000 Antwerpen" in page
    assert "Dutch" in page
    assert "Accept the invitation" in page


def test_an_employee_accepts_their_invitation(setting, person) -> None:
    employee, client = person
    enrolment = _invited(setting, employee)
    response = client.post(reverse("rollout:my_accept", args=[enrolment.pk]), follow=True)
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.ACCEPTED
    assert "you have accepted the invitation" in response.content.decode()


def test_an_employee_declines_with_a_reason(setting, person) -> None:
    employee, client = person
    enrolment = _invited(setting, employee)
    client.post(reverse("rollout:my_decline", args=[enrolment.pk]), {"reason": "On leave"})
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.session) == (EnrolmentStatus.DECLINED, None)
    assert enrolment.events.last().reason == "On leave"


def test_accepting_twice_says_so(setting, person) -> None:
    employee, client = person
    enrolment = _invited(setting, employee)
    client.post(reverse("rollout:my_accept", args=[enrolment.pk]))
    response = client.post(reverse("rollout:my_accept", args=[enrolment.pk]), follow=True)
    assert "You have already accepted this invitation." in response.content.decode()


def test_someone_else_s_invitation_is_not_found(setting, person) -> None:
    _employee, client = person
    enrolment = _invited(setting, setting.people[1])
    for name, method in (
        ("my_accept", "post"),
        ("my_decline", "post"),
        ("my_move", "get"),
        ("my_calendar", "get"),
    ):
        response = getattr(client, method)(reverse(f"rollout:{name}", args=[enrolment.pk]))
        assert response.status_code == 404, name
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.INVITED


def test_the_move_page_lists_the_sessions_with_free_seats_and_the_full_ones(setting, person) -> None:
    employee, client = person
    enrolment = _invited(setting, employee)
    free = _session(setting, half_day="pm")
    full = _session(setting, date=setting.day + datetime.timedelta(days=1), capacity=1)
    EnrolmentFactory(session=full, employee=EmployeeFactory(), status=EnrolmentStatus.ACCEPTED)
    response = client.get(reverse("rollout:my_move", args=[enrolment.pk]))
    assert response.context["open_sessions"] == [free]
    assert response.context["full_sessions"] == [full]


def test_an_employee_moves_to_another_session_and_has_accepted_it(setting, person) -> None:
    employee, client = person
    enrolment = _invited(setting, employee)
    other = _session(setting, half_day="pm")
    response = client.post(
        reverse("rollout:my_move", args=[enrolment.pk]), {"session": other.pk, "action": "move"}
    )
    assert response["Location"] == reverse("rollout:my_training")
    enrolment.refresh_from_db()
    assert (enrolment.session, enrolment.status) == (other, EnrolmentStatus.ACCEPTED)


def test_a_refused_move_is_explained_on_the_move_page(setting, person) -> None:
    employee, client = person
    enrolment = _invited(setting, employee)
    full = _session(setting, half_day="pm", capacity=1)
    EnrolmentFactory(session=full, employee=EmployeeFactory(), status=EnrolmentStatus.ACCEPTED)
    response = client.post(
        reverse("rollout:my_move", args=[enrolment.pk]), {"session": full.pk, "action": "move"}
    )
    assert response.status_code == 400
    assert "The session is full." in response.content.decode()
    enrolment.refresh_from_db()
    assert enrolment.session != full


def test_an_employee_joins_the_waiting_list_of_a_full_session(setting, person) -> None:
    employee, client = person
    enrolment = _invited(setting, employee)
    full = _session(setting, half_day="pm", capacity=1)
    EnrolmentFactory(session=full, employee=EmployeeFactory(), status=EnrolmentStatus.ACCEPTED)
    client.post(reverse("rollout:my_move", args=[enrolment.pk]), {"session": full.pk, "action": "waitlist"})
    enrolment.refresh_from_db()
    assert (enrolment.session, enrolment.status) == (full, EnrolmentStatus.WAITLISTED)
    page = client.get(reverse("rollout:my_training")).content.decode()
    assert "You are on the waiting list of this session." in page


def test_an_employee_downloads_their_calendar_file_again(setting, person) -> None:
    employee, client = person
    enrolment = _invited(setting, employee)
    response = client.get(reverse("rollout:my_calendar", args=[enrolment.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    event = next(iter(calendar.walk("VEVENT")))
    assert str(calendar["METHOD"]) == "REQUEST"
    assert str(event["UID"]).startswith(str(enrolment.ics_uid))


def test_there_is_no_calendar_file_without_a_session(setting, person) -> None:
    employee, client = person
    enrolment = _invited(setting, employee)
    client.post(reverse("rollout:my_decline", args=[enrolment.pk]))
    assert client.get(reverse("rollout:my_calendar", args=[enrolment.pk])).status_code == 404


def test_a_move_to_no_session_at_all_is_not_found(setting, person) -> None:
    employee, client = person
    enrolment = _invited(setting, employee)
    response = client.post(
        reverse("rollout:my_move", args=[enrolment.pk]), {"session": "abc", "action": "move"}
    )
    assert response.status_code == 404


def _home(client) -> str:
    return client.get(reverse("core:home")).content.decode()


def test_the_home_page_asks_for_an_answer_to_the_invitation(setting, person) -> None:
    employee, client = person
    _invited(setting, employee)
    page = _home(client)
    assert (
        f"You are invited to a classroom session on {setting.day:%A %-d %B %Y} (morning) at Antwerpen."
        in page
    )
    assert (
        f'<a class="button primary" href="{reverse("rollout:my_training")}">Answer the invitation</a>' in page
    )


@pytest.mark.parametrize(
    ("status", "sentence"),
    [
        (EnrolmentStatus.ACCEPTED, "Your classroom session: {day} (morning) at Antwerpen."),
        (
            EnrolmentStatus.WAITLISTED,
            "You are on the waiting list of the classroom session of {day} at Antwerpen.",
        ),
    ],
)
def test_the_home_page_shows_the_session_ahead_with_a_link_to_it(setting, person, status, sentence) -> None:
    employee, client = person
    EnrolmentFactory(session=_session(setting), employee=employee, status=status)
    page = _home(client)
    assert sentence.format(day=f"{setting.day:%A %-d %B %Y}") in page
    assert "Answer the invitation" not in page
    assert f'<a href="{reverse("rollout:my_training")}">See your session</a>' in page


def test_the_home_page_says_when_the_classroom_training_was_attended(setting, person) -> None:
    employee, client = person
    day = setting.day - datetime.timedelta(days=28)
    EnrolmentFactory(session=_session(setting, date=day), employee=employee, status=EnrolmentStatus.ATTENDED)
    page = _home(client)
    assert f"You attended the classroom training on {day:%-d %B %Y}." in page
    assert "See your session" not in page


@pytest.mark.parametrize("when", ["past", "cancelled", "proposed", "declined"])
def test_the_home_page_says_nothing_of_a_session_that_is_past_cancelled_or_not_offered(
    setting, person, when
) -> None:
    employee, client = person
    fields: dict[str, object] = {}
    status = EnrolmentStatus.INVITED
    if when == "past":
        fields["date"] = setting.day - datetime.timedelta(days=28)
    elif when == "cancelled":
        fields["status"] = SessionStatus.CANCELLED
    else:
        status = EnrolmentStatus(when)
    EnrolmentFactory(session=_session(setting, **fields), employee=employee, status=status)
    page = _home(client)
    assert "classroom" not in page
    assert "Work through the practice cases at your own pace" in page


def test_the_home_page_offers_the_post_checker(person) -> None:
    _employee, client = person
    page = _home(client)
    assert f'<a href="{reverse("postcheck:check")}">Check a draft post</a>' in page


@pytest.mark.parametrize(
    ("role", "where"),
    [(Role.COORDINATOR, "rollout:campaign_list"), (Role.EMPLOYEE, "rollout:my_training")],
)
def test_the_sections_own_address_leads_where_its_reader_works(client_for, role, where) -> None:
    response = client_for(role, language="en").get("/rollout/")
    assert response.status_code == 302
    assert response["Location"] == reverse(where)


def test_the_training_sections_own_address_leads_to_the_courses(client_for) -> None:
    response = client_for(Role.EMPLOYEE, language="en").get("/training/")
    assert response.status_code == 302
    assert response["Location"] == reverse("training:learn_index")
