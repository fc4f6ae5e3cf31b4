"""Evidence of integrity reports: adding it, reading it, rotating the keys and checking it all.

Every piece of evidence is encrypted in the vault (``vault.py``) with the SHA-256 of its plaintext
on the record; every read checks that fingerprint, and every event on a piece of evidence is
appended to the custody chain by ``custody_record``.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePosixPath
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.core.validators import URLValidator
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from deonto.accounts.models import User
from deonto.core.audit import audit_record
from deonto.core.errors import DomainError
from deonto.integrity.models import (
    CustodyEvent,
    CustodyKind,
    Evidence,
    EvidenceKind,
    Report,
    ReportStatus,
)
from deonto.integrity.vault import (
    VaultError,
    vault_aad,
    vault_current_key_id,
    vault_decrypt,
    vault_encrypt,
    vault_key_id,
    vault_keys,
    vault_load,
    vault_new_name,
    vault_remove,
    vault_store,
)

Actor = User | AnonymousUser | None

logger = logging.getLogger(__name__)

CHUNK_BYTES = 64 * 1024
EXTENSIONS = frozenset({".png", ".jpg", ".jpeg", ".webp", ".gif", ".pdf", ".txt"})
READ_KINDS = frozenset({CustodyKind.VIEWED, CustodyKind.DOWNLOADED, CustodyKind.EXPORTED})


@dataclass(frozen=True)
class Problem:
    """What ``evidence_verify_all`` found wrong, and where (``evidence 7 (R-2026-000001)``,
    ``custody event 12``)."""

    subject: str
    message: str

    def __str__(self) -> str:
        return f"{self.subject}: {self.message}"


def _user(actor: Actor) -> User | None:
    return actor if isinstance(actor, User) else None


def _content_type(content: bytes) -> str | None:
    """The type the bytes themselves show; the name and the browser's claim are not trusted."""
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if content.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return "image/webp"
    if content[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if content.startswith(b"%PDF-"):
        return "application/pdf"
    if b"\x00" not in content:
        try:
            content.decode("utf-8")
        except UnicodeDecodeError:
            return None
        return "text/plain"
    return None


def _read(content: bytes | File[bytes], *, limit: int) -> tuple[bytes, str]:
    """The content and its SHA-256, read in chunks and refused as soon as it passes the limit."""
    digest = hashlib.sha256()
    buffer = bytearray()
    chunks = (
        (content[i : i + CHUNK_BYTES] for i in range(0, len(content), CHUNK_BYTES))
        if isinstance(content, bytes)
        else content.chunks(CHUNK_BYTES)
    )
    for chunk in chunks:
        if len(buffer) + len(chunk) > limit:
            raise DomainError(_("The file is larger than %(limit)s.") % {"limit": filesizeformat(limit)})
        digest.update(chunk)
        buffer += chunk
    return bytes(buffer), digest.hexdigest()


def _custody_last_locked() -> CustodyEvent | None:
    """The newest custody event, locked until the transaction ends. A writer that waited for the
    lock finds the event the other writer added meanwhile, and locks that one instead."""
    while True:
        last = CustodyEvent.objects.select_for_update().order_by("-id").first()
        newest = CustodyEvent.objects.order_by("-id").values_list("id", flat=True).first()
        if (last.pk if last else None) == newest:
            return last


def custody_record(
    *, actor: Actor, evidence: Evidence, kind: CustodyKind, details: dict[str, Any] | None = None
) -> CustodyEvent:
    """Append an event to the custody chain. ``details`` holds facts about the file, never
    report content. The unique ``previous_hash`` makes a fork fail even where locks do not hold
    (two writers of the very first event)."""
    with transaction.atomic():
        previous = _custody_last_locked()
        event = CustodyEvent(
            evidence=evidence,
            kind=kind,
            actor=_user(actor),
            at=timezone.now(),
            details=details or {},
            previous_hash=previous.hash if previous else "",
        )
        event.hash = event.expected_hash()
        event.save()
    return event


def _seal_and_store(plaintext: bytes) -> tuple[str, str]:
    """Encrypt under the current key into a new file; its stored name and the key id."""
    key_id = vault_current_key_id()
    stored_name = vault_new_name()
    blob = vault_encrypt(plaintext, aad=vault_aad(stored_name), key_id=key_id, key=vault_keys()[key_id])
    vault_store(blob, stored_name=stored_name)
    return stored_name, key_id


def evidence_add(
    *,
    actor: Actor,
    report: Report,
    content: bytes | File[bytes],
    file_name: str,
    description: str = "",
    captured_url: str = "",
    captured_at: datetime | None = None,
) -> Evidence:
    """Keep a file (an upload, or with ``captured_url`` the capture of an online post) for a report.

    The type is taken from the bytes, not from the name or the browser's content type; the name
    must still have an allowed extension, so that a file opened later does what its name says.
    """
    if report.status == ReportStatus.CLOSED:
        raise DomainError(_("This report is closed: no evidence can be added."))
    name = PurePosixPath(file_name.replace("\\", "/")).name[-255:]
    if captured_url:
        try:
            URLValidator(schemes=["http", "https"])(captured_url)
        except ValidationError:
            raise DomainError(_("The address of the post is not a valid web address.")) from None
    plaintext, sha256 = _read(content, limit=settings.EVIDENCE_MAX_BYTES)
    if not plaintext:
        raise DomainError(_("The file is empty."))
    content_type = _content_type(plaintext)
    if content_type is None or PurePosixPath(name.lower()).suffix not in EXTENSIONS:
        raise DomainError(_("Only images (PNG, JPEG, WebP, GIF), PDF files and plain text can be added."))
    user = _user(actor)
    stored_name, key_id = _seal_and_store(plaintext)
    try:
        with transaction.atomic():
            evidence = Evidence.objects.create(
                report=report,
                kind=EvidenceKind.CAPTURE if captured_url else EvidenceKind.FILE,
                original_name=name,
                content_type=content_type,
                size=len(plaintext),
                sha256=sha256,
                stored_name=stored_name,
                key_id=key_id,
                captured_url=captured_url,
                captured_at=(captured_at or timezone.now()) if captured_url else None,
                captured_by=user if captured_url else None,
                added_by=user,
                description=description,
            )
            custody_record(
                actor=user,
                evidence=evidence,
                kind=CustodyKind.ADDED,
                details={"sha256": sha256, "size": len(plaintext), "key": key_id},
            )
            audit_record(actor=user, action="evidence.add", target=evidence)
    except BaseException:
        vault_remove(stored_name)
        raise
    return evidence


def _evidence_open(evidence: Evidence) -> bytes:
    """The plaintext, once its fingerprint is checked; a refusal names the evidence."""
    try:
        blob = vault_load(evidence.stored_name)
        plaintext = vault_decrypt(blob, aad=vault_aad(evidence.stored_name), keys=vault_keys())
    except (OSError, VaultError) as error:
        logger.error("Evidence %s cannot be read: %s", evidence.pk, error)
        raise DomainError(
            _("Evidence %(evidence)s cannot be read: its file is missing or damaged.")
            % {"evidence": evidence}
        ) from None
    if hashlib.sha256(plaintext).hexdigest() != evidence.sha256:
        logger.error("Evidence %s does not match its SHA-256.", evidence.pk)
        raise DomainError(
            _("Evidence %(evidence)s does not match its fingerprint: it may have been altered.")
            % {"evidence": evidence}
        )
    return plaintext


def evidence_read(*, actor: Actor, evidence: Evidence, kind: CustodyKind = CustodyKind.VIEWED) -> bytes:
    """The evidence's content, checked against its fingerprint; the read is recorded as ``kind``
    (viewed, downloaded or exported). A read that fails the check is refused and not recorded."""
    if kind not in READ_KINDS:
        raise ValueError(f"{kind} is not a way of reading evidence.")
    plaintext = _evidence_open(evidence)
    custody_record(actor=actor, evidence=evidence, kind=kind, details={"sha256": evidence.sha256})
    return plaintext


def _evidence_reencrypt(*, actor: Actor, evidence_id: int) -> bool:
    with transaction.atomic():
        evidence = Evidence.objects.select_for_update().select_related("report").get(pk=evidence_id)
        if evidence.key_id == vault_current_key_id():
            return False
        plaintext = _evidence_open(evidence)
        old_name, old_key = evidence.stored_name, evidence.key_id
        evidence.stored_name, evidence.key_id = _seal_and_store(plaintext)
        try:
            evidence.save(update_fields=["stored_name", "key_id", "updated_at"])
            custody_record(
                actor=actor,
                evidence=evidence,
                kind=CustodyKind.REENCRYPTED,
                details={"from": old_key, "to": evidence.key_id},
            )
        except BaseException:
            vault_remove(evidence.stored_name)
            raise
        transaction.on_commit(lambda: vault_remove(old_name))
    return True


def evidence_keys_rotate(*, actor: Actor) -> int:
    """Re-encrypt under the current key every file still under an older one, so that the older
    keys can be removed; how many files were re-encrypted.

    Each file is its own transaction: a rotation stopped halfway (a damaged file stops it, naming
    the file) is resumed by running it again.
    """
    rotated = 0
    for evidence_id in (
        Evidence.objects.exclude(key_id=vault_current_key_id()).order_by("id").values_list("id", flat=True)
    ):
        rotated += _evidence_reencrypt(actor=actor, evidence_id=evidence_id)
    if rotated:
        audit_record(
            actor=actor,
            action="evidence.keys_rotate",
            details={"key": vault_current_key_id(), "files": rotated},
        )
    return rotated


def _evidence_problems(evidence: Evidence) -> list[Problem]:
    subject = f"evidence {evidence}"
    try:
        blob = vault_load(evidence.stored_name)
    except OSError:
        return [Problem(subject, "its file is missing")]
    try:
        plaintext = vault_decrypt(blob, aad=vault_aad(evidence.stored_name), keys=vault_keys())
    except VaultError as error:
        return [Problem(subject, f"its file cannot be decrypted ({error})")]
    problems = []
    if vault_key_id(blob) != evidence.key_id:
        problems.append(
            Problem(subject, f"its file is under the key {vault_key_id(blob)}, not {evidence.key_id}")
        )
    if hashlib.sha256(plaintext).hexdigest() != evidence.sha256 or len(plaintext) != evidence.size:
        problems.append(Problem(subject, "its content does not match its SHA-256"))
    return problems


def evidence_verify_all() -> list[Problem]:
    """Check every file (present, decrypts, matches its SHA-256) and the custody chain (every
    hash recomputed, every link to the event before). Removing the newest events of the chain
    leaves no gap to find: keep the head that ``verify_evidence`` prints somewhere else.

    Purged evidence has no file left to check: its events stay in the chain, the last one
    "purged", and a piece gone without that event is a problem."""
    problems: list[Problem] = []
    for evidence in Evidence.objects.select_related("report").order_by("id").iterator():
        problems += _evidence_problems(evidence)
    previous: CustodyEvent | None = None
    for event in CustodyEvent.objects.order_by("id").iterator():
        subject = f"custody event {event.pk}"
        if previous is None and event.previous_hash:
            problems.append(Problem(subject, "the chain does not start here: earlier events were removed"))
        elif previous is not None and event.previous_hash != previous.hash:
            problems.append(
                Problem(
                    subject,
                    f"it does not follow custody event {previous.pk}: an event was removed or changed",
                )
            )
        if event.expected_hash() != event.hash:
            problems.append(Problem(subject, "its content does not match its hash: it was changed"))
        previous = event
    return problems + _evidence_removed_unpurged()


def _evidence_removed_unpurged() -> list[Problem]:
    """A piece of evidence with custody events leaves only through a purge, which appends a
    "purged" event first; the database does not hold the events' link to it, so this does."""
    with_events = set(CustodyEvent.objects.values_list("evidence_id", flat=True).distinct())
    present = set(Evidence.objects.filter(pk__in=with_events).values_list("pk", flat=True))
    purged = set(CustodyEvent.objects.filter(kind=CustodyKind.PURGED).values_list("evidence_id", flat=True))
    return [
        Problem(f"evidence {evidence_id}", "it is gone but was never purged: it was removed")
        for evidence_id in sorted(with_events - present - purged)
    ]
