from deonto.knowledge.text import highlight, normalise, plain_text, query_words, render_markdown, snippet


def test_normalise_removes_accents_and_capitals():
    assert normalise("Sécurité À L'ÉCRAN, ça") == "securite a l'ecran, ca"


def test_query_words_are_normalised_distinct_and_skip_single_letters():
    assert query_words("  Sécurité a securite  compte!") == ["securite", "compte"]


def test_plain_text_drops_markdown_markup_but_keeps_link_text():
    assert (
        plain_text("## Title\n\n- **bold** item\n- [a link](https://example.org)") == "Title bold item a link"
    )


def test_highlight_marks_words_whatever_their_accents_and_escapes_the_rest():
    assert highlight("La <b>Sécurité</b>", ["securite"]) == "La &lt;b&gt;<mark>Sécurité</mark>&lt;/b&gt;"


def test_snippet_shows_the_passage_around_the_first_match():
    text = "word " * 100 + "uniform " + "more " * 100
    result = snippet(text, ["uniform"], width=80)
    assert "<mark>uniform</mark>" in result
    assert result.startswith("… ") and result.endswith(" …")


def test_markdown_is_rendered_with_raw_html_escaped():
    html = render_markdown("**bold** <script>alert(1)</script>")
    assert "<strong>bold</strong>" in html
    assert "<script>" not in html
