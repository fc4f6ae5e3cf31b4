"""Wave membership: each rule, the first matching wave wins, nothing is stored; and which sessions
a viewer sees."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from deonto.people.models import StaffLanguage
from deonto.people.tests.factories import EmployeeFactory, OrgUnitFactory, RegionFactory, SiteFactory
from deonto.rollout.models import HalfDay
from deonto.rollout.selectors import (
    campaign_audience,
    employees_with_wave,
    sessions_for,
    wave_for,
    wave_members,
)
from deonto.rollout.tests.factories import CampaignFactory, InstructorFactory, SessionFactory, WaveFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def roster():
    north, south = RegionFactory(code="N"), RegionFactory(code="S")
    north_site, south_site = SiteFactory(code="NS", region=north), SiteFactory(code="SS", region=south)
    root = OrgUnitFactory(code="ROOT", site=north_site)
    child = OrgUnitFactory(code="CHILD", parent=root, site=north_site)
    grandchild = OrgUnitFactory(code="GRAND", parent=child, site=north_site)
    lone = OrgUnitFactory(code="LONE", site=south_site)
    people = {
        "armed_north": EmployeeFactory(unit=child, site=north_site, is_armed=True),
        "armed_south_fr": EmployeeFactory(unit=lone, site=south_site, is_armed=True, language="fr"),
        "clerk_grand": EmployeeFactory(unit=grandchild, site=north_site, function="Clerk"),
        "clerk_south_fr": EmployeeFactory(unit=lone, site=south_site, function="Clerk", language="fr"),
        "root_nl": EmployeeFactory(unit=root, site=north_site),
        "gone": EmployeeFactory(unit=root, site=north_site, is_armed=True, is_active=False),
    }
    return {"north": north, "south": south, "root": root, "child": child, "lone": lone, **people}


def members(wave) -> set:
    return set(wave_members(wave=wave))


def test_the_armed_wave_holds_the_active_armed_officers(roster) -> None:
    wave = WaveFactory(armed_only=True)

    assert members(wave) == {roster["armed_north"], roster["armed_south_fr"]}


def test_a_region_rule_holds_the_people_working_there(roster) -> None:
    wave = WaveFactory(regions=[roster["south"]])

    assert members(wave) == {roster["armed_south_fr"], roster["clerk_south_fr"]}


def test_a_unit_rule_includes_every_unit_below_it(roster) -> None:
    wave = WaveFactory(units=[roster["child"]])

    assert members(wave) == {roster["armed_north"], roster["clerk_grand"]}


def test_language_and_function_rules_must_both_hold(roster) -> None:
    assert members(WaveFactory(languages=[StaffLanguage.FRENCH])) == {
        roster["armed_south_fr"],
        roster["clerk_south_fr"],
    }
    assert members(WaveFactory(languages=[StaffLanguage.FRENCH], functions=["Clerk"])) == {
        roster["clerk_south_fr"]
    }


def test_an_employee_is_in_the_first_wave_whose_rule_they_match(roster) -> None:
    campaign = CampaignFactory()
    armed = WaveFactory(campaign=campaign, order=1, armed_only=True)
    french = WaveFactory(campaign=campaign, order=2, languages=["fr"])
    rest = WaveFactory(campaign=campaign, order=3)

    assert members(armed) == {roster["armed_north"], roster["armed_south_fr"]}
    assert members(french) == {roster["clerk_south_fr"]}
    assert members(rest) == {roster["clerk_grand"], roster["root_nl"]}
    assert wave_for(campaign=campaign, employee=roster["armed_south_fr"]) == armed
    assert wave_for(campaign=campaign, employee=roster["clerk_south_fr"]) == french
    assert wave_for(campaign=campaign, employee=roster["gone"]) is None
    assert set(campaign_audience(campaign=campaign)) == members(armed) | members(french) | members(rest)
    grouped = {employee: employee.wave_id for employee in employees_with_wave(campaign=campaign)}
    assert grouped == {
        roster["armed_north"]: armed.pk,
        roster["armed_south_fr"]: armed.pk,
        roster["clerk_south_fr"]: french.pk,
        roster["clerk_grand"]: rest.pk,
        roster["root_nl"]: rest.pk,
    }


def test_someone_added_to_the_roster_later_is_in_their_wave_without_any_action(roster) -> None:
    campaign = CampaignFactory()
    armed = WaveFactory(campaign=campaign, order=1, armed_only=True)
    rest = WaveFactory(campaign=campaign, order=2)
    before = members(armed)

    newcomer = EmployeeFactory(unit=roster["lone"], is_armed=True)

    assert members(armed) == before | {newcomer}
    assert newcomer not in members(rest)


def test_wave_members_are_read_in_one_query_whatever_the_roster_size(roster) -> None:
    campaign = CampaignFactory()
    WaveFactory(campaign=campaign, order=1, armed_only=True, regions=[roster["north"]])
    WaveFactory(campaign=campaign, order=2, units=[roster["child"]])
    last = WaveFactory(campaign=campaign, order=3, languages=["nl"])

    with CaptureQueriesContext(connection) as building:
        queryset = wave_members(wave=last)
    with CaptureQueriesContext(connection) as reading:
        small = list(queryset)
    EmployeeFactory.create_batch(30, unit=roster["root"])
    with CaptureQueriesContext(connection) as reading_more:
        large = list(wave_members(wave=last))

    assert len(building) <= 3
    assert len(reading) == 1
    assert len(reading_more) == len(building) + 1
    assert len(large) == len(small) + 30


def test_a_coordinator_sees_every_session_an_instructor_only_theirs_others_none(make_user) -> None:
    teacher_user = make_user("instructor")
    instructor = InstructorFactory(employee=EmployeeFactory(user=teacher_user))
    taught = SessionFactory(instructors=[instructor])
    other = SessionFactory(half_day=HalfDay.AFTERNOON)

    assert set(sessions_for(viewer=make_user("coordinator"))) == {taught, other}
    assert list(sessions_for(viewer=teacher_user)) == [taught]
    assert list(sessions_for(viewer=make_user("employee"))) == []
    assert list(sessions_for(viewer=make_user("administrator"))) == []


def test_sessions_are_listed_with_their_seats_taken_in_a_fixed_number_of_queries(
    make_user, django_assert_max_num_queries
) -> None:
    coordinator = make_user("coordinator")
    for _ in range(5):
        SessionFactory(instructors=[InstructorFactory()])

    with django_assert_max_num_queries(4):
        sessions = list(sessions_for(viewer=coordinator))
        names = [str(teaching.instructor) for session in sessions for teaching in session.teaching.all()]

    assert len(sessions) == 5
    assert len(names) == 5
    assert {session.seats_taken for session in sessions} == {0}
