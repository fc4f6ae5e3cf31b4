"""Sentences of the wrong language on a page: the pieces of the English sources and of the other language's
translations that a page in Dutch or French must not hold (used by the page tests and the browser tests)."""

from __future__ import annotations

import re
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parents[2] / "locale"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\{[^}]*\}\}|\{[^}]*\}")
MIN_PIECE = 20


def _pieces(text: str) -> set[str]:
    """The literal runs of a message between its placeholders, long enough not to occur by chance."""
    return {piece.strip() for piece in PLACEHOLDER.split(text) if len(piece.strip()) >= MIN_PIECE}


@cache
def _foreign(language: str) -> frozenset[str]:
    """Pieces of the English sources and of the other language's translations that a page in `language`
    must not contain."""
    other = "fr" if language == "nl" else "nl"
    own_catalogue = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    other_catalogue = polib.pofile(str(LOCALE / other / "LC_MESSAGES" / "django.po"))
    own = set()
    for entry in own_catalogue:
        own |= _pieces(entry.msgstr) | set().union(*map(_pieces, entry.msgstr_plural.values()))
    foreign = set()
    for entry in own_catalogue:
        foreign |= _pieces(entry.msgid) | _pieces(entry.msgid_plural or "")
    for entry in other_catalogue:
        foreign |= _pieces(entry.msgstr) | set().union(*map(_pieces, entry.msgstr_plural.values()))
    return frozenset(piece for piece in foreign - own if not any(piece in mine for mine in own))


_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _InLanguage(HTMLParser):
    """The text and attribute values of a page that are in `language`: parts marked with another `lang`
    (a course shown in another language, a language's own name in the switcher) are left out, as are
    scripts and styles."""

    def __init__(self, language: str) -> None:
        super().__init__(convert_charrefs=True)
        self.language = language
        self.open: list[tuple[str, bool]] = []  # (tag, whether it and what it holds are left out)
        self.parts: list[str] = []

    def _left_out(self) -> bool:
        return bool(self.open) and self.open[-1][1]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        lang = (values.get("lang") or "")[:2]
        left_out = self._left_out() or tag in ("script", "style") or bool(lang and lang != self.language)
        if not left_out:
            self.parts.extend(value for name, value in attrs if value and name != "lang")
        if tag not in _VOID:
            self.open.append((tag, left_out))

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.open) - 1, -1, -1):
            if self.open[index][0] == tag:
                del self.open[index:]
                break

    def handle_data(self, data: str) -> None:
        if not self._left_out():
            self.parts.append(data)


def _text(content: str, language: str) -> str:
    """The page's text and attribute values in `language`, with runs of white space made one space."""
    parser = _InLanguage(language)
    parser.feed(content)
    parser.close()
    return re.sub(r"\s+", " ", " ".join(parser.parts))


def foreign_sentences(content: str, language: str) -> list[str]:
    """The pieces of other languages' catalogues found in the HTML `content` of a page in `language` (nl or
    fr), sorted."""
    text = _text(content, language)
    return sorted(piece for piece in _foreign(language) if piece in text)
