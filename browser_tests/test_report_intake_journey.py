"""An anonymous visitor reports a breach with a screenshot and keeps the receipt code; the head
of service gives the case to an inspector, who logs in with two-factor, confirms no conflict of
interest, acknowledges the report and asks a question; the reporter reads it with the code and
answers; the inspector reads the answer. axe-core checks every page, the reporter's and the case
pages in Dutch and in French."""

from __future__ import annotations

import os
import struct
import zlib
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from browser_tests.helpers import confirm_second_factor, log_in, switch_language
from conftest import PASSWORD
from deonto.accounts.roles import Role
from deonto.integrity.models import CaseRead, Report, ReportStatus
from deonto.integrity.services_case import report_assign

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


CASE_SECTIONS = ["", "status/", "messages/", "notes/", "person/", "evidence/"]


def _inspector_opens_acknowledges_and_asks(
    desk: Page, base: str, report: Report, assert_accessible: Any
) -> None:
    """The inspector logs in with two-factor, confirms no conflict of interest, acknowledges the
    report and asks the reporter a question; axe-core on every page, in Dutch."""
    log_in(desk, base, "ines", PASSWORD)
    assert_accessible(desk, "two-factor set-up (nl)")
    confirm_second_factor(desk)
    desk.goto(f"{base}/integrity/")
    expect(desk.locator("html")).to_have_attribute("lang", "nl")
    assert_accessible(desk, "case list (nl)")

    desk.locator(f"main a[href$='/integrity/{report.reference}/conflict/']").click()
    desk.wait_for_load_state()
    expect(desk.locator("main")).not_to_contain_text("badgenummer")
    assert_accessible(desk, "conflict of interest (nl)")
    desk.locator("#id_answer_0").check()
    desk.locator("main form button[type=submit]").click()
    desk.wait_for_load_state()
    expect(desk.locator("main")).to_contain_text("badgenummer")
    assert_accessible(desk, "case overview (nl)")

    desk.goto(f"{base}/integrity/{report.reference}/status/")
    assert_accessible(desk, "case status (nl)")
    desk.locator("#id_message").fill("Wij hebben uw melding goed ontvangen.")
    desk.locator("main form button[type=submit]").click()
    desk.wait_for_load_state()
    report.refresh_from_db()
    assert report.status == ReportStatus.ACKNOWLEDGED

    desk.goto(f"{base}/integrity/{report.reference}/messages/")
    assert_accessible(desk, "case messages (nl)")
    desk.locator("#id_body").fill("Welk account heeft de foto gepost?")
    desk.locator("main form button[type=submit]").click()
    desk.wait_for_load_state()
    expect(desk.locator("main")).to_contain_text("Welk account heeft de foto gepost?")
    for section in CASE_SECTIONS:
        desk.goto(f"{base}/integrity/{report.reference}/{section}")
        assert_accessible(desk, f"case page {section or 'overview'} (nl)")
    expect(desk.locator("main")).to_contain_text("schermafbeelding.png")


def test_an_anonymous_visitor_reports_and_follows_up_with_the_receipt_code(
    page: Page,
    browser: Browser,
    live_server: Any,
    guidance: None,
    vault: None,
    assert_accessible: Any,
    tmp_path: Path,
    make_user: Any,
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

    # The head of service gives the case to an inspector.
    head = make_user(Role.HEAD_OF_SERVICE, username="hilde")
    inspector = make_user(Role.INSPECTOR, username="ines", language="nl")
    report_assign(actor=head, report=report, inspector=inspector)
    desk = browser.new_context(locale="nl-BE", viewport={"width": 1280, "height": 900}).new_page()
    desk.set_default_timeout(15_000)
    _inspector_opens_acknowledges_and_asks(desk, base, report, assert_accessible)

    page.locator("main a[href$='/report/followup/']").click()
    page.wait_for_load_state()
    assert_accessible(page, "follow-up code (nl)")
    assert code not in page.url
    page.locator("#id_code").fill(code)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert code not in page.url
    expect(page.locator("[data-report-status]")).to_have_text("Ontvangst bevestigd")
    expect(page.locator("main")).to_contain_text("Wij hebben uw melding goed ontvangen.")
    expect(page.locator("main")).to_contain_text("Welk account heeft de foto gepost?")
    assert_accessible(page, "follow-up report (nl)")

    page.locator("#id_body").fill("Het account @voorbeeld, gisteren rond 21 uur.")
    page.locator("main form[enctype] button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator("main")).to_contain_text("Het account @voorbeeld, gisteren rond 21 uur.")
    assert report.messages.count() == 3

    # The inspector reads the answer, then looks at the case pages in French.
    desk.goto(f"{base}/integrity/{report.reference}/messages/")
    expect(desk.locator("main")).to_contain_text("Het account @voorbeeld, gisteren rond 21 uur.")
    assert_accessible(desk, "case messages with the answer (nl)")
    switch_language(desk, "Français")
    expect(desk.locator("html")).to_have_attribute("lang", "fr")
    for section in CASE_SECTIONS:
        desk.goto(f"{base}/integrity/{report.reference}/{section}")
        expect(desk.locator("html")).to_have_attribute("lang", "fr")
        expect(desk.locator("h1")).to_contain_text(report.reference)
        assert_accessible(desk, f"case page {section or 'overview'} (fr)")
    desk.context.close()
    assert set(CaseRead.objects.filter(report=report).values_list("user", flat=True)) == {inspector.pk}

    switch_language(page, "Français")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("[data-report-status]")).to_have_text("Accusé de réception envoyé")
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
