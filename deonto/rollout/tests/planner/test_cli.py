"""The command line as the app's child process and the benchmarks run it: a real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from deonto.rollout.planner.__main__ import main
from deonto.rollout.planner.instance import dump_instance
from deonto.rollout.planner.plan import plan_from_dict
from deonto.rollout.planner.verify import verify

from .conftest import small

ROOT = Path(__file__).resolve().parents[4]


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own module, fixed arguments
        [sys.executable, "-m", "deonto.rollout.planner", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )


def test_the_plan_is_printed_as_json_and_exits_0_when_everyone_is_covered(tmp_path, instance):
    path = tmp_path / "instance.json"
    path.write_text(json.dumps(dump_instance(instance)))

    result = run(str(path), "--time-limit", "5")

    assert result.returncode == 0, result.stderr
    plan = plan_from_dict(json.loads(result.stdout))
    assert (plan.method, plan.weeks, plan.pilot_weeks) == ("cp-sat", 2, 1)
    assert (plan.lower_bound_weeks, plan.lower_bound_pilot_weeks) == (2, 1)
    assert verify(instance, plan) == []


def test_the_baseline_reads_standard_input_and_reports_progress_on_stderr(instance):
    result = run(
        "-", "--baseline", "--progress", "--time-limit", "5", stdin=json.dumps(dump_instance(instance))
    )

    assert result.returncode == 0, result.stderr
    plan = plan_from_dict(json.loads(result.stdout))
    assert (plan.method, plan.weeks, plan.lower_bound_weeks, plan.gap_weeks) == ("baseline", 2, 2, 0)
    assert verify(instance, plan) == []
    lines = result.stderr.splitlines()
    assert lines[0] == "progress 0 baseline"
    assert lines[-1] == "progress 100 done"
    assert all(line.startswith("progress ") and line.split()[1].isdigit() for line in lines)


def test_people_that_cannot_be_placed_give_exit_3_with_the_plan_and_its_problems():
    instance = small(
        groups=[
            {"unit": "U1", "language": "fr", "pilot": False, "count": 3},
            {"unit": "U1", "language": "de", "pilot": False, "count": 2},
        ]
    )

    result = run("-", "--baseline", stdin=json.dumps(dump_instance(instance)))

    assert result.returncode == 3, result.stderr
    output = json.loads(result.stdout)
    assert output["status"] == "partial"
    assert [(p["kind"], p["region"], p["language"], p["people"]) for p in output["problems"]] == [
        ("no-instructor", "MON", "de", 2)
    ]
    assert verify(instance, plan_from_dict(output)) == []


def test_an_invalid_instance_gives_exit_2_one_line_on_stderr_and_nothing_on_stdout():
    data = dump_instance(small())
    data["units"][0]["region"] = "XYZ"

    result = run("-", stdin=json.dumps(data))

    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == "invalid instance: unit U1: unknown region 'XYZ'\n"


def test_a_file_that_is_not_json_or_is_missing_is_an_invalid_instance(tmp_path, capsys):
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    missing = tmp_path / "missing.json"

    assert main([str(broken)]) == 2
    assert capsys.readouterr() == (
        "",
        "invalid instance: Expecting property name enclosed in double quotes: line 1 column 2 (char 1)\n",
    )
    assert main([str(missing)]) == 2
    assert capsys.readouterr() == ("", f"invalid instance: {missing}: No such file or directory\n")
