"""The course shipped with Deonto. This test fails (it does not skip) while the bundle is missing."""

import pytest
from django.core.management import call_command

from deonto.knowledge.selectors import article_for
from deonto.training.models import Course, Item, ItemKind, ItemTranslation
from deonto.training.selectors import GapState, translation_gaps
from deonto.training.services import DEFAULT_BUNDLE

pytestmark = pytest.mark.django_db


def test_default_course_is_complete_in_dutch_and_french():
    call_command("sync_guidance", verbosity=0)
    assert (DEFAULT_BUNDLE / "course.yaml").is_file(), f"The default course is missing at {DEFAULT_BUNDLE}."

    call_command("sync_course", verbosity=0)

    course = Course.objects.get(code="social-media")
    assert course.modules.count() >= 8
    assert Item.objects.filter(course=course, kind=ItemKind.CASE).count() >= 16
    for language in ("nl", "fr"):
        behind = [
            gap.code
            for gap in translation_gaps(course=course, language=language)
            if gap.state != GapState.CURRENT
        ]
        assert behind == [], f"Not current in {language}: {behind}"
    for case in Item.objects.filter(course=course, kind=ItemKind.CASE):
        assert case.articles, f"The case {case.code} links to no guidance article."
        for code in case.articles:
            assert article_for(code=code, language="nl") is not None, f"{case.code}: no article {code}."


def test_syncing_the_default_course_twice_changes_nothing(capsys):
    call_command("sync_guidance", verbosity=0)
    call_command("sync_course", verbosity=0)
    updated = dict(Item.objects.values_list("code", "updated_at"))

    call_command("sync_course", verbosity=0)

    assert dict(Item.objects.values_list("code", "updated_at")) == updated
    assert capsys.readouterr().out == ""


def test_syncing_again_keeps_texts_edited_in_deonto():
    call_command("sync_guidance", verbosity=0)
    call_command("sync_course", verbosity=0)
    translation = ItemTranslation.objects.filter(language="fr", item__kind=ItemKind.LESSON).first()
    translation.content = {**translation.content, "title": "Titre revu par la traductrice"}
    translation.save()

    call_command("sync_course", verbosity=0)

    translation.refresh_from_db()
    assert translation.content["title"] == "Titre revu par la traductrice"
