"""The planner's pages: starting a run from the campaign, its progress bar, the proposal said in the
reader's language (never the planner's English), the failures explained, and publishing with its
confirmation and its list of conflicts."""

from __future__ import annotations

import dataclasses
import datetime

import pytest
from django.urls import reverse

from deonto.accounts.roles import Role
from deonto.rollout.models import Enrolment, PlanRun, PlanRunStatus, Session
from deonto.rollout.planner.plan import Bottleneck, Plan, PlannedSession, Problem, WhatIf
from deonto.rollout.planning import planning_instance, planning_start_default, slot_date
from deonto.rollout.services_planner import plan_run_execute, plan_run_start
from deonto.rollout.tests.factories import SessionFactory, WaveFactory

pytestmark = pytest.mark.django_db

PLANNER_WORDING = "PLANNER ENGLISH"


@pytest.fixture
def coordinator(client_for):
    return client_for(Role.COORDINATOR, language="en")


@pytest.fixture
def campaign(setting):
    WaveFactory(campaign=setting.campaign, order=1, units=[setting.unit])
    return setting.campaign


def _run_with(setting, plan: Plan, **extra) -> PlanRun:
    """A finished run of the setting's campaign holding ``plan``."""
    start = planning_start_default(campaign=setting.campaign)
    built = planning_instance(campaign=setting.campaign, starts_on=start, session_capacity=8)
    return PlanRun.objects.create(
        campaign=setting.campaign,
        starts_on=start,
        session_capacity=8,
        status=PlanRunStatus.DONE,
        instance=built.to_json(),
        mapping=built.mapping,
        result=plan.to_dict(),
        **extra,
    )


def _plan(setting, weeks=3) -> Plan:
    instructor = f"I{setting.instructor.pk}"
    return Plan(
        method="cp-sat",
        status="optimal",
        weeks=weeks,
        pilot_weeks=1,
        lower_bound_weeks=weeks,
        lower_bound_pilot_weeks=1,
        sessions=tuple(
            PlannedSession(
                week=week,
                halfday=4,
                region="ANT",
                language="nl",
                instructor=instructor,
                room=0,
                attendees={"ANR-01|nl|1": 4},
            )
            for week in range(weeks)
        ),
        bottlenecks=(
            Bottleneck(
                kind="region-language",
                figures={
                    "region": "ANT",
                    "language": "nl",
                    "sessions": 5,
                    "instructors": 1,
                    "per_week": 2,
                    "weeks": 3,
                },
                text=PLANNER_WORDING,
            ),
        ),
        problems=(
            Problem(
                kind="no-instructor",
                figures={"region": "ANT", "language": "de", "people": 2, "pilot_people": 0, "units": 1},
                text=PLANNER_WORDING,
            ),
        ),
        what_ifs=(
            WhatIf(
                kind="instructor",
                figures={"region": "ANT", "language": "nl", "halfdays": 10},
                weeks=2,
                pilot_weeks=1,
                saves_weeks=1,
                text=PLANNER_WORDING,
            ),
        ),
    )


def test_the_campaign_page_leads_to_the_planner(coordinator, campaign) -> None:
    page = coordinator.get(reverse("rollout:campaign_detail", args=[campaign.pk]))
    assert reverse("rollout:planner_start", args=[campaign.pk]) in page.content.decode()


def test_a_coordinator_starts_a_run_and_follows_its_progress(
    coordinator, campaign, django_capture_on_commit_callbacks
) -> None:
    form = coordinator.get(reverse("rollout:planner_start", args=[campaign.pk]))
    start = planning_start_default(campaign=campaign)
    assert form.context["form"].initial["starts_on"] == start
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = coordinator.post(
            reverse("rollout:planner_start", args=[campaign.pk]),
            {"starts_on": start.isoformat(), "session_capacity": "8"},
        )
    run = PlanRun.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("rollout:plan_run_detail", args=[run.pk])
    assert len(callbacks) == 1
    page = coordinator.get(response.url).content.decode()
    assert '<progress aria-labelledby="planner-progress-label"' in page
    assert 'role="status"' in page
    assert f'hx-get="{reverse("rollout:plan_run_progress", args=[run.pk])}"' in page
    assert 'hx-trigger="every 1s"' in page
    fragment = coordinator.get(
        reverse("rollout:plan_run_progress", args=[run.pk]), headers={"HX-Request": "true"}
    )
    assert fragment.templates[0].name == "rollout/_planner_progress.html"


def test_a_refused_start_says_why_and_keeps_what_was_typed(coordinator, campaign) -> None:
    tuesday = planning_start_default(campaign=campaign) + datetime.timedelta(days=1)
    response = coordinator.post(
        reverse("rollout:planner_start", args=[campaign.pk]),
        {"starts_on": tuesday.isoformat(), "session_capacity": "7"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "The planning starts on a Monday." in page
    assert f'value="{tuesday.isoformat()}"' in page
    assert 'value="7"' in page
    assert not PlanRun.objects.exists()


@pytest.mark.parametrize("role", [Role.EMPLOYEE, Role.MANAGER, Role.INSTRUCTOR])
def test_only_coordinators_plan(client_for, campaign, role) -> None:
    client = client_for(role, language="en")
    assert client.get(reverse("rollout:planner_start", args=[campaign.pk])).status_code == 403
    response = client.post(
        reverse("rollout:planner_start", args=[campaign.pk]),
        {"starts_on": planning_start_default(campaign=campaign).isoformat(), "session_capacity": "8"},
    )
    assert response.status_code == 403
    assert not PlanRun.objects.exists()


def test_the_progress_bar_reloads_the_page_once_the_run_is_over(coordinator, setting, campaign) -> None:
    run = _run_with(setting, _plan(setting))
    response = coordinator.get(
        reverse("rollout:plan_run_progress", args=[run.pk]), headers={"HX-Request": "true"}
    )
    assert response.headers["HX-Refresh"] == "true"
    without_htmx = coordinator.get(reverse("rollout:plan_run_progress", args=[run.pk]))
    assert without_htmx.url == reverse("rollout:plan_run_detail", args=[run.pk])


def test_the_proposal_is_said_in_the_readers_words_never_the_planners(coordinator, setting, campaign) -> None:
    run = _run_with(setting, _plan(setting))
    page = coordinator.get(reverse("rollout:plan_run_detail", args=[run.pk])).content.decode()
    region = setting.region.name
    assert PLANNER_WORDING not in page
    assert f"{region}, Dutch: 5 sessions, 1 instructor, 2 sessions a week, so at least 3 weeks." in page
    assert f"No instructor teaches German in {region}: 2 people cannot be planned." in page
    assert f"One more instructor for {region}, Dutch — saves 1 week" in page
    last = run.starts_on + datetime.timedelta(weeks=2, days=4)
    assert last.strftime("%-d %B %Y") in page
    assert "This plan reaches both: it is the shortest possible." in page
    assert setting.room.name in page
    assert setting.instructor.employee.full_name in page


def test_the_proposal_in_french_uses_the_french_region_name(client_for, setting, campaign) -> None:
    run = _run_with(setting, _plan(setting))
    page = client_for(Role.COORDINATOR, language="fr").get(reverse("rollout:plan_run_detail", args=[run.pk]))
    assert setting.region.name_fr in page.content.decode()
    assert PLANNER_WORDING not in page.content.decode()


def test_the_sessions_are_shown_a_few_weeks_per_page(coordinator, setting, campaign) -> None:
    run = _run_with(setting, _plan(setting, weeks=6))
    first = coordinator.get(reverse("rollout:plan_run_detail", args=[run.pk]))
    assert [week.week for week in first.context["page"].object_list] == [0, 1, 2, 3]
    second = coordinator.get(reverse("rollout:plan_run_detail", args=[run.pk]) + "?page=2")
    assert [week.week for week in second.context["page"].object_list] == [4, 5]
    assert "Week 5, from" in second.content.decode()


def test_a_failed_run_explains_itself_without_the_technical_details(coordinator, setting, campaign) -> None:
    run = PlanRun.objects.create(
        campaign=campaign,
        starts_on=planning_start_default(campaign=campaign),
        session_capacity=8,
        status=PlanRunStatus.FAILED,
        error_code="timeout",
        error_message="exit status -9\nTraceback (most recent call last)",
    )
    page = coordinator.get(reverse("rollout:plan_run_detail", args=[run.pk])).content.decode()
    assert "The planner took longer than allowed and was stopped." in page
    assert "Traceback" not in page
    assert "exit status" not in page


def test_people_without_a_site_or_kept_out_by_the_booking_rules_are_listed_as_not_planned(
    coordinator, setting, campaign
) -> None:
    run = _run_with(setting, _plan(setting), people_without_site=3, people_blocked=1)
    page = coordinator.get(reverse("rollout:plan_run_detail", args=[run.pk])).content.decode()
    assert "3 people have no site in the roster, so no region: add their site to plan them." in page
    assert "1 person holds a seat in a draft session or was marked absent or excused at a session" in page


def test_publishing_asks_for_confirmation_then_creates_the_sessions_in_the_background(
    coordinator, setting, campaign, settings, django_capture_on_commit_callbacks
) -> None:
    settings.PLANNER_TIME_LIMIT = 5
    run = plan_run_start(
        actor=None, campaign=campaign, starts_on=planning_start_default(campaign=campaign), session_capacity=8
    )
    run = plan_run_execute(plan_run_id=run.pk)
    confirm = coordinator.get(reverse("rollout:plan_run_publish", args=[run.pk]))
    assert "invites 20 people" in confirm.content.decode()
    assert not Session.objects.exists()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = coordinator.post(reverse("rollout:plan_run_publish", args=[run.pk]))
    assert response.url == reverse("rollout:plan_run_detail", args=[run.pk])
    assert not Session.objects.exists()
    page = coordinator.get(response.url).content.decode()
    assert "The plan is being published" in page
    assert reverse("rollout:plan_run_progress", args=[run.pk]) in page
    with django_capture_on_commit_callbacks(execute=False):
        for callback in callbacks:
            callback()
    assert Session.objects.filter(campaign=campaign).count() == run.result["session_count"]
    assert Enrolment.objects.filter(campaign=campaign).count() == 20
    progress = coordinator.get(reverse("rollout:plan_run_progress", args=[run.pk]), HTTP_HX_REQUEST="true")
    assert progress.headers["HX-Refresh"] == "true"
    page = coordinator.get(response.url).content.decode()
    assert "Published" in page
    assert reverse("rollout:plan_run_publish", args=[run.pk]) not in page


def test_a_conflict_at_publishing_is_listed_on_the_run_and_nothing_is_created(
    coordinator, setting, campaign, django_capture_on_commit_callbacks
) -> None:
    plan = _plan(setting)
    run = _run_with(setting, plan)
    date, half_day = slot_date(starts_on=run.starts_on, week=1, halfday=4)
    SessionFactory(room=setting.room, date=date, half_day=half_day)
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator.post(reverse("rollout:plan_run_publish", args=[run.pk]))
    page = coordinator.get(response.url).content.decode()
    assert "The plan could not be published:" in page
    assert "No room of the region is free then." in page
    assert "Nothing has been created." in page
    assert Session.objects.count() == 1
    assert not Enrolment.objects.exists()


def _plan_with_what_ifs(setting, *what_ifs):
    return dataclasses.replace(_plan(setting), what_ifs=what_ifs)


def test_changes_that_save_weeks_only_together_are_offered_and_those_that_save_none_are_listed_apart(
    coordinator, setting, campaign
) -> None:
    instructor = WhatIf(
        kind="instructor",
        figures={"region": "ANT", "language": "nl", "halfdays": 10},
        weeks=3,
        pilot_weeks=1,
        saves_weeks=0,
        text=PLANNER_WORDING,
    )
    room = {"kind": "room", "region": "ANT", "rooms": 2}
    together = WhatIf(
        kind="together",
        figures={"changes": [{"kind": "instructor", **instructor.figures}, room]},
        weeks=2,
        pilot_weeks=1,
        saves_weeks=1,
        text=PLANNER_WORDING,
    )
    run = _run_with(setting, _plan_with_what_ifs(setting, together, instructor))
    page = coordinator.get(reverse("rollout:plan_run_detail", args=[run.pk])).content.decode()
    region = setting.region.name
    assert (
        f'<summary class="button">Together: One more instructor for {region}, Dutch + One more room in {region}'
        " — saves 1 week</summary>" in page
    )
    assert "These changes, each alone, would not shorten the plan:" in page
    assert f"<li>One more instructor for {region}, Dutch</li>" in page
    assert "saves 0 weeks" not in page


def test_when_no_change_helps_the_page_says_so(coordinator, setting, campaign) -> None:
    run = _run_with(setting, _plan_with_what_ifs(setting))
    page = coordinator.get(reverse("rollout:plan_run_detail", args=[run.pk])).content.decode()
    assert "No change of one instructor, half-day or room would shorten this plan." in page


@pytest.mark.parametrize(
    ("kind", "figures", "sentence"),
    [
        (
            "rooms",
            {"region": "ANT", "rooms": 1, "sessions": 43, "per_week": 9, "weeks": 5},
            "{region}: 1 room for 43 sessions, 9 sessions a week, so at least 5 weeks.",
        ),
        (
            "rooms",
            {"region": "ANT", "rooms": 2, "sessions": 1, "per_week": 1, "weeks": 1},
            "{region}: 2 rooms for 1 session, 1 session a week, so at least 1 week.",
        ),
        (
            "unit-rule",
            {
                "region": "ANT",
                "language": "nl",
                "unit": "ANR-01",
                "people": 1,
                "daily_cap": 1,
                "days": 1,
                "days_per_week": 1,
                "weeks": 1,
            },
            "Unit ANR-01 ({region}, Dutch): 1 person, at most 1 away a day, so 1 session day; 1 day a week,"
            " so at least 1 week.",
        ),
        (
            "instructors",
            {
                "regions": ["ANT"],
                "languages": ["nl", "fr"],
                "sessions": 12,
                "instructors": 1,
                "per_week": 3,
                "weeks": 4,
            },
            "{region} (Dutch, French): 12 sessions for 1 instructor, 3 sessions a week, so at least 4 weeks.",
        ),
    ],
)
def test_bottlenecks_count_their_words_in_the_right_number(
    coordinator, setting, campaign, kind, figures, sentence
) -> None:
    plan = dataclasses.replace(
        _plan(setting), bottlenecks=(Bottleneck(kind=kind, figures=figures, text=PLANNER_WORDING),)
    )
    run = _run_with(setting, plan)
    page = coordinator.get(reverse("rollout:plan_run_detail", args=[run.pk])).content.decode()
    assert sentence.format(region=setting.region.name) in page


def test_weeks_are_counted_in_the_right_number(coordinator, setting, campaign) -> None:
    plan = dataclasses.replace(
        _plan(setting),
        weeks=2,
        pilot_weeks=1,
        lower_bound_weeks=1,
        lower_bound_pilot_weeks=1,
        what_ifs=(
            WhatIf(
                kind="instructor",
                figures={"region": "ANT", "language": "nl", "halfdays": 10},
                weeks=1,
                pilot_weeks=1,
                saves_weeks=1,
                text=PLANNER_WORDING,
            ),
        ),
    )
    run = _run_with(setting, plan)
    page = coordinator.get(reverse("rollout:plan_run_detail", args=[run.pk])).content.decode()
    assert "No plan can train everyone in fewer than 1 week, or the pilot wave in fewer than 1 week." in page
    assert "This plan is 1 week above the bound (0 weeks for the pilot wave)." in page
    assert "Everyone trained in 1 week (by " in page
    assert "the pilot wave in 1 week." in page
