"""Reads of guidance content, in the reader's language."""

from __future__ import annotations

from django.db.models import QuerySet

from deonto.knowledge.models import ArticleTranslation


def articles_featured(*, limit: int = 4) -> QuerySet[ArticleTranslation]:
    from django.utils.translation import get_language

    language = (get_language() or "nl")[:2]
    return (
        ArticleTranslation.objects.filter(article__is_published=True, language=language, article__kind="tip")
        .select_related("article")
        .order_by("article__position")[:limit]
    )
