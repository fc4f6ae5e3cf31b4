from __future__ import annotations

import base64
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation

from deonto.integrity.models import Report
from deonto.integrity.tests.factories import ReportFactory

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(range(256)) * 4


def new_key() -> bytes:
    return os.urandom(32)


def keys_text(**keys: bytes) -> str:
    return ",".join(f"{key_id}:{base64.b64encode(key).decode()}" for key_id, key in keys.items())


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Messages are compared in English."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def vault(settings: Any, tmp_path: Path) -> Path:
    """Evidence is kept in a folder of the test's own, under a key of the test's own."""
    settings.DATA_DIR = tmp_path
    settings.EVIDENCE_KEYS = {"k1": new_key()}
    return tmp_path / "evidence"


@pytest.fixture
def report(db: None) -> Report:
    return ReportFactory()
