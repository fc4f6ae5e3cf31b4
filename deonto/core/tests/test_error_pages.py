"""Error pages exist in every language and keep the layout."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from conftest import sign_in
from deonto.accounts.roles import Role

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "title"),
    [("nl", "Pagina niet gevonden"), ("fr", "Page introuvable"), ("en", "Page not found")],
)
def test_404_page_is_in_the_visitors_language(language: str, title: str) -> None:
    response = Client().get("/no-such-page/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 404
    assert title in response.content.decode()


@pytest.mark.parametrize(
    ("language", "title"), [("nl", "Geen toegang"), ("fr", "Accès refusé"), ("en", "Access denied")]
)
def test_403_page_is_in_the_users_language(make_user, language: str, title: str) -> None:
    client = sign_in(Client(), make_user(Role.EMPLOYEE, language=language))
    response = client.get(reverse("accounts:user_list"))
    assert response.status_code == 403
    assert title in response.content.decode()


@pytest.mark.parametrize(
    ("language", "title"),
    [("nl", "Er ging iets mis"), ("fr", "Une erreur s’est produite"), ("en", "Something went wrong")],
)
def test_500_page_is_in_the_visitors_language(language: str, title: str) -> None:
    from django.template.loader import render_to_string
    from django.utils import translation

    with translation.override(language):
        html = render_to_string("500.html")
    assert title in html
    assert f'lang="{language}"' in html


def test_every_page_forbids_foreign_scripts_and_framing() -> None:
    response = Client().get(reverse("accounts:login"))
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "script-src 'self'" in policy


def test_health_check_answers_for_the_load_balancer() -> None:
    response = Client().get(reverse("core:healthz"))
    assert response.json() == {"status": "ok"}
