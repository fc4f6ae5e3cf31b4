"""Planner runs a dead task worker leaves behind: past its deadline (the wall time of the planner's
child, the time cap of publishing) plus a margin, a running run fails as interrupted and a
publishing run is a finished plan again, publishable again; nothing before the deadline, nor a run
whose task never started, is touched; publishing past its time cap stops and creates nothing; and
no run is published twice."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone, translation
from django.utils.translation import gettext

from deonto.accounts.roles import Role
from deonto.core.errors import DomainError
from deonto.core.models import AuditEntry
from deonto.rollout.models import Enrolment, Message, MessageKind, PlanRun, PlanRunStatus, Session
from deonto.rollout.planner.plan import plan_from_dict
from deonto.rollout.planning import planning_start_default
from deonto.rollout.services_planner import (
    RECOVERY_MARGIN,
    plan_run_deadline,
    plan_run_execute,
    plan_run_finish,
    plan_run_publish_execute,
    plan_run_publish_queue,
    plan_run_start,
    plan_runs_recover,
    planner_child_run,
    publish_seconds,
    wall_seconds,
)
from deonto.rollout.services_planner import (
    _publish as publish_as_the_task_does,
)
from deonto.rollout.tasks import recover_plan_runs
from deonto.rollout.tests.factories import CampaignFactory, WaveFactory

pytestmark = pytest.mark.django_db

SECOND = datetime.timedelta(seconds=1)


@pytest.fixture
def coordinator(make_user):
    return make_user(Role.COORDINATOR, language="en")


@pytest.fixture
def campaign(setting):
    """The setting's 20 people in two waves: 4 armed officers as the pilot, then the rest."""
    for person in setting.people[:4]:
        person.is_armed = True
        person.save()
    WaveFactory(campaign=setting.campaign, order=1, armed_only=True, units=[setting.unit])
    WaveFactory(campaign=setting.campaign, order=2, units=[setting.unit])
    return setting.campaign


@pytest.fixture
def quick(settings):
    settings.PLANNER_TIME_LIMIT = 5


def _start(coordinator, campaign):
    return plan_run_start(
        actor=coordinator,
        campaign=campaign,
        starts_on=planning_start_default(campaign=campaign),
        session_capacity=8,
    )


def _planned(coordinator, campaign):
    return plan_run_execute(plan_run_id=_start(coordinator, campaign).pk)


def _died_while_running(run, started_at):
    """What the planner task leaves when its worker is killed mid-run: the row it moved to
    running (committed before the child started), nothing after."""
    PlanRun.objects.filter(pk=run.pk).update(
        status=PlanRunStatus.RUNNING, started_at=started_at, progress_percent=40
    )
    run.refresh_from_db()
    return run


def _died_while_publishing(coordinator, run, started_at):
    """What the publishing task leaves when its worker is killed mid-way: the run queued for
    publishing and claimed at ``started_at`` (committed); its transaction never committed."""
    plan_run_publish_queue(actor=coordinator, plan_run=run)
    PlanRun.objects.filter(pk=run.pk).update(publish_started_at=started_at, progress_percent=30)
    run.refresh_from_db()
    return run


def _publish(coordinator, run):
    plan_run_publish_queue(actor=coordinator, plan_run=run)
    return plan_run_publish_execute(plan_run_id=run.pk)


def test_a_runs_deadline_is_its_start_plus_the_planners_wall_time_or_the_publishing_cap(
    coordinator, campaign, settings
) -> None:
    settings.PLANNER_TIME_LIMIT = 30
    settings.PLANNER_WALL_SECONDS = 0
    settings.PLANNER_PUBLISH_SECONDS = 600
    started = timezone.now()
    run = _start(coordinator, campaign)
    assert plan_run_deadline(run) is None
    run = _died_while_running(run, started)
    assert plan_run_deadline(run) == started + datetime.timedelta(seconds=2 * 30 + 60)
    PlanRun.objects.filter(pk=run.pk).update(
        status=PlanRunStatus.PUBLISHING, publish_started_at=started, result={"weeks": 1}
    )
    run.refresh_from_db()
    assert plan_run_deadline(run) == started + datetime.timedelta(seconds=600)


def test_the_publishing_cap_follows_the_setting(settings) -> None:
    settings.PLANNER_PUBLISH_SECONDS = 120
    assert publish_seconds() == 120


def test_a_run_running_past_its_deadline_fails_as_interrupted_and_a_new_run_starts(
    coordinator, campaign, quick
) -> None:
    started = timezone.now()
    run = _died_while_running(_start(coordinator, campaign), started)
    with pytest.raises(DomainError, match="already running"):
        _start(coordinator, campaign)
    late = started + datetime.timedelta(seconds=wall_seconds()) + RECOVERY_MARGIN + SECOND

    assert plan_runs_recover(now=late) == [run]

    run.refresh_from_db()
    assert run.status == PlanRunStatus.FAILED
    assert run.error_code == "interrupted"
    assert "task worker stopped" in run.error_message
    assert run.finished_at == late
    assert not run.is_running
    entry = AuditEntry.objects.get(action="rollout.plan_run_recover")
    assert entry.object_id == str(run.pk)
    assert entry.details["was"] == PlanRunStatus.RUNNING
    again = plan_run_execute(plan_run_id=_start(coordinator, campaign).pk)
    assert again.status == PlanRunStatus.DONE, again.error_message
    assert plan_runs_recover(now=late) == []


def test_runs_before_their_deadline_and_runs_whose_task_never_started_are_left_alone(
    coordinator, campaign, setting, quick
) -> None:
    started = timezone.now()
    running = _died_while_running(_start(coordinator, campaign), started)
    just_before = started + datetime.timedelta(seconds=wall_seconds()) + RECOVERY_MARGIN - SECOND
    assert plan_runs_recover(now=just_before) == []
    running.refresh_from_db()
    assert running.status == PlanRunStatus.RUNNING
    assert running.progress_percent == 40

    PlanRun.objects.filter(pk=running.pk).update(status=PlanRunStatus.FAILED)
    queued = _start(coordinator, campaign)
    assert plan_runs_recover(now=started + datetime.timedelta(days=30)) == []
    queued.refresh_from_db()
    assert queued.status == PlanRunStatus.QUEUED

    publishing = _died_while_publishing(coordinator, plan_run_execute(plan_run_id=queued.pk), started)
    just_before = started + datetime.timedelta(seconds=publish_seconds()) + RECOVERY_MARGIN - SECOND
    assert plan_runs_recover(now=just_before) == []
    PlanRun.objects.filter(pk=publishing.pk).update(publish_started_at=None)
    assert plan_runs_recover(now=started + datetime.timedelta(days=30)) == []
    publishing.refresh_from_db()
    assert publishing.status == PlanRunStatus.PUBLISHING
    assert not AuditEntry.objects.filter(action="rollout.plan_run_recover").exists()


def test_a_publishing_run_past_its_deadline_is_publishable_again_and_publishes_every_session_once(
    coordinator, campaign, quick
) -> None:
    run = _planned(coordinator, campaign)
    plan = plan_from_dict(run.result)
    started = timezone.now()
    run = _died_while_publishing(coordinator, run, started)
    with pytest.raises(DomainError, match="being published"):
        _start(coordinator, campaign)
    late = started + datetime.timedelta(seconds=publish_seconds()) + RECOVERY_MARGIN + SECOND

    assert plan_runs_recover(now=late) == [run]

    run.refresh_from_db()
    assert run.status == PlanRunStatus.DONE
    assert run.publish_error == (
        "Publishing was interrupted before it finished and nothing was created: publish again."
    )
    assert run.published_by is None
    assert run.publish_started_at is None
    assert not Session.objects.exists()
    entry = AuditEntry.objects.get(action="rollout.plan_run_recover")
    assert (entry.details["was"], entry.details["now"]) == (PlanRunStatus.PUBLISHING, PlanRunStatus.DONE)

    run = _publish(coordinator, run)

    assert run.status == PlanRunStatus.PUBLISHED
    assert run.publish_error == ""
    assert Session.objects.filter(campaign=campaign).count() == len(plan.sessions)
    enrolments = Enrolment.objects.filter(campaign=campaign)
    assert enrolments.count() == 20
    assert enrolments.values("employee").distinct().count() == 20
    assert Message.objects.filter(kind=MessageKind.INVITATION).count() == 20
    assert AuditEntry.objects.filter(action="rollout.plan_run_publish").count() == 1
    assert plan_runs_recover(now=late + datetime.timedelta(days=1)) == []


def test_a_recovered_publishing_is_written_in_the_language_of_who_asked(make_user, campaign, quick) -> None:
    asker = make_user(Role.COORDINATOR, language="fr")
    run = _planned(asker, campaign)
    started = timezone.now()
    _died_while_publishing(asker, run, started)
    plan_runs_recover(now=started + datetime.timedelta(days=1))
    run.refresh_from_db()
    with translation.override("fr"):
        expected = gettext(
            "Publishing was interrupted before it finished and nothing was created: publish again."
        )
    assert run.publish_error == expected


def test_a_recovered_publishing_whose_start_has_passed_is_not_published(coordinator, campaign, quick) -> None:
    run = _planned(coordinator, campaign)
    started = timezone.now()
    _died_while_publishing(coordinator, run, started)
    plan_runs_recover(now=started + datetime.timedelta(days=1))
    PlanRun.objects.filter(pk=run.pk).update(starts_on=timezone.localdate())
    run.refresh_from_db()
    with pytest.raises(DomainError, match="which has passed: plan again"):
        plan_run_publish_queue(actor=coordinator, plan_run=run)
    assert not Session.objects.exists()


def test_publishing_past_its_time_cap_stops_and_creates_nothing(
    coordinator, campaign, settings, quick
) -> None:
    run = _planned(coordinator, campaign)
    assert len(plan_from_dict(run.result).sessions) > 1
    settings.PLANNER_PUBLISH_SECONDS = 0

    run = _publish(coordinator, run)

    assert run.status == PlanRunStatus.DONE
    assert run.publish_error.startswith("Publishing took longer than allowed and was stopped")
    assert run.publish_started_at is None
    assert run.published_by is None
    assert not Session.objects.exists()
    assert not Enrolment.objects.exists()
    assert not Message.objects.exists()
    assert not AuditEntry.objects.filter(action="rollout.plan_run_publish").exists()
    settings.PLANNER_PUBLISH_SECONDS = 3600
    assert _publish(coordinator, run).status == PlanRunStatus.PUBLISHED
    assert Enrolment.objects.count() == 20


def test_a_second_task_for_the_same_publishing_does_nothing(coordinator, campaign, quick) -> None:
    run = _planned(coordinator, campaign)
    claimed = timezone.now()
    _died_while_publishing(coordinator, run, claimed)
    run = plan_run_publish_execute(plan_run_id=run.pk)
    assert run.status == PlanRunStatus.PUBLISHING
    assert run.publish_started_at == claimed
    assert not Session.objects.exists()


def test_a_planner_task_that_outlives_its_recovery_changes_nothing(coordinator, campaign, quick) -> None:
    run = _start(coordinator, campaign)
    outcome = planner_child_run(
        run.instance, time_limit=5, wall=60, memory_mb=2048, on_progress=lambda _percent, _stage: None
    )
    assert outcome.returncode == 0, outcome.stderr_tail
    started = timezone.now()
    _died_while_running(run, started)
    plan_runs_recover(now=started + datetime.timedelta(days=1))

    run = plan_run_finish(plan_run_id=run.pk, outcome=outcome)

    assert run.status == PlanRunStatus.FAILED
    assert run.error_code == "interrupted"
    assert run.result is None


def test_a_publishing_task_that_outlives_its_recovery_creates_nothing_and_the_new_one_publishes_once(
    coordinator, campaign, quick
) -> None:
    """The slow task (its publishing, called as the task calls it) ends only after its run was
    recovered and queued again: its transaction is refused at the end and rolled back."""
    run = _planned(coordinator, campaign)
    plan = plan_from_dict(run.result)
    claimed = timezone.now()
    slow = _died_while_publishing(coordinator, run, claimed)
    plan_runs_recover(now=claimed + datetime.timedelta(days=1))
    plan_run_publish_queue(actor=coordinator, plan_run=PlanRun.objects.get(pk=run.pk))

    with pytest.raises(DomainError, match="Publishing was interrupted"):
        publish_as_the_task_does(
            actor=coordinator,
            run=slow,
            deadline=claimed + datetime.timedelta(days=1),
            progress=lambda _percent: None,
        )

    assert not Session.objects.exists()
    assert not Enrolment.objects.exists()
    assert PlanRun.objects.get(pk=run.pk).status == PlanRunStatus.PUBLISHING
    assert plan_run_publish_execute(plan_run_id=run.pk).status == PlanRunStatus.PUBLISHED
    assert Session.objects.count() == len(plan.sessions)
    assert Enrolment.objects.count() == 20


def test_the_command_recovers_every_campaigns_runs_left_behind(coordinator, campaign, quick) -> None:
    long_ago = timezone.now() - datetime.timedelta(days=1)
    publishing = _died_while_publishing(coordinator, _planned(coordinator, campaign), long_ago)
    PlanRun.objects.filter(pk=publishing.pk).update(campaign=CampaignFactory())
    running = _died_while_running(_start(coordinator, campaign), long_ago)
    output = StringIO()

    call_command("recover_plan_runs", stdout=output)

    assert output.getvalue().strip() == (
        "Recovered 2 planner run(s): 1 interrupted while running, 1 publishable again."
    )
    assert PlanRun.objects.get(pk=running.pk).status == PlanRunStatus.FAILED
    assert PlanRun.objects.get(pk=publishing.pk).status == PlanRunStatus.DONE
    call_command("recover_plan_runs", stdout=output)
    assert (
        output.getvalue()
        .strip()
        .endswith("Recovered 0 planner run(s): 0 interrupted while running, 0 publishable again.")
    )


def test_the_task_recovers_the_runs_left_behind(coordinator, campaign) -> None:
    run = _died_while_running(_start(coordinator, campaign), timezone.now() - datetime.timedelta(days=1))
    assert recover_plan_runs.call() == 1
    run.refresh_from_db()
    assert run.error_code == "interrupted"


def test_recovering_one_campaign_leaves_the_others_runs_alone(coordinator, campaign, setting) -> None:
    long_ago = timezone.now() - datetime.timedelta(days=1)
    run = _died_while_running(_start(coordinator, campaign), long_ago)
    other = CampaignFactory()
    assert plan_runs_recover(campaign=other) == []
    assert plan_runs_recover(campaign=campaign) == [run]
