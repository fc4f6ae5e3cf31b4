import pytest

from deonto.accounts.models import User
from deonto.knowledge.models import Article, ArticleTranslation

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(User.objects.create_superuser(username="root", password="a long enough password"))
    return client


def change_form_data(article, titles):
    data = {
        "code": article.code,
        "kind": article.kind,
        "source_language": article.source_language,
        "position": article.position,
        "is_published": "on",
        "related": [str(pk) for pk in article.related.values_list("pk", flat=True)],
        "translations-TOTAL_FORMS": "3",
        "translations-INITIAL_FORMS": "3",
        "translations-MIN_NUM_FORMS": "0",
        "translations-MAX_NUM_FORMS": "1000",
    }
    for index, translation in enumerate(article.translations.order_by("language")):
        prefix = f"translations-{index}-"
        data |= {
            f"{prefix}id": str(translation.pk),
            f"{prefix}article": str(article.pk),
            f"{prefix}language": translation.language,
            f"{prefix}status": translation.status,
            f"{prefix}title": titles.get(translation.language, translation.title),
            f"{prefix}summary": translation.summary,
            f"{prefix}body": translation.body,
        }
    return data


def test_the_admin_lists_and_shows_guidance_articles(admin_client, guidance):
    article = Article.objects.get(code="discretion")
    assert admin_client.get("/admin/knowledge/article/").status_code == 200
    assert admin_client.get(f"/admin/knowledge/article/{article.pk}/change/").status_code == 200


def test_editing_the_dutch_text_in_the_admin_marks_the_other_languages_outdated(admin_client, guidance):
    article = Article.objects.get(code="discretion")
    data = change_form_data(article, {"nl": "Discretie en het beroepsgeheim"})

    response = admin_client.post(f"/admin/knowledge/article/{article.pk}/change/", data)

    assert response.status_code == 302
    statuses = dict(ArticleTranslation.objects.filter(article=article).values_list("language", "status"))
    assert statuses == {"nl": "reviewed", "fr": "outdated", "en": "outdated"}
    assert ArticleTranslation.objects.get(article=article, language="nl").search_text.startswith(
        "discretie en het beroepsgeheim"
    )
