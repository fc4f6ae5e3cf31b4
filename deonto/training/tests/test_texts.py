from deonto.training.texts import content_passages, text_normalise


def test_content_passages_flattens_a_case_in_reading_order():
    content = {
        "title": "T",
        "situation": "S",
        "prompt": "P",
        "choices": {"a": {"text": "A", "feedback": "FA"}, "b": {"text": "B", "feedback": "FB"}},
        "discussion": ["D1", "D2"],
    }

    passages = content_passages("case", content)

    assert [passage.path for passage in passages] == [
        "title",
        "situation",
        "prompt",
        "choices.a.text",
        "choices.a.feedback",
        "choices.b.text",
        "choices.b.feedback",
        "discussion.0",
        "discussion.1",
    ]
    assert passages[3] == ("choices.a.text", "Choice a", "A")
    assert passages[-1].label == "Discussion point 2"


def test_content_passages_covers_pairs_answers_and_optional_feedback():
    matching = content_passages("matching", {"prompt": "P", "pairs": {"p1": {"left": "L", "right": "R"}}})
    short = content_passages("short", {"prompt": "P", "answers": ["x", "y"], "feedback": "F"})
    module = content_passages("module", {"title": "T", "summary": "S"})

    assert [p.path for p in matching] == ["prompt", "pairs.p1.left", "pairs.p1.right"]
    assert [p.path for p in short] == ["prompt", "answers.0", "answers.1", "feedback"]
    assert [p.text for p in module] == ["T", "S"]


def test_a_text_is_normalised_to_the_order_of_the_structure():
    text, problems = text_normalise(
        "single",
        {"feedback": " F ", "choices": {"b": {"text": "B"}, "a": {"text": "A "}}, "prompt": "P"},
        choice_keys=["a", "b"],
    )

    assert problems == []
    assert list(text) == ["prompt", "choices", "feedback"]
    assert list(text["choices"]) == ["a", "b"]
    assert text["choices"]["a"] == {"text": "A"}
    assert text["feedback"] == "F"


def test_true_and_false_read_by_yaml_as_booleans_are_the_keys_true_and_false():
    text, problems = text_normalise(
        "truefalse",
        {"prompt": "P", "choices": {True: {"text": "Yes"}, False: {"text": "No"}}},
        choice_keys=["true", "false"],
    )

    assert problems == []
    assert list(text["choices"]) == ["true", "false"]
