"""``manage.py import_questions``: GIFT and Moodle XML questions become quiz items of a module."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from deonto.core.models import AuditEntry
from deonto.training.formats import parse_file
from deonto.training.models import Item, ItemTranslation, TranslationStatus, content_fingerprint
from deonto.training.selectors import GapState, translation_gaps
from deonto.training.services import course_bundle_load
from deonto.training.services_content import QuestionsImportError, questions_import

from .conftest import MINI

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).resolve().parent / "samples"

XML_OTHER_KINDS = """<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="multichoice">
    <name><text>Risks</text></name>
    <questiontext format="html"><text><![CDATA[<p>Which are risks?</p>]]></text></questiontext>
    <single>false</single>
    <answer fraction="50"><text>Being identified</text></answer>
    <answer fraction="50"><text>An official statement</text></answer>
    <answer fraction="-100"><text>None</text></answer>
  </question>
  <question type="shortanswer">
    <name><text>Acronym</text></name>
    <questiontext><text>GDPR in Dutch?</text></questiontext>
    <answer fraction="100"><text>AVG</text></answer>
  </question>
  <question type="matching">
    <questiontext><text>Match each channel.</text></questiontext>
    <subquestion><text>Intranet</text><answer><text>colleagues</text></answer></subquestion>
    <subquestion><text>Public profile</text><answer><text>everyone</text></answer></subquestion>
    <subquestion><text>Private message</text><answer><text>one person</text></answer></subquestion>
  </question>
</quiz>
"""


@pytest.fixture
def course(guidance):
    return course_bundle_load(directory_or_zip=MINI)


def _run(path: Path | str, *extra: str, module: str = "practice", language: str = "nl") -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(
        "import_questions",
        str(path),
        "--course",
        "mini",
        "--module",
        module,
        "--language",
        language,
        *extra,
        stdout=out,
        stderr=err,
    )
    return out.getvalue(), err.getvalue()


def test_a_gift_file_of_every_kind_becomes_quiz_items_at_the_end_of_the_module(course):
    out, _err = _run(SAMPLES / "questions.gift")

    items = list(Item.objects.filter(module__code="practice").order_by("position"))
    imported = items[4:]
    assert [(i.code, i.kind) for i in imported] == [
        ("privacy-settings", "single"),
        ("screenshots", "truefalse"),
        ("risks", "multiple"),
        ("acronym", "short"),
        ("channels", "matching"),
    ]
    assert all(i.quiz and i.points == 1 and i.articles == [] for i in imported)
    assert imported[0].structure == {
        "choices": [
            {"key": "a", "correct": True},
            {"key": "b", "correct": False},
            {"key": "c", "correct": False},
        ]
    }
    assert imported[2].structure["choices"][2] == {"key": "c", "correct": False}
    assert imported[4].structure == {"pairs": ["p1", "p2", "p3"]}
    text = ItemTranslation.objects.get(item=imported[0])
    assert text.language == "nl"
    assert text.status == TranslationStatus.REVIEWED
    assert text.source_fingerprint == content_fingerprint(text.content)
    assert text.content["choices"]["c"] == {"text": "Only colleagues"}
    assert text.content["feedback"] == "Check the audience before you post."
    assert ItemTranslation.objects.get(item=imported[3]).content["answers"] == [
        "AVG",
        "Algemene verordening gegevensbescherming",
    ]
    assert "Imported 5 questions into module practice of course mini (nl)." in out
    for line in ("single: 1", "truefalse: 1", "multiple: 1", "short: 1", "matching: 1"):
        assert line in out
    assert AuditEntry.objects.filter(action="training.questions_imported").count() == 1


def test_imported_questions_are_missing_in_the_other_languages_of_the_translators_list(course):
    _run(SAMPLES / "questions.gift")

    states = {gap.code: gap.state for gap in translation_gaps(course=course, language="fr")}

    assert states["privacy-settings"] == GapState.MISSING
    assert states["practice-q-short"] == GapState.CURRENT


def test_moodle_xml_questions_of_every_kind_are_imported_with_their_points(course, tmp_path):
    other = tmp_path / "other.xml"
    other.write_text(XML_OTHER_KINDS)

    _run(SAMPLES / "questions.xml", module="basics")
    _run(other, module="basics")

    imported = list(Item.objects.filter(module__code="basics").order_by("position"))[3:]
    assert [(i.code, i.kind, i.points) for i in imported] == [
        ("privacy-settings", "single", 2),
        ("screenshots", "truefalse", 1),
        ("risks", "multiple", 1),
        ("acronym", "short", 1),
        ("basics-q-1", "matching", 1),
    ]
    assert ItemTranslation.objects.get(item=imported[0]).content["prompt"] == "Who can see a public post?"


def test_codes_stay_unique_in_the_course_when_the_same_file_is_imported_twice(course):
    _run(SAMPLES / "questions.gift")
    _run(SAMPLES / "questions.gift", module="basics")

    assert Item.objects.filter(code="privacy-settings-2", module__code="basics").exists()


def test_a_dry_run_reports_but_imports_nothing(course, db_state):
    before = db_state()

    out, _err = _run(SAMPLES / "questions.gift", "--dry-run")

    assert "Would import 5 questions into module practice" in out
    assert db_state() == before


def test_a_malformed_file_imports_nothing_and_prints_the_lines(course, db_state, tmp_path):
    broken = tmp_path / "broken.gift"
    broken.write_text(
        "::Good:: Is this fine? {T}\n\n::Bad:: Which one? {\n  =One\n  ~Two\n\n::Worse:: Unclosed {=yes\n"
    )
    before = db_state()
    err = StringIO()

    with pytest.raises(CommandError) as raised:
        call_command(
            "import_questions",
            str(broken),
            "--course",
            "mini",
            "--module",
            "practice",
            "--language",
            "nl",
            stderr=err,
        )

    assert raised.value.returncode == 1
    assert "line " in err.getvalue()
    assert db_state() == before


def test_one_bad_question_refuses_the_whole_file_and_names_its_line(course, db_state, tmp_path):
    one_choice = tmp_path / "one.gift"
    one_choice.write_text("::Fine:: Is this fine? {T}\n\n::Empty:: {T}\n")
    before = db_state()
    err = StringIO()

    with pytest.raises(CommandError, match=r"Nothing was imported\."):
        call_command(
            "import_questions",
            str(one_choice),
            "--course",
            "mini",
            "--module",
            "practice",
            "--language",
            "nl",
            stderr=err,
        )

    assert "line 3: The question has no text." in err.getvalue()
    assert db_state() == before


def test_questions_are_imported_only_in_the_source_language(course, db_state):
    before = db_state()
    err = StringIO()

    with pytest.raises(CommandError):
        call_command(
            "import_questions",
            str(SAMPLES / "questions.gift"),
            "--course",
            "mini",
            "--module",
            "practice",
            "--language",
            "fr",
            stderr=err,
        )

    assert "source language" in err.getvalue()
    assert db_state() == before


def test_an_unknown_module_is_a_command_error(course):
    with pytest.raises(CommandError, match="no module"):
        _run(SAMPLES / "questions.gift", module="nothing")


def test_the_service_lists_every_refused_question_with_its_line(course):
    module = course.modules.get(code="practice")
    questions = parse_file(SAMPLES / "questions.gift").questions
    broken = [questions[0].__class__(kind="single", name="x", prompt="", choices=[], line=7), *questions]

    with pytest.raises(QuestionsImportError) as raised:
        questions_import(actor=None, module=module, language="nl", questions=broken)

    assert {problem.line for problem in raised.value.problems} == {7}
    assert not Item.objects.filter(code="privacy-settings").exists()


def test_the_imported_questions_can_be_translated_in_the_workspace(course, client_for):
    _run(SAMPLES / "questions.gift")

    page = (
        client_for("coordinator")
        .get(reverse("training:translation_list", args=["mini", "fr"]))
        .content.decode()
    )

    assert reverse("training:translation_edit", args=["mini", "fr", "channels"]) in page
