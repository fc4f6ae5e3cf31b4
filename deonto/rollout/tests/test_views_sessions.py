"""The coordinator's session pages: creating with every refusal shown on the form, the filtered
list, the detail with seats and waiting list, and the actions on a session."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from deonto.accounts.roles import Role
from deonto.people.tests.factories import EmployeeFactory, RegionFactory, SiteFactory
from deonto.rollout.models import Enrolment, EnrolmentStatus, Session, SessionStatus
from deonto.rollout.tests.factories import (
    EnrolmentFactory,
    InstructorFactory,
    RoomFactory,
    SessionFactory,
    WaveFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(client_for):
    return client_for(Role.COORDINATOR, language="en")


def _session_form(setting, **changes):
    data = {
        "campaign": setting.campaign.pk,
        "date": setting.day.isoformat(),
        "half_day": "am",
        "room": setting.room.pk,
        "language": "nl",
        "instructors": [setting.instructor.pk],
        "capacity": "",
    }
    data.update(changes)
    return data


def _published(setting, **fields):
    return SessionFactory(
        campaign=setting.campaign,
        room=setting.room,
        date=setting.day,
        instructors=[setting.instructor],
        **fields,
    )


def test_a_coordinator_creates_a_draft_session_with_the_rooms_capacity(coordinator, setting) -> None:
    response = coordinator.post(reverse("rollout:session_create"), _session_form(setting))
    session = Session.objects.get()
    assert response["Location"] == reverse("rollout:session_detail", args=[session.pk])
    assert (session.status, session.capacity) == (SessionStatus.DRAFT, 10)


def test_a_session_on_a_weekend_is_refused_and_what_was_typed_stays(coordinator, setting) -> None:
    saturday = setting.day + datetime.timedelta(days=3)
    response = coordinator.post(
        reverse("rollout:session_create"), _session_form(setting, date=saturday.isoformat(), capacity=8)
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "is a weekend day." in page
    assert f'value="{saturday.isoformat()}"' in page
    assert 'value="8"' in page
    assert f'<option value="{setting.room.pk}" selected>' in page
    assert not Session.objects.exists()


def test_a_session_in_a_language_the_instructor_does_not_teach_is_refused(coordinator, setting) -> None:
    response = coordinator.post(reverse("rollout:session_create"), _session_form(setting, language="fr"))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not Session.objects.exists()


def test_more_seats_than_the_room_holds_are_refused(coordinator, setting) -> None:
    response = coordinator.post(reverse("rollout:session_create"), _session_form(setting, capacity=11))
    assert "holds 10 people" in response.content.decode()


def test_a_room_booked_twice_on_the_same_half_day_is_refused(coordinator, setting) -> None:
    _published(setting)
    other = InstructorFactory(regions=[setting.region])
    response = coordinator.post(
        reverse("rollout:session_create"), _session_form(setting, instructors=[other.pk])
    )
    assert "is already booked" in response.content.decode()
    assert Session.objects.count() == 1


def test_three_instructors_are_refused_on_the_form(coordinator, setting) -> None:
    others = InstructorFactory.create_batch(2, regions=[setting.region])
    response = coordinator.post(
        reverse("rollout:session_create"),
        _session_form(setting, instructors=[setting.instructor.pk, *(i.pk for i in others)]),
    )
    assert "A session has one or two instructors." in response.content.decode()


def test_a_coordinator_changes_a_session(coordinator, setting) -> None:
    session = _published(setting)
    response = coordinator.post(
        reverse("rollout:session_edit", args=[session.pk]), _session_form(setting, half_day="pm", capacity=6)
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.half_day, session.capacity) == ("pm", 6)


def test_the_session_list_filters_by_language_region_and_status(coordinator, setting) -> None:
    nl = _published(setting)
    brussels = RegionFactory(code="BRU")
    french_room = RoomFactory(site=SiteFactory(code="BXL", region=brussels))
    fr = SessionFactory(
        campaign=setting.campaign, room=french_room, language="fr", status=SessionStatus.DRAFT
    )
    url = reverse("rollout:session_list")
    assert list(coordinator.get(url, {"language": "fr"}).context["page"].object_list) == [fr]
    assert list(coordinator.get(url, {"region": setting.region.pk}).context["page"].object_list) == [nl]
    assert list(coordinator.get(url, {"status": "draft"}).context["page"].object_list) == [fr]
    assert len(coordinator.get(url, {"campaign": setting.campaign.pk}).context["page"].object_list) == 2


def test_the_session_list_needs_few_queries_however_many_sessions(
    coordinator, setting, django_assert_max_num_queries
) -> None:
    for weeks in range(6):
        SessionFactory(
            campaign=setting.campaign,
            room=setting.room,
            date=setting.day + datetime.timedelta(weeks=weeks),
            instructors=[setting.instructor],
        )
    with django_assert_max_num_queries(15):
        response = coordinator.get(reverse("rollout:session_list"))
    assert "6 sessions found." in response.content.decode()


def test_the_session_page_shows_seats_the_people_booked_and_the_waiting_list(coordinator, setting) -> None:
    session = _published(setting, capacity=2)
    first, second, waiting = setting.people[:3]
    EnrolmentFactory(session=session, employee=first, status=EnrolmentStatus.ACCEPTED)
    EnrolmentFactory(session=session, employee=second, status=EnrolmentStatus.INVITED)
    EnrolmentFactory(session=session, employee=waiting, status=EnrolmentStatus.WAITLISTED)
    response = coordinator.get(reverse("rollout:session_detail", args=[session.pk]))
    detail = response.context["detail"]
    assert (detail.seats_taken, detail.seats_free) == (2, 0)
    assert [e.employee for e in detail.waitlist] == [waiting]
    assert waiting.full_name in response.content.decode()


def test_a_coordinator_publishes_a_draft_session(coordinator, setting) -> None:
    session = _published(setting, status=SessionStatus.DRAFT)
    coordinator.post(reverse("rollout:session_publish", args=[session.pk]))
    session.refresh_from_db()
    assert session.status == SessionStatus.PUBLISHED


def test_publishing_twice_says_why_it_cannot(coordinator, setting) -> None:
    session = _published(setting)
    response = coordinator.post(reverse("rollout:session_publish", args=[session.pk]), follow=True)
    assert "Only a draft session can be published." in response.content.decode()


def test_cancelling_needs_a_reason(coordinator, setting) -> None:
    session = _published(setting)
    response = coordinator.post(reverse("rollout:session_cancel", args=[session.pk]), {"reason": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    session.refresh_from_db()
    assert session.status == SessionStatus.PUBLISHED


def test_cancelling_a_session_proposes_everyone_again(coordinator, setting) -> None:
    session = _published(setting)
    enrolment = EnrolmentFactory(session=session, employee=setting.people[0], status=EnrolmentStatus.ACCEPTED)
    response = coordinator.post(
        reverse("rollout:session_cancel", args=[session.pk]), {"reason": "Instructor ill"}
    )
    assert response.status_code == 302
    session.refresh_from_db()
    enrolment.refresh_from_db()
    assert session.status == SessionStatus.CANCELLED
    assert (enrolment.status, enrolment.session) == (EnrolmentStatus.PROPOSED, None)


def test_proposing_offers_the_waves_people_not_yet_scheduled_of_the_sessions_language_and_region(
    coordinator, setting
) -> None:
    WaveFactory(campaign=setting.campaign, order=1)
    session = _published(setting)
    EmployeeFactory(language="fr", unit=setting.unit, site=setting.site)
    EnrolmentFactory(session=session, employee=setting.people[0], status=EnrolmentStatus.INVITED)
    response = coordinator.get(reverse("rollout:session_propose", args=[session.pk]))
    offered = {box.data["value"].value for box in response.context["boxes"]}
    assert response.context["total"] == 19
    assert offered == {employee.pk for employee in setting.people[1:]}


def test_a_coordinator_proposes_people_for_a_session(coordinator, setting) -> None:
    WaveFactory(campaign=setting.campaign, order=1)
    session = _published(setting)
    chosen = setting.people[:3]
    response = coordinator.post(
        reverse("rollout:session_propose", args=[session.pk]), {"employees": [e.pk for e in chosen]}
    )
    assert response.status_code == 302
    assert set(Enrolment.objects.filter(session=session).values_list("employee", "status")) == {
        (employee.pk, EnrolmentStatus.PROPOSED) for employee in chosen
    }


def test_proposing_more_of_a_unit_than_the_unit_rule_allows_is_refused_on_the_form(
    coordinator, setting
) -> None:
    WaveFactory(campaign=setting.campaign, order=1)
    session = _published(setting)
    response = coordinator.post(
        reverse("rollout:session_propose", args=[session.pk]),
        {"employees": [e.pk for e in setting.people[:5]]},
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not Enrolment.objects.exists()


def test_a_coordinator_invites_the_people_proposed(coordinator, setting) -> None:
    session = _published(setting)
    enrolment = EnrolmentFactory(session=session, employee=setting.people[0], status=EnrolmentStatus.PROPOSED)
    response = coordinator.post(reverse("rollout:session_invite", args=[session.pk]), follow=True)
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.INVITED
    assert "1 invitation is on its way." in response.content.decode()


def test_a_coordinator_moves_someone_to_another_session(coordinator, setting) -> None:
    session = _published(setting)
    later = _published(setting, half_day="pm")
    enrolment = EnrolmentFactory(session=session, employee=setting.people[0], status=EnrolmentStatus.ACCEPTED)
    page = coordinator.get(reverse("rollout:enrolment_move", args=[enrolment.pk]))
    assert list(page.context["form"].fields["session"].queryset) == [later]
    response = coordinator.post(reverse("rollout:enrolment_move", args=[enrolment.pk]), {"session": later.pk})
    assert response["Location"] == reverse("rollout:session_detail", args=[later.pk])
    enrolment.refresh_from_db()
    assert enrolment.session == later


def test_a_coordinator_fills_free_seats_from_the_waiting_list(coordinator, setting) -> None:
    session = _published(setting, capacity=1)
    waiting = EnrolmentFactory(session=session, employee=setting.people[0], status=EnrolmentStatus.WAITLISTED)
    coordinator.post(reverse("rollout:session_fill_waitlist", args=[session.pk]))
    waiting.refresh_from_db()
    assert waiting.status == EnrolmentStatus.INVITED


@pytest.mark.parametrize("role", [Role.EMPLOYEE, Role.INSTRUCTOR, Role.MANAGER, Role.ADMINISTRATOR])
def test_nobody_but_a_coordinator_cancels_a_session(client_for, role, setting) -> None:
    session = _published(setting)
    response = client_for(role).post(reverse("rollout:session_cancel", args=[session.pk]), {"reason": "No"})
    assert response.status_code == 403
    session.refresh_from_db()
    assert session.status == SessionStatus.PUBLISHED
