"""Every page a role can open speaks the reader's language: no sentence of another language's catalogue
leaks into it. A translation looked up at import time (frozen in whatever language was active then), or a
string shown untranslated, would show here. (Text written in the code in one language and in no catalogue
would not: the catalogue test finds strings marked for translation, not those that were not.)

Each page of the access matrix that answers a GET is opened by a role that may see it, in Dutch and in
French, and its text and attributes are searched for the longer literal pieces (20 characters or more) of
the other catalogues: the English source strings and the other language's translations, where they differ
from this language's.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from deonto.core.tests.language_leaks import foreign_sentences
from deonto.core.tests.test_access_matrix import (
    ANONYMOUS,
    MATRIX,
    Row,
    _client,
    _objects_for,
    common_objects,
)

pytestmark = pytest.mark.django_db

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
    leaked = foreign_sentences(response.content.decode(), language)
    assert not leaked, f"{row.url_name} as {role} in {language}: {leaked[:5]}"
