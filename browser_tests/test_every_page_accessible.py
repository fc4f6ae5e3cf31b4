"""axe-core on the pages that the journeys do not pass through: every page of the rollout planner
and of the integrity service's desk, each in Dutch and in French."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from browser_tests.helpers import confirm_second_factor, log_in, switch_language
from conftest import PASSWORD
from deonto.accounts.roles import Role
from deonto.integrity.services_case import report_assign
from deonto.integrity.tests.factories import ReportFactory
from deonto.people.tests.factories import EmployeeFactory, OrgUnitFactory, RegionFactory, SiteFactory
from deonto.rollout.models import EnrolmentStatus, PlanRun, PlanRunStatus, SessionStatus
from deonto.rollout.services import closing_day_add
from deonto.rollout.tests.factories import (
    CampaignFactory,
    EnrolmentFactory,
    InstructorFactory,
    RoomFactory,
    SessionFactory,
    WaveFactory,
    working_day,
)

pytestmark = pytest.mark.django_db(transaction=True)

LANGUAGES = (("nl", "Nederlands"), ("fr", "Français"))


def _sweep(page: Page, base: str, paths: list[str], assert_accessible: Callable[..., None]) -> None:
    """Every path in Dutch, then in French: each answers 200 and passes axe-core."""
    for language, name in LANGUAGES:
        page.goto(f"{base}{paths[0]}")
        switch_language(page, name)
        for path in paths:
            response = page.goto(f"{base}{path}")
            assert response is not None and response.status == 200, path
            expect(page.locator("html")).to_have_attribute("lang", language)
            assert_accessible(page, f"{path} ({language})")


def test_every_planning_page_passes_axe_in_dutch_and_french(
    page: Page, live_server: Any, make_user: Callable[..., Any], assert_accessible: Callable[..., None]
) -> None:
    region = RegionFactory(code="ANT")
    site = SiteFactory(code="ANR", name="Antwerpen", region=region)
    unit = OrgUnitFactory(code="ANR-01", name="Antwerpen 1", site=site)
    room = RoomFactory(site=site, name="Schelde", capacity=10)
    RoomFactory(site=site, name="Dok", capacity=12)
    instructor = InstructorFactory(regions=[region])
    campaign = CampaignFactory(name="Sociale media")
    wave = WaveFactory(campaign=campaign, order=1, name="Gewapende ambtenaren", armed_only=True)
    day = working_day()
    session = SessionFactory(campaign=campaign, room=room, date=day, instructors=[instructor])
    SessionFactory(
        campaign=campaign,
        room=room,
        date=day,
        half_day="pm",
        status=SessionStatus.DRAFT,
        instructors=[instructor],
    )
    people = EmployeeFactory.create_batch(6, unit=unit, site=site, language="nl", is_armed=True)
    enrolment = EnrolmentFactory(session=session, employee=people[0], status=EnrolmentStatus.ACCEPTED)
    coordinator = make_user(Role.COORDINATOR, username="cora")
    closing_day_add(actor=coordinator, date=working_day(weeks_ahead=6), reason="Personeelsdag")
    failed_run = PlanRun.objects.create(
        campaign=campaign,
        starts_on=working_day(),
        session_capacity=8,
        status=PlanRunStatus.FAILED,
        error_code="memory",
    )

    log_in(page, live_server.url, "cora", PASSWORD)
    _sweep(
        page,
        live_server.url,
        [
            "/rollout/campaigns/",
            "/rollout/campaigns/new/",
            f"/rollout/campaigns/{campaign.pk}/edit/",
            f"/rollout/waves/{wave.pk}/edit/",
            "/rollout/rooms/",
            "/rollout/rooms/new/",
            f"/rollout/rooms/{room.pk}/edit/",
            "/rollout/instructors/",
            "/rollout/instructors/new/",
            f"/rollout/instructors/{instructor.pk}/edit/",
            "/rollout/closing-days/",
            f"/rollout/sessions/new/?campaign={campaign.pk}",
            f"/rollout/sessions/{session.pk}/edit/",
            f"/rollout/sessions/{session.pk}/cancel/",
            f"/rollout/enrolments/{enrolment.pk}/move/",
            f"/rollout/progress/{campaign.pk}/not-scheduled/",
            f"/rollout/planner/runs/{failed_run.pk}/",
        ],
        assert_accessible,
    )


def test_every_page_of_the_integrity_desk_passes_axe_in_dutch_and_french(
    page: Page, live_server: Any, make_user: Callable[..., Any], assert_accessible: Callable[..., None]
) -> None:
    head = make_user(Role.HEAD_OF_SERVICE, username="hilde")
    inspector = make_user(Role.INSPECTOR, username="ines")
    report = ReportFactory()
    report_assign(actor=head, report=report, inspector=inspector)
    ReportFactory()

    log_in(page, live_server.url, "hilde", PASSWORD)
    confirm_second_factor(page)
    reference = report.reference
    _sweep(
        page,
        live_server.url,
        [
            "/integrity/",
            "/integrity/deadlines/",
            f"/integrity/{reference}/",
            f"/integrity/{reference}/assign/",
            f"/integrity/{reference}/status/",
            f"/integrity/{reference}/notes/",
            f"/integrity/{reference}/messages/",
            f"/integrity/{reference}/person/",
            f"/integrity/{reference}/evidence/",
            f"/integrity/{reference}/access-log/",
            "/integrity/reports/statistics/",
            "/check/statistics/",
        ],
        assert_accessible,
    )
