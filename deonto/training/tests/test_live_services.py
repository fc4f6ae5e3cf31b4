"""The rules of a live classroom run: join codes, phases, control, and anonymous votes."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command

from deonto.accounts.roles import Role
from deonto.core.errors import DomainError
from deonto.core.models import AuditEntry
from deonto.training import services_live
from deonto.training.models import Course, Item, ItemKind, LivePhase, LiveRun, LiveVote
from deonto.training.selectors_live import (
    live_run_by_code,
    participant_state,
    screen_state,
    vote_counts,
)
from deonto.training.services import course_bundle_load
from deonto.training.services_live import (
    JOIN_CODE_ALPHABET,
    live_feedback_show,
    live_item_next,
    live_item_previous,
    live_run_end,
    live_run_start,
    live_vote_cast,
    live_vote_close,
    live_vote_open,
    participant_hash,
)
from deonto.training.tests.conftest import MINI

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(db: Any) -> Course:
    call_command("sync_guidance", verbosity=0)
    return course_bundle_load(directory_or_zip=MINI)


@pytest.fixture
def instructor(make_user):
    return make_user(Role.INSTRUCTOR)


@pytest.fixture
def run(course: Course, instructor) -> LiveRun:
    return live_run_start(actor=instructor, course=course, language="fr", include_questions=True)


def _current(run: LiveRun) -> Item:
    run.refresh_from_db()
    return Item.objects.get(pk=run.items[run.current_index])


def test_a_run_gets_a_six_character_code_from_the_unambiguous_alphabet(run: LiveRun) -> None:
    assert len(run.join_code) == 6
    assert set(run.join_code) <= set(JOIN_CODE_ALPHABET)
    assert not set("0O1IL") & set(JOIN_CODE_ALPHABET)


def test_a_run_holds_the_cases_by_default_and_the_questions_when_asked(course: Course, instructor) -> None:
    cases_only = live_run_start(actor=instructor, course=course, language="nl")
    both = live_run_start(actor=instructor, course=course, language="nl", include_questions=True)

    kinds = lambda run: [Item.objects.get(pk=pk).kind for pk in run.items]  # noqa: E731
    assert kinds(cases_only) == [ItemKind.CASE]
    assert kinds(both) == [ItemKind.CASE, ItemKind.SINGLE, ItemKind.MULTIPLE, ItemKind.TRUEFALSE]
    assert cases_only.phase == LivePhase.WAITING
    assert cases_only.current_index == 0
    assert AuditEntry.objects.filter(action="training.live_run_start", actor=instructor).count() == 2


def test_a_run_of_modules_without_cases_is_refused(course: Course, instructor) -> None:
    practice = course.modules.get(code="practice")
    with pytest.raises(DomainError):
        live_run_start(actor=instructor, course=course, language="nl", modules=[practice])


def test_the_join_code_is_drawn_again_when_it_is_taken_by_a_running_run(
    course: Course, instructor, monkeypatch
) -> None:
    first = live_run_start(actor=instructor, course=course, language="nl")
    codes = iter([first.join_code, first.join_code, "ABCDEF"])
    monkeypatch.setattr(services_live, "join_code_new", lambda: next(codes))

    second = live_run_start(actor=instructor, course=course, language="nl")

    assert second.join_code == "ABCDEF"


def test_the_code_of_an_ended_run_may_be_used_again(course: Course, instructor, monkeypatch) -> None:
    first = live_run_start(actor=instructor, course=course, language="nl")
    live_run_end(actor=instructor, run=first)
    monkeypatch.setattr(services_live, "join_code_new", lambda: first.join_code)

    second = live_run_start(actor=instructor, course=course, language="nl")

    assert second.join_code == first.join_code
    assert live_run_by_code(code=first.join_code.lower()) == second


def test_only_people_who_run_live_may_start_a_run(course: Course, make_user) -> None:
    for role in (Role.EMPLOYEE, Role.MANAGER, Role.INSPECTOR, Role.ADMINISTRATOR):
        with pytest.raises(PermissionDenied):
            live_run_start(actor=make_user(role), course=course, language="nl")
    assert live_run_start(actor=make_user(Role.COORDINATOR), course=course, language="nl").pk


def test_only_the_runs_own_instructor_controls_it(run: LiveRun, make_user) -> None:
    for other in (make_user(Role.INSTRUCTOR), make_user(Role.COORDINATOR), make_user(Role.EMPLOYEE)):
        for control in (live_vote_open, live_item_next, live_run_end):
            with pytest.raises(PermissionDenied):
                control(actor=other, run=run)
    run.refresh_from_db()
    assert run.phase == LivePhase.WAITING


def test_an_item_goes_through_the_phases_in_order(run: LiveRun, instructor) -> None:
    with pytest.raises(DomainError):
        live_vote_close(actor=instructor, run=run)
    with pytest.raises(DomainError):
        live_feedback_show(actor=instructor, run=run)

    assert live_vote_open(actor=instructor, run=run).phase == LivePhase.VOTING
    with pytest.raises(DomainError):
        live_feedback_show(actor=instructor, run=run)
    assert live_vote_close(actor=instructor, run=run).phase == LivePhase.RESULTS
    assert live_feedback_show(actor=instructor, run=run).phase == LivePhase.FEEDBACK
    with pytest.raises(DomainError):
        live_vote_open(actor=instructor, run=run)

    moved = live_item_next(actor=instructor, run=run)
    assert (moved.current_index, moved.phase) == (1, LivePhase.WAITING)
    back = live_item_previous(actor=instructor, run=run)
    assert (back.current_index, back.phase) == (0, LivePhase.WAITING)
    with pytest.raises(DomainError):
        live_item_previous(actor=instructor, run=run)


def test_there_is_no_item_after_the_last_and_nothing_after_the_end(run: LiveRun, instructor) -> None:
    for _position in range(len(run.items) - 1):
        live_item_next(actor=instructor, run=run)
    with pytest.raises(DomainError):
        live_item_next(actor=instructor, run=run)

    ended = live_run_end(actor=instructor, run=run)

    assert ended.phase == LivePhase.ENDED
    assert ended.ended_at is not None
    with pytest.raises(DomainError):
        live_vote_open(actor=instructor, run=run)


def test_a_participant_has_one_vote_per_item_and_may_change_it_while_the_vote_is_open(
    run: LiveRun, instructor
) -> None:
    live_vote_open(actor=instructor, run=run)
    item = _current(run)

    live_vote_cast(run=run, item_id=item.pk, participant_token="token-one", choices=["a"])
    live_vote_cast(run=run, item_id=item.pk, participant_token="token-one", choices=["b"])

    votes = LiveVote.objects.filter(run=run, item=item)
    assert [vote.choices for vote in votes] == [["b"]]


def test_votes_are_refused_unless_the_vote_on_that_item_is_open(run: LiveRun, instructor) -> None:
    item = _current(run)
    with pytest.raises(DomainError):
        live_vote_cast(run=run, item_id=item.pk, participant_token="early", choices=["a"])

    live_vote_open(actor=instructor, run=run)
    live_vote_cast(run=run, item_id=item.pk, participant_token="in-time", choices=["a"])
    live_vote_close(actor=instructor, run=run)
    with pytest.raises(DomainError):
        live_vote_cast(run=run, item_id=item.pk, participant_token="late", choices=["b"])

    live_item_next(actor=instructor, run=run)
    live_vote_open(actor=instructor, run=run)
    with pytest.raises(DomainError):
        live_vote_cast(run=run, item_id=item.pk, participant_token="on-the-old-item", choices=["b"])
    assert LiveVote.objects.filter(run=run).count() == 1


def test_answers_must_be_choices_of_the_item_and_only_one_unless_it_is_multiple(
    run: LiveRun, instructor
) -> None:
    live_vote_open(actor=instructor, run=run)
    case = _current(run)
    for choices in ([], ["z"], ["a", "b"], ["a", "z"]):
        with pytest.raises(DomainError):
            live_vote_cast(run=run, item_id=case.pk, participant_token="p", choices=choices)

    live_item_next(actor=instructor, run=run)
    live_item_next(actor=instructor, run=run)
    live_vote_open(actor=instructor, run=run)
    multiple = _current(run)
    assert multiple.kind == ItemKind.MULTIPLE
    live_vote_cast(run=run, item_id=multiple.pk, participant_token="p", choices=["b", "a"])
    assert LiveVote.objects.get(item=multiple).choices == ["a", "b"]


def test_results_count_the_answers_per_choice(run: LiveRun, instructor) -> None:
    live_vote_open(actor=instructor, run=run)
    item = _current(run)
    for token, choice in (("p1", "a"), ("p2", "a"), ("p3", "b")):
        live_vote_cast(run=run, item_id=item.pk, participant_token=token, choices=[choice])
    run = live_vote_close(actor=instructor, run=run)

    assert vote_counts(run=run, item_id=item.pk) == {"a": 2, "b": 1}
    state = screen_state(viewer=instructor, run=run)
    assert [(c.letter, c.count, c.percent) for c in state.item.choices] == [("A", 2, 67), ("B", 1, 33)]
    assert [bar.count for bar in state.bars] == [2, 1]
    assert state.bars[0].width > state.bars[1].width
    assert (state.participants, state.votes) == (3, 3)


def test_a_vote_stores_a_hash_of_the_token_and_nothing_about_the_person(run: LiveRun, instructor) -> None:
    live_vote_open(actor=instructor, run=run)
    item = _current(run)

    vote = live_vote_cast(run=run, item_id=item.pk, participant_token="secret-token", choices=["a"])

    assert vote.participant == participant_hash("secret-token")
    assert "secret-token" not in vote.participant
    assert {field.name for field in LiveVote._meta.concrete_fields} == {
        "id",
        "created_at",
        "updated_at",
        "run",
        "item",
        "participant",
        "choices",
    }
    assert not AuditEntry.objects.filter(object_type="training.livevote").exists()


def test_the_participant_sees_their_own_answer_and_the_feedback_marks_the_recommended_choice(
    run: LiveRun, instructor
) -> None:
    live_vote_open(actor=instructor, run=run)
    item = _current(run)
    live_vote_cast(run=run, item_id=item.pk, participant_token="mine", choices=["b"])
    live_vote_close(actor=instructor, run=run)
    live_feedback_show(actor=instructor, run=run)
    run.refresh_from_db()

    state = participant_state(run=run, token="mine")

    assert state.own_choices == ["b"]
    assert state.item.language == "fr"
    assert [(c.key, c.is_marked, c.is_own) for c in state.item.choices] == [
        ("a", False, False),
        ("b", True, True),
    ]
    assert all(choice.feedback for choice in state.item.choices)
    assert state.item.articles
    assert participant_state(run=run, token="someone-else").own_choices == []
