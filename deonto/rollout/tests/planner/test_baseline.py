from __future__ import annotations

import pytest

from deonto.rollout.planner.baseline import baseline
from deonto.rollout.planner.generate import generate
from deonto.rollout.planner.verify import verify

from .conftest import small


def planned(plan):
    return [(s.week, s.halfday, dict(s.attendees)) for s in plan.sessions]


def test_a_small_instance_is_planned_pilot_wave_first_under_the_unit_rule(instance):
    plan = baseline(instance)

    # 20 people: at most 4 away a day, so the 12 need three days of the instructor's two a week.
    assert planned(plan) == [
        (0, 0, {"U1|fr|1": 4}),
        (0, 3, {"U1|fr|0": 4}),
        (1, 0, {"U1|fr|0": 4}),
    ]
    assert (plan.method, plan.status, plan.weeks, plan.pilot_weeks) == ("baseline", "feasible", 2, 1)
    assert verify(instance, plan) == []


def test_the_instructor_takes_the_region_and_language_with_the_most_pilot_people_waiting():
    instance = small(
        units=[{"id": "U1", "region": "MON", "size": 100}],
        groups=[
            {"unit": "U1", "language": "fr", "pilot": False, "count": 30},
            {"unit": "U1", "language": "nl", "pilot": True, "count": 5},
        ],
        instructors=[{"id": "I1", "languages": ["fr", "nl"], "regions": ["MON"], "halfdays": [0, 1, 2, 3]}],
    )

    plan = baseline(instance)

    assert [(s.language, s.size) for s in plan.sessions] == [("nl", 5), ("fr", 15), ("fr", 15)]
    assert (plan.weeks, plan.pilot_weeks) == (1, 1)
    assert verify(instance, plan) == []


def test_each_instructor_takes_a_free_room_of_the_region():
    instance = small(
        regions=[{"id": "MON", "rooms": 2}],
        units=[{"id": "U1", "region": "MON", "size": 100}, {"id": "U2", "region": "MON", "size": 100}],
        groups=[
            {"unit": "U1", "language": "fr", "pilot": False, "count": 20},
            {"unit": "U2", "language": "fr", "pilot": False, "count": 16},
        ],
        instructors=[
            {"id": f"I{n}", "languages": ["fr"], "regions": ["MON"], "halfdays": [0]} for n in range(3)
        ],
    )

    plan = baseline(instance)

    # Two rooms: the third instructor has none that half-day.
    assert [(s.week, s.instructor, s.room) for s in plan.sessions] == [
        (0, "I0", 0),
        (0, "I1", 1),
        (1, "I0", 0),
    ]
    assert verify(instance, plan) == []


def test_closures_and_absences_are_skipped():
    instance = small(
        instructors=[
            {"id": "I1", "languages": ["fr"], "regions": ["MON"], "halfdays": [0, 3], "unavailable": [[0, 0]]}
        ],
        closures=[{"week": 0, "halfday": 3}, {"week": 1, "halfday": 0, "region": "MON"}],
    )

    plan = baseline(instance)

    assert [(s.week, s.halfday) for s in plan.sessions] == [(1, 3), (2, 0), (2, 3)]
    assert verify(instance, plan) == []


def test_free_seats_of_fixed_sessions_are_filled_before_new_sessions_of_the_half_day():
    instance = small(
        regions=[{"id": "MON", "rooms": 2}],
        instructors=[
            {"id": "I1", "languages": ["fr"], "regions": ["MON"], "halfdays": [0, 3]},
            {"id": "I2", "languages": ["fr"], "regions": ["MON"], "halfdays": []},
        ],
        fixed_sessions=[
            {"week": 0, "halfday": 0, "region": "MON", "language": "fr", "instructor": "I2", "free_seats": 3}
        ],
    )

    plan = baseline(instance)

    assert [
        (s.fixed, s.room, dict(s.attendees)) for s in plan.sessions if s.week == 0 and s.halfday == 0
    ] == [
        (True, 0, {"U1|fr|1": 3}),
        (False, 1, {"U1|fr|1": 1}),
    ]
    assert verify(instance, plan) == []


def test_a_language_nobody_teaches_is_reported_and_the_rest_planned():
    instance = small(
        groups=[
            {"unit": "U1", "language": "fr", "pilot": False, "count": 3},
            {"unit": "U1", "language": "de", "pilot": False, "count": 2},
        ]
    )

    plan = baseline(instance)

    assert plan.status == "partial"
    assert [p.kind for p in plan.problems] == ["no-instructor"]
    assert planned(plan) == [(0, 0, {"U1|fr|0": 3})]
    assert verify(instance, plan) == []


def test_people_that_do_not_fit_in_max_weeks_are_reported():
    plan = baseline(small(max_weeks=1))

    assert plan.status == "partial"
    assert [(p.kind, dict(p.figures)) for p in plan.problems] == [
        (
            "not-placed",
            {
                "region": "MON",
                "language": "fr",
                "people": 4,
                "pilot_people": 0,
                "units": 1,
                "max_weeks": 1,
                "groups": {"U1|fr|0": 4},
            },
        )
    ]
    assert plan.problems[0].text == "Region MON, fr: 4 people do not fit in 1 weeks."
    assert verify(small(max_weeks=1), plan) == []


def test_an_instance_of_nobody_takes_no_week():
    instance = small(groups=[])

    plan = baseline(instance)

    assert (plan.weeks, plan.pilot_weeks, plan.sessions, plan.status) == (0, 0, (), "feasible")


@pytest.mark.parametrize("seed", [1, 2])
def test_a_generated_ministry_is_planned_and_verified(seed):
    instance = generate(22_000, seed=seed)

    plan = baseline(instance)

    assert plan.problems == ()
    assert 10 <= plan.weeks <= 60
    assert plan.pilot_weeks < plan.weeks
    assert verify(instance, plan) == []
