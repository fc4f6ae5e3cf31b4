"""Re-encrypt the evidence under the current key: ``manage.py rotate_evidence_keys``.

Put the new key first in DEONTO_EVIDENCE_KEYS, keep the old ones after it, run this command,
then remove the old keys.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from deonto.core.errors import DomainError
from deonto.integrity.services import evidence_keys_rotate
from deonto.integrity.vault import vault_current_key_id


class Command(BaseCommand):
    help = "Re-encrypt every evidence file still under an older key with the current (first) key."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            rotated = evidence_keys_rotate(actor=None)
        except DomainError as error:
            raise CommandError(error.message) from None
        if options["verbosity"]:
            self.stdout.write(
                f"{rotated} evidence file(s) re-encrypted with the key {vault_current_key_id()}."
            )
