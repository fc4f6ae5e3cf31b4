"""The rollout planner from the coordinator's seat: start a run on a small campaign, watch its progress
bar while the planner works (the task worker's part is played by the test, which runs the real planner
in its child process), read the proposal and publish it as sessions and invitations. axe-core checks
every page visited, in Dutch and in French."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from browser_tests.helpers import log_in, switch_language
from conftest import PASSWORD
from deonto.accounts.roles import Role
from deonto.people.tests.factories import EmployeeFactory, OrgUnitFactory, RegionFactory, SiteFactory
from deonto.rollout.models import Enrolment, PlanRun, PlanRunStatus, Session
from deonto.rollout.planning import planning_instance, planning_start_default
from deonto.rollout.services_planner import plan_run_execute
from deonto.rollout.tests.factories import CampaignFactory, InstructorFactory, RoomFactory, WaveFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_coordinator_plans_the_rollout_and_publishes_it(
    page: Page, live_server, make_user, settings, assert_accessible: Callable[..., None]
) -> None:
    settings.DEONTO_PLANNER_TIME_LIMIT = 5
    region = RegionFactory(code="ANT")
    site = SiteFactory(code="ANR", name="Antwerpen", region=region)
    unit = OrgUnitFactory(code="ANR-01", site=site)
    EmployeeFactory.create_batch(12, unit=unit, site=site)
    InstructorFactory(regions=[region])
    RoomFactory(site=site, name="Schelde", capacity=8)
    campaign = CampaignFactory(name="Sociale media")
    WaveFactory(campaign=campaign, order=1, name="Iedereen", units=[unit])
    make_user(Role.COORDINATOR, username="coordinator", language="nl")
    base = live_server.url

    # A run waiting for the worker (the tests' task backend runs tasks at once, so it is queued by
    # hand): its page shows the progress bar, polled every second.
    built = planning_instance(
        campaign=campaign, starts_on=planning_start_default(campaign=campaign), session_capacity=6
    )
    waiting = PlanRun.objects.create(
        campaign=campaign,
        starts_on=planning_start_default(campaign=campaign),
        session_capacity=6,
        instance=built.to_json(),
        mapping=built.mapping,
    )
    log_in(page, base, "coordinator", PASSWORD)
    page.goto(f"{base}/rollout/planner/runs/{waiting.pk}/")
    expect(page.locator("#planner-progress progress")).to_be_visible()
    assert_accessible(page, "planner progress (nl)")
    # The worker runs the task; the page reloads itself with the result.
    assert plan_run_execute(plan_run_id=waiting.pk).status == PlanRunStatus.DONE
    expect(page.locator("#result-heading")).to_be_visible(timeout=10_000)
    expect(page.locator("#planner-progress")).to_have_count(0)

    # Planning again from the campaign page: the run is done by the time its page shows.
    page.goto(f"{base}/rollout/campaigns/{campaign.pk}/")
    page.locator(f"a[href='/rollout/campaigns/{campaign.pk}/planner/']").click()
    page.wait_for_load_state()
    assert_accessible(page, "planner start with an earlier run (nl)")
    page.locator("#id_session_capacity").fill("6")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    run = PlanRun.objects.exclude(pk=waiting.pk).get()
    expect(page).to_have_url(f"{base}/rollout/planner/runs/{run.pk}/")
    expect(page.locator("#result-heading")).to_be_visible()
    expect(page.locator("main table").first).to_contain_text("Schelde")
    assert_accessible(page, "planner result (nl)")
    switch_language(page, "Français")
    expect(page.locator("#result-heading")).to_be_visible()
    assert_accessible(page, "planner result (fr)")

    page.locator(f"a[href='/rollout/planner/runs/{run.pk}/publish/']").first.click()
    page.wait_for_load_state()
    assert_accessible(page, "publish the plan (fr)")
    switch_language(page, "Nederlands")
    assert_accessible(page, "publish the plan (nl)")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    expect(page).to_have_url(f"{base}/rollout/planner/runs/{run.pk}/")
    expect(page.locator("main")).to_contain_text("12")
    assert_accessible(page, "published plan (nl)")
    run.refresh_from_db()
    assert run.status == PlanRunStatus.PUBLISHED
    assert Session.objects.filter(campaign=campaign).count() == run.result["session_count"]
    assert Enrolment.objects.filter(campaign=campaign).count() == 12

    page.goto(f"{base}/rollout/campaigns/{campaign.pk}/planner/")
    switch_language(page, "Français")
    assert_accessible(page, "planner start with earlier runs (fr)")
