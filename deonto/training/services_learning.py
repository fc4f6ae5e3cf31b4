"""Changes made by taking the e-learning: publishing a course, starting and moving through it,
answering its cases, the final quiz (scored, retaken in rounds) and the certificate of a pass.

Quiz rounds start at 1; round 0 holds the answers to the cases met in the modules. A round is
scored once, when it is submitted; a failed round is kept and the learner asks for the next one.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from deonto.accounts.models import User
from deonto.core.audit import audit_record
from deonto.core.errors import DomainError
from deonto.knowledge.text import normalise
from deonto.training.models import (
    Attempt,
    AttemptStatus,
    Certificate,
    Completion,
    CompletionMethod,
    Course,
    Item,
    ItemKind,
    ItemResponse,
)
from deonto.training.selectors_learning import (
    CODE_ALPHABET,
    CODE_GROUP,
    COURSE_LANGUAGES,
    PlayerItem,
    course_languages,
    course_title,
    player_item_count,
    quiz_items,
)

CODE_LENGTH = 12


@dataclass(frozen=True)
class QuizOutcome:
    attempt: Attempt
    score: float
    total: int
    percent: int
    passed: bool
    certificate: Certificate | None


def course_publish(*, actor: User | None, course: Course) -> Course:
    """Make the course available in the e-learning of every signed-in user."""
    if course.is_published:
        return course
    with transaction.atomic():
        course.is_published = True
        course.save(update_fields=["is_published", "updated_at"])
        audit_record(actor=actor, action="training.course_publish", target=course)
    return course


def _check_language(course: Course, language: str) -> None:
    if language not in COURSE_LANGUAGES or language not in course_languages(course=course):
        raise DomainError(_("This course is not available in that language."))


def attempt_start(*, actor: User, course: Course, language: str) -> Attempt:
    """The learner's attempt at the course, created at its first item when there is none yet;
    ``language`` becomes the language the course is read in."""
    if not course.is_published:
        raise DomainError(_("This course is not available."))
    _check_language(course, language)
    with transaction.atomic():
        attempt = (
            Attempt.objects.select_for_update()
            .filter(user=actor, course=course)
            .order_by("-created_at")
            .first()
        )
        if attempt is None:
            attempt = Attempt.objects.create(
                user=actor, course=course, course_version=course.version, language=language
            )
            audit_record(actor=actor, action="training.attempt_start", target=attempt)
        elif attempt.language != language:
            attempt.language = language
            attempt.save(update_fields=["language", "updated_at"])
    return attempt


def attempt_move(*, actor: User, attempt: Attempt, position: int) -> Attempt:
    """Remember the item the learner is at (an index in reading order), so the player resumes there."""
    if attempt.user_id != actor.pk:
        raise DomainError(_("This is not your course."))
    if not 0 <= position < player_item_count(course=attempt.course):
        raise DomainError(_("This course has no such item."))
    if attempt.position != position:
        attempt.position = position
        attempt.save(update_fields=["position", "updated_at"])
    return attempt


def case_answer(*, actor: User, attempt: Attempt, item: Item, choice: str) -> ItemResponse:
    """Record the learner's choice on a practice case; they may change their mind later."""
    if attempt.user_id != actor.pk or item.course_id != attempt.course_id or item.kind != ItemKind.CASE:
        raise DomainError(_("This case is not part of your course."))
    choices = {entry["key"]: entry for entry in item.structure.get("choices", [])}
    if choice not in choices:
        raise DomainError(_("Choose one of the answers."))
    response, _created = ItemResponse.objects.update_or_create(
        attempt=attempt,
        item=item,
        quiz_round=0,
        defaults={
            "response": {"choice": choice},
            "is_correct": bool(choices[choice].get("recommended")),
            "score": 0,
        },
    )
    return response


# The final quiz ----------------------------------------------------------------------------------


def short_answer_normalise(text: str) -> str:
    """How short answers are compared: without case, accents and surrounding or repeated spaces."""
    return " ".join(normalise(text).split())


def _correct_keys(item: Item) -> set[str]:
    return {str(choice["key"]) for choice in item.structure.get("choices", []) if choice.get("correct")}


def response_score(*, item: Item, text: Mapping[str, Any], response: Mapping[str, Any]) -> tuple[float, bool]:
    """The points an answer earns and whether it is right: all or nothing for every kind
    (a multiple-choice answer is right only with all and only the correct choices)."""
    kind = item.kind
    if kind in (ItemKind.SINGLE, ItemKind.TRUEFALSE):
        correct = response.get("choice") in _correct_keys(item)
    elif kind == ItemKind.MULTIPLE:
        correct = set(response.get("choices") or []) == _correct_keys(item)
    elif kind == ItemKind.SHORT:
        given = short_answer_normalise(str(response.get("text") or ""))
        accepted = {short_answer_normalise(answer) for answer in text.get("answers", [])}
        correct = bool(given) and given in accepted
    elif kind == ItemKind.MATCHING:
        pairs = response.get("pairs") or {}
        keys = [str(key) for key in item.structure.get("pairs", [])]
        correct = bool(keys) and all(pairs.get(key) == key for key in keys)
    else:
        correct = False
    return (float(item.points) if correct else 0.0), correct


def _question(entry: PlayerItem, response: Mapping[str, Any]) -> tuple[Item, float, bool]:
    score, correct = response_score(item=entry.item, text=entry.text.content, response=response)
    return entry.item, score, correct


def _code_generate() -> str:
    while True:
        characters = "".join(secrets.choice(CODE_ALPHABET) for _index in range(CODE_LENGTH))
        code = "-".join(characters[i : i + CODE_GROUP] for i in range(0, CODE_LENGTH, CODE_GROUP))
        if not Certificate.objects.filter(code=code).exists():
            return code


def _certificate_issue(*, actor: User, completion: Completion, language: str) -> Certificate:
    certificate = Certificate.objects.create(
        code=_code_generate(),
        completion=completion,
        holder_name=actor.get_full_name().strip() or actor.get_username(),
        course_title=course_title(course=completion.course, language=language),
        language=language,
        issued_at=completion.completed_at,
    )
    audit_record(actor=actor, action="training.certificate_issue", target=certificate)
    return certificate


def quiz_submit(*, actor: User, attempt: Attempt, answers: Mapping[int, Mapping[str, Any]]) -> QuizOutcome:
    """Score a round of the final quiz. Passing (the course's pass mark, as a percentage of the
    points) records the completion and issues the certificate; failing leaves a retry open."""
    if attempt.user_id != actor.pk:
        raise DomainError(_("This is not your course."))
    if attempt.status == AttemptStatus.PASSED:
        raise DomainError(_("You have already passed this course."))
    with transaction.atomic():
        attempt = Attempt.objects.select_for_update().select_related("course").get(pk=attempt.pk)
        quiz_round = max(attempt.quiz_round, 1)
        if ItemResponse.objects.filter(attempt=attempt, quiz_round=quiz_round).exists():
            raise DomainError(_("You have already handed in this round of the quiz."))
        questions = quiz_items(course=attempt.course, language=attempt.language)
        if not questions:
            raise DomainError(_("This course has no final quiz."))
        scored = [_question(entry, answers.get(entry.item.pk, {})) for entry in questions]
        ItemResponse.objects.bulk_create(
            ItemResponse(
                attempt=attempt,
                item=item,
                quiz_round=quiz_round,
                response=dict(answers.get(item.pk, {})),
                score=score,
                is_correct=correct,
            )
            for item, score, correct in scored
        )
        score = sum(points for _item, points, _correct in scored)
        total = sum(entry.item.points for entry in questions)
        passed = total > 0 and score * 100 >= attempt.course.pass_mark * total
        attempt.quiz_round = quiz_round
        attempt.quiz_score = int(score * 100 // total) if total else 0
        attempt.status = AttemptStatus.PASSED if passed else AttemptStatus.QUIZ
        certificate = None
        completed_at = timezone.now()
        if passed:
            attempt.completed_at = completed_at
        attempt.save()
        audit_record(
            actor=actor,
            action="training.quiz_submit",
            target=attempt,
            details={"round": quiz_round, "score": attempt.quiz_score, "passed": passed},
        )
        if passed:
            completion = Completion.objects.create(
                user=actor,
                course=attempt.course,
                course_version=attempt.course_version,
                method=CompletionMethod.ELEARNING,
                completed_at=completed_at,
                attempt=attempt,
            )
            certificate = _certificate_issue(actor=actor, completion=completion, language=attempt.language)
    return QuizOutcome(
        attempt=attempt,
        score=score,
        total=total,
        percent=attempt.quiz_score,
        passed=passed,
        certificate=certificate,
    )


def quiz_retry(*, actor: User, attempt: Attempt) -> Attempt:
    """Open the next round of the quiz after a failed one."""
    if attempt.user_id != actor.pk:
        raise DomainError(_("This is not your course."))
    with transaction.atomic():
        attempt = Attempt.objects.select_for_update().get(pk=attempt.pk)
        handed_in = ItemResponse.objects.filter(
            attempt=attempt, quiz_round=max(attempt.quiz_round, 1)
        ).exists()
        if attempt.status != AttemptStatus.QUIZ or not handed_in:
            raise DomainError(_("There is no failed round of the quiz to retake."))
        attempt.quiz_round += 1
        attempt.quiz_score = None
        attempt.save(update_fields=["quiz_round", "quiz_score", "updated_at"])
        audit_record(
            actor=actor, action="training.quiz_retry", target=attempt, details={"round": attempt.quiz_round}
        )
    return attempt
