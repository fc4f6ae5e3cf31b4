"""Every page a role can open speaks the reader's language: no sentence of another language's catalogue
leaks into it. A translation looked up at import time (frozen in whatever language was active then), a
string marked for translation but shown untranslated, or text hard-coded in one language would show here.

Each page of the access matrix that answers a GET is opened by a role that may see it, in Dutch and in
French, and its text and attributes are searched for the longer literal pieces (20 characters or more) of
the other catalogues: the English source strings and the other language's translations, where they differ
from this language's.
"""

from __future__ import annotations

import html
import re
from functools import cache
from pathlib import Path
from typing import Any

import polib
import pytest
from django.urls import reverse

from deonto.core.tests.test_access_matrix import (
    ANONYMOUS,
    MATRIX,
    Row,
    _client,
    _objects_for,
    common_objects,
)

pytestmark = pytest.mark.django_db

LOCALE = Path(__file__).resolve().parents[2] / "locale"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\{[^}]*\}\}|\{[^}]*\}")
MIN_PIECE = 20
# Views that answer a GET with a file or data, not a page (their languages are tested with them).
DOWNLOADS = {
    "core:healthz",
    "api:openapi-json",
    "training:item_image",
    "training:content_export",
    "training:results_csv",
    "cases:case_evidence_file",
    "integrity_reports:case_file",
    "integrity_reports:statistics_csv",
    "rollout:progress_export_csv",
    "rollout:progress_export_xlsx",
    "rollout:progress_report_pdf",
    "postcheck:statistics_csv",
}
PAGES = [
    row
    for row in MATRIX
    if row.method == "get" and row.allowed - {ANONYMOUS} and row.url_name not in DOWNLOADS
]


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


def _text(content: str) -> str:
    """The page's text and attribute values, unescaped, with runs of white space made one space."""
    without_scripts = re.sub(r"<(script|style)\b.*?</\1>", " ", content, flags=re.DOTALL)
    attributes = " ".join(re.findall(r'\s[\w:-]+="([^"]*)"', without_scripts))
    text = re.sub(r"<[^>]+>", " ", without_scripts)
    return re.sub(r"\s+", " ", html.unescape(f"{text} {attributes}"))


@pytest.fixture
def objects(make_user) -> dict[str, Any]:
    return common_objects(make_user)


@pytest.mark.parametrize("language", ["nl", "fr"])
@pytest.mark.parametrize("row", PAGES, ids=lambda row: row.url_name)
def test_the_page_has_no_sentence_of_another_language(
    row: Row,
    language: str,
    make_user,
    objects,
    request,
    settings,
    tmp_path,
) -> None:
    _objects_for(row, objects, make_user, request, settings, tmp_path)
    role = sorted(row.allowed - {ANONYMOUS})[0]
    client = _client(role, make_user, objects, language=language)
    response = client.get(reverse(row.url_name, args=row.args(objects)), row.data or {}, follow=True)
    assert response["Content-Type"].startswith("text/html"), (
        f"{row.url_name} is a download: list it in DOWNLOADS"
    )
    text = _text(response.content.decode())
    leaked = sorted(piece for piece in _foreign(language) if piece in text)
    assert not leaked, f"{row.url_name} as {role} in {language}: {leaked[:5]}"
