"""The coordinator's planning pages: campaigns, waves with their live count, rooms, instructors with
their availability grid and absences, closing days beside the public holidays."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from deonto.accounts.roles import Role
from deonto.people.tests.factories import EmployeeFactory
from deonto.rollout.models import Absence, Availability, Campaign, ClosingDay, Instructor, Room, Wave
from deonto.rollout.tests.factories import (
    CampaignFactory,
    CourseFactory,
    InstructorFactory,
    RoomFactory,
    WaveFactory,
    course_with_titles,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(client_for):
    return client_for(Role.COORDINATOR, language="en")


def test_a_coordinator_creates_a_campaign_and_lands_on_it(coordinator) -> None:
    course = CourseFactory()
    response = coordinator.post(
        reverse("rollout:campaign_create"),
        {
            "name": "Social media 2027",
            "course": course.pk,
            "starts_on": "2027-01-04",
            "target_on": "2027-12-17",
            "unit_share_max": 25,
            "reminder_days": 3,
        },
    )
    campaign = Campaign.objects.get(name="Social media 2027")
    assert response.status_code == 302
    assert response["Location"] == reverse("rollout:campaign_detail", args=[campaign.pk])
    assert campaign.unit_share_max == 25


def test_a_campaign_ending_before_it_starts_is_refused_and_what_was_typed_stays(coordinator) -> None:
    course = CourseFactory()
    response = coordinator.post(
        reverse("rollout:campaign_create"),
        {
            "name": "Backwards",
            "course": course.pk,
            "starts_on": "2027-06-01",
            "target_on": "2027-01-01",
            "unit_share_max": 20,
            "reminder_days": 3,
        },
    )
    assert response.status_code == 200
    assert "The target date cannot be before the start date." in response.content.decode()
    assert 'value="Backwards"' in response.content.decode()
    assert not Campaign.objects.filter(name="Backwards").exists()


def test_a_coordinator_changes_a_campaign(coordinator) -> None:
    campaign = CampaignFactory(name="Old name")
    response = coordinator.post(
        reverse("rollout:campaign_edit", args=[campaign.pk]),
        {
            "name": "New name",
            "course": campaign.course_id,
            "starts_on": campaign.starts_on.isoformat(),
            "target_on": campaign.target_on.isoformat(),
            "unit_share_max": 20,
            "reminder_days": 2,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert (campaign.name, campaign.reminder_days, campaign.is_active) == ("New name", 2, True)


def test_the_campaign_page_shows_each_wave_with_its_number_of_people(coordinator) -> None:
    campaign = CampaignFactory()
    EmployeeFactory.create_batch(3, is_armed=True)
    EmployeeFactory.create_batch(2, is_armed=False)
    WaveFactory(campaign=campaign, order=1, name="Armed officers", armed_only=True)
    WaveFactory(campaign=campaign, order=2, name="Everyone else")
    response = coordinator.get(reverse("rollout:campaign_detail", args=[campaign.pk]))
    waves = {size.wave.name: size.members for size in response.context["waves"]}
    assert waves == {"Armed officers": 3, "Everyone else": 2}
    assert "The waves in order: 5 people in all" in response.content.decode()


def test_a_campaign_without_waves_invites_to_add_the_first(coordinator) -> None:
    campaign = CampaignFactory()
    response = coordinator.get(reverse("rollout:campaign_detail", args=[campaign.pk]))
    assert response.status_code == 200
    assert "This campaign has no wave yet: add the first one." in response.content.decode()


def test_the_campaign_list_needs_few_queries_however_many_campaigns(
    coordinator, django_assert_max_num_queries
) -> None:
    for _index in range(5):
        WaveFactory(campaign=CampaignFactory())
    with django_assert_max_num_queries(10):
        response = coordinator.get(reverse("rollout:campaign_list"))
    assert len(response.context["campaigns"]) == 5


def test_a_coordinator_adds_a_wave_with_a_rule(coordinator, setting) -> None:
    response = coordinator.post(
        reverse("rollout:wave_create", args=[setting.campaign.pk]),
        {"name": "Antwerp", "order": 1, "regions": [setting.region.pk], "languages": ["nl"]},
    )
    assert response.status_code == 302
    wave = Wave.objects.get(campaign=setting.campaign, name="Antwerp")
    assert list(wave.regions.all()) == [setting.region]
    assert wave.languages == ["nl"]


def test_a_wave_in_a_taken_place_is_refused_on_the_form(coordinator, setting) -> None:
    WaveFactory(campaign=setting.campaign, order=1)
    response = coordinator.post(
        reverse("rollout:wave_create", args=[setting.campaign.pk]), {"name": "Second first", "order": 1}
    )
    assert response.status_code == 200
    assert "Another wave of this campaign already has this place in the order." in response.content.decode()
    assert 'value="Second first"' in response.content.decode()


def test_a_coordinator_changes_a_wave(coordinator, setting) -> None:
    wave = WaveFactory(campaign=setting.campaign, order=1, name="First")
    response = coordinator.post(
        reverse("rollout:wave_edit", args=[wave.pk]), {"name": "Armed", "order": 1, "armed_only": "on"}
    )
    assert response.status_code == 302
    wave.refresh_from_db()
    assert (wave.name, wave.armed_only) == ("Armed", True)


def test_the_live_count_says_how_many_people_the_rule_matches(coordinator, setting) -> None:
    WaveFactory(campaign=setting.campaign, order=1, units=[setting.unit])
    url = reverse("rollout:wave_count", args=[setting.campaign.pk])
    response = coordinator.get(url, {"order": 2, "languages": ["nl"], "regions": [setting.region.pk]})
    assert response.context["count"] == {"matching": 20, "members": 0}
    response = coordinator.get(url, {"order": 2, "languages": ["fr"]})
    assert response.context["count"]["matching"] == 0
    assert "0 active people match this rule" in response.content.decode()


def test_the_wave_form_shows_the_count_of_the_rule_as_saved(coordinator, setting) -> None:
    wave = WaveFactory(campaign=setting.campaign, order=1, units=[setting.unit])
    response = coordinator.get(reverse("rollout:wave_edit", args=[wave.pk]))
    assert response.context["count"] == {"matching": 20, "members": 20}


def test_a_coordinator_adds_and_changes_a_room(coordinator, setting) -> None:
    response = coordinator.post(
        reverse("rollout:room_create"), {"site": setting.site.pk, "name": "Leie", "capacity": 14}
    )
    assert response.status_code == 302
    room = Room.objects.get(name="Leie")
    response = coordinator.post(
        reverse("rollout:room_edit", args=[room.pk]),
        {"site": setting.site.pk, "name": "Leie", "capacity": 16, "is_accessible": "on", "is_active": "on"},
    )
    room.refresh_from_db()
    assert (room.capacity, room.is_accessible) == (16, True)


def test_a_second_room_of_the_same_name_on_a_site_is_refused_on_the_form(coordinator, setting) -> None:
    response = coordinator.post(
        reverse("rollout:room_create"), {"site": setting.site.pk, "name": "Schelde", "capacity": 8}
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert Room.objects.filter(name="Schelde").count() == 1


def test_the_room_list_needs_few_queries(coordinator, django_assert_max_num_queries) -> None:
    RoomFactory.create_batch(6)
    with django_assert_max_num_queries(9):
        response = coordinator.get(reverse("rollout:room_list"))
    assert len(response.context["rooms"]) == 6


def test_a_coordinator_adds_an_instructor_with_their_weekly_availability(coordinator, setting) -> None:
    employee = setting.people[0]
    response = coordinator.post(
        reverse("rollout:instructor_create"),
        {
            "employee": employee.personnel_number,
            "languages": ["nl", "fr"],
            "regions": [setting.region.pk],
            "slots": ["0-am", "2-pm"],
        },
    )
    instructor = Instructor.objects.get(employee=employee)
    assert response["Location"] == reverse("rollout:instructor_edit", args=[instructor.pk])
    assert instructor.languages == ["fr", "nl"]
    assert set(instructor.availabilities.values_list("weekday", "half_day")) == {(0, "am"), (2, "pm")}


def test_an_unknown_personnel_number_is_refused_on_the_instructor_form(coordinator, setting) -> None:
    response = coordinator.post(
        reverse("rollout:instructor_create"),
        {"employee": "nobody", "languages": ["nl"], "regions": [setting.region.pk], "slots": ["1-am"]},
    )
    assert response.status_code == 200
    assert "No active employee who is not yet an instructor has this number." in response.content.decode()


def test_the_instructor_page_shows_the_availability_as_a_grid_and_saves_it(coordinator, setting) -> None:
    instructor = setting.instructor
    url = reverse("rollout:instructor_edit", args=[instructor.pk])
    page = coordinator.get(url).content.decode()
    assert page.count('name="slots"') == 10
    assert "Monday Morning" in page
    response = coordinator.post(
        url,
        {
            "action": "instructor",
            "languages": ["nl"],
            "regions": [setting.region.pk],
            "slots": ["4-am"],
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert list(Availability.objects.filter(instructor=instructor).values_list("weekday", "half_day")) == [
        (4, "am")
    ]


def test_a_coordinator_adds_and_removes_an_absence(coordinator, setting) -> None:
    url = reverse("rollout:instructor_edit", args=[setting.instructor.pk])
    response = coordinator.post(
        url, {"action": "absence-add", "starts_on": "2027-03-01", "ends_on": "2027-03-05", "reason": "Leave"}
    )
    assert response.status_code == 302
    absence = Absence.objects.get(instructor=setting.instructor)
    assert "Leave" in coordinator.get(url).content.decode()
    coordinator.post(url, {"action": "absence-delete", "absence": absence.pk})
    assert not Absence.objects.filter(pk=absence.pk).exists()


def test_an_absence_ending_before_it_starts_is_refused(coordinator, setting) -> None:
    url = reverse("rollout:instructor_edit", args=[setting.instructor.pk])
    response = coordinator.post(
        url, {"action": "absence-add", "starts_on": "2027-03-05", "ends_on": "2027-03-01"}
    )
    assert response.status_code == 200
    assert "The last day cannot be before the first day." in response.content.decode()
    assert not Absence.objects.exists()


def test_the_instructor_list_needs_few_queries(coordinator, django_assert_max_num_queries) -> None:
    InstructorFactory.create_batch(5)
    with django_assert_max_num_queries(11):
        response = coordinator.get(reverse("rollout:instructor_list"))
    assert len(response.context["instructors"]) == 5


def test_the_closing_days_page_lists_the_public_holidays_of_the_year(coordinator) -> None:
    response = coordinator.get(reverse("rollout:closing_day_list"), {"year": 2027})
    holidays = dict(response.context["holidays"])
    assert datetime.date(2027, 12, 25) in holidays
    assert datetime.date(2027, 7, 21) in holidays
    assert "Public holidays in 2027" in response.content.decode()


def test_a_coordinator_adds_and_removes_a_closing_day(coordinator, setting) -> None:
    url = reverse("rollout:closing_day_list")
    response = coordinator.post(
        url, {"action": "add", "date": "2027-05-07", "region": setting.region.pk, "reason": "Bridge day"}
    )
    assert response.status_code == 302
    assert response["Location"].endswith("?year=2027")
    closing_day = ClosingDay.objects.get(reason="Bridge day")
    assert "Bridge day" in coordinator.get(url, {"year": 2027}).content.decode()
    coordinator.post(url, {"action": "delete", "closing_day": closing_day.pk})
    assert not ClosingDay.objects.exists()


def test_a_closing_day_without_a_reason_is_refused(coordinator) -> None:
    response = coordinator.post(reverse("rollout:closing_day_list"), {"action": "add", "date": "2027-05-07"})
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]


@pytest.mark.parametrize("role", [Role.EMPLOYEE, Role.INSTRUCTOR, Role.MANAGER, Role.ADMINISTRATOR])
def test_nobody_but_a_coordinator_changes_the_plan(client_for, role, setting) -> None:
    client = client_for(role)
    response = client.post(
        reverse("rollout:room_create"), {"site": setting.site.pk, "name": "Intruder", "capacity": 5}
    )
    assert response.status_code == 403
    assert not Room.objects.filter(name="Intruder").exists()


@pytest.mark.parametrize(("language", "title"), [("nl", "Sociale media"), ("fr", "Médias sociaux")])
def test_campaign_pages_name_the_course_by_its_title_in_the_readers_language(
    client_for, language, title
) -> None:
    coordinator = client_for(Role.COORDINATOR, language=language)
    campaign = CampaignFactory(course=course_with_titles(nl="Sociale media", fr="Médias sociaux"))
    for url in (reverse("rollout:campaign_list"), reverse("rollout:campaign_detail", args=[campaign.pk])):
        page = coordinator.get(url).content.decode()
        assert f"<td>{title}</td>" in page or f"<dd>{title}</dd>" in page, url
        assert "social-media" not in page
    form = coordinator.get(reverse("rollout:campaign_create")).content.decode()
    assert f'">{title}</option>' in form


def test_a_course_without_a_text_in_the_readers_language_is_named_in_its_source_language(client_for) -> None:
    course = course_with_titles(nl="Sociale media")
    campaign = CampaignFactory(course=course)
    page = client_for(Role.COORDINATOR, language="fr").get(
        reverse("rollout:campaign_detail", args=[campaign.pk])
    )
    assert "<dd>Sociale media</dd>" in page.content.decode()
