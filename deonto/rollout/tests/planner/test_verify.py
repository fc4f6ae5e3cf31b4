"""The verifier, rule by rule: a valid hand-made plan passes, and each test breaks one rule and
finds its violation (each would pass without that rule)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from deonto.rollout.planner.instance import load_instance
from deonto.rollout.planner.plan import Plan, PlannedSession, Problem, plan_from_dict
from deonto.rollout.planner.verify import verify

INSTANCE: dict[str, Any] = {
    "session_capacity": 16,
    "unit_away_share": 0.2,
    "halfdays_per_week": 10,
    "regions": [{"id": "MON", "rooms": 1}, {"id": "NAM", "rooms": 2}],
    "units": [{"id": "U1", "region": "MON", "size": 20}, {"id": "U2", "region": "NAM", "size": 10}],
    "groups": [
        {"unit": "U1", "language": "fr", "pilot": True, "count": 4},
        {"unit": "U1", "language": "fr", "pilot": False, "count": 4},
        {"unit": "U1", "language": "nl", "pilot": False, "count": 0},
        {"unit": "U2", "language": "nl", "pilot": False, "count": 3},
    ],
    "instructors": [
        {"id": "I1", "languages": ["fr"], "regions": ["MON"], "halfdays": [0, 1, 3]},
        {"id": "I2", "languages": ["nl"], "regions": ["NAM"], "halfdays": [0, 2, 3]},
        {"id": "I3", "languages": ["nl"], "regions": ["NAM"], "halfdays": [0, 2]},
    ],
    "fixed_sessions": [
        {"week": 0, "halfday": 2, "region": "NAM", "language": "nl", "instructor": "I2",
         "attendees": {"U2|nl|0": 1}, "free_seats": 2},
    ],
}  # fmt: skip


def instance(**changes: Any):
    return load_instance({**INSTANCE, **changes})


def session(
    week: int, halfday: int, region: str, language: str, instructor: str, room: int = 0, **people: int
):
    attendees = {key.replace("_", "|"): count for key, count in people.items()}
    return PlannedSession(week, halfday, region, language, instructor, room, attendees)


# U1 may send 4 people a day and U2 2 (one of whom is in the fixed session already on day 1).
PILOT = session(0, 0, "MON", "fr", "I1", U1_fr_1=4)
REST = session(0, 3, "MON", "fr", "I1", U1_fr_0=4)
ADDED = PlannedSession(0, 2, "NAM", "nl", "I2", 0, {"U2|nl|0": 1}, fixed=True)
NAMUR = session(1, 0, "NAM", "nl", "I2", U2_nl_0=2)


def plan(
    *sessions: PlannedSession, weeks: int = 2, pilot_weeks: int = 1, problems: tuple[Problem, ...] = ()
) -> Plan:
    return Plan("baseline", "feasible", weeks, pilot_weeks, 0, 0, sessions, problems=problems)


VALID = plan(PILOT, REST, ADDED, NAMUR)


def violations_of(*sessions: PlannedSession, within=None, **plan_changes: Any) -> list[str]:
    return verify(within or instance(), replace(VALID, sessions=sessions, **plan_changes))


def test_a_plan_keeping_every_rule_has_no_violation():
    assert verify(instance(), VALID) == []


def test_the_json_form_of_a_plan_verifies_the_same():
    assert verify(instance(), plan_from_dict(VALID.to_dict())) == []


def test_the_plan_need_not_list_fixed_sessions_it_adds_nobody_to():
    tuesday = session(1, 2, "NAM", "nl", "I3", U2_nl_0=1)

    assert violations_of(PILOT, REST, NAMUR, tuesday) == []


@pytest.mark.parametrize(
    "clash",
    [
        session(1, 0, "NAM", "nl", "I2", room=1, U2_nl_0=1),
        session(0, 2, "NAM", "nl", "I2", room=1, U2_nl_0=1),
    ],
    ids=["new session", "fixed session"],
)
def test_an_instructor_teaching_two_sessions_at_once_is_a_double_booking(clash):
    namur = replace(NAMUR, attendees={"U2|nl|0": 1})

    violations = violations_of(PILOT, REST, namur, clash)

    assert f"instructor I2 teaches 2 sessions in week {clash.week}, half-day {clash.halfday}" in violations


def test_two_sessions_in_one_room_at_once_are_a_double_booking():
    other = session(1, 0, "NAM", "nl", "I3", room=0, U2_nl_0=1)
    namur = replace(NAMUR, attendees={"U2|nl|0": 1})

    assert violations_of(PILOT, REST, ADDED, namur, other) == [
        "room 0 of region NAM holds 2 sessions in week 1, half-day 0"
    ]


def test_a_room_the_region_does_not_have_is_refused():
    violations = violations_of(replace(PILOT, room=1), REST, ADDED, NAMUR)

    assert violations == [
        "session in week 0, half-day 0, region MON (fr, instructor I1): room 1 is not one of the region's 1 rooms"
    ]


def test_fixed_sessions_hold_a_room_even_when_the_plan_does_not_list_them():
    one_room = instance(regions=[{"id": "MON", "rooms": 1}, {"id": "NAM", "rooms": 1}])
    beside_fixed = session(0, 2, "NAM", "nl", "I3", U2_nl_0=1)
    namur = replace(NAMUR, attendees={"U2|nl|0": 2})

    violations = violations_of(PILOT, REST, beside_fixed, namur, within=one_room)

    assert violations == ["region NAM has 2 sessions in week 0, half-day 2 but 1 rooms"]


def test_an_instructor_teaches_only_their_languages():
    violations = violations_of(PILOT, REST, ADDED, NAMUR, session(1, 1, "MON", "nl", "I1", U1_nl_0=1))

    assert (
        "session in week 1, half-day 1, region MON (nl, instructor I1): the instructor does not teach nl"
        in (violations)
    )


def test_an_instructor_teaches_only_in_their_regions():
    violations = violations_of(PILOT, REST, ADDED, replace(NAMUR, instructor="I1", language="nl"))

    assert (
        "session in week 1, half-day 0, region NAM (nl, instructor I1): the instructor does not teach in region NAM"
        in (violations)
    )


def test_an_instructor_teaches_only_on_their_half_days():
    violations = violations_of(replace(PILOT, halfday=4), REST, ADDED, NAMUR)

    assert violations == [
        "session in week 0, half-day 4, region MON (fr, instructor I1): the instructor does not teach on half-day 4"
    ]


def test_an_absent_instructor_does_not_teach():
    absent = instance(
        instructors=[
            {
                "id": "I1",
                "languages": ["fr"],
                "regions": ["MON"],
                "halfdays": [0, 1, 3],
                "unavailable": [[0, 0]],
            },
            *INSTANCE["instructors"][1:],
        ]
    )

    assert verify(absent, VALID) == [
        "session in week 0, half-day 0, region MON (fr, instructor I1): the instructor is unavailable then"
    ]


@pytest.mark.parametrize(
    ("closure", "where"),
    [
        ({"week": 0, "halfday": 0}, "everywhere"),
        ({"week": 0, "halfday": 0, "region": "MON"}, "in region MON"),
    ],
)
def test_nobody_teaches_on_a_closed_half_day(closure, where):
    assert verify(instance(closures=[closure]), VALID) == [
        f"session in week 0, half-day 0, region MON (fr, instructor I1): teaching is closed {where} then"
    ]


def test_a_closure_of_another_region_does_not_matter():
    assert verify(instance(closures=[{"week": 0, "halfday": 0, "region": "NAM"}]), VALID) == []


def test_a_session_takes_at_most_its_capacity():
    assert verify(instance(session_capacity=3), VALID) == [
        "session in week 0, half-day 0, region MON (fr, instructor I1): 4 people, above the capacity of 3",
        "session in week 0, half-day 3, region MON (fr, instructor I1): 4 people, above the capacity of 3",
    ]


def test_a_session_nobody_attends_is_refused():
    violations = violations_of(PILOT, REST, ADDED, NAMUR, session(1, 1, "MON", "fr", "I1"))

    assert violations == ["session in week 1, half-day 1, region MON (fr, instructor I1): nobody attends"]


def test_people_added_to_a_fixed_session_fit_its_free_seats():
    three = replace(ADDED, attendees={"U2|nl|0": 3})

    violations = violations_of(PILOT, REST, three, weeks=1)

    assert (
        "fixed session in week 0, half-day 2, region NAM (nl, instructor I2): 3 people added to 2 free seats"
        in (violations)
    )


def test_a_fixed_session_the_instance_does_not_have_is_refused():
    invented = replace(ADDED, halfday=0)

    violations = violations_of(PILOT, REST, invented, NAMUR)

    assert violations == [
        "fixed session in week 0, half-day 0, region NAM (nl, instructor I2) is not one of the instance's fixed sessions"
    ]


def test_a_listed_fixed_session_is_in_a_room_the_region_has():
    violations = violations_of(PILOT, REST, replace(ADDED, room=2), NAMUR)

    assert violations == [
        "fixed session in week 0, half-day 2, region NAM (nl, instructor I2): room 2 is not one of the region's 2 rooms"
    ]


def test_a_fixed_session_listed_twice_is_refused():
    violations = violations_of(PILOT, REST, ADDED, replace(ADDED, attendees={}), NAMUR)

    assert violations == [
        "fixed session in week 0, half-day 2, region NAM (nl, instructor I2) is listed twice",
        "room 0 of region NAM holds 2 sessions in week 0, half-day 2",
    ]


def test_attendees_speak_the_language_of_the_session():
    violations = violations_of(PILOT, replace(REST, attendees={"U1|fr|0": 4, "U1|nl|0": 1}), ADDED, NAMUR)

    assert (
        "session in week 0, half-day 3, region MON (fr, instructor I1): group U1|nl|0 does not speak fr"
        in violations
    )


def test_attendees_come_from_units_of_the_region_of_the_session():
    violations = violations_of(
        PILOT, REST, ADDED, replace(NAMUR, region="MON", instructor="I1", language="fr", halfday=1)
    )

    assert (
        "session in week 1, half-day 1, region MON (fr, instructor I1): group U2|nl|0 is not from region MON"
        in (violations)
    )


def test_a_unit_sends_at_most_its_share_away_on_one_day():
    same_day = replace(REST, halfday=1)

    violations = violations_of(PILOT, same_day, ADDED, NAMUR)

    assert violations == ["unit U1 has 8 people away in week 0, day 0; at most 4 may be"]


def test_the_attendees_of_fixed_sessions_count_towards_the_unit_rule():
    beside_fixed = session(0, 3, "NAM", "nl", "I2", U2_nl_0=2)
    later = session(1, 0, "NAM", "nl", "I2", U2_nl_0=1)

    violations = violations_of(PILOT, REST, beside_fixed, later)

    assert violations == ["unit U2 has 3 people away in week 0, day 1; at most 2 may be"]


def test_everyone_is_planned():
    violations = violations_of(PILOT, ADDED, NAMUR)

    assert violations == ["group U1|fr|0: 4 of 4 people are neither planned nor reported as a problem"]


def test_people_reported_as_a_problem_need_not_be_planned():
    by_group = Problem(
        "no-instructor", {"region": "MON", "language": "fr", "people": 4, "groups": {"U1|fr|0": 4}}, ""
    )
    by_pair = Problem("not-placed", {"region": "MON", "language": "fr", "people": 4}, "")
    anywhere = Problem("not-placed", {"people": 4}, "")

    assert violations_of(PILOT, ADDED, NAMUR, problems=(by_group,)) == []
    assert violations_of(PILOT, ADDED, NAMUR, problems=(by_pair,)) == []
    assert violations_of(PILOT, ADDED, NAMUR, problems=(anywhere,)) == []


def test_a_problem_of_another_group_does_not_excuse_anyone():
    elsewhere = Problem(
        "no-instructor", {"region": "NAM", "language": "nl", "people": 4, "groups": {"U2|nl|0": 4}}, ""
    )

    assert violations_of(PILOT, ADDED, NAMUR, problems=(elsewhere,)) == [
        "group U1|fr|0: 4 of 4 people are neither planned nor reported as a problem"
    ]


def test_nobody_is_planned_twice():
    again = session(1, 1, "MON", "fr", "I1", U1_fr_1=1)

    violations = violations_of(PILOT, REST, ADDED, NAMUR, again, pilot_weeks=2)

    assert violations == ["group U1|fr|1: 5 people planned but it has 4"]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"weeks": 3}, "the plan says 3 weeks but its sessions take 2"),
        ({"pilot_weeks": 2}, "the plan says 2 pilot weeks but its pilot sessions take 1"),
    ],
)
def test_weeks_and_pilot_weeks_are_those_of_the_sessions(changes, message):
    assert verify(instance(), replace(VALID, **changes)) == [message]


def test_an_empty_plan_of_nobody_takes_no_week():
    nobody = instance(groups=[], fixed_sessions=[])

    assert verify(nobody, plan(weeks=0, pilot_weeks=0)) == []
