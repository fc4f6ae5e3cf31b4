from __future__ import annotations

from deonto.rollout.planner.model import _smallest, binding, lower_bounds, prepare, quick_bound, solve_counts
from deonto.rollout.planner.problems import find_problems

from .conftest import small


def resources_of(instance):
    return prepare(instance, find_problems(instance)[1])


def test_the_unit_rule_sets_the_bound_of_the_small_instance(instance):
    """12 French speakers of a unit of 20 (at most 4 away a day) need 12 / 4 = 3 session days;
    the instructor teaches on two days a week (half-days 0 and 3: Monday and Tuesday), so 2 weeks.
    The 4 pilot people fit in one day: 1 pilot week. Seats alone (12 of 16) would say 1 week."""
    assert lower_bounds(instance) == (2, 1)


def test_seats_set_the_bound_when_units_are_large():
    """100 people of a unit of 1,000 (200 a day), 16 seats a session: 7 sessions; one instructor
    on one half-day a week gives one session a week, so 7 weeks; the 20 pilot people need 2."""
    instance = small(
        units=[{"id": "U1", "region": "MON", "size": 1000}],
        groups=[
            {"unit": "U1", "language": "fr", "pilot": True, "count": 20},
            {"unit": "U1", "language": "fr", "pilot": False, "count": 80},
        ],
        instructors=[{"id": "I1", "languages": ["fr"], "regions": ["MON"], "halfdays": [4]}],
    )
    assert lower_bounds(instance) == (7, 2)


def test_one_room_limits_two_instructors_on_the_same_half_day():
    """Two instructors both on Monday morning, one room: one session a week for 64 people of a
    large unit is 4 weeks (two rooms would make it 2)."""
    data = {
        "units": [{"id": "U1", "region": "MON", "size": 1000}],
        "groups": [{"unit": "U1", "language": "fr", "pilot": False, "count": 64}],
        "instructors": [
            {"id": "I1", "languages": ["fr"], "regions": ["MON"], "halfdays": [0]},
            {"id": "I2", "languages": ["fr"], "regions": ["MON"], "halfdays": [0]},
        ],
    }
    assert lower_bounds(small(**data)) == (4, 0)
    assert lower_bounds(small(**data, regions=[{"id": "MON", "rooms": 2}])) == (2, 0)


def test_closures_and_absences_cost_the_weeks_they_take():
    """64 people, one session a week on Monday morning: 4 weeks; closed everywhere in week 0 and
    the instructor away in week 2, so the four sessions end in week 5: 6 weeks."""
    instance = small(
        units=[{"id": "U1", "region": "MON", "size": 1000}],
        groups=[{"unit": "U1", "language": "fr", "pilot": False, "count": 64}],
        instructors=[
            {"id": "I1", "languages": ["fr"], "regions": ["MON"], "halfdays": [0], "unavailable": [[2, 0]]}
        ],
        closures=[{"week": 0, "halfday": 0}],
    )
    assert lower_bounds(instance) == (6, 0)


def test_free_seats_of_a_fixed_session_count_towards_the_people():
    """The fixed session of week 0 takes 16 of 64 people: 48 left, 3 more sessions after it on
    the instructor's only half-day, in weeks 1 to 3: 4 weeks instead of 5."""
    instance = small(
        units=[{"id": "U1", "region": "MON", "size": 1000}],
        groups=[{"unit": "U1", "language": "fr", "pilot": False, "count": 64}],
        instructors=[{"id": "I1", "languages": ["fr"], "regions": ["MON"], "halfdays": [0]}],
        fixed_sessions=[
            {"week": 0, "halfday": 0, "region": "MON", "language": "fr", "instructor": "I1", "free_seats": 16}
        ],
    )
    assert lower_bounds(instance) == (4, 0)


def test_identical_instructors_are_merged_into_one_class():
    same = {"languages": ["fr"], "regions": ["MON"], "halfdays": [0, 1]}
    instance = small(
        instructors=[
            {"id": "I1", **same},
            {"id": "I2", **same},
            {"id": "I3", **same, "unavailable": [[0, 0]]},
        ]
    )
    classes = resources_of(instance).classes
    assert sorted(each.members for each in classes) == [("I1", "I2"), ("I3",)]


def test_the_quick_bound_never_exceeds_the_model_bound():
    instance = small()
    resources = resources_of(instance)
    counts = solve_counts(resources)
    assert counts is not None
    assert quick_bound(resources) <= counts.lower_bound_weeks == counts.weeks == 2


def test_the_search_finds_the_smallest_feasible_value_with_few_checks():
    checked = []

    def check(value):
        checked.append(value)
        return "feasible" if value >= 13 else "infeasible"

    assert _smallest(3, 100, check) == (13, 13)
    assert len(checked) <= 8


def test_a_value_that_runs_out_of_time_is_not_counted_as_proven():
    def check(value):
        return "feasible" if value >= 6 else ("unknown" if value == 5 else "infeasible")

    found, proven = _smallest(1, 20, check)
    assert found == 6
    assert proven == 5


def test_the_binding_pairs_are_those_that_alone_need_the_bound():
    """MON French needs 64 people / 16 = 4 sessions on one half-day a week: 4 weeks; MON Dutch
    (16 people) has its own instructor and could be done in a week, so it is not binding."""
    instance = small(
        units=[{"id": "U1", "region": "MON", "size": 1000}],
        regions=[{"id": "MON", "rooms": 2}],
        groups=[
            {"unit": "U1", "language": "fr", "pilot": False, "count": 64},
            {"unit": "U1", "language": "nl", "pilot": False, "count": 16},
        ],
        instructors=[
            {"id": "I1", "languages": ["fr"], "regions": ["MON"], "halfdays": [0]},
            {"id": "I2", "languages": ["nl"], "regions": ["MON"], "halfdays": [0]},
        ],
    )
    found = binding(resources_of(instance), 4)
    assert found is not None
    assert found.pairs == (("MON", "fr"),)
    assert not found.rooms


def test_free_seats_of_a_fixed_session_do_not_lift_the_unit_rule():
    """3 people of a unit of 5 (1 a day): the fixed session of week 0 has seats for all, but only
    one may go that day; the others need two more Monday mornings: 3 weeks."""
    instance = small(
        units=[{"id": "U1", "region": "MON", "size": 5}],
        groups=[{"unit": "U1", "language": "fr", "pilot": False, "count": 3}],
        instructors=[{"id": "I1", "languages": ["fr"], "regions": ["MON"], "halfdays": [0]}],
        fixed_sessions=[
            {"week": 0, "halfday": 0, "region": "MON", "language": "fr", "instructor": "I1", "free_seats": 16}
        ],
    )
    assert lower_bounds(instance) == (3, 0)


def test_a_half_day_whose_only_room_is_held_by_a_fixed_session_is_closed_to_new_ones():
    """I1 teaches on Monday morning; I2's fixed session holds the only room in week 0, so I1's 4
    sessions (64 people) take weeks 1 to 4: 5 weeks."""
    instance = small(
        units=[{"id": "U1", "region": "MON", "size": 1000}],
        groups=[{"unit": "U1", "language": "fr", "pilot": False, "count": 64}],
        instructors=[
            {"id": "I1", "languages": ["fr"], "regions": ["MON"], "halfdays": [0]},
            {"id": "I2", "languages": ["nl"], "regions": ["MON"], "halfdays": [0]},
        ],
        fixed_sessions=[{"week": 0, "halfday": 0, "region": "MON", "language": "nl", "instructor": "I2"}],
    )
    assert lower_bounds(instance) == (5, 0)
