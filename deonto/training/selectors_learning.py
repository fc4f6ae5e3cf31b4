"""Reads for the self-paced e-learning: the courses a learner may take, the player's items in
reading order and their texts in the learner's course language, the final quiz, and certificates.

A learner reads a course in one language (``Attempt.language``). An item whose text is missing or
still a draft in that language is shown in the course's source language, and the page marks it
with a ``lang`` attribute.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet

from deonto.accounts.models import User
from deonto.knowledge.selectors import LocalisedArticle, article_for
from deonto.training.models import (
    QUESTION_KINDS,
    Attempt,
    Certificate,
    Course,
    CourseTranslation,
    Item,
    ItemKind,
    ItemResponse,
    ItemTranslation,
    ModuleTranslation,
    TranslationStatus,
)

COURSE_LANGUAGES = ("nl", "fr", "en")
PLAYER_KINDS = (ItemKind.LESSON, ItemKind.CASE)
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_GROUP = 4


@dataclass(frozen=True)
class Text:
    """The texts of a course, module or item in the language it is shown in."""

    content: dict[str, Any]
    language: str


@dataclass(frozen=True)
class PlayerItem:
    item: Item
    text: Text
    module_title: Text


@dataclass(frozen=True)
class CourseEntry:
    """A course on the learner's list, with where the learner stands in it."""

    course: Course
    text: Text
    attempt: Attempt | None


def _choose(translations: list[Any], language: str, source_language: str) -> Any:
    """The translation to show: the one in ``language`` unless it is a draft, else the source."""
    by_language = {t.language: t for t in translations}
    wanted = by_language.get(language)
    if wanted is not None and (wanted.status != TranslationStatus.DRAFT or language == source_language):
        return wanted
    return by_language.get(source_language) or next(iter(by_language.values()), None)


def _text(translations: list[Any], language: str, source_language: str) -> Text:
    chosen = _choose(translations, language, source_language)
    if chosen is None:
        return Text(content={}, language=source_language)
    return Text(content=dict(chosen.content), language=chosen.language)


def course_languages(*, course: Course) -> list[str]:
    """The languages a learner may read the course in: the source language and every language
    whose course text is reviewed against the current source."""
    translations = list(course.translations.all())
    source = next((t for t in translations if t.language == course.source_language), None)
    languages = []
    for translation in translations:
        is_current = translation.language == course.source_language or (
            translation.status == TranslationStatus.REVIEWED
            and source is not None
            and translation.source_fingerprint == source.fingerprint
        )
        if is_current and translation.language in COURSE_LANGUAGES:
            languages.append(translation.language)
    return sorted(languages, key=COURSE_LANGUAGES.index)


def course_language_for(*, course: Course, interface_language: str) -> str:
    """The learner's interface language when the course has a current translation in it, else the
    course's source language."""
    if interface_language in course_languages(course=course):
        return interface_language
    return course.source_language


def course_text(*, course: Course, language: str) -> Text:
    return _text(list(course.translations.all()), language, course.source_language)


def courses_available(*, viewer: User, interface_language: str) -> list[CourseEntry]:
    """Published courses, each with the viewer's latest attempt (or None)."""
    courses = Course.objects.filter(is_published=True).prefetch_related(
        "translations",
        Prefetch(
            "attempts", queryset=Attempt.objects.filter(user=viewer).order_by("-created_at"), to_attr="mine"
        ),
    )
    entries = []
    for course in courses:
        attempt = course.mine[0] if course.mine else None
        language = attempt.language if attempt else interface_language
        entries.append(
            CourseEntry(course=course, text=course_text(course=course, language=language), attempt=attempt)
        )
    return entries


def course_published(*, code: str) -> Course | None:
    return Course.objects.filter(code=code, is_published=True).prefetch_related("translations").first()


def attempt_current(*, viewer: User, course: Course) -> Attempt | None:
    """The viewer's latest attempt at the course: the one the player continues."""
    return Attempt.objects.filter(user=viewer, course=course).order_by("-created_at").first()


def _items(course: Course, kinds: tuple[str, ...] | frozenset[str], quiz: bool | None) -> QuerySet[Item]:
    items = Item.objects.filter(course=course, kind__in=kinds).select_related("module")
    if quiz is not None:
        items = items.filter(quiz=quiz)
    return items.order_by("module__position", "position").prefetch_related(
        Prefetch("translations", queryset=ItemTranslation.objects.order_by("language")),
        Prefetch("module__translations", queryset=ModuleTranslation.objects.order_by("language")),
    )


def player_items(*, course: Course, language: str) -> list[PlayerItem]:
    """The lessons and cases of every module, in reading order, with their texts."""
    source = course.source_language
    return [
        PlayerItem(
            item=item,
            text=_text(list(item.translations.all()), language, source),
            module_title=_text(list(item.module.translations.all()), language, source),
        )
        for item in _items(course, PLAYER_KINDS, None)
    ]


def player_item_count(*, course: Course) -> int:
    return Item.objects.filter(course=course, kind__in=PLAYER_KINDS).count()


def quiz_items(*, course: Course, language: str) -> list[PlayerItem]:
    """The questions of the final quiz, in reading order, with their texts."""
    source = course.source_language
    return [
        PlayerItem(
            item=item,
            text=_text(list(item.translations.all()), language, source),
            module_title=_text(list(item.module.translations.all()), language, source),
        )
        for item in _items(course, QUESTION_KINDS, True)
    ]


def modules_for(*, course: Course, language: str) -> list[Text]:
    modules = course.modules.order_by("position").prefetch_related("translations")
    return [_text(list(module.translations.all()), language, course.source_language) for module in modules]


def responses_for(*, attempt: Attempt, quiz_round: int) -> dict[int, ItemResponse]:
    """The attempt's answers of one round, by item id (round 0: the cases in the modules)."""
    responses = ItemResponse.objects.filter(attempt=attempt, quiz_round=quiz_round)
    return {response.item_id: response for response in responses}


def articles_for(*, item: Item, language: str) -> list[LocalisedArticle]:
    """The guidance articles an item links to, in the learner's language where there is one."""
    found = (article_for(code=code, language=language) for code in item.articles)
    return [article for article in found if article is not None]


def code_normalise(raw: str) -> str:
    """A code as stored (``K7QH-3MZP-X9TD``), from what someone typed: any case, spaces, dashes."""
    characters = "".join(char for char in raw.upper() if char.isalnum())
    groups = [characters[i : i + CODE_GROUP] for i in range(0, len(characters), CODE_GROUP)]
    return "-".join(groups)


def certificate_lookup(*, code: str) -> Certificate | None:
    """The certificate with this code, as anyone may check it; None when there is none."""
    normalised = code_normalise(code)
    if not normalised:
        return None
    return Certificate.objects.filter(code=normalised).select_related("completion").first()


def certificate_of(*, viewer: User, code: str) -> Certificate | None:
    """The viewer's own certificate with this code; someone else's looks as if it did not exist."""
    return (
        Certificate.objects.filter(code=code_normalise(code), completion__user=viewer)
        .select_related("completion__course")
        .first()
    )


def certificate_for_attempt(*, attempt: Attempt) -> Certificate | None:
    return Certificate.objects.filter(completion__attempt=attempt).first()


def course_title(*, course: Course, language: str) -> str:
    return course_titles(courses=[course], language=language)[course.pk]


def course_titles(*, courses: Iterable[Course], language: str) -> dict[int, str]:
    """The title of each of ``courses`` in ``language`` where that text may be shown, else in its source
    language, else its code; keyed by the course's id, in one query."""
    chosen = {course.pk: course for course in courses}
    translations: dict[int, list[CourseTranslation]] = {pk: [] for pk in chosen}
    for translation in CourseTranslation.objects.filter(course_id__in=chosen):
        translations[translation.course_id].append(translation)
    return {
        pk: str(_text(translations[pk], language, course.source_language).content.get("title", course.code))
        for pk, course in chosen.items()
    }


@dataclass(frozen=True)
class ReviewedAnswer:
    """One question of a handed-in round: what was asked, answered and expected, and the feedback."""

    number: int
    entry: PlayerItem
    response: ItemResponse | None
    given: list[str]
    expected: list[str]
    feedback: list[str]

    @property
    def is_correct(self) -> bool:
        return bool(self.response and self.response.is_correct)


def _choice_text(text: dict[str, Any], key: str) -> str:
    return str(text.get("choices", {}).get(key, {}).get("text", key))


def _review(number: int, entry: PlayerItem, response: ItemResponse | None) -> ReviewedAnswer:
    item, text = entry.item, entry.text.content
    answer: dict[str, Any] = dict(response.response) if response else {}
    given: list[str] = []
    expected: list[str] = []
    feedback: list[str] = []
    if item.kind in (ItemKind.SINGLE, ItemKind.TRUEFALSE, ItemKind.MULTIPLE):
        chosen = [answer["choice"]] if "choice" in answer else list(answer.get("choices") or [])
        given = [_choice_text(text, str(key)) for key in chosen]
        expected = [
            _choice_text(text, str(choice["key"]))
            for choice in item.structure.get("choices", [])
            if choice.get("correct")
        ]
        feedback = [
            str(text["choices"][key]["feedback"])
            for key in chosen
            if key in text.get("choices", {}) and text["choices"][key].get("feedback")
        ]
    elif item.kind == ItemKind.SHORT:
        given = [str(answer["text"])] if answer.get("text") else []
        expected = list(text.get("answers", []))[:1]
    elif item.kind == ItemKind.MATCHING:
        pairs = text.get("pairs", {})
        for key, chosen_key in (answer.get("pairs") or {}).items():
            if key in pairs and chosen_key in pairs:
                given.append(f"{pairs[key]['left']} → {pairs[chosen_key]['right']}")
        expected = [f"{pair['left']} → {pair['right']}" for pair in pairs.values()]
    if text.get("feedback"):
        feedback.append(str(text["feedback"]))
    return ReviewedAnswer(number, entry, response, given, expected, feedback)


def quiz_review(*, attempt: Attempt, quiz_round: int) -> list[ReviewedAnswer]:
    """The questions of a handed-in round with the learner's answers, for the results page."""
    responses = responses_for(attempt=attempt, quiz_round=quiz_round)
    entries = quiz_items(course=attempt.course, language=attempt.language)
    return [_review(number, entry, responses.get(entry.item.pk)) for number, entry in enumerate(entries, 1)]
