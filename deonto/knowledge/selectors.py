"""Reads of guidance content, in the reader's language.

Guidance is public: anyone may read every published article, so these selectors take the
language rather than the viewer. A language without a usable translation falls back to the
article's source language, and says so (``is_fallback``), so the page can tell the reader.
Draft translations are not shown; outdated ones are, with a note.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import F, Q, QuerySet
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from deonto.knowledge.models import Article, ArticleKind, ArticleTranslation, TranslationStatus
from deonto.knowledge.text import highlight, normalise, plain_text, query_words, snippet

KIND_ORDER = [ArticleKind.ARTICLE, ArticleKind.TIP, ArticleKind.FAQ]


@dataclass(frozen=True)
class LocalisedArticle:
    """An article's text for a reader who asked for ``language``."""

    translation: ArticleTranslation
    language: str

    @property
    def article(self) -> Article:
        return self.translation.article

    @property
    def is_fallback(self) -> bool:
        return self.translation.language != self.language

    @property
    def is_outdated(self) -> bool:
        return self.translation.status == TranslationStatus.OUTDATED


@dataclass(frozen=True)
class SearchResult:
    translation: ArticleTranslation
    title_html: SafeString
    snippet_html: SafeString


def _active_language() -> str:
    return (get_language() or "nl")[:2]


def _readable(language: str) -> Q:
    """Translations a reader of ``language`` may be shown: theirs, unless a draft, or the source."""
    return Q(language=language, status__in=[TranslationStatus.REVIEWED, TranslationStatus.OUTDATED]) | Q(
        language=F("article__source_language")
    )


def _translations_for(articles: QuerySet[Article], language: str) -> QuerySet[ArticleTranslation]:
    return (
        ArticleTranslation.objects.filter(
            _readable(language), article__in=articles, article__is_published=True
        )
        .select_related("article")
        .order_by("article__position", "article__code")
    )


def _localise(translations: Iterable[ArticleTranslation], language: str) -> list[LocalisedArticle]:
    """One text per article, in its order: the reader's language when there is one, else the source."""
    chosen: dict[int, ArticleTranslation] = {}
    for translation in translations:
        current = chosen.get(translation.article_id)
        if current is None or translation.language == language:
            chosen[translation.article_id] = translation
    return [LocalisedArticle(translation=translation, language=language) for translation in chosen.values()]


def articles_featured(*, limit: int = 4) -> list[ArticleTranslation]:
    """Tips for the home page, in the active language (or their source language)."""
    language = _active_language()
    tips = Article.objects.filter(kind=ArticleKind.TIP, is_published=True)
    return [item.translation for item in _localise(_translations_for(tips, language), language)][:limit]


def article_for(*, code: str, language: str) -> LocalisedArticle | None:
    """The published article with this code, or None; other modules link guidance through this."""
    translations = _translations_for(Article.objects.filter(code=code), language)
    localised = _localise(translations, language)
    return localised[0] if localised else None


def articles_related(*, article: Article, language: str) -> list[LocalisedArticle]:
    """The related articles, code-of-conduct articles first, then tips, then FAQ."""
    related = _localise(_translations_for(article.related.all(), language), language)
    return sorted(related, key=lambda item: KIND_ORDER.index(ArticleKind(item.article.kind)))


def articles_by_kind(language: str) -> dict[str, list[LocalisedArticle]]:
    """Every published article, grouped by kind in reading order: articles, tips, FAQ."""
    grouped: dict[str, list[LocalisedArticle]] = {kind.value: [] for kind in KIND_ORDER}
    for item in _localise(_translations_for(Article.objects.all(), language), language):
        grouped[item.article.kind].append(item)
    return grouped


def search(*, query: str, language: str) -> list[SearchResult]:
    """Published texts in ``language`` holding every word of the query, accents and case ignored.

    Texts whose title holds more of the words come first, then those whose summary does, then
    the usual reading order.
    """
    words = query_words(query)
    if not words:
        return []
    condition = Q()
    for word in words:
        condition &= Q(search_text__contains=word)
    translations = ArticleTranslation.objects.filter(
        _readable(language), condition, language=language, article__is_published=True
    ).select_related("article")

    def rank(translation: ArticleTranslation) -> tuple[int, int, int, int, str]:
        title = normalise(translation.title)
        summary = normalise(translation.summary)
        return (
            -sum(word in title for word in words),
            -sum(word in summary for word in words),
            KIND_ORDER.index(ArticleKind(translation.article.kind)),
            translation.article.position,
            translation.article.code,
        )

    return [
        SearchResult(
            translation=translation,
            title_html=highlight(translation.title, words),
            snippet_html=snippet(f"{translation.summary} {plain_text(translation.body)}", words),
        )
        for translation in sorted(translations, key=rank)
    ]
