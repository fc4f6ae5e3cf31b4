from __future__ import annotations

import base64
import os
import subprocess
import sys
from pathlib import Path

import pytest

from deonto.integrity.keys import evidence_keys_develop, evidence_keys_parse
from deonto.integrity.tests.conftest import keys_text, new_key
from deonto.integrity.vault import (
    EvidenceStorage,
    VaultError,
    vault_aad,
    vault_decrypt,
    vault_encrypt,
    vault_key_id,
)

ROOT = Path(__file__).resolve().parents[3]


def test_encrypted_content_decrypts_to_the_original() -> None:
    key = new_key()
    blob = vault_encrypt(b"screenshot", aad=vault_aad("abc"), key_id="k1", key=key)
    assert b"screenshot" not in blob
    assert vault_key_id(blob) == "k1"
    assert vault_decrypt(blob, aad=vault_aad("abc"), keys={"k1": key}) == b"screenshot"


def test_a_blob_does_not_open_under_another_files_name() -> None:
    key = new_key()
    blob = vault_encrypt(b"screenshot", aad=vault_aad("abc"), key_id="k1", key=key)
    with pytest.raises(VaultError):
        vault_decrypt(blob, aad=vault_aad("def"), keys={"k1": key})


def test_a_blob_relabelled_with_another_key_id_does_not_open() -> None:
    key = new_key()
    blob = vault_encrypt(b"screenshot", aad=vault_aad("abc"), key_id="k1", key=key)
    relabelled = blob.replace(b"k1", b"k2", 1)
    with pytest.raises(VaultError):
        vault_decrypt(relabelled, aad=vault_aad("abc"), keys={"k1": key, "k2": key})


def test_a_blob_under_an_unknown_key_is_refused_by_name() -> None:
    blob = vault_encrypt(b"x", aad=b"", key_id="old", key=new_key())
    with pytest.raises(VaultError, match="old"):
        vault_decrypt(blob, aad=b"", keys={"k1": new_key()})


def test_keys_are_read_in_order_the_first_being_current() -> None:
    first, second = new_key(), new_key()
    keys = evidence_keys_parse(keys_text(k2=second, k1=first))
    assert list(keys) == ["k2", "k1"]
    assert keys["k1"] == first


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "no key"),
        ("k1", "keyid:base64key"),
        ("k1:not-base64!", "not valid base64"),
        ("k1:" + base64.b64encode(b"short").decode(), "32 bytes"),
        (keys_text(k1=b"a" * 32) + "," + keys_text(k1=b"b" * 32), "used twice"),
    ],
)
def test_malformed_keys_are_refused_without_showing_them(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message) as error:
        evidence_keys_parse(text)
    assert "YWFh" not in str(error.value)


def test_the_development_key_follows_the_secret_key() -> None:
    assert evidence_keys_develop("a") == evidence_keys_develop("a") != evidence_keys_develop("b")


def test_evidence_storage_has_no_url() -> None:
    with pytest.raises(ValueError):
        EvidenceStorage().url("anything")


def _production_check(**extra: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DEONTO_", "DJANGO_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="deonto.settings",
        DEONTO_ENV_FILE="",
        DEONTO_SECRET_KEY="s" * 60,
        DEONTO_ALLOWED_HOSTS="deonto.example.org",
        **extra,
    )
    return subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )


def test_production_refuses_to_start_without_evidence_keys() -> None:
    result = _production_check()
    assert result.returncode != 0
    assert "DEONTO_EVIDENCE_KEYS must be set" in result.stderr


def test_production_refuses_to_start_with_malformed_evidence_keys() -> None:
    result = _production_check(DEONTO_EVIDENCE_KEYS="k1:tooshort")
    assert result.returncode != 0
    assert "DEONTO_EVIDENCE_KEYS is malformed" in result.stderr
