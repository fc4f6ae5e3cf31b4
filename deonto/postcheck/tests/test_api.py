"""POST /api/postcheck: JSON or multipart, session and CSRF, clear errors, and the OpenAPI document."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation

from conftest import sign_in
from deonto.accounts.roles import Role
from deonto.postcheck.tests.photos import photo_with_gps

pytestmark = pytest.mark.django_db

URL = "/api/postcheck"
SNAPSHOT = Path(__file__).with_name("openapi_snapshot.json")
RISKY = "Mooie vangst vandaag in de haven van Antwerpen: 200 kg coke in een container."


@pytest.fixture
def client(client_for):
    return client_for(Role.EMPLOYEE, language="en")


def _post_json(client: Client, payload: object, **extra: str):
    return client.post(URL, json.dumps(payload), content_type="application/json", **extra)


def test_a_json_draft_gets_its_language_and_findings(client) -> None:
    response = _post_json(client, {"text": RISKY})
    assert response.status_code == 200
    body = response.json()
    assert body["language"] == "nl"
    assert body["language_confidence"] > 0.5
    assert body["photo"] is None
    finding = body["findings"][0]
    assert finding["severity"] == "high"
    assert finding["category"] == "operational"
    assert set(finding) >= {"rule", "explanation", "advice", "article", "source", "span", "excerpt"}
    start, end = finding["span"]
    assert RISKY[start:end] == finding["excerpt"]


def test_the_language_can_be_given(client) -> None:
    assert _post_json(client, {"text": RISKY, "language": "de"}).json()["language"] == "de"


def test_a_photo_is_sent_as_multipart(client) -> None:
    upload = SimpleUploadedFile("photo.jpg", photo_with_gps(), content_type="image/jpeg")
    response = client.post(URL, {"text": "Op het werk", "language": "nl", "photo": upload})
    assert response.status_code == 200
    photo = response.json()["photo"]
    assert photo["metadata"]["latitude"] == pytest.approx(51.2637, abs=1e-3)
    assert "location" in {finding["category"] for finding in response.json()["findings"]}


@pytest.mark.parametrize(
    ("payload", "status", "code"),
    [
        ({"text": "   "}, 400, "empty"),
        ({"text": "x" * 100_000}, 413, "too-long"),
        ({"text": "Hallo", "language": "xx"}, 422, "invalid"),
        ({"language": "nl"}, 422, "invalid"),
    ],
)
def test_bad_json_input_gets_a_status_and_a_message(client, payload, status, code) -> None:
    response = _post_json(client, payload)
    assert response.status_code == status
    assert response.json()["code"] == code
    assert response.json()["message"]


def test_a_body_that_is_not_json_is_a_bad_request(client) -> None:
    response = client.post(URL, "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid-json"


def test_other_content_types_are_unsupported(client) -> None:
    response = client.post(URL, "text", content_type="text/plain")
    assert response.status_code == 415


def test_a_file_that_is_not_an_image_is_unsupported_media(client) -> None:
    upload = SimpleUploadedFile("x.png", b"hello", content_type="image/png")
    response = client.post(URL, {"photo": upload})
    assert response.status_code == 415
    assert response.json() == {
        "code": "not-an-image",
        "message": "This file is not a photo that can be read. Choose a JPEG, PNG, WebP, HEIC or GIF photo.",
    }


def test_a_photo_over_the_limit_is_too_large(client, monkeypatch) -> None:
    monkeypatch.setattr("deonto.postcheck.forms.MAX_FILE_BYTES", 1000)
    upload = SimpleUploadedFile("x.jpg", b"\xff" * 5000, content_type="image/jpeg")
    response = client.post(URL, {"photo": upload})
    assert response.status_code == 413
    assert response.json()["code"] == "too-large-file"


def test_messages_follow_the_users_language(client_for) -> None:
    client = client_for(Role.EMPLOYEE, language="fr")
    response = _post_json(client, {"text": " "})
    with translation.override("fr"):
        from deonto.postcheck.forms import rejection_message

        assert response.json()["message"] == rejection_message("empty")


def test_visitors_are_not_signed_in() -> None:
    response = _post_json(Client(), {"text": RISKY})
    assert response.status_code == 401
    assert response.json()["code"] == "not-signed-in"


def test_the_session_needs_its_csrf_token(make_user) -> None:
    client = sign_in(Client(enforce_csrf_checks=True), make_user(Role.EMPLOYEE))
    assert _post_json(client, {"text": RISKY}).status_code == 403
    client.get("/check/")
    token = client.cookies["csrftoken"].value
    assert _post_json(client, {"text": RISKY}, HTTP_X_CSRFTOKEN=token).status_code == 200


def test_the_openapi_document_matches_its_snapshot(client) -> None:
    """Regenerate with: DEONTO_UPDATE_SNAPSHOT=1 pytest deonto/postcheck/tests/test_api.py -k openapi"""
    import os

    document = client.get("/api/openapi.json").json()
    assert "/api/postcheck" in document["paths"]
    operation = document["paths"]["/api/postcheck"]["post"]
    assert set(operation["requestBody"]["content"]) == {"application/json", "multipart/form-data"}
    assert {"200", "400", "413", "415", "422"} <= set(operation["responses"])
    rendered = json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    if os.environ.get("DEONTO_UPDATE_SNAPSHOT"):
        SNAPSHOT.write_text(rendered, encoding="utf-8")
    assert rendered == SNAPSHOT.read_text(encoding="utf-8")


def test_the_api_documentation_page_documents_the_post_check_from_the_openapi_document(client) -> None:
    response = client.get("/api/docs")
    assert response.status_code == 200
    assert [template.name for template in response.templates][:2] == ["api/docs.html", "base.html"]
    documentation = response.context["documentation"]
    assert (documentation.title, documentation.version) == ("Deonto API", "1")
    [operation] = documentation.operations
    assert (operation.method, operation.path) == ("POST", "/api/postcheck")
    assert operation.summary == "Check a draft post and its photo"
    json_body, multipart_body = operation.request_bodies
    assert json_body.content_type == "application/json"
    assert {(field.name, field.type, field.required) for field in json_body.fields} == {
        ("text", "string", True),
        ("language", '"nl" | "fr" | "en" | "de" | null', False),
    }
    assert ("photo", "string (binary)") in {(field.name, field.type) for field in multipart_body.fields}
    assert [answer.status for answer in operation.responses] == ["200", "400", "413", "415", "422"]
    fields_200 = {field.name: field for field in operation.responses[0].bodies[0].fields}
    assert fields_200["findings"].type == "FindingOut[]"
    assert fields_200["findings[].severity"].type == '"info" | "warning" | "high"'
    assert fields_200["photo.metadata.latitude"].type == "number | null"
    assert fields_200["photo.codes[].text"].required

    page = response.content.decode()
    assert "<h1>Deonto API documentation</h1>" in page
    assert "<code>POST /api/postcheck</code>" in page
    assert "<code>sessionid</code>" in page
    assert "<code>X-CSRFToken</code>" in page
    assert '<a href="/api/openapi.json">' in page
    assert "<code>photo.metadata.latitude</code>" in page
    assert "<script" not in page.split("</head>", 1)[1]
    assert "swagger" not in page.lower()


def test_anonymous_visitors_of_the_api_documentation_are_sent_to_the_login_page() -> None:
    response = Client().get("/api/docs")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
