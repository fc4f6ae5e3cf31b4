"""The evidence vault: files encrypted at rest with AES-256-GCM, on disk under ``DATA_DIR/evidence``.

A stored blob is ``MAGIC``, the key id (one length byte and the id), a 12-byte random nonce and
the ciphertext with its tag. The header and the caller's associated data (the file's stored name)
are authenticated with it, so a blob cannot be given another key id or swapped for another
evidence's file without decryption failing.

The keys are ``settings.EVIDENCE_KEYS`` (see ``deonto/integrity/keys.py``), the current one first.
The folder is a storage of its own that has no URL: evidence is only ever read through the services.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage

MAGIC = b"DEONTO-EVIDENCE\x01"
NONCE_BYTES = 12


class VaultError(Exception):
    """A blob that cannot be opened: not ours, under an unknown key, or altered."""


def vault_keys() -> dict[str, bytes]:
    keys: dict[str, bytes] = settings.EVIDENCE_KEYS
    return keys


def vault_current_key_id() -> str:
    return next(iter(vault_keys()))


def vault_aad(stored_name: str) -> bytes:
    return b"evidence:" + stored_name.encode("ascii")


def _header(key_id: str) -> bytes:
    encoded = key_id.encode("ascii")
    return MAGIC + bytes([len(encoded)]) + encoded


def vault_encrypt(plaintext: bytes, *, aad: bytes, key_id: str, key: bytes) -> bytes:
    header = _header(key_id)
    nonce = os.urandom(NONCE_BYTES)
    return header + nonce + AESGCM(key).encrypt(nonce, plaintext, header + aad)


def vault_key_id(blob: bytes) -> str:
    """The id of the key a blob was encrypted with (authenticated only once it is decrypted)."""
    if not blob.startswith(MAGIC) or len(blob) <= len(MAGIC):
        raise VaultError("not an evidence blob")
    length = blob[len(MAGIC)]
    key_id = blob[len(MAGIC) + 1 : len(MAGIC) + 1 + length]
    if len(key_id) != length:
        raise VaultError("truncated header")
    try:
        return key_id.decode("ascii")
    except UnicodeDecodeError:
        raise VaultError("damaged header") from None


def vault_decrypt(blob: bytes, *, aad: bytes, keys: dict[str, bytes]) -> bytes:
    key_id = vault_key_id(blob)
    if key_id not in keys:
        raise VaultError(f"the key {key_id} is not configured")
    header = _header(key_id)
    nonce = blob[len(header) : len(header) + NONCE_BYTES]
    try:
        return AESGCM(keys[key_id]).decrypt(nonce, blob[len(header) + NONCE_BYTES :], header + aad)
    except (InvalidTag, ValueError):
        raise VaultError("the content does not authenticate") from None


class EvidenceStorage(FileSystemStorage):
    """The evidence folder: readable by the server's user only, and never served by URL."""

    def __init__(self) -> None:
        super().__init__(
            location=Path(settings.DATA_DIR) / "evidence",
            file_permissions_mode=0o600,
            directory_permissions_mode=0o700,
        )

    def url(self, name: str | None) -> str:
        raise ValueError("Evidence has no URL: it is read through deonto.integrity.services.")


def vault_store(blob: bytes, *, stored_name: str) -> None:
    saved = EvidenceStorage().save(stored_name, ContentFile(blob))
    if saved != stored_name:
        raise VaultError(f"{stored_name} already exists")


def vault_load(stored_name: str) -> bytes:
    """Raises ``FileNotFoundError`` when the file is gone."""
    with EvidenceStorage().open(stored_name, "rb") as handle:
        content: bytes = handle.read()
    return content


def vault_remove(stored_name: str) -> None:
    EvidenceStorage().delete(stored_name)


def vault_new_name() -> str:
    """An opaque name that says nothing about the report or the file."""
    return secrets.token_hex(20)
