"""The planner: the counts model for the fewest weeks, the layout into dated sessions, the seats,
the repair, and the figures that explain the result (see the README's planner section)."""

from __future__ import annotations

import dataclasses
import itertools
import time
from collections.abc import Callable, Mapping

from .baseline import baseline
from .bottlenecks import find_bottlenecks
from .fill import Seating, weeks_of
from .instance import Instance
from .layout import lay_out
from .model import Counts, Resources, binding, prepare, recount, solve_counts
from .plan import Plan
from .problems import find_problems, not_fitting
from .whatif import what_ifs as find_what_ifs

Progress = Callable[[int, str], None]


def solve(
    instance: Instance,
    *,
    time_limit: float = 15.0,
    progress: Progress | None = None,
    what_ifs: bool = False,
) -> Plan:
    """The plan with the fewest weeks the resources allow, then the fewest pilot weeks, then the
    fewest sessions, with its certified lower bounds and bottlenecks."""
    start = time.perf_counter()

    def report(percent: int, stage: str) -> None:
        if progress is not None:
            progress(percent, stage)

    report(0, "problems")
    problems, plannable = find_problems(instance)
    resources = prepare(instance, plannable)
    report(10, "bounds")
    counts = solve_counts(resources, time_limit=time_limit * 0.7)
    if counts is None:
        report(90, "baseline")
        plan = baseline(instance)
        report(100, "done")
        return dataclasses.replace(plan, solve_seconds=time.perf_counter() - start)
    report(60, "layout")
    seating = _best_seating(instance, resources, plannable, counts, time_limit, report)
    sessions = seating.planned()
    leftover = seating.leftover()
    if leftover:
        problems = [*problems, *not_fitting(instance, leftover, kind="max-weeks")]
    weeks = weeks_of(sessions)
    pilot_weeks = weeks_of(sessions, pilot=True)
    report(90, "bottlenecks")
    if problems:
        status = "partial"
    elif weeks == counts.lower_bound_weeks and pilot_weeks <= counts.lower_bound_pilot_weeks:
        status = "optimal"
    else:
        status = "feasible"
    plan = Plan(
        method="cp-sat",
        status=status,
        weeks=weeks,
        pilot_weeks=pilot_weeks,
        lower_bound_weeks=counts.lower_bound_weeks,
        lower_bound_pilot_weeks=counts.lower_bound_pilot_weeks,
        sessions=sessions,
        bottlenecks=find_bottlenecks(
            resources,
            counts.lower_bound_weeks,
            binding(resources, counts.lower_bound_weeks, time_limit=min(2.0, time_limit * 0.1))
            if counts.complete
            else None,
        ),
        problems=tuple(problems),
    )
    if what_ifs:
        report(95, "what-ifs")
        plan = dataclasses.replace(plan, what_ifs=find_what_ifs(instance, plan, confirm=True))
    report(100, "done")
    return dataclasses.replace(plan, solve_seconds=time.perf_counter() - start)


def _best_seating(
    instance: Instance,
    resources: Resources,
    plannable: Mapping[str, int],
    counts: Counts,
    time_limit: float,
    report: Progress,
) -> Seating:
    """Lay out and seat the fewest sessions, each variant of the fill in turn; if no plan reaches the bounds,
    the same with every free slot (more room for the unit rule; empty sessions are dropped).
    The first plan at the bounds, or the best one."""
    best: Seating | None = None
    for sessions, percent in (("fewest", 65), ("most", 80)):
        if sessions == "most":
            counts = recount(resources, counts, sessions="most", time_limit=max(1.0, time_limit * 0.1))
        report(percent, "seats")
        slots, _ = lay_out(instance, resources, counts)
        for pilot_first, fewest_days_first in itertools.product((False, True), (True, False)):
            seating = Seating(instance, plannable)
            seating.add_slots(slots)
            seating.fill(counts.pilot_weeks, pilot_first=pilot_first, fewest_days_first=fewest_days_first)
            seating.repair()
            if best is None or _rank(seating) < _rank(best):
                best = seating
            if _reaches(best, counts):
                return best
    assert best is not None  # noqa: S101 - the loops above always run
    return best


def _rank(seating: Seating) -> tuple[int, int, int, int]:
    """People left, weeks, pilot weeks, sessions: smaller is better."""
    sessions = seating.planned()
    return (
        sum(seating.leftover().values()),
        weeks_of(sessions),
        weeks_of(sessions, pilot=True),
        sum(1 for s in sessions if not s.fixed),
    )


def _reaches(seating: Seating, counts: Counts) -> bool:
    left, weeks, pilot_weeks, _ = _rank(seating)
    return not left and weeks <= counts.lower_bound_weeks and pilot_weeks <= counts.lower_bound_pilot_weeks
