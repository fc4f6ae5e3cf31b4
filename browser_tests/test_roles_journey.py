"""Every role logs in, finds its home page and navigation, switches language, and logs out;
axe-core checks each page in Dutch and in French."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from browser_tests.helpers import confirm_second_factor, log_in, switch_language
from conftest import PASSWORD
from deonto.accounts.roles import Role

pytestmark = pytest.mark.django_db(transaction=True)

HOME_SECTION = {
    Role.EMPLOYEE: ("Voor u post", "Avant de publier"),
    Role.INSTRUCTOR: ("Lesgeven", "Enseignement"),
    Role.COORDINATOR: ("Personeelsbestand", "Registre du personnel"),
    Role.MANAGER: ("Uw eenheden", "Vos unités"),
    Role.INSPECTOR: ("Integriteit en inspectie", "Intégrité et inspection"),
    Role.HEAD_OF_SERVICE: ("Integriteit en inspectie", "Intégrité et inspection"),
    Role.ADMINISTRATOR: ("Gebruikersaccounts", "Comptes utilisateurs"),
}


@pytest.mark.parametrize("role", list(Role))
def test_each_role_logs_in_switches_language_and_logs_out(
    page: Page, live_server, make_user, guidance, assert_accessible, role: Role
) -> None:
    make_user(role, username=f"demo-{role.value}")
    base = live_server.url

    page.goto(f"{base}/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    assert_accessible(page, "login (nl)")

    log_in(page, base, f"demo-{role.value}", PASSWORD)
    if role in (Role.INSPECTOR, Role.HEAD_OF_SERVICE, Role.ADMINISTRATOR):
        expect(page.locator("h1")).to_have_text("Tweestapsaanmelding instellen")
        assert_accessible(page, "two-factor set-up (nl)")
        confirm_second_factor(page)

    dutch, french = HOME_SECTION[role]
    expect(page.locator("main h2", has_text=dutch)).to_be_visible()
    assert_accessible(page, f"home of {role.value} (nl)")

    switch_language(page, "Français")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("main h2", has_text=french)).to_be_visible()
    assert_accessible(page, f"home of {role.value} (fr)")

    page.locator(".main-nav a", has_text="Mon profil").click()
    expect(page.locator("h1")).to_have_text("Mon profil")
    assert_accessible(page, "profile (fr)")

    page.locator(".main-nav button", has_text="Se déconnecter").click()
    expect(page.locator("h1")).to_have_text("Se connecter à Deonto")
    expect(page.locator("html")).to_have_attribute("lang", "fr")


def test_the_layout_works_on_a_phone(
    phone_page: Page, live_server, make_user, guidance, assert_accessible
) -> None:
    make_user(Role.COORDINATOR, username="phone-user", language="fr")
    log_in(phone_page, live_server.url, "phone-user", PASSWORD)
    expect(phone_page.locator("h1")).to_contain_text("Bienvenue")
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone ({width}px)"
    assert_accessible(phone_page, "home on a phone (fr)")


def test_error_pages_are_accessible_in_both_languages(page: Page, live_server, assert_accessible) -> None:
    page.goto(f"{live_server.url}/no-such-page/")
    expect(page.locator("h1")).to_have_text("Pagina niet gevonden")
    assert_accessible(page, "404 (nl)")
    switch_language(page, "Français")
    expect(page.locator("h1")).to_have_text("Page introuvable")
    assert_accessible(page, "404 (fr)")
