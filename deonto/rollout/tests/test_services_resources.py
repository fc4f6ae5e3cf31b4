"""The plan's frame: campaigns, waves, rooms, instructors, availability, absences, closing days."""

from __future__ import annotations

import datetime

import pytest

from deonto.core.errors import DomainError
from deonto.core.models import AuditEntry
from deonto.people.tests.factories import EmployeeFactory, RegionFactory
from deonto.rollout.models import Availability, ClosingDay, HalfDay, Instructor, Wave
from deonto.rollout.services import (
    absence_add,
    absence_delete,
    availability_set,
    campaign_create,
    campaign_update,
    closing_day_add,
    closing_day_delete,
    instructor_create,
    instructor_update,
    room_create,
    room_update,
    session_cancel,
    session_create,
    wave_create,
    wave_delete,
    wave_update,
)
from deonto.rollout.tests.factories import CourseFactory

pytestmark = pytest.mark.django_db


def test_a_campaign_is_created_with_the_default_unit_share_and_audited(make_user) -> None:
    coordinator = make_user("coordinator")

    campaign = campaign_create(
        actor=coordinator,
        name=" Social media ",
        course=CourseFactory(),
        starts_on=datetime.date(2026, 9, 1),
        target_on=datetime.date(2027, 6, 30),
    )

    assert (campaign.name, campaign.unit_share_max, campaign.reminder_days) == ("Social media", 20, 3)
    assert AuditEntry.objects.filter(action="rollout.campaign_create", actor=coordinator).exists()


def test_a_campaign_ending_before_it_starts_or_with_a_share_above_100_is_refused() -> None:
    values = {"actor": None, "name": "X", "course": CourseFactory(), "starts_on": datetime.date(2026, 9, 1)}
    with pytest.raises(DomainError, match="target date comes after the start date"):
        campaign_create(**values, target_on=datetime.date(2026, 8, 1))
    campaign = campaign_create(**values, target_on=datetime.date(2027, 8, 1))
    with pytest.raises(DomainError, match="between 1 and 100"):
        campaign_update(actor=None, campaign=campaign, unit_share_max=120)


def test_waves_come_in_order_and_two_waves_cannot_share_a_place(setting) -> None:
    first = wave_create(actor=None, campaign=setting.campaign, name="Armed officers", armed_only=True)
    second = wave_create(
        actor=None, campaign=setting.campaign, name="Antwerp", regions=[setting.region], languages=["nl"]
    )

    assert (first.order, second.order) == (1, 2)
    assert list(second.regions.all()) == [setting.region]
    with pytest.raises(DomainError, match="already has this place in the order"):
        wave_update(actor=None, wave=second, order=1)
    with pytest.raises(DomainError, match="Choose languages from the list"):
        wave_update(actor=None, wave=second, languages=["xx"])
    wave_update(actor=None, wave=second, units=[setting.unit], functions=[" Clerk ", ""])
    second.refresh_from_db()
    assert second.functions == ["Clerk"]
    assert list(second.units.all()) == [setting.unit]
    wave_delete(actor=None, wave=first)
    assert list(Wave.objects.all()) == [second]


def test_rooms_have_a_unique_name_per_site_and_at_least_one_seat(setting) -> None:
    room = room_create(actor=None, site=setting.site, name="Leie", capacity=8)

    with pytest.raises(DomainError, match="already has a room with this name"):
        room_create(actor=None, site=setting.site, name="Leie", capacity=8)
    with pytest.raises(DomainError, match="at least one person"):
        room_update(actor=None, room=room, capacity=0)
    room_update(actor=None, room=room, is_accessible=True, capacity=16)
    room.refresh_from_db()
    assert (room.capacity, room.is_accessible) == (16, True)


def test_an_instructor_teaches_a_language_somewhere_on_given_half_days(setting) -> None:
    employee = EmployeeFactory(unit=setting.unit)

    instructor = instructor_create(
        actor=None,
        employee=employee,
        languages=["fr", "nl"],
        regions=[setting.region],
        slots={(0, HalfDay.MORNING), (3, HalfDay.AFTERNOON)},
    )

    assert instructor.languages == ["fr", "nl"]
    assert set(Availability.objects.filter(instructor=instructor).values_list("weekday", "half_day")) == {
        (0, "am"),
        (3, "pm"),
    }
    with pytest.raises(DomainError, match="is already an instructor"):
        instructor_create(actor=None, employee=employee, languages=["nl"], regions=[setting.region])
    with pytest.raises(DomainError, match="at least one language"):
        instructor_create(actor=None, employee=EmployeeFactory(), languages=[], regions=[setting.region])
    with pytest.raises(DomainError, match="at least one region"):
        instructor_create(actor=None, employee=EmployeeFactory(), languages=["nl"], regions=[])


def test_availability_is_replaced_as_a_whole_and_weekends_are_refused(setting) -> None:
    instructor = setting.instructor

    availability_set(actor=None, instructor=instructor, slots={(1, HalfDay.MORNING)})

    assert list(Availability.objects.filter(instructor=instructor).values_list("weekday", "half_day")) == [
        (1, "am")
    ]
    with pytest.raises(DomainError, match="per weekday"):
        availability_set(actor=None, instructor=instructor, slots={(5, HalfDay.MORNING)})


def test_an_instructor_update_changes_languages_and_regions(setting) -> None:
    other = RegionFactory(code="LIM")

    instructor_update(
        actor=None, instructor=setting.instructor, languages=["fr"], regions=[other], is_active=False
    )

    instructor = Instructor.objects.get(pk=setting.instructor.pk)
    assert (instructor.languages, list(instructor.regions.all()), instructor.is_active) == (
        ["fr"],
        [other],
        False,
    )


def _session(setting):
    return session_create(
        actor=None,
        campaign=setting.campaign,
        date=setting.day,
        half_day=HalfDay.MORNING,
        room=setting.room,
        language="nl",
        instructors=[setting.instructor],
    )


def test_an_absence_over_a_planned_session_is_refused_until_it_is_cancelled(setting) -> None:
    session = _session(setting)

    with pytest.raises(DomainError, match=r"teaches a session on .* give it another instructor first"):
        absence_add(actor=None, instructor=setting.instructor, starts_on=setting.day, ends_on=setting.day)
    with pytest.raises(DomainError, match="ends on or after its first day"):
        absence_add(
            actor=None,
            instructor=setting.instructor,
            starts_on=setting.day,
            ends_on=setting.day - datetime.timedelta(days=1),
        )
    session_cancel(actor=None, session=session, reason="Replanned")
    absence = absence_add(
        actor=None, instructor=setting.instructor, starts_on=setting.day, ends_on=setting.day
    )
    absence_delete(actor=None, absence=absence)
    assert not setting.instructor.absences.exists()


def test_a_closing_day_with_planned_sessions_is_refused(setting) -> None:
    _session(setting)

    with pytest.raises(DomainError, match="Sessions are planned on"):
        closing_day_add(actor=None, date=setting.day, reason="Strike")
    with pytest.raises(DomainError, match="Say why"):
        closing_day_add(actor=None, date=setting.day, reason=" ")
    elsewhere = closing_day_add(
        actor=None, date=setting.day, reason="Strike", region=RegionFactory(code="LUX")
    )
    with pytest.raises(DomainError, match="already closed"):
        closing_day_add(actor=None, date=setting.day, reason="Strike", region=elsewhere.region)
    closing_day_delete(actor=None, closing_day=elsewhere)
    assert not ClosingDay.objects.exists()
