from pathlib import Path

import pytest

from deonto.training.formats import (
    ParsedChoice,
    ParsedPair,
    ParseError,
    html_to_text,
    parse_file,
    parse_moodle_xml,
)

SAMPLES = Path(__file__).parent / "samples"

MULTICHOICE = """<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="multichoice">
    <name><text>Capital</text></name>
    <questiontext format="html">
      <text><![CDATA[<p>What is the <b>capital</b> of Belgium?</p><p>Pick one.</p>]]></text>
    </questiontext>
    <generalfeedback format="html"><text>&lt;p&gt;Brussels it is.&lt;/p&gt;</text></generalfeedback>
    <defaultgrade>2.0000000</defaultgrade>
    <single>true</single>
    <answer fraction="100" format="html">
      <text><![CDATA[<p>Brussels</p>]]></text>
      <feedback format="html"><text><![CDATA[<p>Yes &amp; well done.</p>]]></text></feedback>
    </answer>
    <answer fraction="0" format="html">
      <text>Antwerp</text>
      <feedback format="html"><text></text></feedback>
    </answer>
  </question>
</quiz>
"""


def quiz(*questions: str) -> str:
    return "<quiz>\n" + "\n".join(questions) + "\n</quiz>\n"


def only_question(source: str):
    result = parse_moodle_xml(source)
    assert result.errors == []
    assert len(result.questions) == 1
    return result.questions[0]


def test_single_choice_question_reads_name_html_text_cdata_feedback_and_points():
    question = only_question(MULTICHOICE)

    assert question.kind == "single"
    assert question.name == "Capital"
    assert question.prompt == "What is the capital of Belgium?\n\nPick one."
    assert question.choices == [
        ParsedChoice(key="a", text="Brussels", feedback="Yes & well done.", correct=True, weight=1.0),
        ParsedChoice(key="b", text="Antwerp", feedback="", correct=False, weight=0.0),
    ]
    assert question.feedback == "Brussels it is."
    assert question.points == 2
    assert question.line == 3


def test_multichoice_with_single_false_is_a_multiple_answer_question_correct_where_fraction_is_positive():
    question = only_question(
        quiz(
            """<question type="multichoice">
  <questiontext format="plain_text"><text>Which are colours?</text></questiontext>
  <single>false</single>
  <answer fraction="50"><text>Red</text></answer>
  <answer fraction="50.00000"><text>Blue</text></answer>
  <answer fraction="-100"><text>Square</text><feedback><text>A shape</text></feedback></answer>
</question>"""
        )
    )

    assert question.kind == "multiple"
    assert question.name is None
    assert question.points == 1
    assert [(c.key, c.text, c.correct, c.weight) for c in question.choices] == [
        ("a", "Red", True, 0.5),
        ("b", "Blue", True, 0.5),
        ("c", "Square", False, -1.0),
    ]
    assert question.choices[2].feedback == "A shape"


def test_true_false_question_has_choices_true_and_false_with_their_feedback():
    question = only_question(
        quiz(
            """<question type="truefalse">
  <name><text>Chat</text></name>
  <questiontext format="moodle_auto_format"><text>Private chats may be shared.</text></questiontext>
  <answer fraction="0"><text>true</text><feedback><text>It is private.</text></feedback></answer>
  <answer fraction="100"><text>false</text><feedback><text>Right.</text></feedback></answer>
</question>"""
        )
    )

    assert question.kind == "truefalse"
    assert question.choices == [
        ParsedChoice(key="true", text="True", feedback="It is private.", correct=False, weight=0.0),
        ParsedChoice(key="false", text="False", feedback="Right.", correct=True, weight=1.0),
    ]


def test_short_answer_accepts_only_answers_with_fraction_100():
    question = only_question(
        quiz(
            """<question type="shortanswer">
  <questiontext format="html"><text>Who wrote &lt;i&gt;Max Havelaar&lt;/i&gt;?</text></questiontext>
  <usecase>0</usecase>
  <answer fraction="100"><text>Multatuli</text></answer>
  <answer fraction="100"><text>Eduard Douwes Dekker</text></answer>
  <answer fraction="0"><text>Vondel</text></answer>
</question>"""
        )
    )

    assert question.kind == "short"
    assert question.prompt == "Who wrote Max Havelaar?"
    assert question.answers == ["Multatuli", "Eduard Douwes Dekker"]


def test_matching_question_reads_subquestions_as_keyed_pairs():
    question = only_question(
        quiz(
            """<question type="matching">
  <questiontext format="html"><text>Match the country and its capital.</text></questiontext>
  <subquestion format="html"><text><![CDATA[<p>Belgium</p>]]></text><answer><text>Brussels</text></answer></subquestion>
  <subquestion format="html"><text>France</text><answer><text>Paris</text></answer></subquestion>
  <subquestion format="html"><text>Spain</text><answer><text>Madrid</text></answer></subquestion>
</question>"""
        )
    )

    assert question.kind == "matching"
    assert question.pairs == [
        ParsedPair(key="p1", left="Belgium", right="Brussels"),
        ParsedPair(key="p2", left="France", right="Paris"),
        ParsedPair(key="p3", left="Spain", right="Madrid"),
    ]


def test_matching_question_with_fewer_than_three_pairs_is_an_error():
    result = parse_moodle_xml(
        quiz(
            """<question type="matching">
  <questiontext><text>Match.</text></questiontext>
  <subquestion><text>a</text><answer><text>1</text></answer></subquestion>
  <subquestion><text>b</text><answer><text>2</text></answer></subquestion>
</question>"""
        )
    )

    assert result.errors == [ParseError(2, "A matching question needs at least 3 pairs.")]


def test_categories_are_skipped_and_unsupported_types_reported_with_their_line():
    result = parse_moodle_xml(
        quiz(
            '<question type="category"><category><text>$course$/top</text></category></question>',
            '<question type="essay">\n<questiontext><text>Tell us.</text></questiontext>\n</question>',
            '<question type="description"><questiontext><text>Read this.</text></questiontext></question>',
            """<question type="truefalse">
  <questiontext><text>Still read?</text></questiontext>
  <answer fraction="100"><text>true</text></answer>
  <answer fraction="0"><text>false</text></answer>
</question>""",
        )
    )

    assert [q.prompt for q in result.questions] == ["Still read?"]
    assert [q.line for q in result.questions] == [7]
    assert result.errors == [
        ParseError(3, "Questions of type 'essay' are not supported."),
        ParseError(6, "Questions of type 'description' are not supported."),
    ]


def test_multichoice_without_a_correct_answer_is_an_error_at_the_question_line():
    result = parse_moodle_xml(
        quiz(
            """<question type="multichoice">
  <questiontext><text>Which?</text></questiontext>
  <answer fraction="0"><text>a</text></answer>
  <answer fraction="0"><text>b</text></answer>
</question>"""
        )
    )

    assert result.questions == []
    assert result.errors == [ParseError(2, "The question has no correct answer.")]


def test_empty_answer_text_is_reported_at_the_line_of_the_answer():
    result = parse_moodle_xml(
        quiz(
            """<question type="multichoice">
  <questiontext><text>Which?</text></questiontext>
  <answer fraction="100"><text>a</text></answer>
  <answer fraction="0"><text>  </text></answer>
</question>"""
        )
    )

    assert result.errors == [ParseError(5, "Answer 2 has no text.")]


def test_a_fractional_default_grade_is_an_error():
    result = parse_moodle_xml(MULTICHOICE.replace("2.0000000", "0.5"))

    assert result.errors == [ParseError(9, "The default grade '0.5' is not a whole number of points.")]


def test_malformed_xml_gives_one_error_with_its_line_and_no_questions():
    broken = MULTICHOICE.replace("</name>", "</nam>")

    result = parse_moodle_xml(broken)

    assert result.questions == []
    assert result.errors == [ParseError(4, "Invalid XML: mismatched tag.")]


def test_doctype_with_an_external_entity_is_refused_before_anything_is_read():
    result = parse_moodle_xml(
        '<?xml version="1.0"?>\n'
        '<!DOCTYPE quiz [\n  <!ENTITY secret SYSTEM "file:///etc/passwd">\n]>\n'
        '<quiz><question type="shortanswer"><questiontext><text>&secret;</text></questiontext>'
        '<answer fraction="100"><text>x</text></answer></question></quiz>'
    )

    assert result.questions == []
    assert result.errors == [
        ParseError(2, "DOCTYPE and ENTITY declarations are not allowed in question files.")
    ]


def test_entity_expansion_bomb_is_refused():
    entities = "".join(f'<!ENTITY e{i} "&e{i - 1};&e{i - 1};">' for i in range(1, 30))
    result = parse_moodle_xml(f'<!DOCTYPE quiz [<!ENTITY e0 "boom">{entities}]><quiz>&e29;</quiz>')

    assert result.questions == []
    assert result.errors[0].message.startswith("DOCTYPE and ENTITY declarations are not allowed")


def test_a_root_other_than_quiz_is_an_error():
    assert parse_moodle_xml("<questions/>").errors == [
        ParseError(1, "The root element is <questions>, expected <quiz>.")
    ]


@pytest.mark.parametrize("source", ["", "  \n", b""])
def test_empty_file_is_reported_as_empty(source):
    assert parse_moodle_xml(source).errors == [ParseError(1, "The file is empty.")]


def test_quiz_with_only_a_category_has_no_questions():
    result = parse_moodle_xml(
        quiz('<question type="category"><category><text>top</text></category></question>')
    )

    assert result.errors == [ParseError(1, "The file contains no questions.")]


def test_html_to_text_drops_tags_and_scripts_decodes_entities_and_keeps_paragraphs_and_lists():
    html = (
        "<h2>Title</h2><p>One&nbsp;&lt;tag&gt;\n   text</p>"
        "<script>alert('x')</script><ul><li>first</li><li> second </li></ul><p>a<br/>b</p>"
    )

    assert html_to_text(html) == "Title\n\nOne <tag> text\n\n- first\n- second\n\na\nb"


def test_parse_file_reads_xml_files_in_the_encoding_they_declare(tmp_path):
    path = tmp_path / "quiz.XML"
    path.write_bytes(
        quiz(
            '<question type="shortanswer"><questiontext><text>Caf\u00e9?</text></questiontext>'
            '<answer fraction="100"><text>ja</text></answer></question>'
        )
        .replace("<quiz>", '<?xml version="1.0" encoding="ISO-8859-1"?><quiz>')
        .encode("latin-1")
    )

    result = parse_file(path)

    assert result.errors == []
    assert result.questions[0].prompt == "Caf\u00e9?"


def test_parse_file_reads_the_sample_moodle_export():
    result = parse_file(SAMPLES / "questions.xml")

    assert result.errors == []
    assert [(q.kind, q.name, q.line, q.points) for q in result.questions] == [
        ("single", "Privacy settings", 11, 2),
        ("truefalse", "Screenshots", 42, 1),
    ]
    assert result.questions[0].prompt == "Who can see a public post?"
    assert result.questions[1].choices[1].correct
