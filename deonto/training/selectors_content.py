"""Reads for the content pages: the courses with where their translations stand, and a course's
overview in one language for the people who prepare a class with it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.safestring import SafeString

from deonto.knowledge.selectors import LocalisedArticle, article_for
from deonto.knowledge.text import render_markdown
from deonto.training.bundle import LANGUAGE_ORDER
from deonto.training.models import ContentLanguage, Course, Item, ItemKind, Module
from deonto.training.permissions import can_manage_content, can_read_content
from deonto.training.selectors import GapState, TranslationGap, _gap


def _title(translations: list[Any], language: str, source_language: str) -> str:
    by_language = {t.language: t for t in translations}
    chosen = by_language.get(language) or by_language.get(source_language)
    return chosen.title if chosen is not None else ""


# The content index -------------------------------------------------------------------------------


@dataclass(frozen=True)
class LanguageCounts:
    language: str
    label: str
    is_source: bool
    counts: dict[str, int]

    def count(self, state: str) -> int:
        return self.counts.get(state, 0)

    @property
    def current(self) -> int:
        return self.count(GapState.CURRENT)

    @property
    def outdated(self) -> int:
        return self.count(GapState.OUTDATED)

    @property
    def draft(self) -> int:
        return self.count(GapState.DRAFT)

    @property
    def missing(self) -> int:
        return self.count(GapState.MISSING)

    @property
    def to_do(self) -> int:
        return self.outdated + self.draft + self.missing


@dataclass(frozen=True)
class CourseSummary:
    course: Course
    title: str
    languages: list[LanguageCounts] = field(default_factory=list)
    other_languages: list[tuple[str, str]] = field(default_factory=list)


def _courses_with_content() -> QuerySet[Course]:
    items = Item.objects.order_by("position").prefetch_related("translations")
    modules = Module.objects.order_by("position").prefetch_related(
        "translations", Prefetch("items", queryset=items)
    )
    return Course.objects.order_by("code").prefetch_related(
        "translations", Prefetch("modules", queryset=modules)
    )


def _gaps(course: Course, language: str) -> list[TranslationGap]:
    """``translation_gaps`` on content already loaded (the same states, without a query per course)."""
    source = course.source_language
    gaps = [_gap("course", course.code, "course", list(course.translations.all()), language, source)]
    for module in course.modules.all():
        gaps.append(_gap("module", module.code, "module", list(module.translations.all()), language, source))
        gaps.extend(
            _gap("item", item.code, item.kind, list(item.translations.all()), language, source)
            for item in module.items.all()
        )
    return gaps


def content_courses_for(*, viewer: Any, language: str) -> list[CourseSummary]:
    """Every course with its title in ``language``; for content managers, per language the course
    carries, how many of its texts are current, outdated, draft or missing."""
    if not can_read_content(viewer):
        return []
    labels = dict(ContentLanguage.choices)
    if not can_manage_content(viewer):
        courses = Course.objects.order_by("code").prefetch_related("translations")
        return [
            CourseSummary(course, _title(list(course.translations.all()), language, course.source_language))
            for course in courses
        ]
    summaries = []
    for course in _courses_with_content():
        carried = {t.language for t in course.translations.all()}
        for module in course.modules.all():
            for item in module.items.all():
                carried.update(t.language for t in item.translations.all())
        carried.add(course.source_language)
        languages = []
        for code in LANGUAGE_ORDER:
            if code not in carried:
                continue
            counts: dict[str, int] = {}
            for gap in _gaps(course, code):
                counts[gap.state] = counts.get(gap.state, 0) + 1
            languages.append(LanguageCounts(code, str(labels[code]), code == course.source_language, counts))
        summaries.append(
            CourseSummary(
                course,
                _title(list(course.translations.all()), language, course.source_language),
                languages,
                [(code, str(labels[code])) for code in LANGUAGE_ORDER if code not in carried],
            )
        )
    return summaries


# The course overview -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ChoiceView:
    key: str
    text: str
    feedback: str
    flagged: bool  # recommended for a case, correct for a question


@dataclass(frozen=True)
class ItemView:
    item: Item
    language: str  # the language of the text shown
    text: dict[str, Any]
    articles: list[LocalisedArticle | str]
    choices: list[ChoiceView]

    @property
    def is_case(self) -> bool:
        return self.item.kind == ItemKind.CASE

    @property
    def heading(self) -> str:
        return str(self.text.get("title") or self.text.get("prompt") or self.item.code)

    @property
    def situation_html(self) -> SafeString:
        return render_markdown(str(self.text.get("situation", "")))

    @property
    def prompt_html(self) -> SafeString:
        return render_markdown(str(self.text.get("prompt", "")))


@dataclass(frozen=True)
class ModuleView:
    module: Module
    title: str
    summary: str
    items: list[ItemView]


@dataclass(frozen=True)
class CourseOverview:
    course: Course
    language: str
    title: str
    description: str
    modules: list[ModuleView]


def _text(translations: list[Any], language: str, source_language: str) -> tuple[str, dict[str, Any]]:
    by_language = {t.language: t for t in translations}
    chosen = by_language.get(language) or by_language.get(source_language)
    if chosen is None:
        return language, {}
    return chosen.language, chosen.content


def course_overview_for(*, viewer: Any, code: str, language: str) -> CourseOverview | None:
    """The course's modules and items in order, with their texts in ``language`` (or in the
    source language where there is no translation yet), linked guidance, recommended or correct
    choices and the discussion points of the cases; None when the course does not exist."""
    if not can_read_content(viewer):
        return None
    course = _courses_with_content().filter(code=code).first()
    if course is None:
        return None
    source = course.source_language
    articles: dict[str, LocalisedArticle | str] = {}
    modules = []
    for module in course.modules.all():
        items = []
        for item in module.items.all():
            text_language, text = _text(list(item.translations.all()), language, source)
            for article_code in item.articles:
                if article_code not in articles:
                    articles[article_code] = article_for(code=article_code, language=language) or article_code
            flag = "recommended" if item.kind == ItemKind.CASE else "correct"
            texts = text.get("choices", {})
            choices = [
                ChoiceView(
                    choice["key"],
                    texts.get(choice["key"], {}).get("text", ""),
                    texts.get(choice["key"], {}).get("feedback", ""),
                    bool(choice.get(flag)),
                )
                for choice in item.structure.get("choices", [])
            ]
            items.append(ItemView(item, text_language, text, [articles[c] for c in item.articles], choices))
        _language, module_text = _text(list(module.translations.all()), language, source)
        modules.append(
            ModuleView(module, module_text.get("title", module.code), module_text.get("summary", ""), items)
        )
    _language, course_text = _text(list(course.translations.all()), language, source)
    return CourseOverview(
        course,
        language,
        course_text.get("title", course.code),
        course_text.get("description", ""),
        modules,
    )
