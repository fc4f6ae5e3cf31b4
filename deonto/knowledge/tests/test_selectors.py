import pytest
from django.utils import translation as django_translation

from deonto.knowledge.models import Article, ArticleKind, ArticleTranslation, TranslationStatus
from deonto.knowledge.selectors import article_for, articles_by_kind, articles_featured, search

pytestmark = pytest.mark.django_db


def codes(results):
    return [result.translation.article.code for result in results]


def test_search_ignores_accents_and_capitals(guidance):
    results = search(query="SECURITE", language="fr")
    assert "account-security" in codes(results)
    assert all(result.translation.language == "fr" for result in results)


def test_search_finds_accented_words_when_typed_with_accents(guidance):
    assert codes(search(query="sécurité", language="fr")) == codes(search(query="securite", language="fr"))


def test_search_looks_in_the_requested_language_only(guidance):
    assert search(query="beroepsgeheim", language="fr") == []
    assert "discretion" in codes(search(query="beroepsgeheim", language="nl"))


def test_search_requires_every_word(guidance):
    both = set(codes(search(query="uniform wapen", language="nl")))
    assert both
    assert both <= set(codes(search(query="uniform", language="nl")))
    assert search(query="uniform zzzqqq", language="nl") == []


def test_search_ranks_title_hits_before_body_hits(guidance):
    results = codes(search(query="uniform", language="en"))
    title_hits = [
        code
        for code in results
        if "uniform" in ArticleTranslation.objects.get(article__code=code, language="en").title.lower()
    ]
    assert len(results) > len(title_hits) >= 1
    assert results[: len(title_hits)] == title_hits


def test_search_highlights_the_words_found(guidance):
    result = search(query="securite", language="fr")[0]
    assert "<mark>" in result.title_html or "<mark>" in result.snippet_html


def test_search_without_usable_words_finds_nothing(guidance):
    assert search(query=" a ! ", language="nl") == []


def test_search_skips_unpublished_articles(guidance):
    Article.objects.filter(code="discretion").update(is_published=False)
    assert "discretion" not in codes(search(query="beroepsgeheim", language="nl"))


def test_article_for_returns_the_requested_language_without_fallback(guidance):
    item = article_for(code="discretion", language="fr")
    assert item.translation.language == "fr"
    assert not item.is_fallback


def test_article_for_falls_back_to_the_source_language_and_says_so(guidance):
    ArticleTranslation.objects.filter(article__code="discretion", language="fr").delete()
    item = article_for(code="discretion", language="fr")
    assert item.translation.language == "nl"
    assert item.is_fallback


def test_a_draft_translation_is_not_shown_and_the_source_is_shown_instead(guidance):
    ArticleTranslation.objects.filter(article__code="discretion", language="fr").update(
        status=TranslationStatus.DRAFT
    )
    assert article_for(code="discretion", language="fr").is_fallback


def test_article_for_an_unknown_or_unpublished_code_is_none(guidance):
    Article.objects.filter(code="discretion").update(is_published=False)
    assert article_for(code="discretion", language="nl") is None
    assert article_for(code="no-such-article", language="nl") is None


def test_articles_by_kind_groups_every_published_article_in_reading_order(guidance):
    grouped = articles_by_kind("en")
    assert list(grouped) == [ArticleKind.ARTICLE, ArticleKind.TIP, ArticleKind.FAQ]
    assert [item.article.code for item in grouped["article"]][:2] == [
        "private-public-online",
        "screenshots-resharing",
    ]
    assert {item.translation.language for items in grouped.values() for item in items} == {"en"}


def test_featured_tips_follow_the_active_language_and_fall_back_to_dutch(guidance):
    ArticleTranslation.objects.filter(article__kind="tip", language="fr").delete()
    with django_translation.override("fr"):
        featured = articles_featured(limit=3)
    assert len(featured) == 3
    assert {item.language for item in featured} == {"nl"}
    assert {item.article.kind for item in featured} == {"tip"}
    with django_translation.override("en"):
        assert {item.language for item in articles_featured(limit=3)} == {"en"}
