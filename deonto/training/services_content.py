"""Changes to course content from the content pages and commands: uploading a course bundle, and
importing quiz questions (read from GIFT or Moodle XML by ``deonto.training.formats``) into a module.

Both check everything first and write nothing when anything is wrong.
"""

from __future__ import annotations

import tempfile
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils.text import slugify
from django.utils.translation import gettext as _

from deonto.core.audit import audit_record
from deonto.core.errors import DomainError
from deonto.training.formats import ParsedQuestion, ParseError
from deonto.training.models import (
    QUESTION_KINDS,
    Item,
    ItemKind,
    ItemTranslation,
    Module,
    TranslationStatus,
    content_fingerprint,
)
from deonto.training.services import BundleReport, course_bundle_sync
from deonto.training.texts import text_normalise

BUNDLE_UPLOAD_MAX_BYTES = 20 * 1024 * 1024
_CODE_LENGTH = 64


# Bundle upload -----------------------------------------------------------------------------------


def bundle_upload_problem(upload: UploadedFile[Any]) -> str | None:
    """Why an uploaded file cannot be a course bundle (too large, not a ZIP), or None."""
    if (upload.size or 0) > BUNDLE_UPLOAD_MAX_BYTES:
        return _("The file is larger than %(limit)d MB.") % {
            "limit": BUNDLE_UPLOAD_MAX_BYTES // (1024 * 1024)
        }
    if not (upload.name or "").lower().endswith(".zip"):
        return _("A course bundle is a ZIP file (.zip).")
    upload.seek(0)
    is_zip = zipfile.is_zipfile(upload)
    upload.seek(0)
    if not is_zip:
        return _("The file is not a ZIP file.")
    return None


def course_bundle_upload(*, actor: Any, upload: UploadedFile[Any]) -> BundleReport:
    """Load an uploaded course bundle (a ZIP); refused whole, with every problem, when it is wrong."""
    problem = bundle_upload_problem(upload)
    if problem is not None:
        raise DomainError(problem)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bundle.zip"
        with path.open("wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
        return course_bundle_sync(directory_or_zip=path, actor=actor)


# Questions import --------------------------------------------------------------------------------


class QuestionsImportError(DomainError):
    """Questions that cannot be imported; ``problems`` has every problem with its line in the file."""

    def __init__(self, problems: list[ParseError]) -> None:
        super().__init__("\n".join(_line_message(problem) for problem in problems))
        self.problems = problems


def _line_message(problem: ParseError) -> str:
    if problem.line:
        return _("line %(line)d: %(message)s") % {"line": problem.line, "message": problem.message}
    return problem.message


@dataclass(frozen=True)
class ImportedQuestion:
    code: str
    kind: str
    line: int


@dataclass
class QuestionsImportReport:
    module: Module
    language: str
    questions: list[ImportedQuestion] = field(default_factory=list)
    dry_run: bool = False

    @property
    def by_kind(self) -> dict[str, int]:
        counts = Counter(question.kind for question in self.questions)
        return {kind: counts[kind] for kind in ItemKind.values if counts[kind]}


@dataclass
class _Planned:
    question: ParsedQuestion
    code: str
    structure: dict[str, Any]
    text: dict[str, Any]


def _structure_problems(question: ParsedQuestion) -> list[str]:
    """The bundle's rules for a question's structure, so an imported question can be exported."""
    kind: str = question.kind
    correct = sum(1 for choice in question.choices if choice.correct)
    problems = []
    if kind not in QUESTION_KINDS:
        problems.append(_("The kind %(kind)s cannot be imported.") % {"kind": kind})
    elif kind == ItemKind.TRUEFALSE:
        if sorted(choice.key for choice in question.choices) != ["false", "true"]:
            problems.append(_("A true-or-false question has exactly the choices true and false."))
    elif kind in (ItemKind.SINGLE, ItemKind.MULTIPLE) and len(question.choices) < 2:
        problems.append(_("There must be at least two choices."))
    if kind in (ItemKind.SINGLE, ItemKind.TRUEFALSE) and correct != 1:
        problems.append(_("Exactly one choice must be correct."))
    elif kind == ItemKind.MULTIPLE and correct < 1:
        problems.append(_("At least one choice must be correct."))
    elif kind == ItemKind.MATCHING and len(question.pairs) < 2:
        problems.append(_("A matching question needs at least two pairs."))
    elif kind == ItemKind.SHORT and not question.answers:
        problems.append(_("A short-answer question needs at least one accepted answer."))
    if question.points < 0:
        problems.append(_("The points must be a whole number."))
    return problems


def _structure(question: ParsedQuestion) -> dict[str, Any]:
    kind: str = question.kind
    if kind == ItemKind.MATCHING:
        return {"pairs": [pair.key for pair in question.pairs]}
    if kind == ItemKind.SHORT:
        return {}
    return {"choices": [{"key": choice.key, "correct": choice.correct} for choice in question.choices]}


def _raw_text(question: ParsedQuestion) -> dict[str, Any]:
    """The question's text in the shape of the bundle's ``text.<language>``; empty feedback left out."""
    kind: str = question.kind
    text: dict[str, Any] = {"prompt": question.prompt}
    if kind == ItemKind.MATCHING:
        text["pairs"] = {pair.key: {"left": pair.left, "right": pair.right} for pair in question.pairs}
    elif kind == ItemKind.SHORT:
        text["answers"] = list(question.answers)
    else:
        text["choices"] = {
            choice.key: {"text": choice.text, **({"feedback": choice.feedback} if choice.feedback else {})}
            for choice in question.choices
        }
    if question.feedback:
        text["feedback"] = question.feedback
    return text


class _Codes:
    """Item codes unique in the course: the question's name as a slug, or ``<module>-q-<n>``."""

    def __init__(self, module: Module) -> None:
        self.module = module
        self.taken = set(Item.objects.filter(course_id=module.course_id).values_list("code", flat=True))
        self.number = 0

    def _claim(self, code: str) -> str:
        self.taken.add(code)
        return code

    def next(self, name: str | None) -> str:
        base = slugify(name or "")[:_CODE_LENGTH].strip("-")
        if base:
            if base not in self.taken:
                return self._claim(base)
            for suffix in range(2, 10_000):
                candidate = f"{base[: _CODE_LENGTH - len(str(suffix)) - 1]}-{suffix}"
                if candidate not in self.taken:
                    return self._claim(candidate)
        while True:
            self.number += 1
            candidate = f"{self.module.code[: _CODE_LENGTH - 12]}-q-{self.number}"
            if candidate not in self.taken:
                return self._claim(candidate)


def _plan(module: Module, questions: list[ParsedQuestion]) -> tuple[list[_Planned], list[ParseError]]:
    codes = _Codes(module)
    planned: list[_Planned] = []
    problems: list[ParseError] = []
    for question in questions:
        found = _structure_problems(question)
        structure = _structure(question)
        text, text_problems = text_normalise(
            question.kind,
            _raw_text(question),
            choice_keys=[choice["key"] for choice in structure.get("choices", [])],
            pair_keys=structure.get("pairs", []),
        )
        found.extend(text_problems)
        problems.extend(ParseError(question.line, message) for message in found)
        if not found:
            planned.append(_Planned(question, codes.next(question.name), structure, text))
    return planned, problems


@transaction.atomic
def questions_import(
    *,
    actor: Any,
    module: Module,
    language: str,
    questions: list[ParsedQuestion],
    dry_run: bool = False,
) -> QuestionsImportReport:
    """Add the questions at the end of ``module`` as quiz items, with their texts in ``language``.

    The language must be the course's source language: the other languages then show as missing
    in the translator's list and are translated from it. Nothing is written when any question is
    refused, nor on a dry run.
    """
    course = module.course
    if language != course.source_language:
        raise DomainError(
            _(
                "Questions are imported in the course's source language (%(source)s), so they can be "
                "translated from it; this file is in %(language)s."
            )
            % {"source": course.source_language, "language": language}
        )
    if not questions:
        raise DomainError(_("The file holds no questions."))
    Module.objects.select_for_update().filter(pk=module.pk).first()
    planned, problems = _plan(module, questions)
    if problems:
        raise QuestionsImportError(problems)
    report = QuestionsImportReport(
        module=module,
        language=language,
        questions=[ImportedQuestion(p.code, p.question.kind, p.question.line) for p in planned],
        dry_run=dry_run,
    )
    if dry_run:
        return report
    position = module.items.aggregate(last=Max("position"))["last"] or 0
    for offset, entry in enumerate(planned, start=1):
        item = Item.objects.create(
            course=course,
            module=module,
            code=entry.code,
            position=position + offset,
            kind=entry.question.kind,
            structure=entry.structure,
            articles=[],
            quiz=True,
            points=entry.question.points,
        )
        ItemTranslation.objects.create(
            item=item,
            language=language,
            content=entry.text,
            status=TranslationStatus.REVIEWED,
            source_fingerprint=content_fingerprint(entry.text),
        )
    audit_record(
        actor=actor,
        action="training.questions_imported",
        target=module,
        details={
            "course": course.code,
            "module": module.code,
            "language": language,
            "items": [question.code for question in report.questions],
        },
    )
    return report
