from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import translation

from deonto.training.models import Course, CourseTranslation, Item, ItemTranslation, Module, ModuleTranslation

MINI = Path(__file__).resolve().parent / "bundles" / "mini"


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Messages are compared in English; tests of other languages override it."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    """Images are stored in a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def guidance(db: None) -> None:
    """The shipped guidance, that course items link to."""
    call_command("sync_guidance", verbosity=0)


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A copy of the mini course bundle that a test may change."""
    target = tmp_path / "mini"
    shutil.copytree(MINI, target)
    return target


def _image(item: Item) -> bytes | None:
    if not item.image:
        return None
    with item.image.open("rb") as handle:
        return handle.read()


@pytest.fixture
def db_state() -> Callable[[], dict[str, Any]]:
    """Everything the training tables hold, without ids, dates and stored file names."""

    def state() -> dict[str, Any]:
        skip = {"id", "created_at", "updated_at", "course_id", "module_id", "item_id", "image"}

        def rows(model: Any, *keys: str) -> list[dict[str, Any]]:
            values = model.objects.values(*keys, *[f.attname for f in model._meta.concrete_fields])
            return sorted(
                ({k: v for k, v in row.items() if k not in skip} for row in values), key=lambda row: repr(row)
            )

        return {
            "courses": rows(Course),
            "course_translations": rows(CourseTranslation, "course__code"),
            "modules": rows(Module, "course__code"),
            "module_translations": rows(ModuleTranslation, "module__code"),
            "items": rows(Item, "course__code", "module__code"),
            "images": {item.code: _image(item) for item in Item.objects.all()},
            "item_translations": rows(ItemTranslation, "item__code"),
        }

    return state


@pytest.fixture
def client_for(make_user: Callable[..., Any]) -> Callable[..., Any]:
    """Signed-in clients whose interface is English unless a test asks for another language."""
    from django.test import Client

    from conftest import sign_in

    def make(*roles: str, language: str = "en") -> Client:
        return sign_in(Client(), make_user(*roles, language=language))

    return make
