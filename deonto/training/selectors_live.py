"""Reads of a live classroom run: what the presenter screen and the participants' phones show.

Everything is read from the database on every request, so a reload on either side shows the same
state. Each state carries a ``signature`` of what it shows; the pages poll with the signature they
last showed and get "nothing new" (HTTP 204) until it changes, so 40 phones polling every two
seconds mostly cost two small queries each.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils.safestring import SafeString

from deonto.accounts.models import User
from deonto.knowledge.selectors import LocalisedArticle, article_for
from deonto.knowledge.text import render_markdown
from deonto.training.models import (
    Course,
    Item,
    ItemKind,
    ItemTranslation,
    LivePhase,
    LiveRun,
    LiveVote,
    Module,
    ModuleTranslation,
)
from deonto.training.permissions import can_control_run, can_run_live
from deonto.training.services_live import (
    JOIN_CODE_ALPHABET,
    JOIN_CODE_LENGTH,
    LIVE_CASE_KINDS,
    LIVE_QUESTION_KINDS,
    participant_hash,
)

# The bar chart's drawing, in SVG user units.
CHART_WIDTH = 640
CHART_LABEL_WIDTH = 48
CHART_COUNT_WIDTH = 110
CHART_ROW = 56
CHART_BAR = 36


@dataclass(frozen=True)
class LiveChoice:
    key: str
    letter: str
    text: str
    feedback: str
    is_marked: bool  # the correct answer of a question, the recommended reaction of a case
    count: int = 0
    percent: int = 0
    is_own: bool = False


@dataclass(frozen=True)
class ChartBar:
    letter: str
    count: int
    percent: int
    y: int
    text_y: int
    width: int
    count_x: int


@dataclass(frozen=True)
class LiveItem:
    item: Item
    language: str
    title: str
    situation_html: SafeString | None
    image_url: str
    image_alt: str
    prompt: str
    choices: list[LiveChoice]
    feedback: str
    discussion: list[str]
    articles: list[LocalisedArticle] = field(default_factory=list)

    @property
    def is_case(self) -> bool:
        return self.item.kind == ItemKind.CASE

    @property
    def allows_several(self) -> bool:
        return self.item.kind == ItemKind.MULTIPLE

    @property
    def own_letters(self) -> str:
        return ", ".join(choice.letter for choice in self.choices if choice.is_own)


@dataclass(frozen=True)
class LiveState:
    run: LiveRun
    item: LiveItem
    number: int
    total: int
    participants: int
    votes: int
    own_choices: list[str]
    bars: list[ChartBar]
    chart_height: int
    signature: str

    @property
    def phase(self) -> str:
        return self.run.phase

    @property
    def shows_results(self) -> bool:
        return self.run.phase in (LivePhase.RESULTS, LivePhase.FEEDBACK)

    @property
    def is_first(self) -> bool:
        return self.number == 1

    @property
    def is_last(self) -> bool:
        return self.number == self.total


def _letter(index: int) -> str:
    return chr(ord("A") + index)


def _translated(translations: list[Any], language: str, source_language: str) -> Any:
    by_language = {t.language: t for t in translations}
    return by_language.get(language) or by_language.get(source_language)


def course_title(*, course: Course, language: str) -> str:
    translation = _translated(list(course.translations.all()), language, course.source_language)
    return str(translation.title) if translation else course.code


def courses_for_live(*, viewer: User, language: str) -> list[tuple[Course, str]]:
    """The courses an instructor may run, with their title in ``language``."""
    if not can_run_live(viewer):
        raise PermissionDenied
    courses = Course.objects.prefetch_related("translations").order_by("code")
    return [(course, course_title(course=course, language=language)) for course in courses]


def modules_for_live(*, viewer: User, language: str) -> list[tuple[Module, str]]:
    """Every module that holds cases or questions, labelled "course: position. title"."""
    if not can_run_live(viewer):
        raise PermissionDenied
    modules = (
        Module.objects.filter(items__kind__in=LIVE_CASE_KINDS | LIVE_QUESTION_KINDS)
        .distinct()
        .select_related("course")
        .prefetch_related("translations", "course__translations")
        .order_by("course__code", "position")
    )
    labelled = []
    for module in modules:
        translation: ModuleTranslation | None = _translated(
            list(module.translations.all()), language, module.course.source_language
        )
        title = translation.title if translation else module.code
        course = course_title(course=module.course, language=language)
        labelled.append((module, f"{course}: {module.position}. {title}"))
    return labelled


def live_runs_running(*, viewer: User) -> list[LiveRun]:
    """The viewer's own runs that have not ended, to take up again after closing the screen."""
    if not can_run_live(viewer):
        raise PermissionDenied
    return list(
        LiveRun.objects.filter(instructor=viewer)
        .exclude(phase=LivePhase.ENDED)
        .select_related("course")
        .prefetch_related("course__translations")
        .order_by("-created_at")
    )


def live_run_for(*, viewer: User, run_id: int) -> LiveRun:
    """The run for its instructor's screen; anyone else is refused."""
    run = LiveRun.objects.select_related("course").filter(pk=run_id).first()
    if run is None:
        raise Http404
    if not can_control_run(viewer, run):
        raise PermissionDenied
    return run


def join_code_normalise(raw: str) -> str:
    return "".join(raw.split()).upper()[:JOIN_CODE_LENGTH]


def join_code_is_wellformed(code: str) -> bool:
    return len(code) == JOIN_CODE_LENGTH and all(char in JOIN_CODE_ALPHABET for char in code)


def live_run_by_code(*, code: str) -> LiveRun | None:
    """The running run with this join code, else the latest ended one (to say it has ended)."""
    code = join_code_normalise(code)
    if not join_code_is_wellformed(code):
        return None
    runs = LiveRun.objects.filter(join_code=code).select_related("course")
    running = runs.exclude(phase=LivePhase.ENDED).first()
    return running or runs.order_by("-ended_at").first()


def _live_item(
    item: Item, language: str, source_language: str, counts: dict[str, int], own: list[str]
) -> LiveItem:
    translation: ItemTranslation | None = _translated(
        list(item.translations.all()), language, source_language
    )
    content: dict[str, Any] = dict(translation.content) if translation else {}
    texts: dict[str, Any] = content.get("choices") or {}
    total = sum(counts.values())
    choices = []
    for index, choice in enumerate(item.structure.get("choices", [])):
        key = str(choice["key"])
        text = texts.get(key) or {}
        count = counts.get(key, 0)
        choices.append(
            LiveChoice(
                key=key,
                letter=_letter(index),
                text=str(text.get("text", key)),
                feedback=str(text.get("feedback", "")),
                is_marked=bool(choice.get("recommended") or choice.get("correct")),
                count=count,
                percent=round(100 * count / total) if total else 0,
                is_own=key in own,
            )
        )
    situation = content.get("situation")
    return LiveItem(
        item=item,
        language=translation.language if translation else language,
        title=str(content.get("title", "")),
        situation_html=render_markdown(str(situation)) if situation else None,
        image_url=reverse("training:item_image", args=[item.pk]) if item.image else "",
        image_alt=str(content.get("image_alt", "")),
        prompt=str(content.get("prompt", "")),
        choices=choices,
        feedback=str(content.get("feedback", "")),
        discussion=[str(point) for point in content.get("discussion", [])],
    )


def _chart(choices: list[LiveChoice]) -> tuple[list[ChartBar], int]:
    most = max((choice.count for choice in choices), default=0) or 1
    room = CHART_WIDTH - CHART_LABEL_WIDTH - CHART_COUNT_WIDTH
    bars = []
    for index, choice in enumerate(choices):
        width = round(room * choice.count / most)
        y = index * CHART_ROW + (CHART_ROW - CHART_BAR) // 2
        bars.append(
            ChartBar(
                letter=choice.letter,
                count=choice.count,
                percent=choice.percent,
                y=y,
                text_y=y + CHART_BAR // 2 + 8,
                width=width,
                count_x=CHART_LABEL_WIDTH + width + 10,
            )
        )
    return bars, len(choices) * CHART_ROW


def _signature(*parts: Any) -> str:
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()[:16]


def _current_item_id(run: LiveRun) -> int:
    return int(run.items[run.current_index])


def _figures(run: LiveRun, item_id: int) -> tuple[int, int]:
    """(participants of the run, votes on the item): participants are those who voted at least once."""
    participants = LiveVote.objects.filter(run=run).values("participant").distinct().count()
    votes = LiveVote.objects.filter(run=run, item_id=item_id).count()
    return participants, votes


def screen_signature(*, run: LiveRun) -> str:
    participants, votes = _figures(run, _current_item_id(run))
    return _signature(run.phase, run.current_index, participants, votes)


def participant_signature(*, run: LiveRun, token: str) -> str:
    return _signature(run.phase, run.current_index, _own_choices(run, _current_item_id(run), token))


def _own_choices(run: LiveRun, item_id: int, token: str) -> list[str]:
    if not token:
        return []
    choices = (
        LiveVote.objects.filter(run=run, item_id=item_id, participant=participant_hash(token))
        .values_list("choices", flat=True)
        .first()
    )
    return [str(choice) for choice in choices or []]


def _state(run: LiveRun, *, token: str | None, with_articles: bool) -> LiveState:
    item_id = _current_item_id(run)
    item = Item.objects.prefetch_related("translations").get(pk=item_id)
    participants, votes = _figures(run, item_id)
    own = _own_choices(run, item_id, token or "")
    shows_results = run.phase in (LivePhase.RESULTS, LivePhase.FEEDBACK)
    counts = vote_counts(run=run, item_id=item_id) if shows_results else {}
    live_item = _live_item(item, run.language, run.course.source_language, counts, own)
    if with_articles and run.phase == LivePhase.FEEDBACK:
        articles = [article_for(code=code, language=run.language) for code in item.articles]
        live_item.articles.extend(article for article in articles if article is not None)
    bars, height = _chart(live_item.choices)
    signature = (
        _signature(run.phase, run.current_index, participants, votes)
        if token is None
        else _signature(run.phase, run.current_index, own)
    )
    return LiveState(
        run=run,
        item=live_item,
        number=run.current_index + 1,
        total=len(run.items),
        participants=participants,
        votes=votes,
        own_choices=own,
        bars=bars,
        chart_height=height,
        signature=signature,
    )


def screen_state(*, viewer: User, run: LiveRun) -> LiveState:
    """What the presenter screen shows now."""
    if not can_control_run(viewer, run):
        raise PermissionDenied
    return _state(run, token=None, with_articles=True)


def participant_state(*, run: LiveRun, token: str) -> LiveState:
    """What a participant's phone shows now, with their own answer to the item on screen."""
    return _state(run, token=token, with_articles=True)


def vote_counts(*, run: LiveRun, item_id: int) -> dict[str, int]:
    """How many participants chose each answer of an item (a participant may choose several)."""
    counts: dict[str, int] = {}
    for choices in LiveVote.objects.filter(run=run, item_id=item_id).values_list("choices", flat=True):
        for key in choices:
            counts[key] = counts.get(key, 0) + 1
    return counts
