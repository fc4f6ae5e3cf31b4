"""The planner on the command line, the way the app's child process and the benchmarks run it:

    python -m deonto.rollout.planner INSTANCE.json|- [--baseline] [--time-limit S] [--what-ifs] [--progress]

prints the plan as JSON on stdout. Exit status 0: the plan covers everyone; 3: the plan is printed
but some people could not be placed (its ``problems`` say who and why); 2: the instance is invalid
(one line on stderr, nothing on stdout). ``--progress`` writes ``progress <percent> <stage>`` lines
on stderr as the planner goes.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from collections.abc import Callable, Sequence
from typing import Any

from .instance import Instance, InstanceError, load_instance
from .plan import Plan

EXIT_COVERED = 0
EXIT_INVALID = 2
EXIT_PROBLEMS = 3


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m deonto.rollout.planner",
        description="Plan the shortest rollout of an instance and print the plan as JSON.",
    )
    parser.add_argument("instance", help="the instance as a JSON file, or - to read it from standard input")
    parser.add_argument("--baseline", action="store_true", help="plan first come, first served (pilot first)")
    parser.add_argument("--time-limit", type=float, default=15.0, metavar="S", help="seconds (default 15)")
    parser.add_argument(
        "--what-ifs",
        action="store_true",
        help="also weigh one more instructor, half-day or room (not with --baseline)",
    )
    parser.add_argument(
        "--progress", action="store_true", help="write 'progress <percent> <stage>' lines on stderr"
    )
    args = parser.parse_args(argv)
    try:
        instance = load_instance(_read(args.instance))
    except (OSError, json.JSONDecodeError, InstanceError) as error:
        print(f"invalid instance: {_one_line(error)}", file=sys.stderr)
        return EXIT_INVALID
    progress = _report if args.progress else None
    if args.baseline:
        plan = _baseline(instance, time_limit=args.time_limit, progress=progress)
    else:
        from .solve import solve

        plan = solve(instance, time_limit=args.time_limit, progress=progress, what_ifs=args.what_ifs)
    json.dump(plan.to_dict(), sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")
    return EXIT_PROBLEMS if plan.problems else EXIT_COVERED


def _read(source: str) -> Any:
    if source == "-":
        return json.load(sys.stdin)
    with open(source, encoding="utf-8") as file:
        return json.load(file)


def _one_line(error: Exception) -> str:
    if isinstance(error, OSError) and error.strerror:
        return f"{error.filename}: {error.strerror}"
    return " ".join(str(error).split())


def _report(percent: int, stage: str) -> None:
    print(f"progress {percent} {stage}", file=sys.stderr, flush=True)


def _baseline(instance: Instance, *, time_limit: float, progress: Callable[[int, str], None] | None) -> Plan:
    """The baseline plan with the lower bounds of the counts model, so that its gap reads like the
    optimiser's."""
    from .baseline import baseline
    from .model import lower_bounds

    if progress:
        progress(0, "baseline")
    plan = baseline(instance)
    if progress:
        progress(50, "bounds")
    weeks, pilot_weeks = lower_bounds(instance, time_limit=time_limit)
    plan = dataclasses.replace(plan, lower_bound_weeks=weeks, lower_bound_pilot_weeks=pilot_weeks)
    if progress:
        progress(100, "done")
    return plan


if __name__ == "__main__":
    sys.exit(main())
