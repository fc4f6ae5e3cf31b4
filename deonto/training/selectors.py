"""Reads of course content for the people who write and translate it."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from deonto.training.models import (
    Course,
    CourseTranslation,
    Item,
    ItemTranslation,
    ModuleTranslation,
    TranslationStatus,
)

Translation = CourseTranslation | ModuleTranslation | ItemTranslation


class GapState(models.TextChoices):
    MISSING = "missing", _("Missing")
    DRAFT = "draft", _("Draft")
    OUTDATED = "outdated", _("Outdated")
    CURRENT = "current", _("Current")


@dataclass(frozen=True)
class TranslationGap:
    """Where one text (the course's, a module's or an item's) stands in one language."""

    level: str  # "course", "module" or "item"
    code: str
    kind: str  # the item's kind, or the level for a course or module
    state: GapState
    translation: Translation | None
    source: Translation | None


def _gap(
    level: str, code: str, kind: str, translations: list[Translation], language: str, source_language: str
) -> TranslationGap:
    by_language = {t.language: t for t in translations}
    translation = by_language.get(language)
    source = by_language.get(source_language)
    if translation is None:
        state = GapState.MISSING
    elif translation.status == TranslationStatus.DRAFT:
        state = GapState.DRAFT
    elif (
        translation.status == TranslationStatus.OUTDATED
        or source is None
        or (translation.source_fingerprint != source.fingerprint)
    ):
        state = GapState.OUTDATED
    else:
        state = GapState.CURRENT
    return TranslationGap(level, code, kind, state, translation, source)


def translation_gaps(*, course: Course, language: str) -> list[TranslationGap]:
    """The translator's to-do list: every text of the course in reading order, with its state in
    ``language`` (missing, draft, outdated or current, that is reviewed against the current source).
    """
    source_language = course.source_language
    modules = course.modules.order_by("position").prefetch_related(
        "translations",
        Prefetch("items", queryset=Item.objects.order_by("position").prefetch_related("translations")),
    )
    gaps = [_gap("course", course.code, "course", list(course.translations.all()), language, source_language)]
    for module in modules:
        gaps.append(
            _gap("module", module.code, "module", list(module.translations.all()), language, source_language)
        )
        gaps.extend(
            _gap("item", item.code, item.kind, list(item.translations.all()), language, source_language)
            for item in module.items.all()
        )
    return gaps
