import re

import pytest

from deonto.knowledge.shipped import ShippedContentError, shipped_articles
from deonto.knowledge.text import plain_text

REQUIRED_CODES = {
    "private-public-online",
    "screenshots-resharing",
    "uniform-weapon-photos",
    "discretion",
    "personal-data",
    "loyalty-criticism",
    "political-neutrality",
    "respect-colleagues",
    "account-security",
    "reporting-breach",
}


def test_the_ten_code_of_conduct_articles_are_shipped():
    articles = {article.code for article in shipped_articles() if article.kind == "article"}
    assert articles == REQUIRED_CODES


def test_at_least_eight_tips_and_eight_faq_entries_are_shipped():
    kinds = [article.kind for article in shipped_articles()]
    assert kinds.count("tip") >= 8
    assert kinds.count("faq") >= 8


def test_every_shipped_text_exists_in_dutch_french_and_english_and_is_not_empty():
    for article in shipped_articles():
        assert article.source_language == "nl"
        for language in ("nl", "fr", "en"):
            text = article.texts[language]
            assert text.title.strip() and text.summary.strip() and text.body.strip(), (article.code, language)


def test_code_of_conduct_articles_are_between_250_and_450_words_per_language():
    for article in shipped_articles():
        if article.kind == "article":
            for language, text in article.texts.items():
                words = len(plain_text(text.body).split())
                assert 250 <= words <= 450, (article.code, language, words)


def test_shipped_bodies_leave_the_page_title_as_the_only_level_one_heading():
    for article in shipped_articles():
        for text in article.texts.values():
            assert not re.search(r"^# ", text.body, re.MULTILINE), article.code


def test_every_code_of_conduct_article_has_related_articles():
    for article in shipped_articles():
        if article.kind == "article":
            assert article.related, article.code


def test_related_links_are_made_both_ways():
    related = {article.code: article.related for article in shipped_articles()}
    for code, others in related.items():
        for other in others:
            assert code in related[other]


def test_a_related_code_that_does_not_exist_is_refused(content_dir):
    path = content_dir / "tips" / "sleep-on-it.yaml"
    path.write_text(path.read_text().replace("related: [", "related: [no-such-article, "))
    with pytest.raises(ShippedContentError, match="no-such-article"):
        shipped_articles(content_dir)


def test_a_file_missing_a_language_is_refused(content_dir):
    path = content_dir / "tips" / "sleep-on-it.yaml"
    text = path.read_text()
    path.write_text(text[: text.index("  en:")])
    with pytest.raises(ShippedContentError, match="missing languages"):
        shipped_articles(content_dir)
