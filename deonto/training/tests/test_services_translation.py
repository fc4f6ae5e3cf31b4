import pytest

from deonto.core.errors import DomainError
from deonto.core.models import AuditEntry
from deonto.training.models import (
    CourseTranslation,
    ItemTranslation,
    ModuleTranslation,
    TranslationStatus,
    content_fingerprint,
)
from deonto.training.services import (
    course_bundle_load,
    course_translation_save,
    item_translation_save,
    module_translation_save,
)

from .conftest import MINI

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(guidance):
    return course_bundle_load(directory_or_zip=MINI)


def translation(code, language):
    return ItemTranslation.objects.get(item__code=code, language=language)


def statuses(model, **filters):
    return dict(model.objects.filter(**filters).values_list("language", "status"))


def test_the_fingerprint_does_not_depend_on_the_order_of_keys():
    assert content_fingerprint({"a": 1, "b": "é"}) == content_fingerprint({"b": "é", "a": 1})
    assert content_fingerprint({"a": 1}) != content_fingerprint({"a": 2})
    assert len(content_fingerprint({})) == 16


def test_changing_a_source_text_outdates_only_that_items_other_translations(course):
    dutch = translation("basics-q-single", "nl")
    content = {**dutch.content, "prompt": "Mag je een vangst online melden?"}

    item_translation_save(actor=None, translation=dutch, content=content)

    assert statuses(ItemTranslation, item__code="basics-q-single") == {
        "nl": "reviewed",
        "fr": "outdated",
        "en": "outdated",
    }
    assert set(
        ItemTranslation.objects.exclude(item__code="basics-q-single").values_list("status", flat=True)
    ) == {TranslationStatus.REVIEWED}
    assert translation("basics-q-single", "nl").source_fingerprint == content_fingerprint(content)
    entry = AuditEntry.objects.get(action="training.translation_saved")
    assert entry.details["outdated"] == 2


def test_saving_a_source_text_unchanged_outdates_nothing(course):
    dutch = translation("basics-q-single", "nl")

    item_translation_save(actor=None, translation=dutch, content=dict(dutch.content))

    assert set(statuses(ItemTranslation, item__code="basics-q-single").values()) == {"reviewed"}


def test_a_translation_saved_as_reviewed_is_current_again(course):
    dutch = translation("basics-q-single", "nl")
    item_translation_save(actor=None, translation=dutch, content={**dutch.content, "prompt": "Nieuwe vraag?"})
    french = translation("basics-q-single", "fr")

    item_translation_save(
        actor=None,
        translation=french,
        content={**french.content, "prompt": "Nouvelle question ?"},
        status=TranslationStatus.REVIEWED,
    )

    french.refresh_from_db()
    assert french.status == TranslationStatus.REVIEWED
    assert french.source_fingerprint == translation("basics-q-single", "nl").fingerprint


def test_an_outdated_translation_saved_without_a_status_stays_outdated(course):
    dutch = translation("basics-q-single", "nl")
    item_translation_save(actor=None, translation=dutch, content={**dutch.content, "prompt": "Nieuwe vraag?"})
    french = translation("basics-q-single", "fr")

    item_translation_save(
        actor=None, translation=french, content={**french.content, "feedback": "Autre chose."}
    )

    assert translation("basics-q-single", "fr").status == TranslationStatus.OUTDATED


def test_a_new_translation_is_made_from_the_current_source(course):
    german = ItemTranslation(item=translation("practice-q-short", "nl").item, language="de")

    item_translation_save(
        actor=None, translation=german, content={"prompt": "Wie heißt das?", "answers": ["Zwei-Faktor"]}
    )

    german.refresh_from_db()
    assert german.status == TranslationStatus.DRAFT
    assert german.source_fingerprint == translation("practice-q-short", "nl").fingerprint


def test_a_text_that_does_not_fit_the_items_structure_is_refused(course):
    french = translation("basics-q-single", "fr")
    content = {**french.content, "choices": {"a": {"text": "Non"}}}

    with pytest.raises(DomainError, match="keys of choices"):
        item_translation_save(actor=None, translation=french, content=content)

    assert translation("basics-q-single", "fr").content != content


def test_changing_a_modules_source_text_outdates_only_that_modules_translations(course):
    dutch = ModuleTranslation.objects.get(module__code="basics", language="nl")

    module_translation_save(
        actor=None, translation=dutch, content={"title": "De basis", "summary": "Anders."}
    )

    assert statuses(ModuleTranslation, module__code="basics") == {
        "nl": "reviewed",
        "fr": "outdated",
        "en": "outdated",
    }
    assert set(statuses(ModuleTranslation, module__code="practice").values()) == {"reviewed"}


def test_changing_the_courses_source_text_outdates_its_translations(course):
    dutch = CourseTranslation.objects.get(course=course, language="nl")

    course_translation_save(
        actor=None, translation=dutch, content={"title": "Cursus", "description": "Nieuw."}
    )

    assert statuses(CourseTranslation, course=course) == {
        "nl": "reviewed",
        "fr": "outdated",
        "en": "outdated",
    }


def test_an_unknown_status_is_refused(course):
    french = translation("basics-q-single", "fr")

    with pytest.raises(DomainError):
        item_translation_save(actor=None, translation=french, content=french.content, status="approved")
