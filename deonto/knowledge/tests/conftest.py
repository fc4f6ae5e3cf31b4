from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from deonto.accounts.models import User
from deonto.knowledge.services import SyncReport, guidance_sync
from deonto.knowledge.shipped import CONTENT_DIR


@pytest.fixture
def guidance(db: None) -> SyncReport:
    """The shipped guidance, loaded as `make run` loads it."""
    return guidance_sync()


@pytest.fixture
def content_dir(tmp_path: Path) -> Path:
    """A copy of the shipped content that a test may change."""
    target = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, target)
    return target


@pytest.fixture
def employee(db: None) -> User:
    return User.objects.create_user(username="an.employee", password="a long enough password", language="")
