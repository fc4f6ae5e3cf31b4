import pytest
from django.urls import reverse
from django.utils import translation as django_translation

from deonto.knowledge.models import Article, ArticleTranslation

pytestmark = pytest.mark.django_db

INDEX = "/guidance/"


def get(client, path, language, **kwargs):
    client.cookies["deonto_language"] = language
    return client.get(path, **kwargs)


@pytest.fixture(params=["anonymous", "employee"])
def reader(request, client, guidance):
    if request.param == "employee":
        client.force_login(request.getfixturevalue("employee"))
    return client


def test_the_guidance_urls_are_stable():
    assert reverse("knowledge:index") == INDEX
    assert reverse("knowledge:detail", kwargs={"code": "discretion"}) == "/guidance/discretion/"


@pytest.mark.parametrize(
    ("language", "article_title"),
    [("nl", "Discretie en beroepsgeheim"), ("fr", "Discrétion et secret professionnel")],
)
def test_the_index_lists_articles_tips_and_faq_in_the_readers_language(reader, language, article_title):
    response = get(reader, INDEX, language)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert article_title in html
    assert 'id="section-tip"' in html and 'id="section-faq"' in html
    assert 'for="guidance-search"' in html


@pytest.mark.parametrize(
    ("language", "title"),
    [("nl", "Discretie en beroepsgeheim"), ("fr", "Discrétion et secret professionnel")],
)
def test_the_detail_page_shows_the_article_in_the_readers_language(reader, language, title):
    response = get(reader, "/guidance/discretion/", language)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert f">{title}</h1>" in html
    assert f'<article class="guidance-article" lang="{language}"' in html
    assert "<h2>" in html
    assert 'href="/guidance/personal-data/"' in html


def test_the_detail_page_says_when_it_falls_back_to_the_source_language(client, guidance):
    ArticleTranslation.objects.filter(article__code="discretion", language="fr").delete()
    html = get(client, "/guidance/discretion/", "fr").content.decode()
    assert '<article class="guidance-article" lang="nl"' in html
    assert 'class="notice" lang="fr"' in html
    assert "Discretie en beroepsgeheim" in html


def test_the_detail_page_of_an_unknown_code_is_not_found(client, guidance):
    assert get(client, "/guidance/no-such-article/", "nl").status_code == 404


def test_the_detail_page_of_an_unpublished_article_is_not_found(client, guidance):
    Article.objects.filter(code="discretion").update(is_published=False)
    assert get(client, "/guidance/discretion/", "nl").status_code == 404


def test_a_search_without_javascript_renders_the_whole_page_with_results(client, guidance):
    response = get(client, INDEX, "fr", data={"q": "securite"})
    html = response.content.decode()
    assert "<h1" in html
    assert 'id="search-results-heading"' in html
    assert "<mark>" in html
    assert 'value="securite"' in html


def test_an_htmx_search_returns_only_the_results_partial(client, guidance):
    response = get(client, INDEX, "fr", data={"q": "securite"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<h1" not in html and "<html" not in html
    assert 'id="search-results-heading"' in html
    assert 'hx-swap-oob="innerHTML"' in html
    assert "HX-Request" in response.headers["Vary"]


def test_an_htmx_history_restore_gets_the_whole_page(client, guidance):
    headers = {"HX-Request": "true", "HX-History-Restore-Request": "true"}
    html = get(client, INDEX, "nl", data={"q": "uniform"}, headers=headers).content.decode()
    assert "<h1" in html


def test_a_search_that_finds_nothing_says_so(client, guidance):
    with django_translation.override("en"):
        html = get(client, INDEX, "en", data={"q": "zzzqqq"}).content.decode()
    assert "Nothing found for" in html


def test_the_index_page_makes_one_query_however_much_guidance_there_is(
    client, guidance, django_assert_num_queries
):
    client.cookies["deonto_language"] = "nl"
    with django_assert_num_queries(1):
        assert client.get(INDEX).status_code == 200
    with django_assert_num_queries(2):
        assert client.get(INDEX, {"q": "uniform"}).status_code == 200


def test_the_pages_carry_no_inline_script_or_style(client, guidance):
    for path in (INDEX, "/guidance/discretion/", f"{INDEX}?q=uniform"):
        html = get(client, path, "nl").content.decode()
        assert "style=" not in html
        assert "<script>" not in html
