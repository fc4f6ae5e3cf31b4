"""The interface follows the user's choice, else the browser."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from conftest import sign_in
from deonto.accounts.roles import Role

pytestmark = pytest.mark.django_db


def test_profile_language_wins_over_the_browser(make_user) -> None:
    client = sign_in(Client(), make_user(Role.EMPLOYEE, language="fr"))
    response = client.get(reverse("core:home"), HTTP_ACCEPT_LANGUAGE="nl")
    assert '<html lang="fr">' in response.content.decode()


def test_without_a_choice_the_browser_language_is_used(make_user) -> None:
    client = sign_in(Client(), make_user(Role.EMPLOYEE, language=""))
    response = client.get(reverse("core:home"), HTTP_ACCEPT_LANGUAGE="fr")
    assert '<html lang="fr">' in response.content.decode()


def test_switching_language_saves_it_in_the_profile(make_user) -> None:
    user = make_user(Role.EMPLOYEE, language="nl")
    client = sign_in(Client(), user)
    response = client.post(reverse("language_switch"), {"language": "fr", "next": "/guidance/"})
    assert response["Location"] == "/guidance/"
    user.refresh_from_db()
    assert user.language == "fr"


def test_anonymous_switch_is_remembered_in_a_cookie() -> None:
    client = Client()
    client.post(reverse("language_switch"), {"language": "fr", "next": reverse("accounts:login")})
    response = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="nl")
    assert '<html lang="fr">' in response.content.decode()


def test_switch_refuses_to_redirect_to_another_host() -> None:
    response = Client().post(reverse("language_switch"), {"language": "fr", "next": "https://evil.example/"})
    assert response["Location"] == reverse("core:home")


def test_unknown_language_is_ignored(make_user) -> None:
    user = make_user(Role.EMPLOYEE, language="nl")
    client = sign_in(Client(), user)
    client.post(reverse("language_switch"), {"language": "xx", "next": "/"})
    user.refresh_from_db()
    assert user.language == "nl"
