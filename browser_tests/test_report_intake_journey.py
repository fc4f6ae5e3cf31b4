"""An anonymous visitor reports a breach with a screenshot, keeps the receipt code, and with it
reads the service's message and the report's status; axe-core checks the reporter's pages in
Dutch and in French."""

from __future__ import annotations

import os
import struct
import zlib
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from browser_tests.helpers import switch_language
from deonto.integrity.models import MessageSide, Report
from deonto.integrity.services_intake import report_message_add

pytestmark = pytest.mark.django_db(transaction=True)


def _tiny_png() -> bytes:
    """A valid 1x1 white PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


@pytest.fixture
def vault(settings: Any, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path
    settings.EVIDENCE_KEYS = {"k1": os.urandom(32)}


def test_an_anonymous_visitor_reports_and_follows_up_with_the_receipt_code(
    page: Page, live_server: Any, guidance: None, vault: None, assert_accessible: Any, tmp_path: Path
) -> None:
    base = live_server.url
    screenshot = tmp_path / "schermafbeelding.png"
    screenshot.write_bytes(_tiny_png())

    page.goto(f"{base}/report/")
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    assert_accessible(page, "report start (nl)")

    page.locator("a[href$='?mode=anonymous']").click()
    page.wait_for_load_state()
    expect(page.locator("#id_mode_2")).to_be_checked()
    assert_accessible(page, "report form (nl)")

    page.locator("#id_category").select_option("social-media")
    page.locator("#id_description").fill("Een collega postte een foto met het badgenummer van een collega.")
    page.locator("#id_occurred_on").fill("2026-03-02")
    page.locator("#id_location").fill("Instagram")
    page.locator("#id_links").fill("https://example.org/post/42")
    page.locator("#id_attachments").set_input_files(str(screenshot))
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()

    code = page.locator("[data-receipt-code]").inner_text().strip()
    assert len(code.replace("-", "")) == 32
    report = Report.objects.get()
    assert report.reporter is None and report.evidence.count() == 1
    expect(page.locator("main")).to_contain_text(report.reference)
    assert_accessible(page, "receipt (nl)")

    report_message_add(
        report=report, side=MessageSide.SERVICE, author=None, body="Welk account heeft de foto gepost?"
    )
    page.locator("main a[href$='/report/followup/']").click()
    page.wait_for_load_state()
    assert_accessible(page, "follow-up code (nl)")
    assert code not in page.url
    page.locator("#id_code").fill(code)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert code not in page.url
    expect(page.locator("[data-report-status]")).to_have_text("Ontvangen")
    expect(page.locator("main")).to_contain_text("Welk account heeft de foto gepost?")
    assert_accessible(page, "follow-up report (nl)")

    page.locator("#id_body").fill("Het account @voorbeeld, gisteren rond 21 uur.")
    page.locator("main form[enctype] button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator("main")).to_contain_text("Het account @voorbeeld, gisteren rond 21 uur.")
    assert report.messages.count() == 2

    switch_language(page, "Français")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("[data-report-status]")).to_have_text("Reçu")
    assert_accessible(page, "follow-up report (fr)")
    page.locator("main form.actions button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator("#id_code")).to_be_visible()
    assert_accessible(page, "follow-up code (fr)")

    page.goto(f"{base}/report/new/?mode=anonymous")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    assert_accessible(page, "report form (fr)")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator(".form-errors")).to_be_visible()
    assert_accessible(page, "report form with errors (fr)")
