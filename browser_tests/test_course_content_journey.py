"""A coordinator prepares the course: the content pages, the translator's list and the side-by-side
editor, in Dutch and in French, each checked by axe-core."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from browser_tests.helpers import log_in, switch_language
from conftest import PASSWORD
from deonto.accounts.roles import Role
from deonto.training.models import ItemTranslation, TranslationStatus

pytestmark = pytest.mark.django_db(transaction=True)


def test_coordinator_reviews_and_translates_course_content(
    page: Page, live_server, make_user, assert_accessible
) -> None:
    call_command("sync_guidance", verbosity=0)
    call_command("sync_course", verbosity=0)
    translation = ItemTranslation.objects.get(language="fr", item__code="discretion-intro")
    translation.delete()
    make_user(Role.COORDINATOR, username="coordinatrice", language="nl")
    base = live_server.url
    log_in(page, base, "coordinatrice", PASSWORD)

    page.goto(f"{base}/training/content/")
    assert_accessible(page, "content index (nl)")
    page.goto(f"{base}/training/content/social-media/?lang=fr")
    assert_accessible(page, "course overview (nl, content in fr)")
    page.goto(f"{base}/training/content/social-media/translate/fr/")
    expect(page.locator("main")).to_contain_text("discretion")
    assert_accessible(page, "translation list (nl)")

    page.goto(f"{base}/training/content/social-media/translate/fr/discretion-intro/")
    assert_accessible(page, "side-by-side editor (nl)")
    switch_language(page, "Français")
    assert_accessible(page, "side-by-side editor (fr)")
    for index, area in enumerate(page.locator("main form textarea").all()):
        area.fill(f"Texte traduit {index + 1}")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()

    saved = ItemTranslation.objects.get(language="fr", item__code="discretion-intro")
    assert saved.content["title"] == "Texte traduit 1"
    assert saved.status in (TranslationStatus.DRAFT, TranslationStatus.REVIEWED)

    for path in ("/training/content/", "/training/content/social-media/translate/fr/", "/training/live/"):
        page.goto(f"{base}{path}")
        assert_accessible(page, f"{path} (fr)")
