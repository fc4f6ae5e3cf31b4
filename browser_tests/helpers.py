"""Steps that several journeys share."""

from __future__ import annotations

from collections.abc import Callable

from django_otp.oath import totp
from playwright.sync_api import Page, expect


def log_in(page: Page, base_url: str, username: str, password: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def confirm_second_factor(page: Page) -> None:
    """On the set-up page: read the key as an authenticator app would, and type its code."""
    secret_hex = page.locator("[data-secret-hex]").get_attribute("data-secret-hex")
    assert secret_hex
    code = f"{totp(bytes.fromhex(secret_hex)):06d}"
    page.locator("#id_token").fill(code)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def switch_language(page: Page, language_name: str) -> None:
    page.locator(".language-switch button", has_text=language_name).click()
    page.wait_for_load_state()


def accessible_in_dutch_and_french(
    page: Page, base_url: str, path: str, headings: dict[str, str], assert_accessible: Callable[..., None]
) -> None:
    """Open `path` in Dutch, then in French (switched on the check page: the admin has no language switch);
    each time it is in that language, shows its heading and passes axe-core. Ends on the French page."""
    for language, name in (("nl", "Nederlands"), ("fr", "Français")):
        page.goto(f"{base_url}/check/")
        switch_language(page, name)
        page.goto(f"{base_url}{path}")
        expect(page.locator("html")).to_have_attribute("lang", language)
        expect(page.get_by_role("heading", name=headings[language])).to_be_visible()
        assert_accessible(page, f"{path} ({language})")
