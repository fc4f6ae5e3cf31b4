"""End-to-end tests in Debian's chromium, driven by Playwright, with axe-core on every page.

Never a downloaded browser: the tests fail loudly when ``chromium`` is missing (``make test``
installs it).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, sync_playwright

from deonto.core.tests.language_leaks import foreign_sentences

# Playwright's sync API runs an event loop in this thread; the Django ORM calls made by the
# tests themselves (creating users, reading results) are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "browser_tests" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    executable = shutil.which("chromium") or "/usr/bin/chromium"
    if not os.path.exists(executable):
        pytest.fail("Debian's chromium is not installed: run `make test`, or `apt-get install chromium`.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="nl-BE", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone_page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(
        locale="fr-BE", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    yield page
    context.close()


_axe = Axe()


@pytest.fixture
def assert_accessible() -> Callable[[Page], None]:
    """axe-core (WCAG 2.1 A and AA rules) on the page as it is now; and, on a page in Dutch or French, no
    sentence of another language's catalogue (`language_leaks`)."""

    def check(page: Page, label: str = "") -> None:
        language = page.locator("html").get_attribute("lang") or ""
        if language in ("nl", "fr"):
            leaked = foreign_sentences(page.content(), language)
            assert not leaked, (
                f"{label or page.url} in {language} holds another language's sentences: {leaked[:5]}"
            )
        results = _axe.run(page, options=AXE_OPTIONS)
        violations: list[dict[str, Any]] = results.response["violations"]
        if violations:
            lines = [f"axe-core found {len(violations)} WCAG 2.1 AA violation(s) on {label or page.url}:"]
            for violation in violations:
                targets = [", ".join(node["target"]) for node in violation["nodes"][:5]]
                lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']} → {targets}")
            pytest.fail("\n".join(lines))

    return check
