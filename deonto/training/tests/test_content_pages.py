"""The content pages: who may see them, the course list and overview, bundle export and upload."""

from __future__ import annotations

import io
import shutil
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from deonto.core.models import AuditEntry
from deonto.training.models import Course, ItemTranslation
from deonto.training.services import course_bundle_load, course_bundle_zip

from .conftest import MINI

pytestmark = pytest.mark.django_db

MANAGERS = ["coordinator", "administrator"]
NOBODIES = ["employee", "manager", "inspector"]


@pytest.fixture
def course(guidance):
    return course_bundle_load(directory_or_zip=MINI)


def _urls() -> dict[str, str]:
    return {
        "index": reverse("training:content_index"),
        "course": reverse("training:content_course", args=["mini"]),
        "export": reverse("training:content_export", args=["mini"]),
        "translation_list": reverse("training:translation_list", args=["mini", "fr"]),
        "translation_edit": reverse("training:translation_edit", args=["mini", "fr", "basics-intro"]),
        "translation_module": reverse("training:translation_edit_module", args=["mini", "fr", "basics"]),
        "translation_course": reverse("training:translation_edit_course", args=["mini", "fr"]),
        "results": reverse("training:results_csv"),
    }


@pytest.mark.parametrize("role", MANAGERS)
def test_coordinators_and_administrators_reach_every_content_page(course, client_for, role):
    client = client_for(role)

    for name, url in _urls().items():
        assert client.get(url).status_code == 200, name


def test_instructors_read_the_list_and_the_overview_but_cannot_translate_import_or_export(course, client_for):
    client = client_for("instructor")
    urls = _urls()

    assert client.get(urls["index"]).status_code == 200
    assert client.get(urls["course"]).status_code == 200
    for name in ("export", "translation_list", "translation_edit", "translation_module", "results"):
        assert client.get(urls[name]).status_code == 403, name
    upload = SimpleUploadedFile("mini.zip", course_bundle_zip(course=course), "application/zip")
    assert client.post(reverse("training:content_import"), {"file": upload}).status_code == 403


def test_the_instructors_list_has_no_translation_counts_nor_bundle_actions(course, client_for):
    page = client_for("instructor").get(reverse("training:content_index")).content.decode()

    assert "Minicursus" in page or "Mini course" in page
    assert reverse("training:content_export", args=["mini"]) not in page
    assert reverse("training:content_import") not in page
    assert reverse("training:results_csv") not in page


@pytest.mark.parametrize("role", NOBODIES)
def test_other_roles_are_refused_every_content_page(course, client_for, role):
    client = client_for(role)

    for name, url in _urls().items():
        assert client.get(url).status_code == 403, name
    assert client.post(reverse("training:content_import")).status_code == 403


def test_anonymous_visitors_are_sent_to_the_login(course):
    client = Client()

    for name, url in _urls().items():
        response = client.get(url)
        assert response.status_code == 302, name
        assert reverse("accounts:login") in response["Location"]


def test_the_index_counts_translations_per_language_and_links_the_translator(course, client_for):
    ItemTranslation.objects.filter(item__code="basics-intro", language="fr").delete()

    response = client_for("coordinator", language="en").get(reverse("training:content_index"))

    summary = response.context["courses"][0]
    fr = next(row for row in summary.languages if row.language == "fr")
    assert (fr.missing, fr.outdated, fr.draft) == (1, 0, 0)
    assert fr.current == 1 + 2 + 6  # the course, its two modules, the items but one
    assert [row.language for row in summary.languages] == ["nl", "fr", "en"]
    assert summary.other_languages == [("de", "German")]
    page = response.content.decode()
    assert reverse("training:translation_list", args=["mini", "fr"]) in page
    assert reverse("training:content_export", args=["mini"]) in page
    assert reverse("training:results_csv") in page


def test_the_index_takes_a_fixed_number_of_queries(course, client_for, django_assert_num_queries, tmp_path):
    client = client_for("coordinator")
    client.get(reverse("training:content_index"))
    with django_assert_num_queries(14):
        client.get(reverse("training:content_index"))
    other = tmp_path / "other"
    shutil.copytree(MINI, other)
    (other / "course.yaml").write_text(
        (other / "course.yaml").read_text().replace("code: mini", "code: other")
    )
    course_bundle_load(directory_or_zip=other)
    with django_assert_num_queries(14):
        client.get(reverse("training:content_index"))


def test_the_overview_shows_cases_with_the_recommended_choice_discussion_and_guidance(course, client_for):
    response = client_for("instructor", language="en").get(
        reverse("training:content_course", args=["mini"]) + "?lang=fr"
    )

    page = response.content.decode()
    assert "La blague dans le groupe" in page
    assert "Vous demandez de retirer le message." in page
    assert "Recommended" in page
    assert "Qui décide du public ?" in page
    assert reverse("knowledge:detail", args=["screenshots-resharing"]) in page
    case = response.context["overview"].modules[0].items[1]
    assert [choice.flagged for choice in case.choices] == [False, True]


def test_the_overview_falls_back_to_the_source_language_and_says_so(course, client_for):
    ItemTranslation.objects.filter(item__code="basics-case-chat", language="en").delete()

    page = (
        client_for("coordinator")
        .get(reverse("training:content_course", args=["mini"]) + "?lang=en")
        .content.decode()
    )

    assert "De grap in de groep" in page
    assert "Not translated yet" in page


def test_the_overview_of_an_unknown_course_is_not_found(course, client_for):
    assert client_for("instructor").get(reverse("training:content_course", args=["none"])).status_code == 404


def test_the_export_downloads_the_course_as_a_zip(course, client_for):
    response = client_for("coordinator").get(reverse("training:content_export", args=["mini"]))

    assert response["Content-Type"] == "application/zip"
    assert 'filename="mini-v1.zip"' in response["Content-Disposition"]
    assert "course.yaml" in zipfile.ZipFile(io.BytesIO(response.content)).namelist()


def _bundle_zip(course: Course, change: tuple[str, str] | None = None) -> bytes:
    """The course's bundle, with one text replaced in course.yaml when ``change`` is given."""
    source = zipfile.ZipFile(io.BytesIO(course_bundle_zip(course=course)))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            if change and name == "course.yaml":
                data = data.decode().replace(*change).encode()
            target.writestr(name, data)
    return buffer.getvalue()


def test_uploading_a_bundle_loads_it_and_says_what_changed(course, client_for):
    data = _bundle_zip(course, ("pass_mark: 75", "pass_mark: 70"))

    response = client_for("coordinator").post(
        reverse("training:content_import"),
        {"file": SimpleUploadedFile("mini.zip", data, "application/zip")},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == reverse("training:content_index")
    assert Course.objects.get(code="mini").pass_mark == 70
    assert "The course mini is loaded" in response.content.decode()
    assert AuditEntry.objects.filter(action="training.course_loaded").exists()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("notes.txt", b"hello", "A course bundle is a ZIP file"),
        ("bundle.zip", b"not a zip at all", "The file is not a ZIP file."),
    ],
)
def test_a_file_that_is_not_a_zip_is_refused(course, client_for, db_state, name, data, message):
    before = db_state()

    response = client_for("coordinator").post(
        reverse("training:content_import"), {"file": SimpleUploadedFile(name, data)}
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert db_state() == before


def test_a_file_that_is_too_large_is_refused(course, client_for, db_state, monkeypatch):
    monkeypatch.setattr("deonto.training.services_content.BUNDLE_UPLOAD_MAX_BYTES", 100)
    before = db_state()

    response = client_for("administrator").post(
        reverse("training:content_import"),
        {"file": SimpleUploadedFile("mini.zip", _bundle_zip(course), "application/zip")},
    )

    assert "The file is larger than" in response.content.decode()
    assert db_state() == before


def test_an_invalid_bundle_changes_nothing_and_lists_its_problems(course, client_for, db_state):
    data = _bundle_zip(course, ("pass_mark: 75", "pass_mark: 75\nextra: 1"))
    before = db_state()

    response = client_for("coordinator").post(
        reverse("training:content_import"), {"file": SimpleUploadedFile("mini.zip", data, "application/zip")}
    )

    page = response.content.decode()
    assert "This bundle cannot be loaded; nothing was changed." in page
    assert "course.yaml" in page
    assert response.context["problems"]
    assert db_state() == before
