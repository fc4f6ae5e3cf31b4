from __future__ import annotations

import importlib
import json

import pytest

from deonto.rollout.planner import generate, solve, verify
from deonto.rollout.planner.plan import plan_from_dict

from .conftest import small


def test_the_small_instance_is_planned_at_its_lower_bound(instance):
    """The unit rule bounds it at 2 weeks and 1 pilot week (see test_model); the plan reaches both."""
    plan = solve(instance)

    assert (plan.method, plan.status) == ("cp-sat", "optimal")
    assert (plan.weeks, plan.pilot_weeks) == (2, 1)
    assert (plan.lower_bound_weeks, plan.lower_bound_pilot_weeks) == (2, 1)
    assert sum(s.size for s in plan.sessions) == 12
    assert verify(instance, plan) == []


def test_a_language_nobody_teaches_in_a_region_is_a_problem_and_the_rest_is_planned():
    instance = small(
        groups=[
            {"unit": "U1", "language": "fr", "pilot": False, "count": 4},
            {"unit": "U1", "language": "de", "pilot": False, "count": 3},
        ]
    )

    plan = solve(instance)

    assert plan.status == "partial"
    assert [(p.kind, p.figures["language"], p.figures["people"]) for p in plan.problems] == [
        ("no-instructor", "de", 3)
    ]
    assert [dict(s.attendees) for s in plan.sessions] == [{"U1|fr|0": 4}]
    assert verify(instance, plan) == []


def test_closures_and_absences_are_kept():
    """Monday morning only; closed everywhere in week 0, the instructor away in week 2, the region
    closed in week 3: the four sessions for 64 people fall in weeks 1, 4, 5 and 6."""
    instance = small(
        units=[{"id": "U1", "region": "MON", "size": 1000}],
        groups=[{"unit": "U1", "language": "fr", "pilot": False, "count": 64}],
        instructors=[
            {"id": "I1", "languages": ["fr"], "regions": ["MON"], "halfdays": [0], "unavailable": [[2, 0]]}
        ],
        closures=[{"week": 0, "halfday": 0}, {"week": 3, "halfday": 0, "region": "MON"}],
    )

    plan = solve(instance)

    assert [s.week for s in plan.sessions] == [1, 4, 5, 6]
    assert (plan.weeks, plan.lower_bound_weeks, plan.status) == (7, 7, "optimal")
    assert verify(instance, plan) == []


def test_a_fixed_session_is_kept_and_its_free_seats_are_used_first():
    """The fixed session of week 0 has 2 people of U1 and 6 free seats; U1 (size 100) may send 20
    a day, so 6 of the 40 go there and the other 34 take 3 new sessions in weeks 1 to 3 (the
    instructor's only half-day is held by the fixed session in week 0)."""
    instance = small(
        units=[{"id": "U1", "region": "MON", "size": 100}],
        groups=[{"unit": "U1", "language": "fr", "pilot": False, "count": 40}],
        instructors=[{"id": "I1", "languages": ["fr"], "regions": ["MON"], "halfdays": [0]}],
        fixed_sessions=[
            {
                "week": 0,
                "halfday": 0,
                "region": "MON",
                "language": "fr",
                "instructor": "I1",
                "attendees": {"U1|fr|0": 2},
                "free_seats": 6,
            }
        ],
    )

    plan = solve(instance)

    assert [(s.week, s.fixed, s.size) for s in plan.sessions] == [
        (0, True, 6),
        (1, False, 16),
        (2, False, 16),
        (3, False, 2),
    ]
    assert (plan.weeks, plan.lower_bound_weeks) == (4, 4)
    assert verify(instance, plan) == []


def test_people_beyond_max_weeks_are_reported_not_dropped():
    """One session a week for 64 people of a large unit needs 4 weeks; max_weeks is 2."""
    instance = small(
        units=[{"id": "U1", "region": "MON", "size": 1000}],
        groups=[{"unit": "U1", "language": "fr", "pilot": False, "count": 64}],
        instructors=[{"id": "I1", "languages": ["fr"], "regions": ["MON"], "halfdays": [0]}],
        max_weeks=2,
    )

    plan = solve(instance)

    assert plan.status == "partial"
    assert plan.weeks == 2
    assert [(p.kind, p.figures["people"]) for p in plan.problems] == [("max-weeks", 32)]
    assert verify(instance, plan) == []


def test_progress_is_reported_in_order_up_to_100(instance):
    seen = []

    solve(instance, progress=lambda percent, stage: seen.append((percent, stage)))

    percents = [percent for percent, _ in seen]
    assert percents == sorted(percents)
    assert seen[0] == (0, "problems")
    assert seen[-1] == (100, "done")


def test_nothing_to_plan_gives_an_empty_optimal_plan():
    plan = solve(small(groups=[]))

    assert (plan.status, plan.weeks, plan.pilot_weeks, plan.sessions) == ("optimal", 0, 0, ())


@pytest.mark.parametrize("seed", [1, 2])
def test_a_generated_instance_is_planned_at_its_bound_and_keeps_every_rule(seed):
    instance = generate(1500, seed)

    plan = solve(instance, what_ifs=True)

    assert plan.status == "optimal"
    assert plan.gap_weeks == 0
    assert plan.gap_pilot_weeks == 0
    assert plan.bottlenecks
    assert plan.what_ifs
    assert verify(instance, plan) == []
    as_json = json.loads(json.dumps(plan.to_dict()))
    assert plan_from_dict(as_json).to_dict() == plan.to_dict()


def test_the_baseline_plans_when_the_counts_model_finds_nothing_in_time(instance, monkeypatch):
    solve_module = importlib.import_module("deonto.rollout.planner.solve")
    monkeypatch.setattr(solve_module, "solve_counts", lambda resources, time_limit: None)

    plan = solve(instance)

    assert plan.method == "baseline"
    assert sum(s.size for s in plan.sessions) == 12
    assert verify(instance, plan) == []
