"""Steps that several journeys share."""

from __future__ import annotations

from django_otp.oath import totp
from playwright.sync_api import Page


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
