"""The e-learning's rules: publishing, the course language, resuming, case answers, quiz scoring,
passing (completion and certificate) and retaking the quiz."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.management import call_command

from deonto.core.errors import DomainError
from deonto.core.models import AuditEntry
from deonto.training.models import (
    AttemptStatus,
    Certificate,
    Completion,
    CompletionMethod,
    Course,
    CourseTranslation,
    Item,
    ItemKind,
    ItemResponse,
    TranslationStatus,
)
from deonto.training.selectors_learning import (
    certificate_lookup,
    code_normalise,
    course_language_for,
    player_item_count,
    player_items,
    quiz_items,
)
from deonto.training.services_learning import (
    attempt_move,
    attempt_start,
    case_answer,
    quiz_retry,
    quiz_submit,
    response_score,
)

pytestmark = pytest.mark.django_db

CODE_FORMAT = re.compile(r"^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$")


@pytest.fixture
def course(guidance: None) -> Course:
    call_command("sync_course", verbosity=0)
    call_command("publish_course", "social-media", verbosity=0)
    return Course.objects.get(code="social-media")


def correct_answers(course: Course, language: str) -> dict[int, dict[str, Any]]:
    """The right answer to every quiz question, read from the structure as a learner never could."""
    answers: dict[int, dict[str, Any]] = {}
    for entry in quiz_items(course=course, language=language):
        item = entry.item
        correct = [str(c["key"]) for c in item.structure.get("choices", []) if c.get("correct")]
        if item.kind in (ItemKind.SINGLE, ItemKind.TRUEFALSE):
            answers[item.pk] = {"choice": correct[0]}
        elif item.kind == ItemKind.MULTIPLE:
            answers[item.pk] = {"choices": correct}
        elif item.kind == ItemKind.SHORT:
            answers[item.pk] = {"text": entry.text.content["answers"][0]}
        else:
            answers[item.pk] = {"pairs": {str(key): str(key) for key in item.structure["pairs"]}}
    return answers


def _item(kind: str, **structure: Any) -> Item:
    return Item(kind=kind, structure=structure, points=2, quiz=True)


# Publishing and the course language ----------------------------------------------------------


def test_publish_course_command_publishes_the_course_and_records_it(guidance):
    call_command("sync_course", verbosity=0)
    assert not Course.objects.get(code="social-media").is_published

    call_command("publish_course", "social-media", verbosity=0)

    assert Course.objects.get(code="social-media").is_published
    assert AuditEntry.objects.filter(action="training.course_publish").count() == 1


def test_an_unpublished_course_cannot_be_started(guidance, make_user):
    call_command("sync_course", verbosity=0)
    course = Course.objects.get(code="social-media")
    with pytest.raises(DomainError):
        attempt_start(actor=make_user("employee"), course=course, language="nl")


def test_the_course_language_is_the_interface_language_when_the_course_is_current_in_it(course):
    assert course_language_for(course=course, interface_language="fr") == "fr"
    assert course_language_for(course=course, interface_language="en") == "en"


def test_the_course_language_falls_back_to_the_source_when_the_translation_is_not_current(course):
    CourseTranslation.objects.filter(course=course, language="fr").update(status=TranslationStatus.DRAFT)
    assert course_language_for(course=course, interface_language="fr") == "nl"
    assert course_language_for(course=course, interface_language="de") == "nl"


def test_a_learner_can_switch_the_course_language_but_not_to_one_it_lacks(course, make_user):
    user = make_user("employee")
    attempt = attempt_start(actor=user, course=course, language="nl")

    attempt = attempt_start(actor=user, course=course, language="fr")

    assert attempt.language == "fr"
    with pytest.raises(DomainError):
        attempt_start(actor=user, course=course, language="de")


# The player ------------------------------------------------------------------------------------


def test_the_player_holds_the_lessons_and_cases_in_reading_order(course):
    items = player_items(course=course, language="nl")

    assert len(items) == player_item_count(course=course) == 24
    assert {entry.item.kind for entry in items} == {ItemKind.LESSON, ItemKind.CASE}
    assert items[0].item.code == "private-public-intro"
    assert [e.item.module.position for e in items] == sorted(e.item.module.position for e in items)


def test_the_attempt_remembers_the_position_to_resume_at(course, make_user):
    user = make_user("employee")
    attempt = attempt_start(actor=user, course=course, language="nl")
    attempt_move(actor=user, attempt=attempt, position=4)

    again = attempt_start(actor=user, course=course, language="nl")

    assert again.pk == attempt.pk
    assert again.position == 4


def test_moving_beyond_the_last_item_or_in_someone_elses_attempt_is_refused(course, make_user):
    user = make_user("employee")
    attempt = attempt_start(actor=user, course=course, language="nl")
    with pytest.raises(DomainError):
        attempt_move(actor=user, attempt=attempt, position=24)
    with pytest.raises(DomainError):
        attempt_move(actor=make_user("employee"), attempt=attempt, position=1)


def test_a_case_answer_is_recorded_in_round_zero_and_may_be_changed(course, make_user):
    user = make_user("employee")
    attempt = attempt_start(actor=user, course=course, language="nl")
    case = Item.objects.filter(course=course, kind=ItemKind.CASE).first()
    assert case is not None
    recommended = next(c["key"] for c in case.structure["choices"] if c["recommended"])
    other = next(c["key"] for c in case.structure["choices"] if not c["recommended"])

    first = case_answer(actor=user, attempt=attempt, item=case, choice=other)
    second = case_answer(actor=user, attempt=attempt, item=case, choice=recommended)

    assert first.pk == second.pk
    assert second.quiz_round == 0
    assert second.is_correct is True
    with pytest.raises(DomainError):
        case_answer(actor=user, attempt=attempt, item=case, choice="zz")


# Scoring ---------------------------------------------------------------------------------------


def test_a_single_choice_answer_scores_its_points_only_when_right():
    item = _item(ItemKind.SINGLE, choices=[{"key": "a", "correct": True}, {"key": "b", "correct": False}])
    assert response_score(item=item, text={}, response={"choice": "a"}) == (2.0, True)
    assert response_score(item=item, text={}, response={"choice": "b"}) == (0.0, False)
    assert response_score(item=item, text={}, response={}) == (0.0, False)


def test_a_true_or_false_answer_is_scored_by_its_key():
    item = _item(
        ItemKind.TRUEFALSE, choices=[{"key": "true", "correct": False}, {"key": "false", "correct": True}]
    )
    assert response_score(item=item, text={}, response={"choice": "false"}) == (2.0, True)
    assert response_score(item=item, text={}, response={"choice": "true"}) == (0.0, False)


def test_a_multiple_choice_answer_needs_all_and_only_the_correct_choices():
    item = _item(
        ItemKind.MULTIPLE,
        choices=[
            {"key": "a", "correct": True},
            {"key": "b", "correct": True},
            {"key": "c", "correct": False},
        ],
    )
    assert response_score(item=item, text={}, response={"choices": ["b", "a"]}) == (2.0, True)
    assert response_score(item=item, text={}, response={"choices": ["a"]}) == (0.0, False)
    assert response_score(item=item, text={}, response={"choices": ["a", "b", "c"]}) == (0.0, False)


def test_a_short_answer_is_compared_without_case_accents_or_surrounding_spaces():
    item = _item(ItemKind.SHORT)
    text = {"answers": ["authentification à deux facteurs", "2FA"]}
    assert response_score(item=item, text=text, response={"text": "  Authentification a DEUX  facteurs "})[1]
    assert response_score(item=item, text=text, response={"text": "2fa"})[1]
    assert not response_score(item=item, text=text, response={"text": "deux facteurs"})[1]
    assert not response_score(item=item, text=text, response={"text": "   "})[1]


def test_a_matching_answer_is_right_only_when_every_pair_is_matched():
    item = _item(ItemKind.MATCHING, pairs=["p1", "p2", "p3"])
    assert response_score(item=item, text={}, response={"pairs": {"p1": "p1", "p2": "p2", "p3": "p3"}})[1]
    assert not response_score(item=item, text={}, response={"pairs": {"p1": "p1", "p2": "p3", "p3": "p2"}})[1]
    assert not response_score(item=item, text={}, response={"pairs": {"p1": "p1"}})[1]


# The quiz --------------------------------------------------------------------------------------


def test_the_final_quiz_holds_every_quiz_question_of_the_course(course):
    questions = quiz_items(course=course, language="nl")
    assert len(questions) == 23
    assert {entry.item.kind for entry in questions} == {
        ItemKind.SINGLE,
        ItemKind.MULTIPLE,
        ItemKind.TRUEFALSE,
        ItemKind.SHORT,
        ItemKind.MATCHING,
    }


def test_passing_the_quiz_records_a_completion_and_issues_a_certificate(course, make_user):
    user = make_user("employee", first_name="Anaïs", last_name="D’Hondt")
    attempt = attempt_start(actor=user, course=course, language="fr")

    outcome = quiz_submit(actor=user, attempt=attempt, answers=correct_answers(course, "fr"))

    assert outcome.passed and outcome.percent == 100
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.PASSED and attempt.quiz_round == 1
    completion = Completion.objects.get(user=user)
    assert completion.method == CompletionMethod.ELEARNING
    assert completion.course_version == course.version
    assert completion.attempt == attempt
    certificate = Certificate.objects.get(completion=completion)
    assert CODE_FORMAT.match(certificate.code)
    assert certificate.holder_name == "Anaïs D’Hondt"
    assert certificate.language == "fr"
    assert certificate.course_title == CourseTranslation.objects.get(course=course, language="fr").title
    assert ItemResponse.objects.filter(attempt=attempt, quiz_round=1, is_correct=True).count() == 23


def test_the_holder_is_the_username_when_the_user_has_no_name(course, make_user):
    user = make_user("employee", username="jpeeters")
    attempt = attempt_start(actor=user, course=course, language="nl")
    outcome = quiz_submit(actor=user, attempt=attempt, answers=correct_answers(course, "nl"))
    assert outcome.certificate is not None
    assert outcome.certificate.holder_name == "jpeeters"


def test_certificate_codes_are_unique_and_found_however_they_are_typed(course, make_user):
    codes = set()
    for _index in range(3):
        user = make_user("employee")
        attempt = attempt_start(actor=user, course=course, language="nl")
        outcome = quiz_submit(actor=user, attempt=attempt, answers=correct_answers(course, "nl"))
        assert outcome.certificate is not None
        codes.add(outcome.certificate.code)
    assert len(codes) == 3
    code = codes.pop()
    typed = " " + code.replace("-", "").lower()[:6] + " " + code.replace("-", "").lower()[6:]
    assert code_normalise(typed) == code
    found = certificate_lookup(code=typed)
    assert found is not None and found.code == code
    assert certificate_lookup(code="AAAA-BBBB-CCCC") is None
    assert certificate_lookup(code="--") is None


def test_failing_the_quiz_leaves_a_new_round_open(course, make_user):
    user = make_user("employee")
    attempt = attempt_start(actor=user, course=course, language="nl")
    answers = correct_answers(course, "nl")
    wrong = dict(list(answers.items())[:10])

    outcome = quiz_submit(actor=user, attempt=attempt, answers=wrong)

    assert not outcome.passed
    assert outcome.certificate is None
    assert not Completion.objects.filter(user=user).exists()
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.QUIZ and attempt.quiz_round == 1
    with pytest.raises(DomainError):
        quiz_submit(actor=user, attempt=attempt, answers=answers)

    attempt = quiz_retry(actor=user, attempt=attempt)
    assert attempt.quiz_round == 2 and attempt.quiz_score is None
    outcome = quiz_submit(actor=user, attempt=attempt, answers=answers)

    assert outcome.passed
    assert ItemResponse.objects.filter(attempt=attempt, quiz_round=1).count() == 23
    assert ItemResponse.objects.filter(attempt=attempt, quiz_round=2).count() == 23
    assert Completion.objects.filter(user=user).count() == 1


def test_a_pass_needs_the_pass_mark_of_the_points(course, make_user):
    questions = quiz_items(course=course, language="nl")
    total = sum(entry.item.points for entry in questions)
    answers = correct_answers(course, "nl")
    # Leave out questions until the score drops just below the pass mark.
    kept = dict(answers)
    score = total
    for entry in questions:
        if (score - entry.item.points) * 100 < course.pass_mark * total:
            break
        kept.pop(entry.item.pk)
        score -= entry.item.points
    user = make_user("employee")
    just_enough = quiz_submit(
        actor=user, attempt=attempt_start(actor=user, course=course, language="nl"), answers=kept
    )
    assert just_enough.passed
    kept.pop(next(pk for pk in kept))
    other = make_user("employee")
    too_few = quiz_submit(
        actor=other, attempt=attempt_start(actor=other, course=course, language="nl"), answers=kept
    )
    assert not too_few.passed


def test_nobody_retakes_a_quiz_round_that_was_not_failed_or_answers_for_another(course, make_user):
    user = make_user("employee")
    attempt = attempt_start(actor=user, course=course, language="nl")
    with pytest.raises(DomainError):
        quiz_retry(actor=user, attempt=attempt)
    with pytest.raises(DomainError):
        quiz_submit(actor=make_user("employee"), attempt=attempt, answers={})
    quiz_submit(actor=user, attempt=attempt, answers=correct_answers(course, "nl"))
    with pytest.raises(DomainError):
        quiz_submit(actor=user, attempt=attempt, answers={})
