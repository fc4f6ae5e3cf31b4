"""The e-learning pages: who may open them, the player, the quiz through its form, the results, and
the public certificate check."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from conftest import sign_in
from deonto.training.models import Attempt, AttemptStatus, Certificate, Course, Item, ItemKind
from deonto.training.selectors_learning import quiz_items
from deonto.training.services_learning import attempt_start, quiz_submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(guidance: None) -> Course:
    call_command("sync_course", verbosity=0)
    call_command("publish_course", "social-media", verbosity=0)
    return Course.objects.get(code="social-media")


def quiz_post(course: Course, language: str) -> dict[str, Any]:
    """The quiz form filled in correctly, read from the structure."""
    data: dict[str, Any] = {}
    for entry in quiz_items(course=course, language=language):
        item = entry.item
        correct = [str(c["key"]) for c in item.structure.get("choices", []) if c.get("correct")]
        name = f"q{item.pk}"
        if item.kind in (ItemKind.SINGLE, ItemKind.TRUEFALSE):
            data[name] = correct[0]
        elif item.kind == ItemKind.MULTIPLE:
            data[name] = correct
        elif item.kind == ItemKind.SHORT:
            data[name] = entry.text.content["answers"][0].upper()
        else:
            for key in item.structure["pairs"]:
                data[f"{name}_{key}"] = str(key)
    return data


def _url(name: str, **kwargs: Any) -> str:
    return reverse(f"training:{name}", kwargs=kwargs)


def _passed(course: Course, user: Any, language: str = "nl") -> Certificate:
    from deonto.training.tests.test_learning_services import correct_answers

    attempt = attempt_start(actor=user, course=course, language=language)
    outcome = quiz_submit(actor=user, attempt=attempt, answers=correct_answers(course, language))
    assert outcome.certificate is not None
    return outcome.certificate


# Access ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name,kwargs",
    [
        ("learn_index", {}),
        ("learn_course", {"code": "social-media"}),
        ("learn_item", {"code": "social-media", "number": 1}),
        ("learn_quiz", {"code": "social-media"}),
        ("learn_quiz_result", {"code": "social-media"}),
        ("certificate_pdf", {"code": "AAAA-BBBB-CCCC"}),
    ],
)
def test_anonymous_visitors_are_sent_to_the_login_for_the_e_learning(client, course, name, kwargs):
    response = client.get(_url(name, **kwargs))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("role", ["employee", "instructor", "coordinator", "manager"])
def test_every_signed_in_role_may_open_the_e_learning(client_for, course, role):
    client = client_for(role)
    assert client.get(_url("learn_index")).status_code == 200
    assert client.get(_url("learn_course", code="social-media")).status_code == 200


def test_an_unpublished_course_is_not_found(client_for, guidance):
    call_command("sync_course", verbosity=0)
    client = client_for("employee")
    assert client.get(_url("learn_course", code="social-media")).status_code == 404
    assert "social-media" not in client.get(_url("learn_index")).content.decode()


def test_another_user_cannot_download_someone_elses_certificate(client_for, make_user, course):
    certificate = _passed(course, make_user("employee"))
    response = client_for("coordinator").get(_url("certificate_pdf", code=certificate.code))
    assert response.status_code == 404


def test_the_holder_downloads_the_certificate_pdf(client, make_user, course):
    user = make_user("employee", first_name="Jan", last_name="Peeters")
    certificate = _passed(course, user)
    sign_in(client, user)

    response = client.get(_url("certificate_pdf", code=certificate.code.lower().replace("-", "")))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert certificate.code in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF")


# The course list and page ----------------------------------------------------------------------


def test_the_course_list_shows_published_courses_in_a_fixed_number_of_queries(client, make_user, course):
    user = make_user("employee", language="fr")
    sign_in(client, user)
    client.get(_url("learn_index"))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(_url("learn_index"))
    attempt_start(actor=user, course=course, language="fr")
    with CaptureQueriesContext(connection) as again:
        client.get(_url("learn_index"))
    assert response.status_code == 200
    assert escape(course.translations.get(language="fr").title) in response.content.decode()
    assert len(again) == len(queries) <= 11


def test_the_course_page_is_in_the_interface_language_and_the_learner_may_switch(client, make_user, course):
    user = make_user("employee", language="nl")
    sign_in(client, user)
    dutch = course.translations.get(language="nl").title
    french = course.translations.get(language="fr").title
    assert dutch in client.get(_url("learn_course", code="social-media")).content.decode()

    response = client.post(_url("learn_language", code="social-media"), {"language": "fr"})

    assert response.status_code == 302
    assert Attempt.objects.get(user=user).language == "fr"
    page = client.get(_url("learn_course", code="social-media")).content.decode()
    assert french in page
    assert 'lang="fr"' in page


# The player ------------------------------------------------------------------------------------


def test_start_opens_the_first_item_and_resume_returns_to_the_last_one_seen(client, make_user, course):
    sign_in(client, make_user("employee"))
    response = client.post(_url("learn_start", code="social-media"))
    assert response["Location"] == _url("learn_item", code="social-media", number=1)

    page = client.get(_url("learn_item", code="social-media", number=5)).content.decode()
    assert "Onderdeel 5 van 24" in page
    assert '<progress max="24" value="5"' in page

    response = client.post(_url("learn_start", code="social-media"))
    assert response["Location"] == _url("learn_item", code="social-media", number=5)


def test_an_item_outside_the_course_is_not_found(client, make_user, course):
    sign_in(client, make_user("employee"))
    client.post(_url("learn_start", code="social-media"))
    assert client.get(_url("learn_item", code="social-media", number=25)).status_code == 404
    assert client.get(_url("learn_item", code="social-media", number=0)).status_code == 404


def test_the_player_without_an_attempt_goes_back_to_the_course_page(client, make_user, course):
    sign_in(client, make_user("employee"))
    response = client.get(_url("learn_item", code="social-media", number=2))
    assert response["Location"] == _url("learn_course", code="social-media")


def test_answering_a_case_shows_the_feedback_on_every_choice_and_the_guidance(client, make_user, course):
    user = make_user("employee", language="en")
    sign_in(client, user)
    client.post(_url("learn_start", code="social-media"))
    case = Item.objects.get(code="private-public-case-football-chat")
    texts = case.translations.get(language="en").content
    page = client.get(_url("learn_item", code="social-media", number=2)).content.decode()
    assert 'type="radio"' in page and escape(texts["prompt"]) in page

    response = client.post(_url("learn_item", code="social-media", number=2), {"choice": "a"})
    assert response.status_code == 302
    page = client.get(_url("learn_item", code="social-media", number=2)).content.decode()

    for key in ("a", "b", "c", "d"):
        assert escape(texts["choices"][key]["feedback"]) in page
    assert "Recommended" in page and "Your answer" in page
    assert "You did not choose the recommended reaction" in page
    assert reverse("knowledge:detail", kwargs={"code": "screenshots-resharing"}) in page
    assert case.responses.get(attempt__user=user).response == {"choice": "a"}


def test_a_case_without_a_choice_asks_for_one(client, make_user, course):
    sign_in(client, make_user("employee", language="en"))
    client.post(_url("learn_start", code="social-media"))
    response = client.post(_url("learn_item", code="social-media", number=2), {})
    assert response.status_code == 200
    assert "Choose one of the answers." in response.content.decode()


def test_a_lesson_shows_its_image_with_its_description(client, make_user, guidance, tmp_path, settings):
    from deonto.training.services import course_bundle_sync
    from deonto.training.services_learning import course_publish
    from deonto.training.tests.conftest import MINI

    report = course_bundle_sync(directory_or_zip=MINI)
    course_publish(actor=None, course=report.course)
    sign_in(client, make_user("employee", language="en"))
    client.post(_url("learn_start", code="mini"))
    page = client.get(_url("learn_item", code="mini", number=1)).content.decode()
    assert 'alt="Een blauw vierkant"' in page or 'alt="A blue square"' in page
    assert "<strong>" in page


# The quiz --------------------------------------------------------------------------------------


def test_the_quiz_opens_only_after_the_last_item(client, make_user, course):
    sign_in(client, make_user("employee"))
    client.post(_url("learn_start", code="social-media"))
    assert client.get(_url("learn_quiz", code="social-media"))["Location"] == _url(
        "learn_course", code="social-media"
    )
    client.get(_url("learn_item", code="social-media", number=24))
    page = client.get(_url("learn_quiz", code="social-media")).content.decode()
    assert page.count("<fieldset") == 23
    assert "<select" in page and 'type="checkbox"' in page and 'type="text"' in page


def test_a_quiz_with_missing_answers_is_shown_again_with_what_was_typed(client, make_user, course):
    sign_in(client, make_user("employee", language="en"))
    client.post(_url("learn_start", code="social-media"))
    client.get(_url("learn_item", code="social-media", number=24))
    short = next(e.item for e in quiz_items(course=course, language="en") if e.item.kind == ItemKind.SHORT)

    response = client.post(_url("learn_quiz", code="social-media"), {f"q{short.pk}": "my own words"})

    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="my own words"' in page
    assert "Answer this question." in page


def test_passing_the_quiz_shows_the_results_and_the_certificate(client, make_user, course):
    user = make_user("employee", language="fr")
    sign_in(client, user)
    client.post(_url("learn_start", code="social-media"))
    client.get(_url("learn_item", code="social-media", number=24))

    response = client.post(_url("learn_quiz", code="social-media"), quiz_post(course, "fr"))

    assert response["Location"] == _url("learn_quiz_result", code="social-media")
    certificate = Certificate.objects.get(completion__user=user)
    page = client.get(response["Location"]).content.decode()
    assert certificate.code in page
    assert _url("certificate_pdf", code=certificate.code) in page
    assert "100 %" in page  # French puts a space before the percent sign
    assert client.get(_url("learn_quiz", code="social-media"))["Location"] == _url(
        "learn_quiz_result", code="social-media"
    )


def test_failing_the_quiz_offers_a_new_round(client, make_user, course):
    user = make_user("employee", language="en")
    sign_in(client, user)
    client.post(_url("learn_start", code="social-media"))
    client.get(_url("learn_item", code="social-media", number=24))
    data = quiz_post(course, "en")
    for name in list(data):
        if isinstance(data[name], str) and len(data[name]) > 5:
            data[name] = "wrong answer"
        elif isinstance(data[name], list):
            data[name] = data[name][:1] if len(data[name]) > 1 else ["zz"]
    data = {k: v for k, v in data.items() if v != ["zz"]}
    for entry in quiz_items(course=course, language="en"):
        if entry.item.kind in (ItemKind.SINGLE, ItemKind.TRUEFALSE):
            data[f"q{entry.item.pk}"] = next(
                str(c["key"]) for c in entry.item.structure["choices"] if not c["correct"]
            )
        if entry.item.kind == ItemKind.MULTIPLE:
            data[f"q{entry.item.pk}"] = [str(c["key"]) for c in entry.item.structure["choices"]]

    response = client.post(_url("learn_quiz", code="social-media"), data)
    page = client.get(response["Location"]).content.decode()

    assert "You did not pass the final quiz this time." in page
    assert "Take the quiz again" in page
    assert "Right answer" in page
    response = client.post(_url("learn_quiz_retry", code="social-media"))
    assert response["Location"] == _url("learn_quiz", code="social-media")
    attempt = Attempt.objects.get(user=user)
    assert attempt.quiz_round == 2 and attempt.status == AttemptStatus.QUIZ
    assert client.get(_url("learn_quiz", code="social-media")).status_code == 200


# The public check page -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "language,valid,unknown",
    [
        ("nl", "is geldig", "Geen enkel certificaat heeft de code"),
        ("fr", "est valide", "Aucun certificat ne porte le code"),
        ("en", "is valid", "No certificate has the code"),
    ],
)
def test_anyone_checks_a_code_typed_in_lowercase_without_dashes(make_user, course, language, valid, unknown):
    certificate = _passed(course, make_user("employee", first_name="Lies", last_name="Maes"), language="fr")
    client = Client(headers={"accept-language": language})
    client.cookies["deonto_language"] = language
    typed = " " + certificate.code.replace("-", "").lower() + " "

    page = client.get(_url("certificate_check"), {"code": typed}).content.decode()

    assert f'<html lang="{language}">' in page
    assert "Lies Maes" in page and certificate.code in page
    assert escape(certificate.course_title) in page
    if language == "en":
        assert valid in page
    page = client.get(_url("certificate_check"), {"code": "zzzz zzzz zzzz"}).content.decode()
    assert "Lies Maes" not in page
    if language == "en":
        assert unknown in page


def test_the_check_page_says_when_a_certificate_was_revoked(client, make_user, course):
    certificate = _passed(course, make_user("employee"))
    Certificate.objects.filter(pk=certificate.pk).update(revoked_at=timezone.now())
    client.cookies["deonto_language"] = "en"
    page = client.get(_url("certificate_check"), {"code": certificate.code}).content.decode()
    assert "has been revoked" in page


def test_the_check_page_without_a_code_shows_only_the_form(client):
    response = client.get(_url("certificate_check"))
    assert response.status_code == 200
    assert 'name="code"' in response.content.decode()
    assert 'role="status"' not in response.content.decode()
