"""Login, logout, rate limiting, session expiry and password hashing."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth.hashers import identify_hasher, make_password
from django.test import Client, override_settings
from django.urls import reverse

from conftest import PASSWORD
from deonto.accounts.roles import Role

pytestmark = pytest.mark.django_db


def test_login_page_is_shown_in_the_browser_language() -> None:
    response = Client().get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="fr-BE,fr;q=0.9")
    assert response.status_code == 200
    assert '<html lang="fr">' in response.content.decode()


def test_employee_logs_in_and_lands_on_the_home_page(make_user) -> None:
    make_user(Role.EMPLOYEE, username="anna")
    response = Client().post(reverse("accounts:login"), {"username": "anna", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")


def test_wrong_password_keeps_the_username_and_explains(make_user) -> None:
    make_user(Role.EMPLOYEE, username="bart")
    response = Client().post(
        reverse("accounts:login"), {"username": "bart", "password": "nope"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'value="bart"' in body
    assert "wrong" in body


def test_logout_ends_the_session(make_user) -> None:
    make_user(Role.EMPLOYEE, username="carla")
    client = Client()
    client.post(reverse("accounts:login"), {"username": "carla", "password": PASSWORD})
    client.post(reverse("accounts:logout"))
    assert client.get(reverse("core:home")).status_code == 302


def test_repeated_wrong_passwords_lock_the_login_even_with_the_right_one(make_user) -> None:
    make_user(Role.EMPLOYEE, username="dirk")
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": "dirk", "password": "wrong"})
    response = client.post(
        reverse("accounts:login"), {"username": "dirk", "password": PASSWORD}, HTTP_ACCEPT_LANGUAGE="fr"
    )
    assert response.status_code == 429
    assert "Trop de tentatives" in response.content.decode()


def test_lockout_of_one_username_does_not_block_another(make_user) -> None:
    make_user(Role.EMPLOYEE, username="els")
    make_user(Role.EMPLOYEE, username="frank")
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": "els", "password": "wrong"})
    response = client.post(reverse("accounts:login"), {"username": "frank", "password": PASSWORD})
    assert response.status_code == 302


def test_sessions_expire_after_the_idle_timeout_and_at_browser_close() -> None:
    assert settings.SESSION_COOKIE_AGE == settings.SESSION_IDLE_MINUTES * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.Argon2PasswordHasher"])
def test_passwords_are_hashed_with_argon2() -> None:
    from deonto import settings as production_settings

    assert production_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert identify_hasher(make_password("x" * 16)).algorithm == "argon2"
