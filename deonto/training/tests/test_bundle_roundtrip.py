import io
import zipfile

import pytest

from deonto.core.models import AuditEntry
from deonto.training.models import Course, Item, ItemKind, ItemTranslation, Module, TranslationStatus
from deonto.training.services import (
    course_bundle_export,
    course_bundle_load,
    course_bundle_sync,
    course_bundle_zip,
)

from .conftest import MINI

pytestmark = pytest.mark.django_db


def files_of(directory):
    return {
        path.relative_to(directory).as_posix(): path.read_bytes()
        for path in sorted(directory.rglob("*"))
        if path.is_file()
    }


def test_loading_the_mini_bundle_creates_every_kind_of_item_in_three_languages(guidance):
    course = course_bundle_load(directory_or_zip=MINI)

    assert (course.code, course.version, course.pass_mark, course.source_language) == ("mini", 1, 75, "nl")
    assert list(Module.objects.filter(course=course).values_list("code", "position")) == [
        ("basics", 1),
        ("practice", 2),
    ]
    assert set(Item.objects.values_list("kind", flat=True)) == set(ItemKind.values)
    assert ItemTranslation.objects.count() == 3 * Item.objects.count()
    assert set(ItemTranslation.objects.values_list("status", flat=True)) == {TranslationStatus.REVIEWED}


def test_loading_keeps_the_language_neutral_part_on_the_item(guidance):
    course_bundle_load(directory_or_zip=MINI)

    truefalse = Item.objects.get(code="practice-q-truefalse")
    assert truefalse.structure == {
        "choices": [{"key": "true", "correct": False}, {"key": "false", "correct": True}]
    }
    case = Item.objects.get(code="basics-case-chat")
    assert case.structure["question"] == "what-do-you-do"
    assert not case.quiz and case.points == 0
    assert Item.objects.get(code="practice-q-multiple").points == 2
    assert Item.objects.get(code="practice-q-short").quiz is False
    assert Item.objects.get(code="practice-q-matching").structure == {"pairs": ["p1", "p2"]}
    lesson = Item.objects.get(code="basics-intro")
    assert lesson.image.name.startswith("training/badge")
    assert lesson.image.read() == (MINI / "images" / "badge.svg").read_bytes()


def test_item_texts_are_stored_as_the_bundle_gives_them_trimmed(guidance):
    course_bundle_load(directory_or_zip=MINI)

    french = ItemTranslation.objects.get(item__code="basics-q-single", language="fr").content
    assert french == {
        "prompt": "Pouvez-vous annoncer une saisie en ligne ?",
        "choices": {
            "a": {"text": "Non", "feedback": "Exact."},
            "b": {"text": "Oui", "feedback": "Faux : secret professionnel."},
        },
        "feedback": "Les informations opérationnelles restent internes.",
    }
    body = ItemTranslation.objects.get(item__code="basics-intro", language="nl").content["body"]
    assert body.endswith("- Wacht even.")


def test_loading_the_same_bundle_again_writes_nothing(guidance, db_state):
    course_bundle_load(directory_or_zip=MINI)
    before = db_state()
    stamps = sorted(Item.objects.values_list("code", "updated_at"))
    audit_entries = AuditEntry.objects.count()

    report = course_bundle_sync(directory_or_zip=MINI)

    assert not report.changed
    assert db_state() == before
    assert sorted(Item.objects.values_list("code", "updated_at")) == stamps
    assert AuditEntry.objects.count() == audit_entries


def test_load_export_load_gives_the_same_database(guidance, db_state, tmp_path):
    course = course_bundle_load(directory_or_zip=MINI)
    before = db_state()
    course_bundle_export(course=course, directory=tmp_path / "out")
    Course.objects.all().delete()

    course_bundle_load(directory_or_zip=tmp_path / "out")

    assert db_state() == before


def test_export_load_export_gives_the_same_bytes(guidance, tmp_path):
    course = course_bundle_load(directory_or_zip=MINI)
    course_bundle_export(course=course, directory=tmp_path / "first")
    Course.objects.all().delete()
    course = course_bundle_load(directory_or_zip=tmp_path / "first")
    course_bundle_export(course=course, directory=tmp_path / "second")

    first, second = files_of(tmp_path / "first"), files_of(tmp_path / "second")
    assert first == second
    assert set(first) == {
        "course.yaml",
        "modules/01-basics.yaml",
        "modules/02-practice.yaml",
        "images/badge.svg",
    }
    assert "Minicursus" in first["course.yaml"].decode()
    assert "translation:" not in first["modules/01-basics.yaml"].decode()


def test_export_keeps_translation_statuses_that_are_not_reviewed_and_current(guidance, db_state, tmp_path):
    course = course_bundle_load(directory_or_zip=MINI)
    ItemTranslation.objects.filter(item__code="basics-q-single", language="fr").update(
        status=TranslationStatus.DRAFT
    )
    ItemTranslation.objects.filter(item__code="practice-q-short", language="en").update(
        status=TranslationStatus.OUTDATED, source_fingerprint="0123456789abcdef"
    )
    before = db_state()
    course_bundle_export(course=course, directory=tmp_path / "out")
    Course.objects.all().delete()

    course_bundle_load(directory_or_zip=tmp_path / "out")

    assert db_state() == before
    assert "status: draft" in (tmp_path / "out" / "modules" / "01-basics.yaml").read_text()


def test_a_zip_round_trips_and_the_same_course_always_gives_the_same_zip(guidance, db_state, tmp_path):
    course = course_bundle_load(directory_or_zip=MINI)
    before = db_state()
    data = course_bundle_zip(course=course)
    (tmp_path / "mini.zip").write_bytes(data)
    Course.objects.all().delete()

    course = course_bundle_load(directory_or_zip=tmp_path / "mini.zip")

    assert db_state() == before
    assert course_bundle_zip(course=course) == data
    assert "course.yaml" in zipfile.ZipFile(io.BytesIO(data)).namelist()


def test_a_zip_holding_the_bundle_in_a_folder_loads(guidance, tmp_path):
    archive_path = tmp_path / "bundle.zip"
    with zipfile.ZipFile(archive_path, "w") as archive:
        for path in sorted(MINI.rglob("*")):
            if path.is_file():
                archive.write(path, f"mini/{path.relative_to(MINI).as_posix()}")

    course = course_bundle_load(directory_or_zip=archive_path)

    assert course.modules.count() == 2
