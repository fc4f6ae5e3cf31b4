"""The rollout planner in the app: starting a run for a campaign, running it in a child process
with a time and memory cap (from the task worker, never in a web request), and publishing the plan
it proposes as sessions and invitations.

The child process is ``python -m deonto.rollout.planner`` (see the planner's README section). It
gets ``--time-limit`` (``DEONTO_PLANNER_TIME_LIMIT``, 60 s by default) and is killed after a wall
time (``DEONTO_PLANNER_WALL_SECONDS``, by default twice the time limit plus a minute, for the
bounds and what-ifs); its address space is capped at ``DEONTO_PLANNER_MEMORY_MB`` (2048 by
default). Its ``progress`` lines update the run at most twice a second. A failure is stored as a
code the pages explain in the reader's language (``timeout``, ``memory``, ``invalid``, ``crash``)
and a technical message for the log: the user never sees a traceback.

No run stays "running" or "publishing" when the task worker dies. Each has a deadline the task
enforces itself: a running run's child is killed ``wall_seconds()`` after ``started_at``, and
publishing stops and rolls back once it has taken ``publish_seconds()`` since
``publish_started_at`` (``DEONTO_PLANNER_PUBLISH_SECONDS``, an hour by default).
``plan_runs_recover`` moves the runs past their deadline plus ``RECOVERY_MARGIN``: a running one
fails as ``interrupted``, a publishing one is a finished plan again, publishable again. The task
only writes its outcome while the run is still in the state it left it in, so a task that outlives
its recovery changes nothing.
"""

from __future__ import annotations

import datetime
import json
import logging
import resource
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from deonto.accounts.models import User
from deonto.core.audit import audit_record
from deonto.core.errors import DomainError
from deonto.people.models import Employee, Region, StaffLanguage
from deonto.rollout import planning
from deonto.rollout.models import (
    Campaign,
    HalfDay,
    Instructor,
    PlanRun,
    PlanRunStatus,
    Room,
    Session,
    SessionStatus,
)
from deonto.rollout.planner.instance import group_key, load_instance
from deonto.rollout.planner.plan import PlannedSession, plan_from_dict
from deonto.rollout.services_enrolments import enrolment_invite, enrolment_propose
from deonto.rollout.services_sessions import session_create, session_publish

logger = logging.getLogger(__name__)

PROJECT_ROOT = Path(__file__).resolve().parent.parent.parent
PROGRESS_INTERVAL = 0.5
STDERR_LINES_KEPT = 20
MAX_SESSION_CAPACITY = 100
RECOVERY_MARGIN = datetime.timedelta(minutes=2)


class PlanConflictError(DomainError):
    """The plan cannot be published as it is: what conflicts, one sentence each."""

    def __init__(self, conflicts: list[str]) -> None:
        super().__init__(
            ngettext(
                "The plan could not be published: %(count)s conflict with the calendar as it is now.",
                "The plan could not be published: %(count)s conflicts with the calendar as it is now.",
                len(conflicts),
            )
            % {"count": len(conflicts)}
        )
        self.conflicts = conflicts


# Starting a run ----------------------------------------------------------------------------------


def plan_run_start(
    *, actor: User | None, campaign: Campaign, starts_on: datetime.date, session_capacity: int
) -> PlanRun:
    """Read the campaign's instance from the database as of ``starts_on`` and queue the planner.
    People already placed (published or held sessions) stay where they are: a new run plans the
    rest around them."""
    if not campaign.is_active:
        raise DomainError(_("The campaign is no longer active."))
    if starts_on.weekday() != 0:
        raise DomainError(_("The planning starts on a Monday."))
    if starts_on <= timezone.localdate():
        raise DomainError(_("The planning starts on a Monday after today."))
    if not 1 <= session_capacity <= MAX_SESSION_CAPACITY:
        raise DomainError(
            _("A session has between 1 and %(maximum)s seats.") % {"maximum": MAX_SESSION_CAPACITY}
        )
    if not campaign.waves.exists():
        raise DomainError(_("Add a wave to the campaign before planning it."))
    if not Room.objects.filter(is_active=True, capacity__gte=session_capacity).exists():
        raise DomainError(
            _("No room in use seats %(capacity)s people: choose fewer seats per session.")
            % {"capacity": session_capacity}
        )
    with transaction.atomic():
        Campaign.objects.select_for_update().filter(pk=campaign.pk).first()
        if PlanRun.objects.filter(
            campaign=campaign, status__in=(PlanRunStatus.QUEUED, PlanRunStatus.RUNNING)
        ).exists():
            raise DomainError(_("The planner is already running for this campaign: wait for its result."))
        if PlanRun.objects.filter(campaign=campaign, status=PlanRunStatus.PUBLISHING).exists():
            raise DomainError(_("A plan of this campaign is being published: wait until it is done."))
        built = planning.planning_instance(
            campaign=campaign, starts_on=starts_on, session_capacity=session_capacity
        )
        run = PlanRun.objects.create(
            campaign=campaign,
            created_by=actor if isinstance(actor, User) else None,
            starts_on=starts_on,
            session_capacity=session_capacity,
            instance=built.to_json(),
            mapping=built.mapping,
            people_without_site=built.without_site,
            people_blocked=built.blocked,
        )
        audit_record(
            actor=actor,
            action="rollout.plan_run_start",
            target=run,
            details={
                "campaign": campaign.pk,
                "starts_on": starts_on.isoformat(),
                "session_capacity": session_capacity,
                "people": sum(group.count for group in built.instance.groups),
            },
        )
        from deonto.rollout.tasks import run_planner

        pk = run.pk
        transaction.on_commit(lambda: run_planner.enqueue(plan_run_id=pk))
    return run


# Running it in a child process -------------------------------------------------------------------


@dataclass(frozen=True)
class ChildOutcome:
    returncode: int
    stdout: str
    stderr_tail: str
    timed_out: bool


def time_limit_seconds() -> float:
    return float(settings.PLANNER_TIME_LIMIT)


def wall_seconds() -> float:
    return float(settings.PLANNER_WALL_SECONDS or 2 * time_limit_seconds() + 60)


def memory_megabytes() -> int:
    return int(settings.PLANNER_MEMORY_MB)


def publish_seconds() -> float:
    return float(settings.PLANNER_PUBLISH_SECONDS)


def plan_run_deadline(run: PlanRun) -> datetime.datetime | None:
    """When the task of a running or publishing run is over at the latest, alive or not (None
    when no task holds the run)."""
    if run.status == PlanRunStatus.RUNNING and run.started_at is not None:
        return run.started_at + datetime.timedelta(seconds=wall_seconds())
    if run.status == PlanRunStatus.PUBLISHING and run.publish_started_at is not None:
        return run.publish_started_at + datetime.timedelta(seconds=publish_seconds())
    return None


def _memory_cap(megabytes: int) -> Callable[[], None]:
    def apply() -> None:
        limit = megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    return apply


def planner_child_run(
    instance: Mapping[str, Any],
    *,
    time_limit: float,
    wall: float,
    memory_mb: int,
    on_progress: Callable[[int, str], None],
) -> ChildOutcome:
    """Run the planner's command line on the instance in a child process; report its progress
    lines as they come and kill it after ``wall`` seconds."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as file:
        json.dump(instance, file)
        path = file.name
    command = [
        sys.executable,
        "-m",
        "deonto.rollout.planner",
        path,
        "--time-limit",
        str(time_limit),
        "--what-ifs",
        "--progress",
    ]
    try:
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and module, no shell
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=PROJECT_ROOT,
            preexec_fn=_memory_cap(memory_mb),
        )
        killed = threading.Event()

        def kill() -> None:
            killed.set()
            process.kill()

        timer = threading.Timer(wall, kill)
        timer.start()
        output: list[str] = []
        reader = threading.Thread(
            target=lambda: output.append(process.stdout.read() if process.stdout else "")
        )
        reader.start()
        tail: deque[str] = deque(maxlen=STDERR_LINES_KEPT)
        assert process.stderr is not None  # noqa: S101 - opened with PIPE above
        for line in process.stderr:
            parts = line.split(maxsplit=2)
            if len(parts) >= 2 and parts[0] == "progress" and parts[1].isdigit():
                on_progress(min(100, int(parts[1])), parts[2].strip() if len(parts) > 2 else "")
            else:
                tail.append(line.rstrip())
        returncode = process.wait()
        timer.cancel()
        reader.join()
    finally:
        Path(path).unlink(missing_ok=True)
    return ChildOutcome(
        returncode=returncode,
        stdout="".join(output),
        stderr_tail="\n".join(tail),
        timed_out=killed.is_set(),
    )


def _failure_code(outcome: ChildOutcome) -> str:
    if outcome.timed_out:
        return "timeout"
    if outcome.returncode == 2:
        return "invalid"
    memory_signs = (
        "MemoryError",
        "bad_alloc",
        "Cannot allocate memory",
        "out of memory",
        "failed to map segment",
    )
    if any(sign in outcome.stderr_tail for sign in memory_signs):
        return "memory"
    return "crash"


def plan_run_execute(*, plan_run_id: int) -> PlanRun:
    """Run the planner for a queued run and store its plan, or why it failed."""
    with transaction.atomic():
        run = PlanRun.objects.select_for_update().get(pk=plan_run_id)
        if run.status != PlanRunStatus.QUEUED:
            return run
        run.status = PlanRunStatus.RUNNING
        run.started_at = timezone.now()
        run.progress_percent = 0
        run.save(update_fields=["status", "started_at", "progress_percent", "updated_at"])
    last = [0.0]  # when the row was last updated

    def on_progress(percent: int, stage: str) -> None:
        now = time.monotonic()
        if now - last[0] < PROGRESS_INTERVAL and percent < 100:
            return
        last[0] = now
        PlanRun.objects.filter(pk=plan_run_id, status=PlanRunStatus.RUNNING).update(
            progress_percent=percent, progress_stage=stage[:100]
        )

    time_limit = time_limit_seconds()
    outcome = planner_child_run(
        run.instance,
        time_limit=time_limit,
        wall=wall_seconds(),
        memory_mb=memory_megabytes(),
        on_progress=on_progress,
    )
    return plan_run_finish(plan_run_id=plan_run_id, outcome=outcome)


def plan_run_finish(*, plan_run_id: int, outcome: ChildOutcome) -> PlanRun:
    """Store the child's plan, or why it failed, while the run is still running: a task that
    outlived the run's recovery (it failed as interrupted meanwhile) changes nothing."""
    result: dict[str, Any] | None = None
    code = ""
    if not outcome.timed_out and outcome.returncode in (0, 3):
        try:
            data = json.loads(outcome.stdout)
            plan_from_dict(data)
        except (ValueError, KeyError, TypeError):
            code = "crash"
        else:
            result = data
    else:
        code = _failure_code(outcome)
    with transaction.atomic():
        run = PlanRun.objects.select_for_update().get(pk=plan_run_id)
        if run.status != PlanRunStatus.RUNNING:
            logger.warning("Planner run %s ended after it was recovered: its outcome is dropped", run.pk)
            return run
        run.finished_at = timezone.now()
        if result is not None:
            run.status = PlanRunStatus.DONE
            run.result = result
            run.progress_percent = 100
            run.error_code = ""
            run.error_message = ""
        else:
            run.status = PlanRunStatus.FAILED
            run.error_code = code
            run.error_message = (
                f"exit status {outcome.returncode}"
                + (f" after {wall_seconds():g} s" if outcome.timed_out else "")
                + (f"\n{outcome.stderr_tail}" if outcome.stderr_tail else "")
            )
            logger.warning("Planner run %s failed (%s): %s", run.pk, code, run.error_message)
        run.save()
    return run


# Publishing the plan -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Published:
    sessions: int
    added_to_existing: int
    invited: int


def plan_run_publish_queue(*, actor: User | None, plan_run: PlanRun) -> PlanRun:
    """Queue the publishing of a finished plan (it takes a while: every session and invitation goes
    through the booking services), so the web request only records who asked. Refused when the
    run is not a finished plan any more, which refuses a second publish of the same run."""
    with transaction.atomic():
        run = PlanRun.objects.select_for_update().get(pk=plan_run.pk)
        _check_publishable(run)
        run.status = PlanRunStatus.PUBLISHING
        run.progress_percent = 0
        run.progress_stage = ""
        run.publish_error = ""
        run.publish_conflicts = []
        run.published_by = actor if isinstance(actor, User) else None
        run.publish_started_at = None
        run.save(
            update_fields=[
                "status",
                "progress_percent",
                "progress_stage",
                "publish_error",
                "publish_conflicts",
                "published_by",
                "publish_started_at",
                "updated_at",
            ]
        )
        audit_record(actor=actor, action="rollout.plan_run_publish_queue", target=run, details={})
        from deonto.rollout.tasks import publish_plan

        pk = run.pk
        transaction.on_commit(lambda: publish_plan.enqueue(plan_run_id=pk))
    return run


def _check_publishable(run: PlanRun) -> None:
    if run.status != PlanRunStatus.DONE or run.result is None:
        raise DomainError(_("Only a finished plan that is not yet published can be published."))
    _check_starts_later(run)


def _check_starts_later(run: PlanRun) -> None:
    if run.starts_on <= timezone.localdate():
        raise DomainError(
            _("This plan starts on %(date)s, which has passed: plan again.")
            % {"date": date_format(run.starts_on)}
        )


def plan_run_publish_execute(*, plan_run_id: int) -> PlanRun:
    """Publish a queued plan (the task). On success the run is published; when anything is
    refused, or publishing takes longer than ``publish_seconds()``, nothing is created, the run is
    a finished plan again and keeps why (``publish_error`` and every conflict in
    ``publish_conflicts``), in the language of who asked. Setting ``publish_started_at`` claims the
    run: a second task for the same queueing finds it set and does nothing."""
    started = timezone.now()
    claimed = PlanRun.objects.filter(
        pk=plan_run_id, status=PlanRunStatus.PUBLISHING, publish_started_at__isnull=True
    ).update(publish_started_at=started, updated_at=started)
    run = PlanRun.objects.select_related("campaign", "published_by").get(pk=plan_run_id)
    if not claimed:
        return run
    actor = run.published_by
    conflicts: list[str] = []
    with translation.override(actor.language if actor is not None else settings.LANGUAGE_CODE):
        try:
            _publish(
                actor=actor,
                run=run,
                deadline=started + datetime.timedelta(seconds=publish_seconds()),
                progress=_publish_progress(plan_run_id),
            )
        except PlanConflictError as refused:
            error, conflicts = refused.message, refused.conflicts
        except DomainError as refused:
            error = refused.message
        except Exception:
            logger.exception("Publishing plan run %s stopped unexpectedly", plan_run_id)
            error = _("Publishing stopped unexpectedly. Nothing has been created: try again.")
        else:
            run.refresh_from_db()
            return run
    PlanRun.objects.filter(
        pk=plan_run_id, status=PlanRunStatus.PUBLISHING, publish_started_at=started
    ).update(
        status=PlanRunStatus.DONE,
        publish_error=str(error),
        publish_conflicts=[str(conflict) for conflict in conflicts],
        published_by=None,
        publish_started_at=None,
        progress_percent=100,
        updated_at=timezone.now(),
    )
    run.refresh_from_db()
    return run


def _publish_progress(plan_run_id: int) -> Callable[[int], None]:
    """How far the publishing is, written outside its transaction (which is all or nothing) so the
    page sees it while it runs: through a second connection, at most twice a second. Only where the
    database takes a second writer meanwhile (PostgreSQL); SQLite has one writer, so there the page
    shows "publishing" without a figure until it is over."""
    if connection.vendor != "postgresql":
        return lambda _percent: None
    last = [0.0]
    table = connection.ops.quote_name(PlanRun._meta.db_table)

    def write(percent: int) -> None:
        now = time.monotonic()
        if now - last[0] < PROGRESS_INTERVAL:
            return
        last[0] = now
        side = connections.create_connection(DEFAULT_DB_ALIAS)
        try:
            with side.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {table} SET progress_percent = %s WHERE id = %s AND status = %s",  # noqa: S608 - our table name
                    [min(99, percent), plan_run_id, PlanRunStatus.PUBLISHING.value],
                )
        finally:
            side.close()

    return write


def _publish(
    *,
    actor: User | None,
    run: PlanRun,
    deadline: datetime.datetime,
    progress: Callable[[int], None],
) -> Published:
    """Turn the proposed sessions into published sessions of the campaign and invite the people,
    through the same services (and so the same rules) as a coordinator booking by hand: people
    are taken from each group in order, the pilot wave first. All or nothing: when anything is
    refused, nothing is created and ``PlanConflictError`` lists every refusal; after each session,
    past the ``deadline`` it stops and nothing is created either. The run's row is only written at
    the end, and only while it is still publishing with this task's start (not recovered
    meanwhile), so the progress can be written beside the transaction until then."""
    with transaction.atomic():
        if run.result is None:
            raise DomainError(_("Only a finished plan that is not yet published can be published."))
        _check_starts_later(run)
        plan = plan_from_dict(run.result)
        instance = load_instance(run.instance)
        mapping = run.mapping
        starts_on = datetime.date.fromisoformat(mapping["starts_on"])
        people = _people_by_group(campaign=run.campaign, mapping=mapping)
        instructors = Instructor.objects.in_bulk([int(pk) for pk in mapping["instructors"].values()])
        rooms = Room.objects.select_related("site").in_bulk(
            [int(pk) for pks in mapping["rooms"].values() for pk in pks]
        )
        region_names = {region.code: region.name for region in Region.objects.all()}
        fixed = {
            (each.week, each.halfday, each.region, each.instructor): int(pk)
            for each, pk in zip(instance.fixed_sessions, mapping["fixed_sessions"], strict=True)
        }
        conflicts: list[str] = []
        created = added = invited = 0
        ordered = sorted(plan.sessions, key=lambda s: (s.week, s.halfday, s.region, s.room))
        for done, planned in enumerate(ordered):
            if done:
                _check_deadline(run, deadline)
            progress(100 * done // max(1, len(ordered)))
            date, half_day = planning.slot_date(
                starts_on=starts_on, week=planned.week, halfday=planned.halfday
            )
            where = _("%(date)s (%(half_day)s), %(region)s, %(language)s") % {
                "date": date_format(date),
                "half_day": HalfDay(half_day).label,
                "region": region_names.get(planned.region, planned.region),
                "language": StaffLanguage(planned.language).label,
            }
            chosen, missing = _take(people, planned)
            if missing:
                conflicts.append(
                    ngettext(
                        "%(where)s: %(count)s person planned here is no longer to plan.",
                        "%(where)s: %(count)s people planned here are no longer to plan.",
                        missing,
                    )
                    % {"where": where, "count": missing}
                )
                continue
            try:
                with transaction.atomic():
                    if planned.fixed:
                        session_pk = fixed.get(
                            (planned.week, planned.halfday, planned.region, planned.instructor)
                        )
                        if not chosen:
                            continue
                        if session_pk is None:
                            raise DomainError(_("The published session of that half-day is no longer there."))
                        session = Session.objects.get(pk=session_pk)
                        added += 1
                    else:
                        room = _free_room(
                            rooms=rooms,
                            candidates=mapping["rooms"].get(planned.region, []),
                            date=date,
                            half_day=half_day,
                        )
                        if room is None:
                            raise DomainError(_("No room of the region is free then."))
                        instructor = instructors.get(int(mapping["instructors"][planned.instructor]))
                        if instructor is None:
                            raise DomainError(_("The instructor is no longer on the list."))
                        session = session_create(
                            actor=actor,
                            campaign=run.campaign,
                            date=date,
                            half_day=half_day,
                            room=room,
                            language=planned.language,
                            instructors=[instructor],
                            capacity=run.session_capacity,
                        )
                        session = session_publish(actor=actor, session=session)
                        created += 1
                    if chosen:
                        enrolment_propose(actor=actor, session=session, employees=chosen)
                        invited += enrolment_invite(actor=actor, session=session)
            except DomainError as error:
                conflicts.append(_("%(where)s: %(reason)s") % {"where": where, "reason": error.message})
        if conflicts:
            raise PlanConflictError(conflicts)
        _check_deadline(run, deadline)
        now = timezone.now()
        if not PlanRun.objects.filter(
            pk=run.pk, status=PlanRunStatus.PUBLISHING, publish_started_at=run.publish_started_at
        ).update(status=PlanRunStatus.PUBLISHED, published_at=now, progress_percent=100, updated_at=now):
            raise DomainError(_publishing_interrupted())
        audit_record(
            actor=actor,
            action="rollout.plan_run_publish",
            target=run,
            details={"sessions": created, "added_to_existing": added, "invited": invited},
        )
    return Published(sessions=created, added_to_existing=added, invited=invited)


def _publishing_interrupted() -> str:
    return _("Publishing was interrupted before it finished and nothing was created: publish again.")


def _check_deadline(run: PlanRun, deadline: datetime.datetime) -> None:
    if timezone.now() >= deadline:
        logger.warning("Publishing plan run %s took over %g s: rolled back", run.pk, publish_seconds())
        raise DomainError(
            _(
                "Publishing took longer than allowed and was stopped, so nothing was created. Publish "
                "again; if it happens again, ask the administrator to allow more time."
            )
        )


def _people_by_group(*, campaign: Campaign, mapping: Mapping[str, Any]) -> dict[str, deque[Employee]]:
    """The people still to plan now, per planner group key, pilot wave first and then by name
    (those the booking services would refuse are left out, as in the instance)."""
    unit_ids = {(int(value["unit"]), str(value["region"])): key for key, value in mapping["units"].items()}
    pilot_id = planning.pilot_wave_id(campaign=campaign)
    people: dict[str, deque[Employee]] = defaultdict(deque)
    candidates = (
        planning.people_to_plan(campaign=campaign).filter(is_blocked=0).select_related("unit", "site__region")
    )
    for person in candidates:
        if person.site is None:
            continue
        unit = unit_ids.get((person.unit_id, person.site.region.code))
        if unit is None:
            continue
        people[group_key(unit, person.language, person.wave_id == pilot_id)].append(person)
    return people


def _take(people: dict[str, deque[Employee]], planned: PlannedSession) -> tuple[list[Employee], int]:
    chosen: list[Employee] = []
    missing = 0
    for key, count in sorted(planned.attendees.items()):
        queue = people.get(key, deque())
        for _each in range(count):
            if queue:
                chosen.append(queue.popleft())
            else:
                missing += 1
    return chosen, missing


def _free_room(
    *,
    rooms: Mapping[int, Room],
    candidates: list[int],
    date: datetime.date,
    half_day: str,
) -> Room | None:
    """The first room of the region, in the planner's order, that no session holds then."""
    booked = set(
        Session.objects.filter(room_id__in=candidates, date=date, half_day=half_day)
        .exclude(status=SessionStatus.CANCELLED)
        .values_list("room_id", flat=True)
    )
    for pk in candidates:
        room = rooms.get(int(pk))
        if room is not None and room.pk not in booked:
            return room
    return None


# Recovering the runs a dead task worker left behind ----------------------------------------------


def plan_runs_recover(
    *, now: datetime.datetime | None = None, campaign: Campaign | None = None
) -> list[PlanRun]:
    """Move on the runs whose task is past its deadline plus ``RECOVERY_MARGIN`` (so it is dead,
    having been killed or having stopped itself): a running one fails as ``interrupted``, a
    publishing one is a finished plan again (publishable again; its transaction never committed,
    so nothing was created). Runs waiting for their task are left alone. Every campaign (the cron
    command and the task) or one (its planner pages). No actor: nobody asked for it."""
    now = now or timezone.now()
    stuck = Q(
        status=PlanRunStatus.RUNNING,
        started_at__lt=now - datetime.timedelta(seconds=wall_seconds()) - RECOVERY_MARGIN,
    ) | Q(
        status=PlanRunStatus.PUBLISHING,
        publish_started_at__lt=now - datetime.timedelta(seconds=publish_seconds()) - RECOVERY_MARGIN,
    )
    runs = PlanRun.objects.filter(stuck)
    if campaign is not None:
        runs = runs.filter(campaign=campaign)
    if not runs.exists():
        return []
    recovered: list[PlanRun] = []
    with transaction.atomic():
        for run in runs.select_for_update().defer("instance", "mapping", "result").order_by("pk"):
            deadline = plan_run_deadline(run)
            assert deadline is not None  # noqa: S101 - running or publishing with a start, as filtered
            was = run.status
            if run.status == PlanRunStatus.RUNNING:
                run.status = PlanRunStatus.FAILED
                run.error_code = "interrupted"
                run.error_message = (
                    f"no outcome by its deadline {deadline.isoformat()}: the task worker stopped"
                )
                run.finished_at = now
                fields = ["status", "error_code", "error_message", "finished_at", "updated_at"]
            else:
                actor = run.published_by
                with translation.override(actor.language if actor is not None else settings.LANGUAGE_CODE):
                    run.publish_error = _publishing_interrupted()
                run.status = PlanRunStatus.DONE
                run.publish_conflicts = []
                run.published_by = None
                run.publish_started_at = None
                run.progress_percent = 100
                fields = [
                    "status",
                    "publish_error",
                    "publish_conflicts",
                    "published_by",
                    "publish_started_at",
                    "progress_percent",
                    "updated_at",
                ]
            run.save(update_fields=fields)
            logger.warning(
                "Planner run %s was still %s at %s, past its deadline: recovered", run.pk, was, now
            )
            audit_record(
                actor=None,
                action="rollout.plan_run_recover",
                target=run,
                details={"was": was, "now": run.status, "deadline": deadline.isoformat()},
            )
            recovered.append(run)
    return recovered
