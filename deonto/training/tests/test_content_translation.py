"""The translator's workspace: the list of what is left to translate, and the side-by-side form."""

from __future__ import annotations

import pytest
from django.urls import reverse

from deonto.training.models import (
    ItemTranslation,
    ModuleTranslation,
    TranslationStatus,
    content_fingerprint,
)
from deonto.training.services import course_bundle_load

from .conftest import MINI

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(guidance):
    return course_bundle_load(directory_or_zip=MINI)


def _source(code: str) -> ItemTranslation:
    return ItemTranslation.objects.get(item__code=code, language="nl")


def test_the_list_shows_only_missing_outdated_and_draft_texts_per_module(course, client_for):
    ItemTranslation.objects.filter(item__code="basics-intro", language="fr").delete()
    ItemTranslation.objects.filter(item__code="practice-q-short", language="fr").update(
        status=TranslationStatus.DRAFT
    )
    ItemTranslation.objects.filter(item__code="basics-q-single", language="fr").update(
        source_fingerprint="0" * 16
    )

    response = client_for("coordinator", language="en").get(
        reverse("training:translation_list", args=["mini", "fr"])
    )

    page = response.content.decode()
    listed = {row["gap"].code: row["gap"].state for s in response.context["sections"] for row in s.gaps}
    assert listed == {"basics-intro": "missing", "practice-q-short": "draft", "basics-q-single": "outdated"}
    for label in ("Missing", "Draft", "Outdated"):
        assert f">{label}</span>" in page
    assert reverse("training:translation_edit", args=["mini", "fr", "basics-intro"]) in page
    assert "basics-case-chat" not in page


def test_the_list_takes_a_fixed_number_of_queries(course, client_for, django_assert_num_queries):
    client = client_for("coordinator")
    url = reverse("training:translation_list", args=["mini", "fr"])
    client.get(url)

    with django_assert_num_queries(14):
        client.get(url)


def test_the_source_language_and_unknown_languages_have_no_translator_list(course, client_for):
    client = client_for("coordinator")

    assert client.get(reverse("training:translation_list", args=["mini", "nl"])).status_code == 404
    assert client.get(reverse("training:translation_list", args=["mini", "xx"])).status_code == 404
    assert client.get(reverse("training:translation_list", args=["mini", "de"])).status_code == 200


def test_the_form_shows_source_and_translation_side_by_side(course, client_for):
    response = client_for("coordinator").get(
        reverse("training:translation_edit", args=["mini", "fr", "basics-case-chat"])
    )

    page = response.content.decode()
    assert "Je collega deelt een screenshot" in page
    assert 'lang="nl"' in page
    assert 'lang="fr"' in page
    assert "Votre collègue partage une capture" in page  # the current translation, to edit
    assert 'name="t-choices-b-feedback"' in page
    assert 'name="t-discussion-1"' in page


def _post_data(client, url: str) -> dict[str, str]:
    form = client.get(url).context["form"]
    data = {name: form[name].value() or "" for name in form.fields if name != "status"}
    return data


def test_saving_a_missing_translation_marks_its_status_and_fingerprint(course, client_for):
    ItemTranslation.objects.filter(item__code="basics-q-single", language="fr").delete()
    client = client_for("coordinator", language="en")
    url = reverse("training:translation_edit", args=["mini", "fr", "basics-q-single"])
    assert "There is no French translation yet." in client.get(url).content.decode()

    response = client.post(
        url,
        {
            "t-prompt": "Pouvez-vous annoncer une saisie en ligne ?",
            "t-choices-a-text": "Non",
            "t-choices-a-feedback": "Exact.",
            "t-choices-b-text": "Oui",
            "t-choices-b-feedback": "",
            "t-feedback": "",
            "status": "reviewed",
        },
    )

    assert response.status_code == 302
    saved = ItemTranslation.objects.get(item__code="basics-q-single", language="fr")
    assert saved.status == TranslationStatus.REVIEWED
    assert saved.source_fingerprint == content_fingerprint(_source("basics-q-single").content)
    assert saved.content == {
        "prompt": "Pouvez-vous annoncer une saisie en ligne ?",
        "choices": {"a": {"text": "Non", "feedback": "Exact."}, "b": {"text": "Oui"}},
    }


def test_saving_an_outdated_translation_as_draft_makes_it_current_against_the_source(course, client_for):
    ItemTranslation.objects.filter(item__code="basics-q-single", language="fr").update(
        status=TranslationStatus.OUTDATED, source_fingerprint="0" * 16
    )
    client = client_for("administrator", language="en")
    url = reverse("training:translation_edit", args=["mini", "fr", "basics-q-single"])
    assert "changed after this translation was made" in client.get(url).content.decode()
    data = _post_data(client, url)

    client.post(url, {**data, "t-prompt": "Peut-on annoncer une saisie en ligne ?", "status": "draft"})

    saved = ItemTranslation.objects.get(item__code="basics-q-single", language="fr")
    assert saved.status == TranslationStatus.DRAFT
    assert saved.content["prompt"] == "Peut-on annoncer une saisie en ligne ?"
    assert saved.source_fingerprint == content_fingerprint(_source("basics-q-single").content)


def test_an_invalid_translation_is_refused_and_keeps_what_was_typed(course, client_for):
    client = client_for("coordinator", language="en")
    url = reverse("training:translation_edit", args=["mini", "fr", "basics-case-chat"])
    data = _post_data(client, url)
    before = ItemTranslation.objects.get(item__code="basics-case-chat", language="fr").content

    response = client.post(
        url,
        {**data, "t-title": "Une blague tapée à la main", "t-choices-a-feedback": "", "status": "reviewed"},
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert 'role="alert"' in page
    assert "choices a has no feedback" in page
    assert "Une blague tapée à la main" in page
    assert ItemTranslation.objects.get(item__code="basics-case-chat", language="fr").content == before


def test_a_status_must_be_chosen(course, client_for):
    client = client_for("coordinator")
    url = reverse("training:translation_edit", args=["mini", "fr", "basics-intro"])

    response = client.post(url, {**_post_data(client, url), "status": "outdated"})

    assert response.status_code == 200
    assert response.context["form"].errors["status"]


def test_module_titles_are_translated_in_the_same_workspace(course, client_for):
    ModuleTranslation.objects.filter(module__code="practice", language="en").delete()
    client = client_for("coordinator")
    url = reverse("training:translation_edit_module", args=["mini", "en", "practice"])

    client.post(
        url, {"t-title": "Practice", "t-summary": "Questions about everything.", "status": "reviewed"}
    )

    saved = ModuleTranslation.objects.get(module__code="practice", language="en")
    assert (saved.title, saved.status) == ("Practice", TranslationStatus.REVIEWED)


def test_the_course_title_is_translated_in_the_same_workspace(course, client_for):
    client = client_for("coordinator")
    url = reverse("training:translation_edit_course", args=["mini", "en"])

    response = client.post(
        url, {"t-title": "A mini course", "t-description": "A small course.", "status": "reviewed"}
    )

    assert response.status_code == 302
    assert course.translations.get(language="en").title == "A mini course"


def test_an_unknown_item_is_not_found(course, client_for):
    url = reverse("training:translation_edit", args=["mini", "fr", "nothing"])

    assert client_for("coordinator").get(url).status_code == 404
