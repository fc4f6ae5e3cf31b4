"""``python -m deonto.training.formats FILE``: the parsed questions as JSON, without Django."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SAMPLES = Path(__file__).resolve().parent / "samples"
ROOT = Path(__file__).resolve().parents[3]


def _run(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own module, with a test file
        [sys.executable, "-m", "deonto.training.formats", str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PATH": "", "PYTHONPATH": str(ROOT)},
        check=False,
    )


def test_a_sample_file_prints_its_questions_as_json():
    result = _run(SAMPLES / "questions.gift")

    assert result.returncode == 0, result.stderr
    questions = json.loads(result.stdout)
    assert [q["kind"] for q in questions] == ["single", "truefalse", "multiple", "short", "matching"]
    assert questions[0]["choices"][0] == {
        "key": "a",
        "text": "Everyone",
        "feedback": "Public means anyone, also outside the organisation.",
        "correct": True,
        "weight": 1.0,
    }
    assert questions[4]["pairs"][0] == {"key": "p1", "left": "Intranet", "right": "colleagues"}


def test_moodle_xml_is_read_by_its_extension():
    result = _run(SAMPLES / "questions.xml")

    assert [q["name"] for q in json.loads(result.stdout)] == ["Privacy settings", "Screenshots"]


def test_a_bad_file_exits_with_1_and_prints_its_errors_with_line_numbers(tmp_path):
    broken = tmp_path / "broken.gift"
    broken.write_text("::Fine:: Is this fine? {T}\n\n::Empty:: {T}\n")

    result = _run(broken)

    assert result.returncode == 1
    assert result.stdout == ""
    assert "line 3: The question has no text." in result.stderr


def test_the_command_runs_without_django_settings():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, deonto.training.formats.__main__; print('django' in sys.modules)",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PATH": "", "PYTHONPATH": str(ROOT)},
        check=True,
    )

    assert result.stdout.strip() == "False"
