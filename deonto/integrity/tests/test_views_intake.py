from __future__ import annotations

import logging
from typing import Any

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, models
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from deonto.integrity.models import IntakeMode, MessageSide, Report, ReportMessage, ReportStatus
from deonto.integrity.services_intake import report_message_add, report_submit
from deonto.integrity.tests.conftest import PNG
from deonto.integrity.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db

CLIENT_IP = "203.0.113.77"
CLIENT_AGENT = "Mozilla/5.0 (Deonto-Test-Agent zq81x)"


@pytest.fixture(autouse=True)
def english_by_default(settings: Any) -> None:
    """Pages are compared in English; visitors without a language preference get the default."""
    settings.LANGUAGE_CODE = "en"


def _form(**overrides: Any) -> dict[str, Any]:
    return {
        "mode": "anonymous",
        "category": "social-media",
        "description": "A colleague posted a photo of a prisoner.",
        "occurred_on": "2026-03-02",
        "location": "Facebook",
        "links": "https://example.org/post/1\nhttps://example.org/post/2",
        **overrides,
    }


def _anonymous_report(client: Client) -> tuple[Report, str]:
    response = client.post(reverse("integrity:report_new"), _form())
    assert response.status_code == 302
    page = client.get(response["Location"])
    code = page.context["code"]
    return Report.objects.get(reference=page.context["reference"]), code


def test_the_start_page_explains_the_three_ways_and_links_to_the_guidance(
    client: Client, guidance: None
) -> None:
    response = client.get(reverse("integrity:report_start"))
    content = response.content.decode()
    for mode in ("named", "confidential", "anonymous"):
        assert f"?mode={mode}" in content
    assert reverse("knowledge:detail", args=["reporting-breach"]) in content


def test_a_visitor_reports_anonymously_and_sees_the_code_once(client: Client) -> None:
    response = client.post(
        reverse("integrity:report_new"), {**_form(), "attachments": [SimpleUploadedFile("shot.png", PNG)]}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("integrity:report_receipt")
    receipt = client.get(response["Location"])
    report = Report.objects.get()
    assert report.reference in receipt.content.decode()
    assert receipt.context["code"] in receipt.content.decode()
    assert report.reporter is None
    assert report.links == ["https://example.org/post/1", "https://example.org/post/2"]
    assert report.evidence.count() == 1
    again = client.get(reverse("integrity:report_receipt"))
    assert again.status_code == 302
    assert "integrity_receipt" not in client.session


@pytest.mark.parametrize("mode", ["named", "confidential"])
def test_a_named_or_confidential_report_sends_a_visitor_to_log_in(client: Client, mode: str) -> None:
    response = client.get(reverse("integrity:report_new"), {"mode": mode})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    posted = client.post(reverse("integrity:report_new"), _form(mode=mode))
    assert posted["Location"].startswith(reverse("accounts:login"))
    assert not Report.objects.exists()


def test_a_signed_in_user_reports_confidentially_and_finds_it_in_their_reports(client_for: Any) -> None:
    client = client_for("employee")
    form = client.get(reverse("integrity:report_new"), {"mode": "confidential"})
    assert form.context["form"].initial["mode"] == "confidential"
    response = client.post(reverse("integrity:report_new"), _form(mode="confidential"))
    receipt = client.get(response["Location"])
    assert receipt.context["code"] is None
    report = Report.objects.get()
    assert report.intake_mode == IntakeMode.CONFIDENTIAL and report.reporter is not None
    mine = client.get(reverse("integrity:my_reports"))
    assert report.reference in mine.content.decode()


def test_my_reports_shows_only_my_own_named_reports_in_a_fixed_number_of_queries(make_user: Any) -> None:
    from conftest import sign_in

    me, other = make_user("employee"), make_user("employee")
    for _ in range(3):
        report_submit(
            reporter=me,
            mode="named",
            category="other",
            description="x",
            occurred_on=None,
            location="",
            links=[],
            files=[],
        )
    theirs, _code = report_submit(
        reporter=other,
        mode="named",
        category="other",
        description="x",
        occurred_on=None,
        location="",
        links=[],
        files=[],
    )
    client = sign_in(Client(), me)
    client.get(reverse("integrity:my_reports"))
    with CaptureQueriesContext(connection) as few:
        response = client.get(reverse("integrity:my_reports"))
    assert len(response.context["reports"]) == 3
    assert theirs.reference not in response.content.decode()
    for _ in range(4):
        report_submit(
            reporter=me,
            mode="named",
            category="other",
            description="x",
            occurred_on=None,
            location="",
            links=[],
            files=[],
        )
    with CaptureQueriesContext(connection) as more:
        assert len(client.get(reverse("integrity:my_reports")).context["reports"]) == 7
    assert len(more) == len(few) == 9


def test_the_form_shows_what_was_typed_with_the_errors(client: Client) -> None:
    response = client.post(reverse("integrity:report_new"), _form(links="not a link\nhttps://ok.example"))
    content = response.content.decode()
    assert response.status_code == 200
    assert "not a link" in content
    assert "A colleague posted a photo of a prisoner." in content
    assert "Facebook" in content
    assert not Report.objects.exists()


def test_a_refused_attachment_is_shown_on_the_form_and_nothing_is_kept(client: Client) -> None:
    response = client.post(
        reverse("integrity:report_new"),
        {
            **_form(),
            "attachments": [SimpleUploadedFile("tool.exe", b"MZ\x90\x00", "application/x-msdownload")],
        },
    )
    assert response.status_code == 200
    assert "tool.exe was refused" in response.content.decode()
    assert "A colleague posted a photo of a prisoner." in response.content.decode()
    assert not Report.objects.exists()


def test_the_right_code_opens_the_report_with_its_status_and_the_service_messages(client: Client) -> None:
    report, code = _anonymous_report(client)
    report_message_add(report=report, side=MessageSide.SERVICE, author=None, body="Which account posted it?")
    visitor = Client()
    assert "code" in visitor.get(reverse("integrity:followup")).context["form"].fields
    response = visitor.post(reverse("integrity:followup"), {"action": "code", "code": code}, follow=True)
    content = response.content.decode()
    assert report.reference in content
    assert str(ReportStatus.RECEIVED.label) in content
    assert "Which account posted it?" in content
    assert code not in content


def test_a_wrong_code_gives_the_same_generic_message_and_opens_nothing(client: Client) -> None:
    _anonymous_report(client)
    named = ReportFactory(intake_mode=IntakeMode.NAMED, receipt_code_hash="")
    for code in ("AAAA-BBBB-CCCC", named.reference, "e3b0c44298fc1c149afbf4c8996fb924"):
        visitor = Client()
        response = visitor.post(reverse("integrity:followup"), {"action": "code", "code": code})
        assert response.status_code == 200
        assert response.context["form"].errors["code"] == [
            "This code does not open a report. Check the code and try again."
        ]
        assert response.context["form"].data["code"] == code
        assert "integrity_followup_report" not in visitor.session


def test_answering_adds_a_message_and_files_from_the_reporter(client: Client) -> None:
    report, code = _anonymous_report(client)
    visitor = Client()
    visitor.post(reverse("integrity:followup"), {"action": "code", "code": code})
    response = visitor.post(
        reverse("integrity:followup"),
        {
            "action": "answer",
            "body": "It was the account @xyz.",
            "attachments": [SimpleUploadedFile("b.png", PNG)],
        },
    )
    assert response.status_code == 200
    assert response.context["sent"]
    message = ReportMessage.objects.get(report=report)
    assert (message.author_side, message.author, message.body) == (
        "reporter",
        None,
        "It was the account @xyz.",
    )
    assert report.evidence.count() == 1


def test_an_empty_answer_is_refused_and_the_report_stays_open(client: Client) -> None:
    _report, code = _anonymous_report(client)
    client.post(reverse("integrity:followup"), {"action": "code", "code": code})
    response = client.post(reverse("integrity:followup"), {"action": "answer", "body": " "})
    assert response.context["form"].errors
    assert not ReportMessage.objects.exists()
    client.post(reverse("integrity:followup"), {"action": "leave"})
    assert "code" in client.get(reverse("integrity:followup")).context["form"].fields


def _text_values(value: Any) -> str:
    return value if isinstance(value, str) else str(value) if value is not None else ""


def test_an_anonymous_report_stores_and_logs_no_address_or_browser(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    client = Client(REMOTE_ADDR=CLIENT_IP, HTTP_USER_AGENT=CLIENT_AGENT, HTTP_X_FORWARDED_FOR=CLIENT_IP)
    client.get(reverse("integrity:report_new"))
    response = client.post(
        reverse("integrity:report_new"), {**_form(), "attachments": [SimpleUploadedFile("shot.png", PNG)]}
    )
    receipt = client.get(response["Location"])
    code = receipt.context["code"]
    client.post(reverse("integrity:followup"), {"action": "code", "code": "WRONG-CODE"})
    client.post(reverse("integrity:followup"), {"action": "code", "code": code})
    client.post(reverse("integrity:followup"), {"action": "answer", "body": "More details."})

    found = []
    for model in apps.get_models():
        fields = [
            field.name
            for field in model._meta.concrete_fields
            if isinstance(
                field, models.CharField | models.TextField | models.JSONField | models.GenericIPAddressField
            )
        ]
        for row in model._default_manager.values_list(*fields) if fields else []:
            text = " ".join(_text_values(value) for value in row)
            if (
                CLIENT_IP in text
                or "Deonto-Test-Agent" in text
                or code.replace("-", "") in text.replace("-", "")
            ):
                found.append(model._meta.label)
    assert found == []
    for session in Session.objects.all():
        decoded = str(session.get_decoded())
        assert CLIENT_IP not in decoded and "Deonto-Test-Agent" not in decoded and code not in decoded
    assert CLIENT_IP not in caplog.text
    assert "Deonto-Test-Agent" not in caplog.text
