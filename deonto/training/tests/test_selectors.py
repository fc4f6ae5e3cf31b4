import pytest

from deonto.training.models import ItemTranslation, TranslationStatus
from deonto.training.selectors import GapState, translation_gaps
from deonto.training.services import course_bundle_load, item_translation_save

from .conftest import MINI

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(guidance):
    return course_bundle_load(directory_or_zip=MINI)


def states(gaps):
    return {gap.code: gap.state for gap in gaps}


def test_translation_gaps_lists_course_modules_and_items_in_reading_order(course):
    gaps = translation_gaps(course=course, language="fr")

    assert [(gap.level, gap.code) for gap in gaps][:4] == [
        ("course", "mini"),
        ("module", "basics"),
        ("item", "basics-intro"),
        ("item", "basics-case-chat"),
    ]
    assert set(states(gaps).values()) == {GapState.CURRENT}


def test_translation_gaps_reports_missing_draft_outdated_and_current(course):
    dutch = ItemTranslation.objects.get(item__code="basics-q-single", language="nl")
    item_translation_save(actor=None, translation=dutch, content={**dutch.content, "prompt": "Nieuwe vraag?"})
    ItemTranslation.objects.filter(item__code="practice-q-short", language="fr").update(
        status=TranslationStatus.DRAFT
    )
    ItemTranslation.objects.filter(item__code="practice-q-matching", language="fr").delete()

    found = states(translation_gaps(course=course, language="fr"))

    assert found["basics-q-single"] == GapState.OUTDATED
    assert found["practice-q-short"] == GapState.DRAFT
    assert found["practice-q-matching"] == GapState.MISSING
    assert found["basics-intro"] == GapState.CURRENT


def test_a_reviewed_translation_of_another_source_text_counts_as_outdated(course):
    ItemTranslation.objects.filter(item__code="basics-intro", language="en").update(
        source_fingerprint="0" * 16
    )

    assert states(translation_gaps(course=course, language="en"))["basics-intro"] == GapState.OUTDATED


def test_a_language_nobody_translated_yet_is_missing_everywhere(course):
    assert set(states(translation_gaps(course=course, language="de")).values()) == {GapState.MISSING}


def test_translation_gaps_takes_a_fixed_number_of_queries(course, django_assert_num_queries):
    with django_assert_num_queries(5):
        translation_gaps(course=course, language="fr")
