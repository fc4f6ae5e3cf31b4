"""The command line `python -m deonto.postcheck.analyzers`: JSON on success, a message and exit 2 on bad input."""

import io
import json
import subprocess
import sys
from pathlib import Path

import piexif
import pytest
import skimage.data
from PIL import Image

from deonto.postcheck.analyzers.__main__ import main

POST = "Stuur me gerust een mail op jan.peeters@example.be als je vragen hebt over je aangifte."


def _photo_with_gps(path: Path) -> Path:
    exif = piexif.dump(
        {
            "GPS": {
                piexif.GPSIFD.GPSLatitudeRef: b"N",
                piexif.GPSIFD.GPSLatitude: ((51, 1), (15, 1), (4932, 100)),
                piexif.GPSIFD.GPSLongitudeRef: b"E",
                piexif.GPSIFD.GPSLongitude: ((4, 1), (24, 1), (436, 100)),
            }
        }
    )
    Image.fromarray(skimage.data.astronaut()).save(path, "JPEG", exif=exif)
    return path


def _run(capsys, *argv):
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_prints_the_language_and_the_findings_of_a_text_file_as_json(tmp_path, capsys):
    post = tmp_path / "post.txt"
    post.write_text(POST, encoding="utf-8")

    status, out, err = _run(capsys, "--lang", "nl", str(post))

    assert (status, err) == (0, "")
    result = json.loads(out)
    assert result["language"] == "nl"
    email = next(finding for finding in result["findings"] if finding["rule"] == "identifier:email")
    assert email["category"] == "personal-data"
    assert email["severity"] in ("info", "warning", "high")
    assert email["span"] == [POST.index("jan."), POST.index(" als")]
    assert email["explanation"]
    assert "photo" not in result


def test_reads_the_text_from_standard_input_with_a_dash(monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.StringIO(POST))

    status, out, _ = _run(capsys, "-")

    assert status == 0
    assert "identifier:email" in {finding["rule"] for finding in json.loads(out)["findings"]}


def test_checks_a_photo_alone_or_with_the_text(tmp_path, capsys):
    photo = _photo_with_gps(tmp_path / "beach.jpg")
    post = tmp_path / "post.txt"
    post.write_text(POST, encoding="utf-8")

    status, out, _ = _run(capsys, "--lang", "fr", "--image", str(photo))
    alone = json.loads(out)
    status_both, out_both, _ = _run(capsys, "--image", str(photo), str(post))
    both = json.loads(out_both)

    assert (status, status_both) == (0, 0)
    assert alone["language"] == "fr"
    assert alone["photo"]["metadata"]["latitude"] == pytest.approx(51.2637, abs=1e-4)
    assert "photo:gps" in {finding["rule"] for finding in alone["findings"]}
    assert {"photo:gps", "identifier:email"} <= {finding["rule"] for finding in both["findings"]}


@pytest.mark.parametrize(
    ("content", "code"),
    [("   \n", "empty"), ("x" * 100_000, "too-long")],
)
def test_refuses_an_empty_or_far_too_long_post_with_exit_status_2(tmp_path, capsys, content, code):
    post = tmp_path / "post.txt"
    post.write_text(content, encoding="utf-8")

    status, out, err = _run(capsys, str(post))

    assert (status, out) == (2, "")
    assert err.startswith("error: ")
    assert f"({code})" in err


def test_refuses_a_file_that_is_not_an_image_with_exit_status_2(tmp_path, capsys):
    fake = tmp_path / "holiday.jpg"
    fake.write_text("not a photo at all", encoding="utf-8")

    status, out, err = _run(capsys, "--image", str(fake))

    assert (status, out) == (2, "")
    assert "(not-an-image)" in err


def test_a_missing_file_is_a_clear_error(tmp_path, capsys):
    status, _, err = _run(capsys, str(tmp_path / "missing.txt"))

    assert status == 2
    assert "cannot read" in err
    assert "missing.txt" in err


def test_a_file_that_is_not_utf8_text_is_a_clear_error(tmp_path, capsys):
    post = tmp_path / "post.txt"
    post.write_bytes(b"\xff\xfe\x00binary")

    status, _, err = _run(capsys, str(post))

    assert status == 2
    assert "not UTF-8" in err


def test_without_text_or_image_it_shows_the_usage_and_exits_2(capsys):
    with pytest.raises(SystemExit) as exited:
        main([])

    assert exited.value.code == 2
    assert "usage:" in capsys.readouterr().err


def test_an_unknown_language_is_refused(capsys):
    with pytest.raises(SystemExit) as exited:
        main(["--lang", "es", "-"])

    assert exited.value.code == 2


def test_runs_as_a_module(tmp_path):
    post = tmp_path / "post.txt"
    post.write_text(POST, encoding="utf-8")

    completed = subprocess.run(  # noqa: S603 — our own module with a path we made
        [sys.executable, "-m", "deonto.postcheck.analyzers", "--lang", "nl", str(post)],
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).resolve().parents[3],
        timeout=60,
    )

    assert completed.returncode == 0, completed.stderr
    assert json.loads(completed.stdout)["language"] == "nl"
