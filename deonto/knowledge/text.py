"""Text helpers for guidance: Markdown to HTML and to plain text, and the accent- and
case-blind form of text that search compares, with highlighting of the words found.

Search compares ``normalise(text)`` with ``normalise(query)`` through plain substring tests,
so it behaves the same on SQLite and PostgreSQL without database extensions.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

MAX_QUERY_WORDS = 8
MIN_WORD_LENGTH = 2

_markdown = MarkdownIt("commonmark", {"html": False, "typographer": False})

_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MARKUP = re.compile(r"^\s{0,3}(?:#{1,6}\s+|>\s?|[-*+]\s+|\d+[.)]\s+)|[*_`]+", re.MULTILINE)
_SPACES = re.compile(r"\s+")
_WORD = re.compile(r"\w+")


def render_markdown(source: str) -> SafeString:
    """Markdown with raw HTML disabled: the text is escaped, so content cannot inject markup."""
    html: str = _markdown.render(source)
    return mark_safe(html)  # noqa: S308 - markdown-it escapes everything, html is off


def plain_text(source: str) -> str:
    """The words of a Markdown text without its markup, on one line."""
    text = _LINK.sub(r"\1", source)
    text = _MARKUP.sub("", text)
    return _SPACES.sub(" ", text).strip()


@cache
def _normalise_char(char: str) -> str:
    decomposed = unicodedata.normalize("NFKD", char)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def normalise(text: str) -> str:
    """Lowercase, without accents: "Sécurité" becomes "securite"."""
    return "".join(_normalise_char(char) for char in text)


def search_text_for(*, title: str, summary: str, body: str) -> str:
    return normalise("\n".join([title, summary, plain_text(body)]))


def query_words(query: str) -> list[str]:
    """The distinct words of a query, normalised; words of one letter match too much to help."""
    words: list[str] = []
    for word in _WORD.findall(normalise(query)):
        if len(word) >= MIN_WORD_LENGTH and word not in words:
            words.append(word)
    return words[:MAX_QUERY_WORDS]


def _normalised_with_offsets(text: str) -> tuple[str, list[int]]:
    """The normalised text, and for each of its characters the index of the original one."""
    parts: list[str] = []
    offsets: list[int] = []
    for index, char in enumerate(text):
        normalised = _normalise_char(char)
        parts.append(normalised)
        offsets.extend([index] * len(normalised))
    return "".join(parts), offsets


def _match_spans(text: str, words: list[str]) -> list[tuple[int, int]]:
    """Where the words occur in the original text, as (start, end) pairs, sorted, not overlapping."""
    normalised, offsets = _normalised_with_offsets(text)
    spans: list[tuple[int, int]] = []
    for word in words:
        start = normalised.find(word)
        while start != -1:
            end = start + len(word)
            spans.append((offsets[start], offsets[end - 1] + 1))
            start = normalised.find(word, end)
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def highlight(text: str, words: list[str]) -> SafeString:
    """The text, escaped, with each occurrence of the words wrapped in ``<mark>``."""
    pieces: list[str] = []
    position = 0
    for start, end in _match_spans(text, words):
        pieces.append(escape(text[position:start]))
        pieces.append(f"<mark>{escape(text[start:end])}</mark>")
        position = end
    pieces.append(escape(text[position:]))
    return mark_safe("".join(pieces))  # noqa: S308 - every piece is escaped above


def snippet(text: str, words: list[str], *, width: int = 220) -> SafeString:
    """A passage of about ``width`` characters around the first word found, highlighted."""
    spans = _match_spans(text, words)
    if len(text) <= width:
        return highlight(text, words)
    first = spans[0][0] if spans else 0
    start = max(0, first - width // 3)
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < first else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > first else end
    passage = highlight(text[start:end], words)
    prefix = "… " if start else ""
    suffix = " …" if end < len(text) else ""
    return mark_safe(f"{prefix}{passage}{suffix}")  # noqa: S308 - the passage is escaped by highlight()
