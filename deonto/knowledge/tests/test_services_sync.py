import pytest
from django.core.management import call_command

from deonto.core.models import AuditEntry
from deonto.knowledge.models import Article, ArticleTranslation, TranslationStatus
from deonto.knowledge.services import guidance_sync, translation_save
from deonto.knowledge.shipped import shipped_articles

pytestmark = pytest.mark.django_db


def statuses(code):
    return dict(ArticleTranslation.objects.filter(article__code=code).values_list("language", "status"))


def test_sync_creates_every_shipped_article_with_reviewed_translations(guidance):
    assert len(guidance.created) == len(shipped_articles())
    assert not guidance.updated
    assert ArticleTranslation.objects.count() == 3 * Article.objects.count()
    assert set(ArticleTranslation.objects.values_list("status", flat=True)) == {TranslationStatus.REVIEWED}


def test_sync_twice_changes_nothing(guidance):
    before = list(ArticleTranslation.objects.order_by("pk").values())
    audit_entries = AuditEntry.objects.count()
    report = guidance_sync()
    assert report.created == [] and report.updated == []
    assert len(report.unchanged) == len(shipped_articles())
    assert list(ArticleTranslation.objects.order_by("pk").values()) == before
    assert AuditEntry.objects.count() == audit_entries


def test_sync_stamps_every_translation_with_the_fingerprint_of_the_dutch_text(guidance):
    for article in Article.objects.prefetch_related("translations"):
        source = next(t for t in article.translations.all() if t.language == "nl")
        assert {t.source_fingerprint for t in article.translations.all()} == {source.fingerprint}


def test_sync_stores_lowercase_accent_free_search_text(guidance):
    translation = ArticleTranslation.objects.get(article__code="account-security", language="fr")
    assert "securite de vos comptes" in translation.search_text
    assert "**" not in translation.search_text
    assert translation.search_text == translation.search_text.lower()


def test_sync_links_related_articles_both_ways(guidance):
    discretion = Article.objects.get(code="discretion")
    assert "personal-data" in set(discretion.related.values_list("code", flat=True))
    assert "discretion" in set(
        Article.objects.get(code="personal-data").related.values_list("code", flat=True)
    )


def test_changing_a_source_text_marks_only_that_articles_other_translations_outdated(guidance, content_dir):
    path = content_dir / "articles" / "discretion.yaml"
    path.write_text(path.read_text().replace("Discretie en beroepsgeheim", "Discretie en het beroepsgeheim"))

    report = guidance_sync(directory=content_dir)

    assert report.updated == ["discretion"]
    assert statuses("discretion") == {"nl": "reviewed", "fr": "outdated", "en": "outdated"}
    assert set(
        ArticleTranslation.objects.exclude(article__code="discretion").values_list("status", flat=True)
    ) == {TranslationStatus.REVIEWED}


def test_a_translation_shipped_with_the_new_source_text_stays_reviewed(guidance, content_dir):
    path = content_dir / "articles" / "discretion.yaml"
    text = path.read_text()
    text = text.replace("Discretie en beroepsgeheim", "Discretie en het beroepsgeheim")
    text = text.replace("Discrétion et secret professionnel", "La discrétion et le secret professionnel")
    path.write_text(text)

    guidance_sync(directory=content_dir)

    assert statuses("discretion") == {"nl": "reviewed", "fr": "reviewed", "en": "outdated"}


def test_an_edit_made_in_the_admin_survives_a_later_sync_of_unchanged_files(guidance, employee):
    translation = ArticleTranslation.objects.get(article__code="discretion", language="nl")
    translation.title = "Discretie, beroepsgeheim en jij"
    translation_save(translation=translation, actor=employee)

    report = guidance_sync()

    assert report.updated == []
    translation.refresh_from_db()
    assert translation.title == "Discretie, beroepsgeheim en jij"
    assert statuses("discretion") == {"nl": "reviewed", "fr": "outdated", "en": "outdated"}


def test_a_new_release_of_a_file_replaces_an_earlier_admin_edit(guidance, employee, content_dir):
    translation = ArticleTranslation.objects.get(article__code="discretion", language="nl")
    translation.title = "Discretie, beroepsgeheim en jij"
    translation_save(translation=translation, actor=employee)
    path = content_dir / "articles" / "discretion.yaml"
    path.write_text(path.read_text().replace("Discretie en beroepsgeheim", "Discretie en het beroepsgeheim"))

    guidance_sync(directory=content_dir)

    translation.refresh_from_db()
    assert translation.title == "Discretie en het beroepsgeheim"


def test_sync_leaves_the_published_flag_to_the_administrator(guidance):
    Article.objects.filter(code="sleep-on-it").update(is_published=False)
    guidance_sync()
    assert not Article.objects.get(code="sleep-on-it").is_published


def test_the_sync_command_reports_its_counts(db, capsys):
    call_command("sync_guidance")
    call_command("sync_guidance")
    output = capsys.readouterr().out
    total = len(shipped_articles())
    assert f"Guidance: {total} created, 0 updated, 0 unchanged." in output
    assert f"Guidance: 0 created, 0 updated, {total} unchanged." in output
