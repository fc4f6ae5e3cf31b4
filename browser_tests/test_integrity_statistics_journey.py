"""A manager reads the anonymised statistics of integrity reports, picks a year and downloads the
same figures as CSV; small counts are hidden. axe-core checks the page in Dutch and in French."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from playwright.sync_api import Page, expect

from browser_tests.helpers import log_in, switch_language
from conftest import PASSWORD
from deonto.accounts.roles import Role
from deonto.integrity.models import Report, ReportCategory
from deonto.integrity.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_manager_reads_the_statistics_with_small_counts_hidden(
    page: Page, live_server, make_user, assert_accessible
) -> None:
    for _ in range(3):
        ReportFactory(category=ReportCategory.HARASSMENT)
    for _ in range(8):
        ReportFactory(category=ReportCategory.SOCIAL_MEDIA)
    Report.objects.update(created_at=datetime(2025, 5, 12, 10, tzinfo=UTC))
    make_user(Role.MANAGER, username="manager", language="nl")
    base = live_server.url
    log_in(page, base, "manager", PASSWORD)

    page.goto(f"{base}/")
    page.locator('.main-nav a[href="/integrity/reports/statistics/"]').click()
    page.wait_for_load_state()
    page.locator("#id_year").select_option("2025")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()

    table = page.locator("table.statistics").first
    expect(table.locator("td.suppressed").first).to_be_visible()
    expect(table.locator("tbody tr").nth(4)).not_to_contain_text("3")
    assert_accessible(page, "statistics (nl)")

    switch_language(page, "Français")
    expect(page.locator("table.statistics")).to_have_count(2)
    assert_accessible(page, "statistics (fr)")

    with page.expect_download() as download:
        page.locator("main a[download]").click()
    assert download.value.suggested_filename == "integrity-statistics-2025.csv"
