"""A check leaves no trace of what was submitted: only counts per category, nothing in any table, file or log."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models

from deonto.accounts.roles import Role
from deonto.postcheck.models import CategoryCount
from deonto.postcheck.tests.photos import photo_with_gps

pytestmark = pytest.mark.django_db

SECRET = "Zilverreiger"
DRAFT = f"Mooie vangst vandaag: 200 kg coke in container {SECRET}. Bel {SECRET} op 0470 12 34 56."


def _text_columns(model: type[models.Model]) -> list[str]:
    return [
        field.attname
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField | models.JSONField | models.BinaryField)
    ]


def _stored_anywhere(marker: str) -> list[str]:
    found = []
    for model in apps.get_models():
        columns = _text_columns(model)
        if not columns:
            continue
        for row in model._default_manager.values_list(*columns):
            if any(marker.lower() in str(value).lower() for value in row if value is not None):
                found.append(model._meta.label)
    return found


def _files_containing(marker: bytes, *folders: Path) -> list[Path]:
    return [
        path
        for folder in folders
        if folder.exists()
        for path in folder.rglob("*")
        if path.is_file() and path.stat().st_size < 50_000_000 and marker in path.read_bytes()
    ]


def test_a_check_stores_nothing_of_the_text_or_the_photo(client_for, settings, tmp_path, caplog) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    client = client_for(Role.EMPLOYEE)
    photo = photo_with_gps()
    caplog.set_level(logging.DEBUG)

    page = client.post("/check/", {"text": DRAFT, "photo": SimpleUploadedFile("p.jpg", photo, "image/jpeg")})
    api = client.post("/api/postcheck", {"text": DRAFT})
    clean = client.post("/check/clean/", {"photo": SimpleUploadedFile("p.jpg", photo, "image/jpeg")})
    masked = client.post(
        "/check/masked/", {"photo": SimpleUploadedFile("p.jpg", photo, "image/jpeg"), "mask": ["0,0,200,100"]}
    )
    assert page.status_code == api.status_code == clean.status_code == masked.status_code == 200

    assert _stored_anywhere(SECRET) == []
    assert _stored_anywhere("0470 12 34 56") == []
    assert set(CategoryCount.objects.values_list("category", flat=True)) >= {"operational", "personal-data"}
    marker = photo[-4096:]
    assert _files_containing(marker, tmp_path, Path(settings.DATA_DIR)) == []
    assert _files_containing(SECRET.encode(), tmp_path) == []
    assert SECRET not in caplog.text


def test_the_counts_hold_no_text_no_user_and_no_language() -> None:
    columns = {field.name for field in CategoryCount._meta.concrete_fields}
    assert columns == {"id", "day", "category", "count"}
    assert settings.DATA_DIR
