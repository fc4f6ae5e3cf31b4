"""An employee takes the e-learning: answers a case, leaves, resumes where they stopped, passes the
final quiz and downloads the certificate; then anyone checks its code on the public page.
axe-core checks every kind of page, in Dutch and in French."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from playwright.sync_api import Browser, Page, expect

from browser_tests.helpers import log_in, switch_language
from conftest import PASSWORD
from deonto.training.models import Certificate, Course, Item, ItemKind
from deonto.training.selectors_learning import quiz_items

pytestmark = pytest.mark.django_db(transaction=True)


def _answer_quiz(page: Page, course: Course) -> None:
    """Answer every question right, reading the structure from the database."""
    for entry in quiz_items(course=course, language="nl"):
        item, name = entry.item, f"q{entry.item.pk}"
        correct = [str(c["key"]) for c in item.structure.get("choices", []) if c.get("correct")]
        if item.kind in (ItemKind.SINGLE, ItemKind.TRUEFALSE, ItemKind.MULTIPLE):
            for key in correct:
                page.locator(f"input[name='{name}'][value='{key}']").check()
        elif item.kind == ItemKind.SHORT:
            page.locator(f"input[name='{name}']").fill(entry.text.content["answers"][0].upper())
        else:
            for key in item.structure["pairs"]:
                page.locator(f"select[name='{name}_{key}']").select_option(str(key))


def test_an_employee_completes_the_e_learning_and_anyone_checks_the_certificate(
    page: Page, browser: Browser, live_server, make_user, guidance, assert_accessible
) -> None:
    call_command("sync_course", verbosity=0)
    call_command("publish_course", "social-media", verbosity=0)
    course = Course.objects.get(code="social-media")
    make_user("employee", username="leerling", language="nl", first_name="Karim", last_name="El Amrani")
    base = live_server.url
    log_in(page, base, "leerling", PASSWORD)

    page.goto(f"{base}/training/learn/")
    page.locator(f"a[href='/training/learn/{course.code}/']").click()
    expect(page.locator("h1")).to_have_text(course.translations.get(language="nl").title)
    assert_accessible(page, "course page (nl)")

    page.locator("form[action$='/start/'] button").click()
    expect(page).to_have_url(f"{base}/training/learn/{course.code}/item/1/")
    expect(page.locator("progress")).to_have_attribute("value", "1")
    assert_accessible(page, "lesson (nl)")

    page.locator("a[rel=next]").click()
    case = Item.objects.get(code="private-public-case-football-chat")
    recommended = next(c["key"] for c in case.structure["choices"] if c["recommended"])
    page.locator(f"input[name=choice][value='{recommended}']").check()
    page.locator(".learn-case-form button[type=submit]").click()
    expect(page.locator("#feedback .learn-choice")).to_have_count(len(case.structure["choices"]))
    expect(page.locator("#feedback .learn-choice.recommended .badge.ok")).to_have_count(1)
    expect(page.locator("#feedback a[href='/guidance/screenshots-resharing/']")).to_be_visible()
    assert_accessible(page, "case with feedback (nl)")

    page.goto(f"{base}/guidance/")
    page.goto(f"{base}/training/learn/{course.code}/")
    page.locator("form[action$='/start/'] button").click()
    expect(page).to_have_url(f"{base}/training/learn/{course.code}/item/2/")
    expect(page.locator("#feedback")).to_be_visible()

    page.goto(f"{base}/training/learn/{course.code}/item/24/")
    page.locator(f".learn-nav a[href='/training/learn/{course.code}/quiz/']").click()
    expect(page.locator("fieldset.quiz-question")).to_have_count(23)
    assert_accessible(page, "quiz (nl)")
    _answer_quiz(page, course)
    page.locator(".learn-quiz button[type=submit]").click()
    expect(page).to_have_url(f"{base}/training/learn/{course.code}/quiz/result/")
    expect(page.locator(".learn-outcome.passed")).to_be_visible()
    assert_accessible(page, "quiz result (nl)")

    certificate = Certificate.objects.get(completion__user__username="leerling")
    link = page.locator(f"a[href='/training/certificates/{certificate.code}/pdf/']")
    download = page.request.get(f"{base}{link.get_attribute('href')}")
    assert download.status == 200
    assert download.headers["content-type"] == "application/pdf"
    assert download.body().startswith(b"%PDF")

    switch_language(page, "Français")
    page.goto(f"{base}/training/learn/{course.code}/")
    page.locator("#id_language").select_option("fr")
    page.locator("form.learn-language button[type=submit]").click()
    expect(page.locator("h1")).to_have_text(course.translations.get(language="fr").title)
    assert_accessible(page, "course page (fr)")
    page.goto(f"{base}/training/learn/{course.code}/item/2/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("h1")).to_have_text(case.translations.get(language="fr").content["title"])
    assert_accessible(page, "case with feedback (fr)")
    page.goto(f"{base}/training/learn/{course.code}/item/1/")
    assert_accessible(page, "lesson (fr)")
    page.goto(f"{base}/training/learn/{course.code}/quiz/result/")
    assert_accessible(page, "quiz result (fr)")

    visitor = browser.new_context(locale="nl-BE")
    anonymous = visitor.new_page()
    anonymous.goto(f"{base}/training/certificates/check/")
    assert_accessible(anonymous, "check page (nl)")
    anonymous.locator("#id_code").fill(certificate.code.replace("-", "").lower())
    anonymous.locator("form.certificate-check button[type=submit]").click()
    expect(anonymous.locator(".certificate-result")).to_contain_text("Karim El Amrani")
    expect(anonymous.locator(".certificate-result")).to_contain_text(certificate.code)
    assert_accessible(anonymous, "check result (nl)")

    switch_language(anonymous, "Français")
    expect(anonymous.locator("html")).to_have_attribute("lang", "fr")
    expect(anonymous.locator(".certificate-result")).to_contain_text("Karim El Amrani")
    assert_accessible(anonymous, "check result (fr)")
    anonymous.locator("#id_code").fill("zzzz-zzzz-zzzz")
    anonymous.locator("form.certificate-check button[type=submit]").click()
    expect(anonymous.locator(".certificate-result")).not_to_contain_text("Karim El Amrani")
    assert_accessible(anonymous, "unknown code (fr)")
    visitor.close()
