"""Course content: a course, its modules and their items (lessons, practice cases, questions).

Everything a learner reads is stored per language, in a translation row with a status and the
fingerprint of the source-language text it was made from; the language-neutral part of an item
(which choice is correct, which pairs exist, which guidance articles it links to) is stored once,
on the item. When a source text changes, only the translations of that very text fall behind.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from deonto.core.models import TimeStampedModel
from deonto.knowledge.models import ContentLanguage, TranslationStatus

__all__ = [
    "CaseQuestion",
    "ContentLanguage",
    "Course",
    "CourseTranslation",
    "Item",
    "ItemKind",
    "ItemTranslation",
    "Module",
    "ModuleTranslation",
    "TranslationStatus",
    "content_fingerprint",
]


def content_fingerprint(content: Mapping[str, Any]) -> str:
    """A short fingerprint of a text mapping that does not depend on the order of its keys."""
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


class ItemKind(models.TextChoices):
    LESSON = "lesson", _("Lesson")
    CASE = "case", _("Practice case")
    SINGLE = "single", _("Single-choice question")
    MULTIPLE = "multiple", _("Multiple-choice question")
    TRUEFALSE = "truefalse", _("True-or-false question")
    SHORT = "short", _("Short-answer question")
    MATCHING = "matching", _("Matching question")


QUESTION_KINDS = frozenset(
    {ItemKind.SINGLE, ItemKind.MULTIPLE, ItemKind.TRUEFALSE, ItemKind.SHORT, ItemKind.MATCHING}
)


class CaseQuestion(models.TextChoices):
    WHAT_DO_YOU_DO = "what-do-you-do", _("What do you do?")
    IS_THIS_ACCEPTABLE = "is-this-acceptable", _("Is this acceptable?")


class Course(TimeStampedModel):
    code = models.SlugField(_("code"), max_length=64, unique=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    source_language = models.CharField(
        _("source language"), max_length=2, choices=ContentLanguage.choices, default=ContentLanguage.DUTCH
    )
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark"), default=80, help_text=_("Percentage of the quiz points needed to pass.")
    )
    is_published = models.BooleanField(_("published"), default=False)

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["code"]
        permissions = [
            ("run_live", _("Can run a course live in class")),
            ("manage_content", _("Can import, export and translate course content")),
            ("view_results", _("Can see and export the learners' results")),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(pass_mark__lte=100), name="course_pass_mark_percentage"),
        ]

    def __str__(self) -> str:
        return self.code


class Module(TimeStampedModel):
    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.CASCADE, related_name="modules"
    )
    code = models.SlugField(_("code"), max_length=64)
    position = models.PositiveIntegerField(_("position"))

    class Meta:
        verbose_name = _("module")
        verbose_name_plural = _("modules")
        ordering = ["course", "position"]
        constraints = [
            models.UniqueConstraint(fields=["course", "code"], name="module_unique_code_in_course"),
            models.UniqueConstraint(fields=["course", "position"], name="module_unique_position_in_course"),
        ]

    def __str__(self) -> str:
        return f"{self.course.code}/{self.code}"


class Item(TimeStampedModel):
    """One step of a module. ``structure`` holds what is the same in every language:

    ``choices`` (``key`` with ``correct``, or ``recommended`` for a case), ``pairs`` (keys of a
    matching question), ``question`` (the style of a case) and ``image`` (its path in the bundle).
    """

    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.CASCADE, related_name="items"
    )
    module = models.ForeignKey(
        Module, verbose_name=_("module"), on_delete=models.CASCADE, related_name="items"
    )
    code = models.SlugField(_("code"), max_length=64)
    position = models.PositiveIntegerField(_("position"))
    kind = models.CharField(_("kind"), max_length=16, choices=ItemKind.choices)
    structure = models.JSONField(_("structure"), default=dict, blank=True)
    articles = models.JSONField(
        _("guidance articles"), default=list, blank=True, help_text=_("Codes of the guidance articles.")
    )
    image = models.FileField(_("image"), upload_to="training/", blank=True)
    quiz = models.BooleanField(_("counts in the final quiz"), default=False)
    points = models.PositiveSmallIntegerField(_("points"), default=0)

    class Meta:
        verbose_name = _("item")
        verbose_name_plural = _("items")
        ordering = ["module__position", "position"]
        constraints = [
            models.UniqueConstraint(fields=["course", "code"], name="item_unique_code_in_course"),
            models.UniqueConstraint(fields=["module", "position"], name="item_unique_position_in_module"),
            models.CheckConstraint(
                condition=Q(quiz=False) | ~Q(kind__in=[ItemKind.LESSON, ItemKind.CASE]),
                name="item_only_questions_in_quiz",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course.code}/{self.code}"


class Translation(TimeStampedModel):
    """What every translation row has: its language, status and the source text it was made from."""

    language = models.CharField(_("language"), max_length=2, choices=ContentLanguage.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=TranslationStatus.choices, default=TranslationStatus.DRAFT
    )
    source_fingerprint = models.CharField(
        _("fingerprint of the source"),
        max_length=16,
        blank=True,
        help_text=_("Fingerprint of the source-language text this translation was made from."),
    )

    class Meta:
        abstract = True

    @property
    def content(self) -> dict[str, Any]:
        raise NotImplementedError

    @property
    def fingerprint(self) -> str:
        return content_fingerprint(self.content)


class CourseTranslation(Translation):
    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.CASCADE, related_name="translations"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))

    class Meta:
        verbose_name = _("course translation")
        verbose_name_plural = _("course translations")
        ordering = ["course", "language"]
        constraints = [
            models.UniqueConstraint(fields=["course", "language"], name="course_translation_unique_language"),
        ]

    def __str__(self) -> str:
        return f"{self.course.code} [{self.language}]"

    @property
    def content(self) -> dict[str, Any]:
        return {"title": self.title, "description": self.description}

    @content.setter
    def content(self, value: Mapping[str, Any]) -> None:
        self.title = value["title"]
        self.description = value["description"]


class ModuleTranslation(Translation):
    module = models.ForeignKey(
        Module, verbose_name=_("module"), on_delete=models.CASCADE, related_name="translations"
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"))

    class Meta:
        verbose_name = _("module translation")
        verbose_name_plural = _("module translations")
        ordering = ["module", "language"]
        constraints = [
            models.UniqueConstraint(fields=["module", "language"], name="module_translation_unique_language"),
        ]

    def __str__(self) -> str:
        return f"{self.module} [{self.language}]"

    @property
    def content(self) -> dict[str, Any]:
        return {"title": self.title, "summary": self.summary}

    @content.setter
    def content(self, value: Mapping[str, Any]) -> None:
        self.title = value["title"]
        self.summary = value["summary"]


class ItemTranslation(Translation):
    """The texts of one item in one language, exactly as the bundle's ``text.<language>`` mapping."""

    item = models.ForeignKey(
        Item, verbose_name=_("item"), on_delete=models.CASCADE, related_name="translations"
    )
    content = models.JSONField(_("content"), default=dict)

    class Meta:
        verbose_name = _("item translation")
        verbose_name_plural = _("item translations")
        ordering = ["item", "language"]
        constraints = [
            models.UniqueConstraint(fields=["item", "language"], name="item_translation_unique_language"),
        ]

    def __str__(self) -> str:
        return f"{self.item} [{self.language}]"


# --- Learning: e-learning attempts, completions and certificates -----------------------------


class AttemptStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("In progress")
    QUIZ = "quiz", _("Taking the final quiz")
    PASSED = "passed", _("Passed")


class Attempt(TimeStampedModel):
    """One learner's way through the e-learning of a course, in one language.

    ``position`` is the index, in reading order, of the module item the learner is at, so the
    player resumes there; the final quiz can be retaken (``quiz_round``) until it is passed."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("learner"), on_delete=models.CASCADE, related_name="attempts"
    )
    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.PROTECT, related_name="attempts"
    )
    course_version = models.PositiveIntegerField(_("course version"))
    language = models.CharField(_("language"), max_length=2, choices=ContentLanguage.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=AttemptStatus.choices, default=AttemptStatus.IN_PROGRESS
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    quiz_round = models.PositiveIntegerField(_("quiz round"), default=0)
    quiz_score = models.PositiveSmallIntegerField(_("quiz score (percent)"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("e-learning attempt")
        verbose_name_plural = _("e-learning attempts")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["course", "status"], name="attempt_course_status_idx")]

    def __str__(self) -> str:
        return f"{self.user} · {self.course} ({self.get_status_display()})"


class ItemResponse(TimeStampedModel):
    """A learner's answer to a case or question; quiz answers carry the round they belong to
    (0 for answers given while working through the modules)."""

    attempt = models.ForeignKey(
        Attempt, verbose_name=_("attempt"), on_delete=models.CASCADE, related_name="responses"
    )
    item = models.ForeignKey(Item, verbose_name=_("item"), on_delete=models.CASCADE, related_name="responses")
    quiz_round = models.PositiveIntegerField(_("quiz round"), default=0)
    response = models.JSONField(_("response"), default=dict)
    score = models.FloatField(_("score"), default=0)
    is_correct = models.BooleanField(_("correct"), null=True, blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "item", "quiz_round"], name="item_response_unique_round"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.attempt_id}/{self.item_id}/{self.quiz_round}"


class CompletionMethod(models.TextChoices):
    ELEARNING = "elearning", _("E-learning")
    CLASSROOM = "classroom", _("Classroom session")


class Completion(TimeStampedModel):
    """That a person completed a course (a version of it), and how: what the rollout counts."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="completions"
    )
    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.PROTECT, related_name="completions"
    )
    course_version = models.PositiveIntegerField(_("course version"))
    method = models.CharField(_("method"), max_length=16, choices=CompletionMethod.choices)
    completed_at = models.DateTimeField(_("completed at"))
    attempt = models.OneToOneField(
        Attempt,
        verbose_name=_("attempt"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="completion",
    )

    class Meta:
        verbose_name = _("completion")
        verbose_name_plural = _("completions")
        ordering = ["-completed_at"]
        indexes = [models.Index(fields=["course", "method", "completed_at"], name="completion_course_idx")]

    def __str__(self) -> str:
        return f"{self.user} · {self.course} ({self.get_method_display()})"


class Certificate(TimeStampedModel):
    """Proof of a completion that anyone can check with its code on a public page.

    Holder name and course title are copied at issue, so the certificate says what it said."""

    code = models.CharField(_("verification code"), max_length=20, unique=True)
    completion = models.OneToOneField(
        Completion, verbose_name=_("completion"), on_delete=models.CASCADE, related_name="certificate"
    )
    holder_name = models.CharField(_("holder"), max_length=250)
    course_title = models.CharField(_("course title"), max_length=250)
    language = models.CharField(_("language"), max_length=2, choices=ContentLanguage.choices)
    issued_at = models.DateTimeField(_("issued at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_at"]

    def __str__(self) -> str:
        return self.code


# --- Live classroom ---------------------------------------------------------------------------


class LivePhase(models.TextChoices):
    WAITING = "waiting", _("Waiting for participants")
    VOTING = "voting", _("Voting open")
    RESULTS = "results", _("Showing the answers")
    FEEDBACK = "feedback", _("Showing the feedback")
    ENDED = "ended", _("Ended")


class LiveRun(TimeStampedModel):
    """An instructor's live run of the cases and questions in class.

    Participants join with the short ``join_code`` (or its QR code) without an account; their
    votes carry a random token of their browser, never who they are."""

    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.PROTECT, related_name="live_runs"
    )
    language = models.CharField(_("language"), max_length=2, choices=ContentLanguage.choices)
    instructor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("instructor"),
        on_delete=models.PROTECT,
        related_name="live_runs",
    )
    join_code = models.CharField(_("join code"), max_length=8, db_index=True)
    phase = models.CharField(_("phase"), max_length=16, choices=LivePhase.choices, default=LivePhase.WAITING)
    items = models.JSONField(_("items"), default=list, help_text=_("Ids of the items to run, in order."))
    current_index = models.PositiveIntegerField(_("current item"), default=0)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        verbose_name = _("live run")
        verbose_name_plural = _("live runs")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["join_code"],
                condition=~Q(phase="ended"),
                name="live_run_join_code_unique_while_running",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.join_code} · {self.course}"


class LiveVote(TimeStampedModel):
    """One participant's answer to one item of a live run: anonymous by construction."""

    run = models.ForeignKey(
        LiveRun, verbose_name=_("live run"), on_delete=models.CASCADE, related_name="votes"
    )
    item = models.ForeignKey(
        Item, verbose_name=_("item"), on_delete=models.CASCADE, related_name="live_votes"
    )
    participant = models.CharField(_("participant token"), max_length=64)
    choices = models.JSONField(_("choices"), default=list)

    class Meta:
        verbose_name = _("live vote")
        verbose_name_plural = _("live votes")
        constraints = [
            models.UniqueConstraint(
                fields=["run", "item", "participant"], name="live_vote_one_per_participant"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.run_id}/{self.item_id}"
