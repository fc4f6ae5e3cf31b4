"""A live classroom run: an instructor (in French) on the projector, three phones (Dutch and French).

The instructor starts a run, the participants join (one types the code, two follow the join
address), vote, see the bar chart and the feedback; reloads on both sides keep the state. axe-core
checks the presenter screen in every phase and the participants' pages.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.management import call_command
from playwright.sync_api import Browser, BrowserContext, Page, expect

from browser_tests.helpers import log_in
from conftest import PASSWORD
from deonto.accounts.roles import Role

pytestmark = pytest.mark.django_db(transaction=True)

POLL = 6_000  # the pages poll every 2 s


@pytest.fixture
def contexts(browser: Browser) -> Iterator[dict[str, BrowserContext]]:
    phone = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
    made = {
        "instructor": browser.new_context(locale="fr-BE", viewport={"width": 1280, "height": 900}),
        "dutch_phone": browser.new_context(locale="nl-BE", **phone),
        "french_phone": browser.new_context(locale="fr-BE", **phone),
        "laptop": browser.new_context(locale="nl-BE", viewport={"width": 1024, "height": 768}),
    }
    for context in made.values():
        context.set_default_timeout(10_000)
    yield made
    for context in made.values():
        context.close()


def _choose_and_send(page: Page, key: str) -> None:
    page.locator(f'input[name="choice"][value="{key}"]').check()
    page.locator("#live-participant form button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator(".live-recorded")).to_be_visible()


def test_a_live_run_from_the_join_code_to_the_feedback(
    contexts: dict[str, BrowserContext], live_server, make_user, assert_accessible
) -> None:
    call_command("sync_guidance", verbosity=0)
    call_command("sync_course", verbosity=0)
    make_user(Role.INSTRUCTOR, username="formatrice", language="fr")
    base = live_server.url

    screen = contexts["instructor"].new_page()
    log_in(screen, base, "formatrice", PASSWORD)
    screen.goto(f"{base}/training/live/")
    expect(screen.locator("html")).to_have_attribute("lang", "fr")
    expect(screen.locator("#id_language_1")).to_be_checked()
    screen.locator("main form button[type=submit]").click()
    code = (screen.locator(".live-code").text_content() or "").strip()
    assert len(code) == 6
    expect(screen.locator(".live-url")).to_have_text(f"{base}/live/{code}/")
    expect(screen.locator(".live-qr svg")).to_be_visible()
    assert_accessible(screen, "presenter screen, waiting (fr)")

    dutch = contexts["dutch_phone"].new_page()
    dutch.goto(f"{base}/live/")
    expect(dutch.locator("html")).to_have_attribute("lang", "nl")
    assert_accessible(dutch, "join page (nl)")
    dutch.locator("#id_code").fill(code.lower())
    dutch.locator("main form button[type=submit]").click()
    expect(dutch).to_have_url(f"{base}/live/{code}/")
    assert_accessible(dutch, "participant page, waiting (nl)")

    french = contexts["french_phone"].new_page()
    french.goto(f"{base}/live/{code}/")
    expect(french.locator("html")).to_have_attribute("lang", "fr")
    laptop = contexts["laptop"].new_page()
    laptop.goto(f"{base}/live/{code}/")

    screen.locator('button[name="action"][value="open"]').click()
    expect(screen.locator(".status-voting")).to_be_visible()
    assert_accessible(screen, "presenter screen, voting (fr)")
    for phone in (dutch, french, laptop):
        expect(phone.locator('input[name="choice"]').first).to_be_visible(timeout=POLL)
    assert_accessible(dutch, "participant page, voting (nl)")
    assert_accessible(french, "participant page, voting (fr)")

    _choose_and_send(dutch, "b")
    _choose_and_send(french, "b")
    _choose_and_send(laptop, "a")
    dutch.reload()
    expect(dutch.locator('input[name="choice"][value="b"]')).to_be_checked()
    expect(dutch.locator(".live-recorded")).to_be_visible()
    assert_accessible(dutch, "participant page, answer recorded (nl)")
    expect(screen.locator('[data-testid="votes"]')).to_have_text("3", timeout=POLL)
    expect(screen.locator('[data-testid="participants"]')).to_have_text("3")

    screen.locator('button[name="action"][value="close"]').click()
    counts = screen.locator('[data-testid="bar-count"]')
    expect(counts.nth(0)).to_have_text("1 (33%)")
    expect(counts.nth(1)).to_have_text("2 (67%)")
    expect(screen.locator('.live-chart svg[role="img"] title')).to_have_count(1)
    assert_accessible(screen, "presenter screen, results (fr)")
    for phone in (dutch, french):
        expect(phone.locator(".live-chart")).to_be_visible(timeout=POLL)
    assert_accessible(dutch, "participant page, results (nl)")
    assert_accessible(french, "participant page, results (fr)")

    screen.locator('button[name="action"][value="feedback"]').click()
    expect(screen.locator(".live-feedback .marked")).to_have_count(1)
    assert_accessible(screen, "presenter screen, feedback (fr)")
    for phone in (dutch, french, laptop):
        expect(phone.locator(".live-feedback")).to_be_visible(timeout=POLL)

    screen.reload()
    expect(screen.locator(".status-feedback")).to_be_visible()
    expect(screen.locator('[data-testid="bar-count"]').nth(1)).to_have_text("2 (67%)")
    expect(screen.locator(".live-code")).to_have_text(code)

    screen.locator(".language-switch button", has_text="Nederlands").click()
    expect(screen.locator("html")).to_have_attribute("lang", "nl")
    expect(screen.locator(".status-feedback")).to_be_visible()
    assert_accessible(screen, "presenter screen, feedback (nl)")
    screen.goto(f"{base}/training/live/")
    assert_accessible(screen, "start page (nl)")
