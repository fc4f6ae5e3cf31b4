"""A signed-in user reads the API's documentation: Deonto's own page, built from the OpenAPI document,
clean under axe-core in Dutch and French, with nothing loaded from another host."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import ConsoleMessage, Page, Request, expect

from browser_tests.helpers import log_in, switch_language
from conftest import PASSWORD
from deonto.accounts.roles import Role

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_api_documentation_is_accessible_in_dutch_and_french_and_served_by_deonto_alone(
    page: Page, live_server: Any, make_user: Any, assert_accessible: Any
) -> None:
    make_user(Role.EMPLOYEE, username="eva", language="nl")
    base = live_server.url
    log_in(page, base, "eva", PASSWORD)
    requests: list[str] = []
    console: list[str] = []
    page.on("request", lambda request: requests.append(request.url) if isinstance(request, Request) else None)
    page.on(
        "console",
        lambda message: console.append(message.text) if isinstance(message, ConsoleMessage) else None,
    )

    page.goto(f"{base}/api/docs")
    expect(page.locator("h1")).to_contain_text("Deonto API")
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.locator("h3", has_text="POST /api/postcheck")).to_be_visible()
    expect(page.locator("table th[scope=row] code", has_text="photo.metadata.latitude")).to_be_visible()
    assert_accessible(page, "API documentation (nl)")

    switch_language(page, "Français")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("h3", has_text="POST /api/postcheck")).to_be_visible()
    assert_accessible(page, "API documentation (fr)")

    page.get_by_role("link", name="/api/openapi.json").click()
    page.wait_for_load_state()
    assert '"/api/postcheck"' in page.content()

    own_host = urlsplit(base).netloc
    assert requests
    assert [url for url in requests if urlsplit(url).netloc not in {own_host, ""}] == []
    assert [text for text in console if "Content Security Policy" in text] == []


def test_anonymous_visitors_of_the_api_documentation_are_asked_to_log_in(
    page: Page, live_server: Any
) -> None:
    page.goto(f"{live_server.url}/api/docs")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next=/api/docs")
