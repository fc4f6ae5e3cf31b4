"""The planner's pages recover their campaign's runs a dead task worker left behind: past the
deadline, the run page says in the reader's language that the run was interrupted, the progress
bar stops and reloads the page, and the coordinator can plan or publish again at once."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from deonto.accounts.roles import Role
from deonto.rollout.models import PlanRun, PlanRunStatus
from deonto.rollout.planner.plan import Plan
from deonto.rollout.planning import planning_instance, planning_start_default
from deonto.rollout.tests.factories import WaveFactory

pytestmark = pytest.mark.django_db

INTERRUPTED = (
    "The planner was interrupted before it finished: the server stopped its background work. "
    "Plan again to start a new run."
)


@pytest.fixture
def coordinator(client_for):
    return client_for(Role.COORDINATOR, language="en")


@pytest.fixture
def campaign(setting):
    WaveFactory(campaign=setting.campaign, order=1, units=[setting.unit])
    return setting.campaign


def _run(campaign, **state) -> PlanRun:
    start = planning_start_default(campaign=campaign)
    built = planning_instance(campaign=campaign, starts_on=start, session_capacity=8)
    return PlanRun.objects.create(
        campaign=campaign,
        starts_on=start,
        session_capacity=8,
        instance=built.to_json(),
        mapping=built.mapping,
        **state,
    )


def _stuck_running(campaign) -> PlanRun:
    """Moved to running by a task whose worker died a day ago."""
    return _run(
        campaign,
        status=PlanRunStatus.RUNNING,
        started_at=timezone.now() - datetime.timedelta(days=1),
        progress_percent=40,
    )


def test_a_stuck_run_is_shown_interrupted_in_the_readers_language(client_for, campaign) -> None:
    run = _stuck_running(campaign)
    page = client_for(Role.COORDINATOR, language="fr").get(reverse("rollout:plan_run_detail", args=[run.pk]))
    content = page.content.decode()
    with translation.override("fr"):
        assert gettext(INTERRUPTED) in content
        assert f'<span class="badge">{gettext("Failed")}</span>' in content
    assert "Échoué" in content
    assert "<progress" not in content
    assert reverse("rollout:plan_run_progress", args=[run.pk]) not in content


def test_the_progress_bar_of_a_stuck_run_reloads_the_page_on_the_interruption(coordinator, campaign) -> None:
    run = _stuck_running(campaign)
    response = coordinator.get(
        reverse("rollout:plan_run_progress", args=[run.pk]), headers={"HX-Request": "true"}
    )
    assert response.headers["HX-Refresh"] == "true"
    page = coordinator.get(reverse("rollout:plan_run_detail", args=[run.pk])).content.decode()
    assert INTERRUPTED in page


def test_a_run_within_its_deadline_still_shows_its_progress(coordinator, campaign) -> None:
    run = _run(campaign, status=PlanRunStatus.RUNNING, started_at=timezone.now(), progress_percent=40)
    response = coordinator.get(
        reverse("rollout:plan_run_progress", args=[run.pk]), headers={"HX-Request": "true"}
    )
    assert response.templates[0].name == "rollout/_planner_progress.html"
    assert "40% done." in response.content.decode()
    run.refresh_from_db()
    assert run.status == PlanRunStatus.RUNNING


def test_the_planner_page_recovers_a_stuck_run_so_a_new_one_starts(
    coordinator, campaign, django_capture_on_commit_callbacks
) -> None:
    stuck = _stuck_running(campaign)
    with django_capture_on_commit_callbacks(execute=False):
        response = coordinator.post(
            reverse("rollout:planner_start", args=[campaign.pk]),
            {"starts_on": planning_start_default(campaign=campaign).isoformat(), "session_capacity": "8"},
        )
    new = PlanRun.objects.exclude(pk=stuck.pk).get()
    assert response.url == reverse("rollout:plan_run_detail", args=[new.pk])
    stuck.refresh_from_db()
    assert stuck.error_code == "interrupted"


def test_a_stuck_publishing_is_a_plan_to_publish_again(coordinator, make_user, campaign) -> None:
    asker = make_user(Role.COORDINATOR, language="en")
    run = _run(
        campaign,
        status=PlanRunStatus.PUBLISHING,
        result=Plan(
            method="cp-sat",
            status="optimal",
            weeks=0,
            pilot_weeks=0,
            lower_bound_weeks=0,
            lower_bound_pilot_weeks=0,
            sessions=(),
        ).to_dict(),
        published_by=asker,
        publish_started_at=timezone.now() - datetime.timedelta(days=1),
    )
    confirm = coordinator.get(reverse("rollout:plan_run_publish", args=[run.pk]))
    assert confirm.status_code == 200
    assert confirm.templates[0].name == "rollout/planner_publish.html"
    page = coordinator.get(reverse("rollout:plan_run_detail", args=[run.pk])).content.decode()
    assert "Publishing was interrupted before it finished and nothing was created: publish again." in page
    assert reverse("rollout:plan_run_publish", args=[run.pk]) in page
    assert "Plan again to take the changes into account." not in page
