"""The certificate PDF: a real PDF in the holder's language, with the holder's name and the code."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.core.management import call_command

from deonto.training.certificates import certificate_issue_date, certificate_pdf
from deonto.training.models import Certificate, Course
from deonto.training.services_learning import attempt_start, quiz_submit
from deonto.training.tests.test_learning_services import correct_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(guidance: None, make_user) -> Certificate:
    call_command("sync_course", verbosity=0)
    call_command("publish_course", "social-media", verbosity=0)
    course = Course.objects.get(code="social-media")
    user = make_user("employee", first_name="Jan", last_name="Peeters")
    attempt = attempt_start(actor=user, course=course, language="fr")
    outcome = quiz_submit(actor=user, attempt=attempt, answers=correct_answers(course, "fr"))
    assert outcome.certificate is not None
    return outcome.certificate


def test_the_pdf_is_an_a4_landscape_pdf_with_the_holder_and_the_code(certificate):
    content = certificate_pdf(
        certificate, check_url="https://deonto.example/training/certificates/check/", compress=False
    )

    assert content.startswith(b"%PDF")
    assert b"Jan Peeters" in content
    assert certificate.code.encode() in content
    assert b"/MediaBox [ 0 0 841.8898 595.2756 ]" in content
    assert b"FontFile2" in content  # the TrueType font is embedded


def test_the_compressed_pdf_is_small(certificate):
    content = certificate_pdf(certificate, check_url="https://deonto.example/check/")
    assert content.startswith(b"%PDF")
    assert len(content) < 120_000


def test_the_issue_date_is_on_the_brussels_calendar_in_the_language_asked(certificate):
    certificate.issued_at = datetime(2025, 3, 31, 22, 30, tzinfo=UTC)  # 1 April, 00:30 in Brussels

    assert certificate_issue_date(certificate, language="fr") == "1 avril 2025"
    assert certificate_issue_date(certificate, language="nl") == "1 april 2025"
    assert certificate_issue_date(certificate, language="en") == "April 1, 2025"
