"""The planner in the app: a run is queued with its instance, the task runs the real planner in a
child process (with its time, wall and memory caps), publishing turns the plan into sessions and
invitations through the booking rules, all or nothing, and a new run plans around what was
published."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from deonto.accounts.roles import Role
from deonto.core.errors import DomainError
from deonto.core.models import AuditEntry
from deonto.rollout.exports import people_rows
from deonto.rollout.models import (
    Enrolment,
    EnrolmentStatus,
    Message,
    MessageKind,
    PlanRun,
    PlanRunStatus,
    Session,
    SessionStatus,
)
from deonto.rollout.planner.instance import load_instance
from deonto.rollout.planner.plan import plan_from_dict
from deonto.rollout.planner.verify import verify
from deonto.rollout.planning import planning_start_default, slot_date
from deonto.rollout.progress import campaign_progress
from deonto.rollout.selectors_sessions import attendance_list
from deonto.rollout.services_enrolments import attendance_record, enrolment_decline, enrolment_propose
from deonto.rollout.services_planner import (
    plan_run_execute,
    plan_run_publish_execute,
    plan_run_publish_queue,
    plan_run_start,
    planner_child_run,
)
from deonto.rollout.services_sessions import session_close
from deonto.rollout.tests.factories import CampaignFactory, EnrolmentFactory, SessionFactory, WaveFactory

pytestmark = pytest.mark.django_db


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


def _start(coordinator, campaign, capacity=8):
    return plan_run_start(
        actor=coordinator,
        campaign=campaign,
        starts_on=planning_start_default(campaign=campaign),
        session_capacity=capacity,
    )


def _planned(coordinator, campaign, capacity=8):
    run = _start(coordinator, campaign, capacity)
    return plan_run_execute(plan_run_id=run.pk)


def _publish(coordinator, run):
    """Queue the publishing as the page does, then run the task the commit enqueues."""
    plan_run_publish_queue(actor=coordinator, plan_run=run)
    return plan_run_publish_execute(plan_run_id=run.pk)


def test_starting_a_run_stores_the_instance_and_queues_the_planner_once_committed(
    coordinator, campaign, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        run = _start(coordinator, campaign)
    assert len(callbacks) == 1
    assert run.status == PlanRunStatus.QUEUED
    instance = load_instance(run.instance)
    assert sum(group.count for group in instance.groups) == 20
    assert run.mapping["starts_on"] == run.starts_on.isoformat()
    assert AuditEntry.objects.filter(action="rollout.plan_run_start").count() == 1


@pytest.mark.parametrize(
    ("shift", "capacity", "message"),
    [
        (1, 8, "The planning starts on a Monday."),
        (-7, 8, "The planning starts on a Monday after today."),
        (0, 40, "No room in use seats 40 people: choose fewer seats per session."),
    ],
)
def test_a_run_is_refused_on_a_wrong_start_or_a_capacity_no_room_seats(
    coordinator, campaign, shift, capacity, message
) -> None:
    starts_on = planning_start_default(campaign=campaign) + datetime.timedelta(days=shift)
    with pytest.raises(DomainError) as refused:
        plan_run_start(actor=coordinator, campaign=campaign, starts_on=starts_on, session_capacity=capacity)
    assert refused.value.message == message
    assert not PlanRun.objects.exists()


def test_a_second_run_waits_until_the_first_is_over(coordinator, campaign) -> None:
    _start(coordinator, campaign)
    with pytest.raises(DomainError, match="already running"):
        _start(coordinator, campaign)


def test_the_task_runs_the_planner_in_a_child_process_and_stores_a_plan_for_everyone(
    coordinator, campaign, quick
) -> None:
    run = _planned(coordinator, campaign)
    assert run.status == PlanRunStatus.DONE, run.error_message
    assert run.progress_percent == 100
    assert run.started_at is not None and run.finished_at is not None
    plan = plan_from_dict(run.result)
    instance = load_instance(run.instance)
    assert verify(instance, plan) == []
    assert sum(session.size for session in plan.sessions) == 20
    # 20 people, 4 of the unit a day, 8 seats: at least 5 session days, pilot wave first.
    assert plan.weeks >= 1
    assert plan.pilot_weeks <= plan.weeks
    assert "what_ifs" in run.result


def test_a_planner_still_running_at_its_wall_time_is_stopped_and_the_run_says_so(
    coordinator, campaign, settings
) -> None:
    settings.PLANNER_WALL_SECONDS = 0.05
    run = _planned(coordinator, campaign)
    assert run.status == PlanRunStatus.FAILED
    assert run.error_code == "timeout"
    assert run.result is None


def test_an_invalid_instance_fails_as_invalid_without_a_traceback(coordinator, campaign, quick) -> None:
    run = _start(coordinator, campaign)
    PlanRun.objects.filter(pk=run.pk).update(instance={**run.instance, "session_capacity": 0})
    run = plan_run_execute(plan_run_id=run.pk)
    assert run.status == PlanRunStatus.FAILED
    assert run.error_code == "invalid"
    assert "session_capacity" in run.error_message
    assert "Traceback" not in run.error_message


def test_a_planner_over_its_memory_cap_fails_as_memory(coordinator, campaign, settings) -> None:
    settings.PLANNER_MEMORY_MB = 40
    run = _planned(coordinator, campaign)
    assert run.status == PlanRunStatus.FAILED
    assert run.error_code == "memory"


def test_a_run_already_over_is_not_run_again(coordinator, campaign, quick) -> None:
    run = _planned(coordinator, campaign)
    finished = run.finished_at
    assert plan_run_execute(plan_run_id=run.pk).finished_at == finished


def test_publishing_creates_the_sessions_and_invites_everyone_pilot_wave_first(
    coordinator, campaign, setting, quick, django_capture_on_commit_callbacks
) -> None:
    run = _planned(coordinator, campaign)
    plan = plan_from_dict(run.result)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        queued = plan_run_publish_queue(actor=coordinator, plan_run=run)
    assert queued.status == PlanRunStatus.PUBLISHING
    assert queued.is_running
    assert not Session.objects.exists()
    assert len(callbacks) == 1
    with django_capture_on_commit_callbacks(execute=False):
        callbacks[0]()
    sessions = list(Session.objects.filter(campaign=campaign).order_by("date", "half_day"))
    assert len(sessions) == len(plan.sessions)
    assert all(s.status == SessionStatus.PUBLISHED and s.room_id == setting.room.pk for s in sessions)
    assert all(s.capacity == 8 for s in sessions)
    first = plan.sessions[0]
    assert (sessions[0].date, sessions[0].half_day) == slot_date(
        starts_on=run.starts_on, week=first.week, halfday=first.halfday
    )
    enrolments = Enrolment.objects.filter(campaign=campaign)
    assert enrolments.count() == 20
    assert set(enrolments.values_list("status", flat=True)) == {EnrolmentStatus.INVITED}
    armed = set(enrolments.filter(employee__is_armed=True).values_list("session__date", flat=True))
    others = set(enrolments.filter(employee__is_armed=False).values_list("session__date", flat=True))
    assert max(armed) <= min(others)
    assert Message.objects.filter(kind=MessageKind.INVITATION).count() == 20
    run.refresh_from_db()
    assert run.status == PlanRunStatus.PUBLISHED
    assert run.published_by == coordinator
    assert run.progress_percent == 100
    assert AuditEntry.objects.filter(action="rollout.plan_run_publish").count() == 1
    with pytest.raises(DomainError, match="not yet published"):
        plan_run_publish_queue(actor=coordinator, plan_run=run)
    assert plan_run_publish_execute(plan_run_id=run.pk).status == PlanRunStatus.PUBLISHED
    assert Session.objects.filter(campaign=campaign).count() == len(sessions)


def test_a_run_being_published_cannot_be_published_twice_nor_planned_again(
    coordinator, campaign, quick, django_capture_on_commit_callbacks
) -> None:
    run = _planned(coordinator, campaign)
    with django_capture_on_commit_callbacks(execute=False):
        plan_run_publish_queue(actor=coordinator, plan_run=run)
    with pytest.raises(DomainError, match="not yet published"):
        plan_run_publish_queue(actor=coordinator, plan_run=run)
    with pytest.raises(DomainError, match="being published"):
        _start(coordinator, campaign)


def test_publishing_after_the_calendar_changed_creates_nothing_and_lists_the_conflicts(
    coordinator, campaign, setting, quick
) -> None:
    run = _planned(coordinator, campaign)
    plan = plan_from_dict(run.result)
    first = min(plan.sessions, key=lambda s: (s.week, s.halfday))
    date, half_day = slot_date(starts_on=run.starts_on, week=first.week, halfday=first.halfday)
    taken = SessionFactory(room=setting.room, date=date, half_day=half_day)
    run = _publish(coordinator, run)
    assert run.status == PlanRunStatus.DONE
    assert run.publish_error.startswith("The plan could not be published:")
    assert len(run.publish_conflicts) >= 1
    assert "No room of the region is free then." in run.publish_conflicts[0]
    assert run.published_by is None
    assert list(Session.objects.all()) == [taken]
    assert not Enrolment.objects.exists()


def test_a_new_run_keeps_the_published_sessions_and_plans_only_who_is_left(
    coordinator, campaign, setting, quick, django_capture_on_commit_callbacks
) -> None:
    run = _planned(coordinator, campaign)
    with django_capture_on_commit_callbacks(execute=False):
        _publish(coordinator, run)
    published = set(Session.objects.values_list("pk", "date", "half_day"))
    declined = Enrolment.objects.filter(employee=setting.people[10]).get()
    enrolment_decline(actor=None, enrolment=declined)
    again = _planned(coordinator, campaign)
    assert again.status == PlanRunStatus.DONE, again.error_message
    instance = load_instance(again.instance)
    assert [(group.key, group.count) for group in instance.groups] == [("ANR-01|nl|0", 1)]
    assert len(instance.fixed_sessions) == len(published)
    plan = plan_from_dict(again.result)
    assert verify(instance, plan) == []
    assert sum(session.size for session in plan.sessions) == 1
    with django_capture_on_commit_callbacks(execute=False):
        assert _publish(coordinator, again).status == PlanRunStatus.PUBLISHED
    assert published <= set(Session.objects.values_list("pk", "date", "half_day"))
    declined.refresh_from_db()
    assert declined.status == EnrolmentStatus.INVITED
    assert declined.session_id is not None


def test_a_no_show_is_planned_again_published_and_still_counted_as_a_no_show(
    coordinator, campaign, setting, quick, django_capture_on_commit_callbacks
) -> None:
    absent = setting.people[10]
    held = SessionFactory(
        campaign=campaign, room=setting.room, date=timezone.localdate() - datetime.timedelta(days=7)
    )
    present = setting.people[11]
    marked = {
        EnrolmentFactory(session=held, employee=absent, status=EnrolmentStatus.ACCEPTED).pk: "absent",
        EnrolmentFactory(session=held, employee=present, status=EnrolmentStatus.ACCEPTED).pk: "attended",
    }
    attendance_record(actor=coordinator, session=held, marks=marked)
    held = session_close(actor=coordinator, session=held)
    assert held.status == SessionStatus.HELD
    run = _planned(coordinator, campaign)
    instance = load_instance(run.instance)
    assert sum(group.count for group in instance.groups) == 19
    assert run.people_blocked == 0
    assert verify(instance, plan_from_dict(run.result)) == []
    with django_capture_on_commit_callbacks(execute=False):
        assert _publish(coordinator, run).status == PlanRunStatus.PUBLISHED
    enrolment = Enrolment.objects.get(employee=absent)
    assert enrolment.status == EnrolmentStatus.INVITED
    assert enrolment.session_id not in (None, held.pk)
    assert list(enrolment.events.filter(session=held).values_list("to_status", flat=True))[-1] == "absent"
    # The held session still lists the no-show with their mark, and the dashboard still counts them.
    listed = {e.employee_id: e.status for e in attendance_list(session=held)}
    assert listed == {absent.pk: EnrolmentStatus.ABSENT, present.pk: EnrolmentStatus.ATTENDED}
    assert campaign_progress(campaign=campaign, viewer=coordinator).no_shows == 1
    row = next(
        row for row in people_rows(campaign=campaign, viewer=coordinator) if row[0] == absent.personnel_number
    )
    assert row[-1] == 1


def test_a_no_show_cannot_be_proposed_again_before_the_attendance_is_closed(coordinator, setting) -> None:
    session = SessionFactory(campaign=setting.campaign, room=setting.room)
    enrolment = EnrolmentFactory(session=session, employee=setting.people[0], status=EnrolmentStatus.ACCEPTED)
    attendance_record(actor=coordinator, session=session, marks={enrolment.pk: "absent"})
    other = SessionFactory(
        campaign=setting.campaign, room=setting.room, date=setting.day + datetime.timedelta(days=7)
    )
    with pytest.raises(DomainError, match="attendance is not closed yet"):
        enrolment_propose(actor=coordinator, session=other, employees=[setting.people[0]])


def test_the_plan_steers_clear_of_another_campaigns_instructor_room_and_people_and_publishes(
    coordinator, campaign, setting, quick, django_capture_on_commit_callbacks
) -> None:
    """The other campaign takes the only room and the instructor on Monday morning of the first
    week, and four people of the unit (its whole daily share) on Tuesday morning."""
    starts_on = planning_start_default(campaign=campaign)
    other = CampaignFactory()
    monday = SessionFactory(
        campaign=other, room=setting.room, date=starts_on, instructors=[setting.instructor]
    )
    tuesday = SessionFactory(
        campaign=other,
        room=setting.room,
        date=starts_on + datetime.timedelta(days=1),
        instructors=[setting.instructor],
    )
    for person in setting.people[:4]:
        EnrolmentFactory(session=tuesday, employee=person, status=EnrolmentStatus.ACCEPTED)
    run = _planned(coordinator, campaign)
    instance = load_instance(run.instance)
    assert len(instance.fixed_sessions) == 2
    plan = plan_from_dict(run.result)
    assert verify(instance, plan) == []
    new = [session for session in plan.sessions if not session.fixed]
    assert sum(session.size for session in new) == 20
    assert all((session.week, session.halfday) != (0, 0) for session in new)
    assert all((session.week, session.halfday // 2) != (0, 1) for session in new)
    with django_capture_on_commit_callbacks(execute=False):
        assert _publish(coordinator, run).status == PlanRunStatus.PUBLISHED
    assert Session.objects.filter(campaign=campaign).count() == len(new)
    assert set(Session.objects.filter(campaign=other)) == {monday, tuesday}


def test_the_child_process_reports_its_progress_as_it_goes(coordinator, campaign) -> None:
    run = _start(coordinator, campaign)
    seen: list[tuple[int, str]] = []
    outcome = planner_child_run(
        run.instance, time_limit=5, wall=60, memory_mb=2048, on_progress=lambda p, s: seen.append((p, s))
    )
    assert outcome.returncode == 0, outcome.stderr_tail
    assert seen
    assert [percent for percent, _stage in seen] == sorted(percent for percent, _stage in seen)
    assert all(stage for _percent, stage in seen)
