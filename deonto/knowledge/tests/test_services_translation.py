import pytest

from deonto.core.models import AuditEntry
from deonto.knowledge.models import ArticleTranslation, TranslationStatus
from deonto.knowledge.services import translation_save

pytestmark = pytest.mark.django_db


def translation(code, language):
    return ArticleTranslation.objects.select_related("article").get(article__code=code, language=language)


def statuses(code):
    return dict(ArticleTranslation.objects.filter(article__code=code).values_list("language", "status"))


def test_saving_a_changed_source_text_marks_the_other_languages_outdated(guidance, employee):
    source = translation("political-neutrality", "nl")
    source.body += "\n\nEen extra alinea."
    translation_save(translation=source, actor=employee)

    assert statuses("political-neutrality") == {"nl": "reviewed", "fr": "outdated", "en": "outdated"}
    assert set(
        ArticleTranslation.objects.exclude(article__code="political-neutrality").values_list(
            "status", flat=True
        )
    ) == {TranslationStatus.REVIEWED}


def test_saving_an_unchanged_source_text_keeps_the_translations_reviewed(guidance, employee):
    translation_save(translation=translation("political-neutrality", "nl"), actor=employee)
    assert set(statuses("political-neutrality").values()) == {"reviewed"}


def test_saving_a_translation_as_reviewed_ties_it_to_the_current_source(guidance, employee):
    source = translation("political-neutrality", "nl")
    source.summary = "Een nieuwe samenvatting."
    translation_save(translation=source, actor=employee)
    french = translation("political-neutrality", "fr")
    french.summary = "Un nouveau résumé."
    french.status = TranslationStatus.REVIEWED

    translation_save(translation=french, actor=employee)

    french.refresh_from_db()
    assert french.source_fingerprint == translation("political-neutrality", "nl").fingerprint
    assert statuses("political-neutrality") == {"nl": "reviewed", "fr": "reviewed", "en": "outdated"}


def test_saving_a_translation_refreshes_its_search_text_and_writes_the_audit_log(guidance, employee):
    english = translation("political-neutrality", "en")
    english.title = "Political neutrality at Customs"

    translation_save(translation=english, actor=employee)

    english.refresh_from_db()
    assert english.search_text.startswith("political neutrality at customs")
    entry = AuditEntry.objects.get(action="knowledge.translation_saved")
    assert entry.actor == employee
    assert entry.details["language"] == "en"
