import pytest
import yaml

from deonto.core.models import AuditEntry
from deonto.training.bundle import BundleError
from deonto.training.models import Course
from deonto.training.services import course_bundle_load

pytestmark = pytest.mark.django_db


def replace(path, old, new):
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def edit_item(path, code, change):
    data = yaml.safe_load(path.read_text())
    change(next(item for item in data["items"] if item["code"] == code))
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))


def wrong_format(mini):
    replace(mini / "course.yaml", "deonto-course/1", "deonto-course/2")
    return "course.yaml", "deonto-course/1"


def unknown_kind(mini):
    replace(mini / "modules" / "02-practice.yaml", "kind: short", "kind: essay")
    return "modules/02-practice.yaml", "essay"


def duplicate_item_code(mini):
    replace(mini / "modules" / "02-practice.yaml", "code: practice-q-short", "code: basics-q-single")
    return "item basics-q-single", "also used in modules/01-basics.yaml"


def duplicate_module_code(mini):
    replace(mini / "modules" / "02-practice.yaml", "code: practice\n", "code: basics\n")
    return "modules/02-practice.yaml", "basics"


def choice_keys_differ_in_one_language(mini):
    replace(mini / "modules" / "01-basics.yaml", 'b: {text: "Oui"', 'c: {text: "Oui"')
    return "item basics-q-single", "In fr"


def truefalse_keys_are_not_true_and_false(mini):
    edit_item(
        mini / "modules" / "02-practice.yaml",
        "practice-q-truefalse",
        lambda item: item["choices"].__setitem__(0, {"key": "yes", "correct": False}),
    )
    return "item practice-q-truefalse", "true and false"


def single_choice_with_two_correct_answers(mini):
    replace(mini / "modules" / "01-basics.yaml", "{key: b, correct: false}", "{key: b, correct: true}")
    return "item basics-q-single", "Exactly one"


def matching_pairs_differ_from_the_texts(mini):
    replace(mini / "modules" / "02-practice.yaml", "pairs: [p1, p2]", "pairs: [p1, p3]")
    return "item practice-q-matching", "p3"


def missing_source_text(mini):
    edit_item(mini / "modules" / "02-practice.yaml", "practice-q-short", lambda item: item["text"].pop("nl"))
    return "item practice-q-short", "source language nl"


def unknown_guidance_article(mini):
    replace(mini / "modules" / "01-basics.yaml", "articles: [discretion]", "articles: [no-such-article]")
    return "item basics-q-single", "no-such-article"


def missing_image(mini):
    (mini / "images" / "badge.svg").unlink()
    return "item basics-intro", "images/badge.svg"


def image_without_description(mini):
    replace(mini / "modules" / "01-basics.yaml", 'image_alt: "Un carré bleu"', "")
    return "item basics-intro", "In fr"


def case_with_one_discussion_point(mini):
    replace(
        mini / "modules" / "01-basics.yaml",
        '["Qui décide du public ?", "Pourquoi réagir vite ?"]',
        '["Qui ?"]',
    )
    return "item basics-case-chat", "discussion points"


def misspelt_field(mini):
    replace(mini / "modules" / "02-practice.yaml", "articles: [personal-data]", "aricles: [personal-data]")
    return "item practice-q-multiple", "aricles"


def text_in_an_undeclared_language(mini):
    edit_item(
        mini / "modules" / "02-practice.yaml",
        "practice-q-short",
        lambda item: item["text"].__setitem__("de", item["text"]["en"]),
    )
    return "item practice-q-short", "de"


def broken_yaml(mini):
    (mini / "modules" / "02-practice.yaml").write_text("code: practice\nitems: [\n")
    return "modules/02-practice.yaml", "not valid YAML"


BROKEN = [
    wrong_format,
    unknown_kind,
    duplicate_item_code,
    duplicate_module_code,
    choice_keys_differ_in_one_language,
    truefalse_keys_are_not_true_and_false,
    single_choice_with_two_correct_answers,
    matching_pairs_differ_from_the_texts,
    missing_source_text,
    unknown_guidance_article,
    missing_image,
    image_without_description,
    case_with_one_discussion_point,
    misspelt_field,
    text_in_an_undeclared_language,
    broken_yaml,
]


@pytest.mark.parametrize("breakage", BROKEN, ids=lambda breakage: breakage.__name__)
def test_a_broken_bundle_is_refused_whole_with_a_message_naming_file_and_item(guidance, mini, breakage):
    where, what = breakage(mini)

    with pytest.raises(BundleError) as refused:
        course_bundle_load(directory_or_zip=mini)

    assert where in refused.value.message
    assert what in refused.value.message
    assert not Course.objects.exists()
    assert not AuditEntry.objects.filter(action="training.course_loaded").exists()


@pytest.mark.parametrize("breakage", BROKEN, ids=lambda breakage: breakage.__name__)
def test_a_broken_new_version_leaves_the_loaded_course_as_it_was(
    guidance, mini, tmp_path, db_state, breakage
):
    course_bundle_load(directory_or_zip=mini)
    before = db_state()
    replace(mini / "course.yaml", "version: 1", "version: 2")
    replace(mini / "modules" / "01-basics.yaml", "Online is niets privé", "Online is bijna niets privé")
    breakage(mini)

    with pytest.raises(BundleError):
        course_bundle_load(directory_or_zip=mini)

    assert db_state() == before


def test_every_problem_of_a_bundle_is_reported_at_once(guidance, mini):
    unknown_kind(mini)
    choice_keys_differ_in_one_language(mini)
    matching_pairs_differ_from_the_texts(mini)

    with pytest.raises(BundleError) as refused:
        course_bundle_load(directory_or_zip=mini)

    problems = refused.value.problems
    assert sum("basics-q-single" in problem for problem in problems) == 1
    assert sum("practice-q-short" in problem for problem in problems) == 1
    assert sum("practice-q-matching" in problem for problem in problems) == 3


def test_a_bundle_older_than_the_loaded_course_is_refused(guidance, mini):
    replace(mini / "course.yaml", "version: 1", "version: 3")
    course_bundle_load(directory_or_zip=mini)
    replace(mini / "course.yaml", "version: 3", "version: 2")

    with pytest.raises(BundleError, match="older than the loaded version 3"):
        course_bundle_load(directory_or_zip=mini)


def test_a_path_without_a_bundle_is_refused(db, tmp_path):
    with pytest.raises(BundleError):
        course_bundle_load(directory_or_zip=tmp_path / "nothing-here")
    (tmp_path / "not-a.zip").write_bytes(b"hello")
    with pytest.raises(BundleError, match="not a readable ZIP"):
        course_bundle_load(directory_or_zip=tmp_path / "not-a.zip")
