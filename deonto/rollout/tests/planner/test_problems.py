from __future__ import annotations

from deonto.rollout.planner.instance import group_key
from deonto.rollout.planner.problems import find_problems

from .conftest import small


def test_everyone_is_plannable_when_an_instructor_teaches_the_language_in_the_region(instance):
    problems, plannable = find_problems(instance)

    assert problems == []
    assert plannable == {"U1|fr|1": 4, "U1|fr|0": 8}


def test_a_language_nobody_teaches_in_the_region_is_a_problem_with_its_figures():
    instance = small(
        units=[{"id": "U1", "region": "MON", "size": 20}, {"id": "U2", "region": "MON", "size": 10}],
        groups=[
            {"unit": "U1", "language": "fr", "pilot": False, "count": 12},
            {"unit": "U1", "language": "de", "pilot": True, "count": 2},
            {"unit": "U2", "language": "de", "pilot": False, "count": 3},
        ],
    )

    problems, plannable = find_problems(instance)

    assert [(p.kind, dict(p.figures)) for p in problems] == [
        (
            "no-instructor",
            {
                "region": "MON",
                "language": "de",
                "people": 5,
                "pilot_people": 2,
                "units": 2,
                "groups": {"U1|de|1": 2, "U2|de|0": 3},
            },
        )
    ]
    assert problems[0].text == "No instructor teaches de in region MON: 5 people in 2 units cannot be placed."
    assert plannable == {"U1|fr|0": 12, "U1|de|1": 0, "U2|de|0": 0}


def test_an_instructor_of_another_region_does_not_count():
    instance = small(
        regions=[{"id": "MON", "rooms": 1}, {"id": "NAM", "rooms": 1}],
        instructors=[{"id": "I1", "languages": ["fr"], "regions": ["NAM"], "halfdays": [0]}],
    )

    problems, _ = find_problems(instance)

    assert [(p.kind, p.figures["people"]) for p in problems] == [("no-instructor", 12)]


def test_an_instructor_without_any_half_day_does_not_count():
    instance = small(instructors=[{"id": "I1", "languages": ["fr"], "regions": ["MON"], "halfdays": []}])

    problems, _ = find_problems(instance)

    assert [p.kind for p in problems] == ["no-instructor"]


def test_an_instructor_absent_or_closed_on_every_half_day_within_max_weeks_does_not_count():
    instance = small(
        max_weeks=2,
        instructors=[
            {
                "id": "I1",
                "languages": ["fr"],
                "regions": ["MON"],
                "halfdays": [0, 3],
                "unavailable": [[0, 0], [1, 0]],
            }
        ],
        closures=[{"week": 0, "halfday": 3}, {"week": 1, "halfday": 3, "region": "MON"}],
    )

    problems, _ = find_problems(instance)

    assert [p.kind for p in problems] == ["no-instructor"]


def test_a_region_without_a_room_is_a_problem():
    instance = small(regions=[{"id": "MON", "rooms": 0}])

    problems, plannable = find_problems(instance)

    assert [(p.kind, p.figures["people"]) for p in problems] == [("no-room", 12)]
    assert problems[0].text == "Region MON has no room: 12 people in 1 unit speaking fr cannot be placed."
    assert plannable == {"U1|fr|1": 0, "U1|fr|0": 0}


def test_free_seats_of_fixed_sessions_still_take_people_of_a_language_nobody_teaches_pilot_first():
    instance = small(
        units=[{"id": "U1", "region": "MON", "size": 50}],
        instructors=[{"id": "I1", "languages": ["nl"], "regions": ["MON"], "halfdays": [0]}],
        fixed_sessions=[
            {
                "week": 0,
                "halfday": 4,
                "region": "MON",
                "language": "fr",
                "instructor": "I1",
                "attendees": {"U1|fr|0": 7},
                "free_seats": 9,
            },
        ],
    )

    problems, plannable = find_problems(instance)

    # The unit may send 10 people a day and already sends 7: only 3 more that day.
    assert plannable == {group_key("U1", "fr", True): 3, group_key("U1", "fr", False): 0}
    assert [(p.figures["people"], p.figures["groups"]) for p in problems] == [
        (9, {"U1|fr|0": 8, "U1|fr|1": 1})
    ]


def test_groups_of_nobody_are_no_problem():
    instance = small(
        regions=[{"id": "MON", "rooms": 0}],
        groups=[{"unit": "U1", "language": "fr", "pilot": False, "count": 0}],
    )

    assert find_problems(instance) == ([], {"U1|fr|0": 0})
