"""The rollout from plan to progress: a coordinator adds a wave and two sessions and invites; an
employee accepts, then moves to the other session; the instructor marks attendance on a phone and
closes it; the progress dashboard counts one more person trained. axe-core checks every page
visited, in Dutch and in French."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Browser, Page, expect

from browser_tests.helpers import log_in, switch_language
from conftest import PASSWORD
from deonto.accounts.roles import Role
from deonto.people.tests.factories import EmployeeFactory, OrgUnitFactory, RegionFactory, SiteFactory
from deonto.rollout.models import Enrolment, EnrolmentStatus, Session, SessionStatus
from deonto.rollout.tests.factories import CampaignFactory, InstructorFactory, RoomFactory, working_day

pytestmark = pytest.mark.django_db(transaction=True)


def _figure(page: Page, position: int) -> str:
    """The number shown in the dashboard's n-th headline figure (1 = people to train)."""
    return page.locator(f"dl.figures > div:nth-child({position}) dd").inner_text().split()[0]


def _create_session(
    page: Page, base: str, campaign_id: int, room_id: int, instructor_id: int, day: str, half_day: int
) -> int:
    page.goto(f"{base}/rollout/sessions/new/?campaign={campaign_id}")
    page.locator("#id_date").fill(day)
    page.locator(f"#id_half_day_{half_day}").check()
    page.locator("#id_room").select_option(str(room_id))
    page.locator("#id_language").select_option("nl")
    page.locator("#id_instructors").select_option(str(instructor_id))
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    expect(page).to_have_url(f"{base}/rollout/sessions/{Session.objects.order_by('-pk').first().pk}/")
    page.locator("form[action$='/publish/'] button").click()
    page.wait_for_load_state()
    return int(page.url.rstrip("/").rsplit("/", 1)[1])


def test_a_session_is_planned_answered_moved_attended_and_counted(
    page: Page,
    phone_page: Page,
    browser: Browser,
    live_server,
    make_user,
    assert_accessible: Callable[..., None],
) -> None:
    region = RegionFactory(code="ANT")
    site = SiteFactory(code="ANR", name="Antwerpen", region=region, address="Kaai 1, 2000 Antwerpen")
    unit = OrgUnitFactory(code="ANR-01", site=site)
    colleagues = EmployeeFactory.create_batch(9, unit=unit, site=site)
    employee_user = make_user(Role.EMPLOYEE, username="employee", language="nl")
    employee = EmployeeFactory(
        unit=unit, site=site, user=employee_user, first_name="Eva", last_name="Peeters"
    )
    instructor_user = make_user(Role.INSTRUCTOR, username="instructor", language="fr")
    instructor = InstructorFactory(
        employee=EmployeeFactory(
            unit=OrgUnitFactory(code="OPL"), site=SiteFactory(code="BXL"), user=instructor_user
        ),
        regions=[region],
    )
    room = RoomFactory(site=site, name="Schelde", capacity=8)
    campaign = CampaignFactory(name="Sociale media")
    make_user(Role.COORDINATOR, username="coordinator", language="nl")
    day = working_day().isoformat()
    base = live_server.url

    # The coordinator adds a wave, watching the live count of the people its rule matches.
    log_in(page, base, "coordinator", PASSWORD)
    page.goto(f"{base}/rollout/campaigns/")
    assert_accessible(page, "campaigns (nl)")
    page.goto(f"{base}/rollout/campaigns/{campaign.pk}/")
    assert_accessible(page, "campaign (nl)")
    page.goto(f"{base}/rollout/campaigns/{campaign.pk}/waves/new/")
    page.locator("#id_name").fill("Antwerpen")
    expect(page.locator("#wave-count")).to_contain_text("11")
    page.locator(f"input[name=regions][value='{region.pk}']").check()
    expect(page.locator("#wave-count")).to_contain_text("10")
    assert_accessible(page, "wave form (nl)")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator("table")).to_contain_text("Antwerpen")

    page.goto(f"{base}/rollout/progress/?campaign={campaign.pk}")
    assert _figure(page, 2) == "0"

    # Two sessions on the same day; the employee is proposed for the morning and invited.
    morning = _create_session(page, base, campaign.pk, room.pk, instructor.pk, day, 0)
    assert_accessible(page, "session (nl)")
    afternoon = _create_session(page, base, campaign.pk, room.pk, instructor.pk, day, 1)
    page.goto(f"{base}/rollout/sessions/{morning}/propose/")
    assert_accessible(page, "propose people (nl)")
    page.locator(f"input[name=employees][value='{employee.pk}']").check()
    page.locator(f"input[name=employees][value='{colleagues[0].pk}']").check()
    page.locator("main form[method=post] button[type=submit]").click()
    page.wait_for_load_state()
    page.locator("form[action$='/invite/'] button").click()
    page.wait_for_load_state()
    expect(page.locator("main table")).to_contain_text("Peeters")
    switch_language(page, "Français")
    assert_accessible(page, "session with people invited (fr)")
    page.goto(f"{base}/rollout/sessions/?language=nl")
    assert_accessible(page, "session list (fr)")
    assert Enrolment.objects.get(employee=employee).status == EnrolmentStatus.INVITED

    # The employee accepts, then moves to the afternoon.
    employee_page = browser.new_context(locale="nl-BE").new_page()
    log_in(employee_page, base, "employee", PASSWORD)
    employee_page.goto(f"{base}/rollout/my/")
    expect(employee_page.locator("main")).to_contain_text("Kaai 1, 2000 Antwerpen")
    assert_accessible(employee_page, "my training, invited (nl)")
    employee_page.locator("form[action$='/accept/'] button").click()
    employee_page.wait_for_load_state()
    assert Enrolment.objects.get(employee=employee).status == EnrolmentStatus.ACCEPTED
    assert_accessible(employee_page, "my training, accepted (nl)")
    employee_page.locator("a[href$='/move/']").click()
    employee_page.wait_for_load_state()
    assert_accessible(employee_page, "choose another session (nl)")
    switch_language(employee_page, "Français")
    assert_accessible(employee_page, "choose another session (fr)")
    employee_page.locator(f"form:has(input[name=session][value='{afternoon}']) button").click()
    employee_page.wait_for_load_state()
    expect(employee_page).to_have_url(f"{base}/rollout/my/")
    assert_accessible(employee_page, "my training, moved (fr)")
    enrolment = Enrolment.objects.get(employee=employee)
    assert (enrolment.session_id, enrolment.status) == (afternoon, EnrolmentStatus.ACCEPTED)
    employee_page.context.close()

    # The instructor marks attendance on a phone and closes it.
    log_in(phone_page, base, "instructor", PASSWORD)
    phone_page.goto(f"{base}/rollout/my/")
    assert_accessible(phone_page, "an instructor's training page (fr)")
    phone_page.locator(f"a[href$='/sessions/{afternoon}/attendance/']").click()
    phone_page.wait_for_load_state()
    assert_accessible(phone_page, "attendance on a phone (fr)")
    assert phone_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (
        "scrolls sideways"
    )
    phone_page.locator(f"input[name='mark-{enrolment.pk}'][value='attended']").check()
    phone_page.locator("form.attendance button[type=submit]").click()
    phone_page.wait_for_load_state()
    assert_accessible(phone_page, "attendance saved (fr)")
    phone_page.locator("a[href$='/attendance/close/']").click()
    phone_page.wait_for_load_state()
    assert_accessible(phone_page, "close the attendance (fr)")
    phone_page.locator("main form button[type=submit]").click()
    phone_page.wait_for_load_state()
    expect(phone_page.locator("input[type=radio]")).to_have_count(0)
    assert_accessible(phone_page, "attendance closed (fr)")
    switch_language(phone_page, "Nederlands")
    assert_accessible(phone_page, "attendance closed (nl)")
    assert Session.objects.get(pk=afternoon).status == SessionStatus.HELD

    # The dashboard counts one more person trained and one session held.
    page.goto(f"{base}/rollout/progress/?campaign={campaign.pk}")
    assert _figure(page, 2) == "1"
    assert _figure(page, 6) == "1"
    assert_accessible(page, "progress (fr)")
