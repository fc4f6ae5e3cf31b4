"""A practice case may carry a picture, described in every language, shown in the player and in class."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from django.test import Client
from django.urls import reverse

from conftest import sign_in
from deonto.accounts.roles import Role
from deonto.core.errors import DomainError
from deonto.training.models import Item, LiveRun
from deonto.training.services import course_bundle_load
from deonto.training.services_learning import attempt_start, course_publish

pytestmark = pytest.mark.django_db

ALT = {
    "nl": "Een selfie in uniform op de kaai",
    "fr": "Un selfie en uniforme sur le quai",
    "en": "A selfie in uniform",
}


def _with_case_picture(mini: Path, *, described: bool = True) -> Path:
    path = mini / "modules" / "01-basics.yaml"
    module = yaml.safe_load(path.read_text(encoding="utf-8"))
    case = next(item for item in module["items"] if item["code"] == "basics-case-chat")
    case["image"] = "images/badge.svg"
    if described:
        for language, text in case["text"].items():
            text["image_alt"] = ALT[language]
    path.write_text(yaml.safe_dump(module, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return mini


def test_a_case_picture_without_a_description_is_refused(mini, guidance) -> None:
    with pytest.raises(DomainError, match="image_alt"):
        course_bundle_load(directory_or_zip=_with_case_picture(mini, described=False))
    assert not Item.objects.exists()


def test_the_player_shows_the_case_picture_with_its_description(mini, guidance, make_user) -> None:
    course = course_publish(actor=None, course=course_bundle_load(directory_or_zip=_with_case_picture(mini)))
    user = make_user(Role.EMPLOYEE, language="fr")
    attempt_start(actor=user, course=course, language="fr")
    case_number = (
        list(course.items.exclude(quiz=True).order_by("module__position", "position")).index(
            course.items.get(code="basics-case-chat")
        )
        + 1
    )

    page = (
        sign_in(Client(), user)
        .get(reverse("training:learn_item", args=["mini", case_number]))
        .content.decode()
    )

    assert f'alt="{ALT["fr"]}"' in page


def test_the_live_screen_shows_the_case_picture(mini, guidance, make_user) -> None:
    course = course_bundle_load(directory_or_zip=_with_case_picture(mini))
    instructor = make_user(Role.INSTRUCTOR, language="nl")
    case = course.items.get(code="basics-case-chat")
    run = LiveRun.objects.create(
        course=course, language="nl", instructor=instructor, join_code="PICTUR", items=[case.pk]
    )

    page = sign_in(Client(), instructor).get(reverse("training:live_screen", args=[run.pk])).content.decode()

    assert f'alt="{ALT["nl"]}"' in page


def test_pictures_are_served_by_the_app_and_an_svg_runs_nothing(mini, guidance) -> None:
    course = course_bundle_load(directory_or_zip=_with_case_picture(mini))
    case = course.items.get(code="basics-case-chat")

    response = Client().get(reverse("training:item_image", args=[case.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"<svg" in b"".join(response.streaming_content)


def test_an_item_without_a_picture_has_none_to_serve(mini, guidance) -> None:
    course = course_bundle_load(directory_or_zip=mini)
    case = course.items.get(code="basics-case-chat")
    assert Client().get(reverse("training:item_image", args=[case.pk])).status_code == 404
