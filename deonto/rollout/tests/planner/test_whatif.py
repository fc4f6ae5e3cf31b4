from __future__ import annotations

import dataclasses

from deonto.rollout.planner import generate, solve, what_ifs
from deonto.rollout.planner.whatif import halfday_name

from .conftest import small


def one_instructor(rooms=1, halfdays=(0,), second=None):
    """64 French speakers of a large unit: 4 sessions; one instructor on Monday morning: 4 weeks."""
    instructors = [{"id": "I1", "languages": ["fr"], "regions": ["MON"], "halfdays": list(halfdays)}]
    if second:
        instructors.append(second)
    return small(
        regions=[{"id": "MON", "rooms": rooms}],
        units=[{"id": "U1", "region": "MON", "size": 1000}],
        groups=[{"unit": "U1", "language": "fr", "pilot": False, "count": 64}],
        instructors=instructors,
    )


def test_one_more_instructor_or_half_day_halves_a_single_instructors_rollout():
    """4 sessions on one half-day a week take 4 weeks. A second instructor like the first (Monday
    morning, but there is one room) gives nothing; one more half-day for I1 (Tuesday morning, a
    day it does not teach yet) gives 2 sessions a week: 2 weeks, 2 saved."""
    instance = one_instructor()
    plan = solve(instance)

    found = {(w.kind, w.weeks, w.saves_weeks) for w in what_ifs(instance, plan)}

    assert ("halfday", 2, 2) in found
    assert ("instructor", 4, 0) in found
    halfday = next(w for w in what_ifs(instance, plan) if w.kind == "halfday")
    assert dict(halfday.figures) == {"region": "MON", "language": "fr", "instructor": "I1", "halfday": 2}
    assert halfday.text == "Instructor I1 also teaches on Tuesday morning: 2 weeks, saves 2 weeks"


def test_one_more_room_helps_where_rooms_bind():
    """Two instructors on Monday morning and one room: one session a week, 4 weeks; a second room
    gives two a week: 2 weeks."""
    instance = one_instructor(second={"id": "I2", "languages": ["fr"], "regions": ["MON"], "halfdays": [0]})
    plan = solve(instance)

    room = next(w for w in what_ifs(instance, plan) if w.kind == "room")

    assert (room.weeks, room.saves_weeks) == (2, 2)
    assert room.text == "One more room in MON: 2 weeks, saves 2 weeks"


def test_the_best_what_if_comes_first():
    instance = one_instructor(second={"id": "I2", "languages": ["fr"], "regions": ["MON"], "halfdays": [0]})
    plan = solve(instance)

    saved = [w.saves_weeks for w in what_ifs(instance, plan)]

    assert saved == sorted(saved, reverse=True)


def test_half_days_are_named_by_day_and_part():
    assert [halfday_name(h) for h in (0, 1, 9)] == ["Monday morning", "Monday afternoon", "Friday afternoon"]


def test_what_ifs_on_a_generated_instance_are_found_and_none_takes_longer_than_the_plans_bound():
    # Their speed is measured by benchmarks/planner.py (p22000_what_if_each_s).
    instance = generate(4500, 1)
    plan = solve(instance)

    found = what_ifs(instance, plan)

    assert found
    assert all(w.weeks <= plan.lower_bound_weeks for w in found)


def test_confirmed_what_ifs_report_the_weeks_a_full_plan_of_the_change_takes():
    """A fixed session with 2 free seats, a closure and an absence: confirmed, the what-if gives
    the weeks a full plan of the changed resources takes (the counts model alone gives a bound,
    which a plan of such an instance need not reach), and the weeks saved count from the plan."""
    instance = small(
        regions=[{"id": "MON", "rooms": 1}, {"id": "EUP", "rooms": 1}],
        units=[{"id": "U17", "region": "MON", "size": 40}, {"id": "U18", "region": "EUP", "size": 12}],
        groups=[
            {"unit": "U17", "language": "fr", "pilot": True, "count": 9},
            {"unit": "U17", "language": "fr", "pilot": False, "count": 21},
        ],
        instructors=[
            {
                "id": "I3",
                "languages": ["fr", "nl"],
                "regions": ["MON"],
                "halfdays": [0, 7],
                "unavailable": [[1, 7]],
            }
        ],
        closures=[{"week": 0, "halfday": 7}],
        fixed_sessions=[
            {
                "week": 0,
                "halfday": 0,
                "region": "MON",
                "language": "fr",
                "instructor": "I3",
                "attendees": {"U17|fr|1": 3},
                "free_seats": 2,
            }
        ],
    )
    plan = solve(instance)

    confirmed = what_ifs(instance, plan, confirm=True)

    halfday = next(w for w in confirmed if w.kind == "halfday")
    instructor = instance.instructor("I3")
    changed = dataclasses.replace(
        instance,
        instructors=(
            dataclasses.replace(
                instructor, halfdays=tuple(sorted((*instructor.halfdays, halfday.figures["halfday"])))
            ),
        ),
    )
    assert halfday.weeks == solve(changed).weeks
    assert halfday.saves_weeks == plan.weeks - halfday.weeks


def room_and_instructor_bind():
    """640 French speakers of a very large unit (40 sessions); one room and one instructor who teaches every
    half-day: ten sessions a week, 4 weeks. A second instructor alone still has one room, a second room
    alone still one instructor, and the instructor has no half-day left: no single change saves a week. The
    bottleneck reported is the instructor; the room binds as soon as there are two."""
    return small(
        regions=[{"id": "MON", "rooms": 1}],
        units=[{"id": "U1", "region": "MON", "size": 100_000}],
        groups=[{"unit": "U1", "language": "fr", "pilot": False, "count": 640}],
        instructors=[{"id": "I1", "languages": ["fr"], "regions": ["MON"], "halfdays": list(range(10))}],
    )


def test_when_no_single_change_saves_a_week_the_fewest_changes_that_do_together_come_first():
    instance = room_and_instructor_bind()
    plan = solve(instance)
    assert plan.weeks == 4

    found = what_ifs(instance, plan)

    together, *singles = found
    assert [(w.kind, w.saves_weeks) for w in singles] == [("instructor", 0)]
    assert together.kind == "together"
    assert (together.weeks, together.saves_weeks) == (2, 2)
    assert [change["kind"] for change in together.figures["changes"]] == ["instructor", "room"]
    assert together.text == "One more instructor for MON, fr and One more room in MON: 2 weeks, saves 2 weeks"


def test_the_changes_together_are_confirmed_by_a_full_plan_of_them():
    instance = room_and_instructor_bind()
    plan = solve(instance)

    together = what_ifs(instance, plan, confirm=True)[0]

    changed = dataclasses.replace(
        instance,
        regions=(dataclasses.replace(instance.regions[0], rooms=2),),
        instructors=(*instance.instructors, dataclasses.replace(instance.instructors[0], id="I2")),
    )
    assert together.kind == "together"
    assert together.weeks == solve(changed).weeks == 2


def test_no_changes_together_are_offered_when_a_single_change_saves_a_week():
    instance = one_instructor()
    plan = solve(instance)

    assert "together" not in {w.kind for w in what_ifs(instance, plan)}
