from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from deonto.integrity.models import CustodyEvent, CustodyKind, Evidence, Report
from deonto.integrity.services import evidence_add, evidence_read, evidence_verify_all
from deonto.integrity.tests.conftest import PNG, new_key

pytestmark = pytest.mark.django_db


def _verify() -> tuple[int, str]:
    """The command's exit status (0 or 1, as `manage.py` gives it) and its output."""
    out = StringIO()
    try:
        call_command("verify_evidence", stdout=out)
    except CommandError as error:
        return 1, out.getvalue() + str(error)
    return 0, out.getvalue()


def _sql(statement: str, *params: Any) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement.format(table=CustodyEvent._meta.db_table), params)


@pytest.fixture
def three(report: Report) -> list[Evidence]:
    return [evidence_add(actor=None, report=report, content=PNG, file_name=f"post-{n}.png") for n in range(3)]


def test_verify_evidence_passes_when_nothing_was_touched(three: list[Evidence]) -> None:
    evidence_read(actor=None, evidence=three[0])
    status, output = _verify()
    assert status == 0, output
    assert "Checked 3 evidence files and 4 custody events." in output
    assert "Everything matches." in output


def test_a_flipped_byte_in_a_stored_file_fails_verification_naming_that_evidence(
    three: list[Evidence], vault: Path
) -> None:
    stored = vault / three[1].stored_name
    blob = bytearray(stored.read_bytes())
    blob[len(blob) // 2] ^= 0x80
    stored.write_bytes(bytes(blob))
    status, output = _verify()
    assert status == 1
    assert f"evidence {three[1].pk} ({three[1].report.reference}): its file cannot be decrypted" in output
    assert f"evidence {three[0].pk} " not in output
    assert "1 problem(s) found." in output


def test_a_missing_file_fails_verification_naming_that_evidence(three: list[Evidence], vault: Path) -> None:
    (vault / three[2].stored_name).unlink()
    status, output = _verify()
    assert status == 1
    assert f"evidence {three[2].pk} ({three[2].report.reference}): its file is missing" in output


def test_a_custody_row_changed_behind_the_models_back_is_named(three: list[Evidence]) -> None:
    changed = CustodyEvent.objects.order_by("id")[1]
    _sql("UPDATE {table} SET details = %s WHERE id = %s", '{"sha256": "forged"}', changed.pk)
    status, output = _verify()
    assert status == 1
    assert f"custody event {changed.pk}: its content does not match its hash" in output
    assert "1 problem(s) found." in output


def test_a_custody_row_deleted_behind_the_models_back_breaks_the_chain_there(three: list[Evidence]) -> None:
    first, removed, after = CustodyEvent.objects.order_by("id")
    _sql("DELETE FROM {table} WHERE id = %s", removed.pk)
    status, output = _verify()
    assert status == 1
    assert f"custody event {after.pk}: it does not follow custody event {first.pk}" in output


def test_removing_the_first_custody_row_is_found(three: list[Evidence]) -> None:
    first, second, _third = CustodyEvent.objects.order_by("id")
    _sql("DELETE FROM {table} WHERE id = %s", first.pk)
    problems = evidence_verify_all()
    assert [problem.subject for problem in problems] == [f"custody event {second.pk}"]
    assert "does not start here" in problems[0].message


def test_rotation_re_encrypts_so_the_old_key_can_be_removed(
    three: list[Evidence], settings: Any, vault: Path, django_capture_on_commit_callbacks: Any
) -> None:
    old_names = {evidence.stored_name for evidence in three}
    old_key = settings.EVIDENCE_KEYS["k1"]
    settings.EVIDENCE_KEYS = {"k2": new_key(), "k1": old_key}
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("rotate_evidence_keys", stdout=out)
    assert "3 evidence file(s) re-encrypted with the key k2." in out.getvalue()
    assert set(Evidence.objects.values_list("key_id", flat=True)) == {"k2"}
    assert not old_names & {path.name for path in vault.iterdir()}
    assert (
        CustodyEvent.objects.filter(kind=CustodyKind.REENCRYPTED, details={"from": "k1", "to": "k2"}).count()
        == 3
    )

    settings.EVIDENCE_KEYS = {"k2": settings.EVIDENCE_KEYS["k2"]}
    for evidence in Evidence.objects.all():
        assert evidence_read(actor=None, evidence=evidence) == PNG
    assert _verify()[0] == 0


def test_rotation_with_nothing_under_an_old_key_changes_nothing(three: list[Evidence]) -> None:
    out = StringIO()
    call_command("rotate_evidence_keys", stdout=out)
    assert "0 evidence file(s)" in out.getvalue()
    assert CustodyEvent.objects.count() == 3


def test_with_two_keys_older_files_are_read_with_the_older_key(report: Report, settings: Any) -> None:
    old = evidence_add(actor=None, report=report, content=PNG, file_name="old.png")
    settings.EVIDENCE_KEYS = {"k2": new_key(), **settings.EVIDENCE_KEYS}
    new = evidence_add(actor=None, report=report, content=b"new text", file_name="new.txt")
    assert (old.key_id, new.key_id) == ("k1", "k2")
    assert evidence_read(actor=None, evidence=old) == PNG
    assert evidence_read(actor=None, evidence=new) == b"new text"
    assert _verify()[0] == 0


def test_removing_a_key_still_in_use_makes_verification_name_its_files(
    three: list[Evidence], settings: Any
) -> None:
    settings.EVIDENCE_KEYS = {"k2": new_key()}
    status, output = _verify()
    assert status == 1
    assert "the key k1 is not configured" in output
    assert "3 problem(s) found." in output


def test_rotation_stops_at_an_altered_file_and_names_it(
    three: list[Evidence], settings: Any, vault: Path
) -> None:
    (vault / three[1].stored_name).write_bytes(b"garbage")
    settings.EVIDENCE_KEYS = {"k2": new_key(), **settings.EVIDENCE_KEYS}
    with pytest.raises(CommandError, match=rf"Evidence {three[1].pk} "):
        call_command("rotate_evidence_keys", stdout=StringIO())
    assert list(Evidence.objects.order_by("id").values_list("key_id", flat=True)) == ["k2", "k1", "k1"]
