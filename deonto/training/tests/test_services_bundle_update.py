import pytest
import yaml

from deonto.training.models import Item, ItemTranslation, Module, TranslationStatus
from deonto.training.services import course_bundle_load, course_bundle_sync

pytestmark = pytest.mark.django_db


def statuses(code):
    return dict(ItemTranslation.objects.filter(item__code=code).values_list("language", "status"))


def rewrite(path, change):
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))


def item(data, code):
    return next(entry for entry in data["items"] if entry["code"] == code)


@pytest.fixture
def loaded(guidance, mini):
    course_bundle_load(directory_or_zip=mini)
    text = (mini / "course.yaml").read_text()
    (mini / "course.yaml").write_text(text.replace("version: 1", "version: 2"))
    return mini


def test_a_newer_version_with_a_changed_source_text_outdates_only_that_items_translations(loaded):
    rewrite(
        loaded / "modules" / "01-basics.yaml",
        lambda data: item(data, "basics-q-single")["text"]["nl"].update(
            prompt="Mag je een vangst online melden?"
        ),
    )

    report = course_bundle_sync(directory_or_zip=loaded)

    assert report.updated == ["mini", "basics-q-single"]
    assert report.course.version == 2
    assert statuses("basics-q-single") == {"nl": "reviewed", "fr": "outdated", "en": "outdated"}
    assert set(
        ItemTranslation.objects.exclude(item__code="basics-q-single").values_list("status", flat=True)
    ) == {TranslationStatus.REVIEWED}


def test_a_translation_changed_together_with_its_source_stays_current(loaded):
    def change(data):
        texts = item(data, "basics-q-single")["text"]
        texts["nl"]["prompt"] = "Mag je een vangst online melden?"
        texts["fr"]["prompt"] = "Pouvez-vous annoncer une prise en ligne ?"

    rewrite(loaded / "modules" / "01-basics.yaml", change)

    course_bundle_sync(directory_or_zip=loaded)

    assert statuses("basics-q-single") == {"nl": "reviewed", "fr": "reviewed", "en": "outdated"}


def test_a_newer_version_removes_moves_and_reorders_items_in_place(loaded):
    single_id = Item.objects.get(code="basics-q-single").pk

    def basics(data):
        data["items"] = [item(data, "basics-q-single"), item(data, "basics-intro")]

    def practice(data):
        data["items"] = [entry for entry in data["items"] if entry["code"] != "practice-q-short"]
        data["items"].insert(0, case)

    case = item(yaml.safe_load((loaded / "modules" / "01-basics.yaml").read_text()), "basics-case-chat")
    rewrite(loaded / "modules" / "01-basics.yaml", basics)
    rewrite(loaded / "modules" / "02-practice.yaml", practice)

    report = course_bundle_sync(directory_or_zip=loaded)

    assert report.removed == ["practice-q-short"]
    assert list(Item.objects.filter(module__code="basics").values_list("code", flat=True)) == [
        "basics-q-single",
        "basics-intro",
    ]
    assert (
        Item.objects.filter(module__code="practice").values_list("code", flat=True)[0] == "basics-case-chat"
    )
    assert Item.objects.get(code="basics-q-single").pk == single_id
    assert not ItemTranslation.objects.filter(item__code="practice-q-short").exists()


def test_a_newer_version_can_swap_modules(loaded):
    (loaded / "modules" / "01-basics.yaml").rename(loaded / "modules" / "03-basics.yaml")

    course_bundle_sync(directory_or_zip=loaded)

    assert list(Module.objects.values_list("code", "position")) == [("practice", 1), ("basics", 2)]
