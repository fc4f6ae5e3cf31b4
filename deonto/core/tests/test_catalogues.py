"""No untranslated string ships: the Dutch and French catalogues are complete and current."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[3]
LOCALE = ROOT / "deonto" / "locale"


@pytest.mark.parametrize("language", ["nl", "fr"])
def test_catalogue_has_no_untranslated_or_fuzzy_entry(language: str) -> None:
    catalogue = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    missing = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert not missing, f"untranslated in {language}: {missing[:20]}"
    assert not fuzzy, f"fuzzy in {language}: {fuzzy[:20]}"


@pytest.mark.parametrize("language", ["nl", "fr"])
def test_placeholders_survive_translation(language: str) -> None:
    import re

    pattern = re.compile(r"%\(\w+\)[sd]|\{\{ ?\w+ ?\}\}|%[sd]")
    catalogue = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    wrong = []
    for entry in catalogue.translated_entries():
        if entry.msgid_plural:
            continue
        if sorted(pattern.findall(entry.msgid)) != sorted(pattern.findall(entry.msgstr)):
            wrong.append(entry.msgid)
    assert not wrong, f"placeholders differ in {language}: {wrong[:10]}"


def test_catalogues_hold_every_string_of_the_code(tmp_path: Path) -> None:
    """Extract the strings anew (GNU gettext, which `make test` installs) and compare."""
    assert shutil.which("xgettext"), "GNU gettext is missing: `make test` installs it"
    copy = tmp_path / "deonto"
    shutil.copytree(ROOT / "deonto", copy, ignore=shutil.ignore_patterns("__pycache__", "static", "locale"))
    (copy / "locale").mkdir()
    # Without settings, makemessages writes into ./locale of the copy, never into the real catalogues.
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "nl", "--no-obsolete", "--no-location"],
        cwd=copy,
        env={"PATH": "/usr/bin:/bin"},
        check=True,
        capture_output=True,
    )
    extracted = {
        entry.msgid for entry in polib.pofile(str(copy / "locale" / "nl" / "LC_MESSAGES" / "django.po"))
    }
    for language in ("nl", "fr"):
        shipped = {
            entry.msgid for entry in polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
        }
        missing = sorted(extracted - shipped)
        assert not missing, f"strings missing from {language} (run `make messages`): {missing[:20]}"
