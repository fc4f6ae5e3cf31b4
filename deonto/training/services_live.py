"""Changes made in a live classroom run: starting it, moving through its items and their votes.

A run shows one item at a time and goes through the same phases for each: waiting (the item is on
screen), voting, results (the bar chart) and feedback. Only the instructor who started a run
controls it. Participants vote without an account: a vote carries the SHA-256 hash of a random
token kept in their browser, nothing else, and no audit entry is written for it, so no answer can
be traced back to a person.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from deonto.accounts.models import User
from deonto.core.audit import audit_record
from deonto.core.errors import DomainError
from deonto.training.models import Course, Item, ItemKind, LivePhase, LiveRun, LiveVote, Module
from deonto.training.permissions import can_control_run, can_run_live

# No 0/O, 1/I/L: a code read from a projector across a classroom is typed without doubt.
JOIN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
JOIN_CODE_LENGTH = 6
JOIN_CODE_ATTEMPTS = 20

LIVE_CASE_KINDS = frozenset({ItemKind.CASE})
LIVE_QUESTION_KINDS = frozenset({ItemKind.SINGLE, ItemKind.MULTIPLE, ItemKind.TRUEFALSE})


def participant_hash(token: str) -> str:
    """What a vote stores of its participant: a one-way hash of their browser's random token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def join_code_new() -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _position in range(JOIN_CODE_LENGTH))


def _runnable_items(course: Course, modules: Iterable[Module], kinds: frozenset[str]) -> list[int]:
    module_ids = [module.pk for module in modules]
    items = Item.objects.filter(course=course, kind__in=kinds)
    if module_ids:
        items = items.filter(module_id__in=module_ids)
    return list(items.order_by("module__position", "position").values_list("pk", flat=True))


def live_run_start(
    *,
    actor: User,
    course: Course,
    language: str,
    modules: Sequence[Module] = (),
    include_cases: bool = True,
    include_questions: bool = False,
) -> LiveRun:
    """A new run with a fresh join code, on the first of the chosen items (all modules if none)."""
    if not can_run_live(actor):
        raise PermissionDenied
    if any(module.course_id != course.pk for module in modules):
        raise DomainError(_("Choose modules of the course you run."))
    kinds = (LIVE_CASE_KINDS if include_cases else frozenset()) | (
        LIVE_QUESTION_KINDS if include_questions else frozenset()
    )
    if not kinds:
        raise DomainError(_("Choose cases, questions or both."))
    item_ids = _runnable_items(course, modules, kinds)
    if not item_ids:
        raise DomainError(_("The chosen modules have no cases or questions to run."))
    for _attempt in range(JOIN_CODE_ATTEMPTS):
        code = join_code_new()
        if LiveRun.objects.filter(join_code=code).exclude(phase=LivePhase.ENDED).exists():
            continue
        try:
            with transaction.atomic():
                run = LiveRun.objects.create(
                    course=course, language=language, instructor=actor, join_code=code, items=item_ids
                )
                audit_record(
                    actor=actor,
                    action="training.live_run_start",
                    target=run,
                    details={"course": course.code, "language": language, "items": len(item_ids)},
                )
        except IntegrityError:
            continue
        return run
    raise DomainError(_("No free join code could be found. Please try again."))


def _controlled(actor: User, run: LiveRun) -> LiveRun:
    """The run as it is now, locked for the change; refused to anyone but its instructor."""
    if not can_control_run(actor, run):
        raise PermissionDenied
    current = LiveRun.objects.select_for_update().get(pk=run.pk)
    if current.phase == LivePhase.ENDED:
        raise DomainError(_("This live session has ended."))
    return current


def _moved(actor: User, run: LiveRun, action: str, **changes: Any) -> LiveRun:
    for name, value in changes.items():
        setattr(run, name, value)
    run.save(update_fields=[*changes, "updated_at"])
    audit_record(
        actor=actor,
        action=f"training.live_{action}",
        target=run,
        details={"item": run.current_index, "phase": run.phase},
    )
    return run


@transaction.atomic
def live_vote_open(*, actor: User, run: LiveRun) -> LiveRun:
    """Open the vote on the current item; reopening after the results keeps the votes given."""
    run = _controlled(actor, run)
    if run.phase not in (LivePhase.WAITING, LivePhase.RESULTS):
        raise DomainError(_("The vote can only be opened before the results are shown."))
    return _moved(actor, run, "vote_open", phase=LivePhase.VOTING)


@transaction.atomic
def live_vote_close(*, actor: User, run: LiveRun) -> LiveRun:
    run = _controlled(actor, run)
    if run.phase != LivePhase.VOTING:
        raise DomainError(_("The vote is not open."))
    return _moved(actor, run, "vote_close", phase=LivePhase.RESULTS)


@transaction.atomic
def live_feedback_show(*, actor: User, run: LiveRun) -> LiveRun:
    run = _controlled(actor, run)
    if run.phase != LivePhase.RESULTS:
        raise DomainError(_("Close the vote before showing the feedback."))
    return _moved(actor, run, "feedback_show", phase=LivePhase.FEEDBACK)


@transaction.atomic
def live_item_next(*, actor: User, run: LiveRun) -> LiveRun:
    run = _controlled(actor, run)
    if run.current_index + 1 >= len(run.items):
        raise DomainError(_("This is the last item of the run."))
    return _moved(actor, run, "item_next", current_index=run.current_index + 1, phase=LivePhase.WAITING)


@transaction.atomic
def live_item_previous(*, actor: User, run: LiveRun) -> LiveRun:
    run = _controlled(actor, run)
    if run.current_index == 0:
        raise DomainError(_("This is the first item of the run."))
    return _moved(actor, run, "item_previous", current_index=run.current_index - 1, phase=LivePhase.WAITING)


@transaction.atomic
def live_run_end(*, actor: User, run: LiveRun) -> LiveRun:
    run = _controlled(actor, run)
    return _moved(actor, run, "run_end", phase=LivePhase.ENDED, ended_at=timezone.now())


def _valid_choices(item: Item, choices: Sequence[str]) -> list[str]:
    keys = [str(choice["key"]) for choice in item.structure.get("choices", [])]
    chosen = [key for key in keys if key in set(choices)]
    if not chosen or len(chosen) != len(set(choices)):
        raise DomainError(_("Choose one of the answers."))
    if item.kind != ItemKind.MULTIPLE and len(chosen) > 1:
        raise DomainError(_("Choose only one answer."))
    return chosen


@transaction.atomic
def live_vote_cast(*, run: LiveRun, item_id: int, participant_token: str, choices: Sequence[str]) -> LiveVote:
    """Record or change a participant's answer to the item on screen, while its vote is open."""
    current = LiveRun.objects.filter(pk=run.pk).values("phase", "current_index", "items").first()
    if current is None or current["phase"] == LivePhase.ENDED:
        raise DomainError(_("This live session has ended."))
    on_screen = current["items"][current["current_index"]]
    if current["phase"] != LivePhase.VOTING or on_screen != item_id:
        raise DomainError(_("The vote on this question is closed."))
    item = Item.objects.get(pk=item_id)
    chosen = _valid_choices(item, choices)
    vote, _created = LiveVote.objects.update_or_create(
        run_id=run.pk,
        item=item,
        participant=participant_hash(participant_token),
        defaults={"choices": chosen},
    )
    return vote
