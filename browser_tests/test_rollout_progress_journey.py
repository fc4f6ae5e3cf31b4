"""A manager follows the rollout of their units: the dashboard with its chart and tables, the people
not yet scheduled (filtered), and the CSV download. axe-core checks the pages in Dutch and French."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from browser_tests.helpers import log_in, switch_language
from conftest import PASSWORD
from deonto.accounts.roles import Role
from deonto.rollout.tests.progress_data import build_known_campaign

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_manager_follows_the_rollout_of_their_units(
    page: Page, live_server, make_user, assert_accessible
) -> None:
    known = build_known_campaign(timezone.localdate())
    manager = make_user(Role.MANAGER, username="manager", language="nl")
    known.units["A"].managers.add(manager)
    base = live_server.url
    log_in(page, base, "manager", PASSWORD)

    page.goto(f"{base}/")
    page.locator('.main-nav a[href="/rollout/progress/"]').click()
    page.wait_for_load_state()
    expect(page.locator("svg.burnup[role=img]")).to_be_visible()
    expect(page.locator("table.progress-waves tbody tr")).to_have_count(2)
    expect(page.locator("table.progress-shares").last.locator("tbody tr")).to_have_count(2)  # units A and B
    assert_accessible(page, "progress (nl)")

    switch_language(page, "Français")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    assert_accessible(page, "progress (fr)")

    page.locator(f'main a[href="/rollout/progress/{known.campaign.pk}/not-scheduled/"]').click()
    page.wait_for_load_state()
    expect(page.locator("table.not-scheduled tbody tr")).to_have_count(2)  # a2 (absent) and e5 (excused)
    page.locator("#id_wave").select_option(str(known.wave1.pk))
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator("table.not-scheduled tbody tr")).to_have_count(1)
    expect(page.locator("table.not-scheduled")).to_contain_text("P-a2")
    assert_accessible(page, "not scheduled (fr)")
    switch_language(page, "Nederlands")
    assert_accessible(page, "not scheduled (nl)")

    page.goto(f"{base}/rollout/progress/")
    with page.expect_download() as download:
        page.locator(f'main a[href="/rollout/progress/{known.campaign.pk}/export.csv"]').click()
    assert download.value.suggested_filename == f"rollout-progress-{known.campaign.pk}.csv"
