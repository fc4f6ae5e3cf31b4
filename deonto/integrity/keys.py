"""The evidence keys, read from ``DEONTO_EVIDENCE_KEYS`` by the settings.

Plain Python, imported by ``deonto/settings.py``: it must import nothing from Django or the apps.
The variable holds ``keyid:base64key`` pairs separated by commas, each key 32 random bytes; the
first pair encrypts new files, the others only decrypt older ones. A key is made with::

    python -c "import base64, os; print('k1:' + base64.b64encode(os.urandom(32)).decode())"
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re

KEY_BYTES = 32
KEY_ID = re.compile(r"[A-Za-z0-9_-]{1,32}")
DEVELOPMENT_KEY_ID = "dev"


def evidence_keys_parse(text: str) -> dict[str, bytes]:
    """The keys by id, the current one first. Raises ``ValueError`` naming the faulty key's id,
    never its material."""
    keys: dict[str, bytes] = {}
    for position, pair in enumerate((part.strip() for part in text.split(",") if part.strip()), 1):
        key_id, separator, encoded = pair.partition(":")
        key_id = key_id.strip()
        if not separator or not KEY_ID.fullmatch(key_id):
            raise ValueError(
                f"entry {position} must be keyid:base64key, the id made of letters, digits, - or _."
            )
        if key_id in keys:
            raise ValueError(f"the key id {key_id} is used twice.")
        try:
            key = base64.b64decode(encoded.strip().replace("-", "+").replace("_", "/"), validate=True)
        except (binascii.Error, ValueError):
            raise ValueError(f"the key {key_id} is not valid base64.") from None
        if len(key) != KEY_BYTES:
            raise ValueError(f"the key {key_id} must be {KEY_BYTES} bytes, not {len(key)}.")
        keys[key_id] = key
    if not keys:
        raise ValueError("no key is given.")
    return keys


def evidence_keys_develop(secret_key: str) -> dict[str, bytes]:
    """A key derived from the secret key, for a developer's machine only (debug mode): anyone who
    knows the secret key can read the evidence, so production always sets its own keys."""
    return {
        DEVELOPMENT_KEY_ID: hashlib.sha256(b"deonto-evidence-development:" + secret_key.encode()).digest()
    }
