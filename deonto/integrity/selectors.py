"""Reads of the evidence vault for the people who run the server (commands, monitoring)."""

from __future__ import annotations

from dataclasses import dataclass

from deonto.integrity.models import CustodyEvent, Evidence


@dataclass(frozen=True)
class VaultSummary:
    files: int
    events: int
    head_id: int | None
    head_hash: str


def vault_summary() -> VaultSummary:
    """What the vault holds, and the newest custody event: recorded elsewhere, its hash shows
    later whether the chain was cut short."""
    head = CustodyEvent.objects.order_by("-id").only("id", "hash").first()
    return VaultSummary(
        files=Evidence.objects.count(),
        events=CustodyEvent.objects.count(),
        head_id=head.pk if head else None,
        head_hash=head.hash if head else "",
    )
