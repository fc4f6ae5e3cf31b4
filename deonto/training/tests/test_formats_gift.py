from pathlib import Path

import pytest

from deonto.training.formats import ParsedChoice, ParsedPair, ParseError, parse_file, parse_gift

SAMPLES = Path(__file__).parent / "samples"


def only_question(source: str):
    result = parse_gift(source)
    assert result.errors == []
    assert len(result.questions) == 1
    return result.questions[0]


def test_single_choice_question_has_title_keyed_choices_answer_feedback_and_general_feedback():
    question = only_question(
        "::Capital::What is the capital of Belgium? {=Brussels#Yes. ~Antwerp#No, a port. ~Ghent ####Brussels it is.}"
    )

    assert question.kind == "single"
    assert question.name == "Capital"
    assert question.prompt == "What is the capital of Belgium?"
    assert question.choices == [
        ParsedChoice(key="a", text="Brussels", feedback="Yes.", correct=True, weight=1.0),
        ParsedChoice(key="b", text="Antwerp", feedback="No, a port.", correct=False, weight=0.0),
        ParsedChoice(key="c", text="Ghent", feedback="", correct=False, weight=0.0),
    ]
    assert question.feedback == "Brussels it is."
    assert question.points == 1
    assert question.line == 1


def test_weighted_answers_make_a_multiple_answer_question_whose_positive_weights_are_correct():
    question = only_question("Which are colours? {\n  ~%50%Red#Yes\n  ~%50%Blue\n  ~%-100%Square#A shape\n}")

    assert question.kind == "multiple"
    assert [(c.key, c.text, c.correct, c.weight) for c in question.choices] == [
        ("a", "Red", True, 0.5),
        ("b", "Blue", True, 0.5),
        ("c", "Square", False, -1.0),
    ]
    assert question.choices[2].feedback == "A shape"


@pytest.mark.parametrize(
    ("marker", "answer_is_true"),
    [("T", True), ("TRUE", True), ("F", False), ("FALSE", False), ("true", True)],
)
def test_true_false_questions_accept_every_spelling_of_the_answer(marker, answer_is_true):
    question = only_question(f"The sun is a star. {{{marker}}}")

    assert question.kind == "truefalse"
    assert [(c.key, c.text, c.correct) for c in question.choices] == [
        ("true", "True", answer_is_true),
        ("false", "False", not answer_is_true),
    ]


def test_true_false_feedback_for_wrong_and_right_answers_goes_to_the_matching_choice():
    question = only_question("::Chat::Private chats may be shared. {F#It is private.#Right.####Ask first.}")

    choices = {choice.key: choice for choice in question.choices}
    assert choices["false"].correct
    assert choices["false"].feedback == "Right."
    assert choices["true"].feedback == "It is private."
    assert question.feedback == "Ask first."


def test_short_answer_accepts_every_fully_correct_answer_and_drops_zero_weight_ones():
    question = only_question("Who wrote Max Havelaar? {=Multatuli =Eduard Douwes Dekker =%0%Vondel#No.}")

    assert question.kind == "short"
    assert question.answers == ["Multatuli", "Eduard Douwes Dekker"]
    assert question.choices == []


def test_matching_question_has_pairs_keyed_p1_p2_p3():
    question = only_question(
        "::Match:: Match the country and its capital. {\n =Belgium -> Brussels\n =France -> Paris\n =Spain -> Madrid\n}"
    )

    assert question.kind == "matching"
    assert question.pairs == [
        ParsedPair(key="p1", left="Belgium", right="Brussels"),
        ParsedPair(key="p2", left="France", right="Paris"),
        ParsedPair(key="p3", left="Spain", right="Madrid"),
    ]


def test_matching_question_with_fewer_than_three_pairs_is_an_error():
    result = parse_gift("Match. {=a -> 1 =b -> 2}")

    assert result.questions == []
    assert result.errors == [ParseError(1, "A matching question needs at least 3 pairs.")]


def test_escaped_special_characters_are_plain_text_in_titles_prompts_and_answers():
    question = only_question(r"::A\:\:B:: Is 1 \= 1 \{really\} \# \~? {=yes\, 1 \= 1#\{ok\} ~no}" "\n")

    assert question.name == "A::B"
    assert question.prompt == "Is 1 = 1 {really} # ~?"
    assert question.choices[0].text == r"yes\, 1 = 1"
    assert question.choices[0].feedback == "{ok}"


def test_escaped_newline_and_backslash_become_a_line_break_and_a_backslash():
    question = only_question(r"First\nsecond C:\\temp {T}")

    assert question.prompt == "First\nsecond C:\\temp"


def test_html_marker_turns_prompt_answers_and_feedback_into_plain_text_with_paragraphs():
    question = only_question(
        "::Html::[html]<p>First &amp; <b>bold</b>.</p><p>Second<br>line</p>"
        "{=<i>Yes</i>#<p>Well&nbsp;done</p> ~No}"
    )

    assert question.prompt == "First & bold.\n\nSecond\nline"
    assert question.choices[0].text == "Yes"
    assert question.choices[0].feedback == "Well done"


@pytest.mark.parametrize("marker", ["[markdown]", "[plain]", "[moodle]"])
def test_other_format_markers_are_stripped_and_the_text_kept_as_written(marker):
    question = only_question(f"::T::{marker}Is **this** <b>kept</b>? {{T}}")

    assert question.prompt == "Is **this** <b>kept</b>?"


def test_comments_categories_and_blank_lines_are_skipped_and_lines_still_count():
    result = parse_gift(
        "// A comment\n"
        "$CATEGORY: $course$/Quiz\n"
        "\n"
        "\n"
        "// Question one\n"
        "::One:: First? {T}\n"
        "\n"
        "Second\n"
        "// a comment inside\n"
        "spans lines {\n"
        "  =yes\n"
        "  ~no\n"
        "}\n"
    )

    assert result.errors == []
    assert [(q.name, q.line) for q in result.questions] == [("One", 6), (None, 8)]
    assert result.questions[1].prompt == "Second\nspans lines"


def test_windows_line_endings_and_a_byte_order_mark_are_accepted():
    result = parse_gift("\ufeff::A:: First? {T}\r\n\r\n::B:: Second? {F}\r\n")

    assert result.errors == []
    assert [(q.name, q.line) for q in result.questions] == [("A", 1), ("B", 3)]


def test_unsupported_question_types_are_reported_with_their_line_and_the_rest_is_parsed():
    result = parse_gift(
        "Numerical: 2 + 2? {#4}\n"
        "\n"
        "Essay: tell us about yourself. {}\n"
        "\n"
        "Missing word: the {=sun ~moon} rises in the east.\n"
        "\n"
        "A description without answers.\n"
        "\n"
        "Still read? {T}\n"
    )

    assert [q.prompt for q in result.questions] == ["Still read?"]
    assert [(e.line, e.message.split(" ")[0]) for e in result.errors] == [
        (1, "Numerical"),
        (3, "Essay"),
        (5, "Text"),
        (7, "The"),
    ]
    assert "missing-word" in result.errors[2].message
    assert "descriptions are not supported" in result.errors[3].message


def test_unclosed_brace_is_reported_at_the_line_of_the_brace():
    result = parse_gift("::Fine:: Ok? {T}\n\n::Broken::\nWhich one? {\n=a\n~b\n\nNext? {F}\n")

    assert result.errors == [ParseError(4, "Unclosed brace: '{' has no matching '}'.")]
    assert [q.prompt for q in result.questions] == ["Ok?", "Next?"]


def test_multiple_choice_without_a_correct_answer_is_an_error():
    result = parse_gift("::A:: Fine? {T}\n\n::B:: Which? {~a ~b ~c}\n")

    assert [q.name for q in result.questions] == ["A"]
    assert len(result.errors) == 1
    assert result.errors[0].line == 3
    assert result.errors[0].message.startswith("The question has no correct answer")


def test_single_choice_with_two_right_answers_is_an_error():
    result = parse_gift("Which? {=a =b ~c}")

    assert result.errors == [
        ParseError(1, "A multiple-choice question with '=' must have exactly one '=' answer.")
    ]


def test_empty_answer_text_is_reported_at_the_line_of_the_answer():
    result = parse_gift("Which?\n{\n  =right\n  ~#feedback only\n}\n")

    assert result.errors == [ParseError(4, "Answer 2 has no text.")]


def test_question_without_text_is_an_error():
    assert parse_gift("::Title:: {T}").errors == [ParseError(1, "The question has no text.")]


def test_text_before_the_first_answer_is_an_error():
    result = parse_gift("Which? {maybe =a ~b}")

    assert result.errors == [ParseError(1, "Each answer must start with '=' (right) or '~' (wrong).")]


def test_empty_file_is_reported_as_empty():
    assert parse_gift("  \n\n").errors == [ParseError(1, "The file is empty.")]


def test_file_with_only_comments_and_categories_has_no_questions():
    result = parse_gift("// nothing here\n$CATEGORY: top\n")

    assert result.questions == []
    assert result.errors == [ParseError(1, "The file contains no questions.")]


@pytest.mark.parametrize("name", ["quiz.gift", "quiz.txt", "QUIZ.GIFT"])
def test_parse_file_reads_gift_and_txt_files_as_gift(tmp_path, name):
    path = tmp_path / name
    path.write_text("::Q:: Fine? {T}\n", encoding="utf-8")

    result = parse_file(path)

    assert result.errors == []
    assert [q.name for q in result.questions] == ["Q"]


def test_parse_file_reads_the_sample_with_every_supported_kind():
    result = parse_file(SAMPLES / "questions.gift")

    assert result.errors == []
    assert [(q.kind, q.name, q.line) for q in result.questions] == [
        ("single", "Privacy settings", 4),
        ("truefalse", "Screenshots", 11),
        ("multiple", "Risks", 13),
        ("short", "Acronym", 19),
        ("matching", "Channels", 21),
    ]
    assert result.questions[0].prompt == "Who can see a **public** post?"
    assert result.questions[0].feedback == "Check the audience before you post."


def test_parse_file_refuses_other_extensions(tmp_path):
    path = tmp_path / "quiz.docx"
    path.write_bytes(b"anything")

    result = parse_file(path)

    assert result.questions == []
    assert result.errors == [ParseError(0, "Unknown question file type '.docx': use .gift, .txt or .xml.")]


def test_parse_file_reports_a_missing_file_instead_of_raising(tmp_path):
    result = parse_file(tmp_path / "missing.gift")

    assert result.questions == []
    assert result.errors[0].line == 0
    assert result.errors[0].message.startswith("The file cannot be read")


def test_parse_file_reports_text_that_is_not_utf8_with_its_line(tmp_path):
    path = tmp_path / "latin1.gift"
    path.write_bytes("Fine? {T}\n\nCaf\u00e9? {T}\n".encode("latin-1"))

    assert parse_file(path).errors == [ParseError(3, "The file is not UTF-8 text.")]
