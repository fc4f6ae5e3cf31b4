"""Rollout planner: the optimiser against the first-come-first-served baseline on seeded instances
of a customs administration (4,500 people), a ministry (22,000) and all federal staff (65,000).

Each plan is made by the command line in a child process (as the app runs it), timed from the
outside and measured for its peak memory (its own maximum resident set, from wait4), then checked
by the verifier. The baseline's child also computes the lower bounds, so its wall time includes
them; its "solve" column is the baseline alone. Last, the what-ifs of the 22,000 plan are timed.

    .venv/bin/python benchmarks/planner.py [--sizes 4500,22000,65000] [--seed 1] [--time-limit 15]

Prints a table, and as its last line one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from deonto.rollout.planner.generate import generate  # noqa: E402
from deonto.rollout.planner.instance import Instance, dump_instance  # noqa: E402
from deonto.rollout.planner.plan import Plan, plan_from_dict  # noqa: E402
from deonto.rollout.planner.verify import verify  # noqa: E402
from deonto.rollout.planner.whatif import what_ifs  # noqa: E402


@dataclass
class Run:
    plan: Plan
    wall_s: float
    peak_mb: float
    exit_code: int
    violations: list[str]


def run_cli(instance: Instance, path: Path, *, baseline: bool, time_limit: float) -> Run:
    """The plan of the command line in a child process, with its wall time and peak memory."""
    args = [sys.executable, "-m", "deonto.rollout.planner", str(path), "--time-limit", str(time_limit)]
    if baseline:
        args.append("--baseline")
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        child = subprocess.Popen(args, stdout=out, stderr=err, cwd=ROOT)  # noqa: S603 - our own module
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if child.returncode not in (0, 3):
            raise SystemExit(f"the planner failed ({child.returncode}): {err.read().decode()}")
        plan = plan_from_dict(json.loads(out.read()))
    return Run(plan, wall, usage.ru_maxrss / 1024, child.returncode, verify(instance, plan))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="4500,22000,65000", help="people per instance, comma-separated")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--time-limit", type=float, default=15.0, help="seconds per solve (default 15)")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    figures: dict[str, Any] = {"seed": args.seed, "time_limit_s": args.time_limit, "cpus": os.cpu_count()}
    header = (
        f"{'people':>7} {'planner':<9}{'weeks':>6}{'pilot':>6}{'bound':>6}{'p.bnd':>6}{'gap':>5}{'p.gap':>6}"
        f"{'sessions':>9}{'solve s':>8}{'wall s':>7}{'peak MB':>8}  check"
    )
    print(f"seed {args.seed}, time limit {args.time_limit:g} s, {os.cpu_count()} CPUs")
    print(header)
    print("-" * len(header))
    what_if_plan: tuple[Instance, Plan] | None = None
    shapes: list[str] = []
    with tempfile.TemporaryDirectory() as directory:
        for people in sizes:
            instance = generate(people, args.seed)
            shapes.append(
                f"{people:,} people: {len(instance.regions)} regions ({sum(r.rooms for r in instance.regions)} rooms), "
                f"{len(instance.units)} units, {len(instance.groups)} groups, {len(instance.instructors)} instructors "
                f"({sum(len(i.halfdays) for i in instance.instructors)} half-days a week)"
            )
            path = Path(directory) / f"instance-{people}.json"
            path.write_text(json.dumps(dump_instance(instance)))
            for name, baseline in (("cp-sat", False), ("baseline", True)):
                run = run_cli(instance, path, baseline=baseline, time_limit=args.time_limit)
                plan = run.plan
                sessions = len([s for s in plan.sessions if not s.fixed])
                check = (
                    "verified"
                    if not run.violations
                    else f"{len(run.violations)} violations: {run.violations[0]}"
                )
                print(
                    f"{people:>7} {name:<9}{plan.weeks:>6}{plan.pilot_weeks:>6}{plan.lower_bound_weeks:>6}"
                    f"{plan.lower_bound_pilot_weeks:>6}{plan.gap_weeks:>5}{plan.gap_pilot_weeks:>6}{sessions:>9}"
                    f"{plan.solve_seconds:>8.2f}{run.wall_s:>7.2f}{run.peak_mb:>8.0f}  {check}"
                )
                prefix = f"p{people}_" if name == "cp-sat" else f"p{people}_baseline_"
                figures.update(
                    {
                        f"{prefix}weeks": plan.weeks,
                        f"{prefix}pilot_weeks": plan.pilot_weeks,
                        f"{prefix}lower_bound_weeks": plan.lower_bound_weeks,
                        f"{prefix}lower_bound_pilot_weeks": plan.lower_bound_pilot_weeks,
                        f"{prefix}gap_weeks": plan.gap_weeks,
                        f"{prefix}gap_pilot_weeks": plan.gap_pilot_weeks,
                        f"{prefix}sessions": sessions,
                        f"{prefix}solve_s": round(plan.solve_seconds, 3),
                        f"{prefix}wall_s": round(run.wall_s, 3),
                        f"{prefix}peak_mb": round(run.peak_mb, 1),
                        f"{prefix}violations": len(run.violations),
                    }
                )
                if name == "cp-sat" and people == 22_000:
                    what_if_plan = (instance, plan)
    print()
    print("\n".join(shapes))
    if what_if_plan is not None:
        instance, plan = what_if_plan
        started = time.perf_counter()
        found = what_ifs(instance, plan)
        seconds = time.perf_counter() - started
        each_s = seconds / len(found) if found else seconds
        print(
            f"what-ifs of the 22,000 plan: {len(found)} in {seconds:.2f} s, {each_s:.2f} s each (time limit 1 s)"
        )
        for each in found:
            print(f"  {each.text}")
        figures.update(
            {
                "p22000_what_ifs_s": round(seconds, 3),
                "p22000_what_if_each_s": round(each_s, 3),
                "p22000_what_ifs": len(found),
            }
        )
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
