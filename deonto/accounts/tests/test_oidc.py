"""Single sign-on through OpenID Connect: off by default, matched on e-mail when on."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from deonto.accounts.roles import Role

ROOT = Path(__file__).resolve().parents[3]
pytestmark = pytest.mark.django_db


def test_single_sign_on_is_off_unless_configured() -> None:
    assert settings.OIDC_ENABLED is False
    assert (
        "single sign-on"
        not in Client().get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )


def test_configured_single_sign_on_sends_the_browser_to_the_identity_provider() -> None:
    code = (
        "import django; django.setup();"
        "from django.core.management import call_command; call_command('migrate', verbosity=0);"
        "from django.test import Client; from django.test.utils import setup_test_environment;"
        "setup_test_environment(); c = Client();"
        "page = c.get('/accounts/login/', HTTP_ACCEPT_LANGUAGE='en').content.decode();"
        "assert 'Log in with single sign-on' in page, page;"
        "r = c.get('/oidc/authenticate/');"
        "print(r.status_code, r['Location'])"
    )
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("DEONTO_OIDC")},
        "DJANGO_SETTINGS_MODULE": "deonto.settings_test",
        "DATABASE_URL": "sqlite://:memory:",
        "DEONTO_OIDC_CLIENT_ID": "deonto",
        "DEONTO_OIDC_CLIENT_SECRET": "s3cret",
        "DEONTO_OIDC_AUTHORIZATION_ENDPOINT": "https://idp.example.test/authorize",
        "DEONTO_OIDC_TOKEN_ENDPOINT": "https://idp.example.test/token",
        "DEONTO_OIDC_USER_ENDPOINT": "https://idp.example.test/userinfo",
        "DEONTO_OIDC_JWKS_ENDPOINT": "https://idp.example.test/jwks",
    }
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    status, location = result.stdout.split()
    assert status == "302"
    assert location.startswith("https://idp.example.test/authorize?")
    assert "client_id=deonto" in location


def test_sign_on_matches_an_existing_user_by_email(make_user) -> None:
    from deonto.accounts.oidc import DeontoOIDCBackend

    user = make_user(Role.EMPLOYEE, username="sso-user")
    backend = DeontoOIDCBackend.__new__(DeontoOIDCBackend)
    backend.UserModel = type(user)
    assert list(backend.filter_users_by_claims({"email": "SSO-USER@example.test"})) == [user]
    assert not backend.filter_users_by_claims({"email": ""}).exists()


def test_a_first_sign_on_creates_an_employee_account(db) -> None:
    from deonto.accounts.models import User
    from deonto.accounts.oidc import DeontoOIDCBackend

    backend = DeontoOIDCBackend.__new__(DeontoOIDCBackend)
    backend.UserModel = User
    user = backend.create_user(
        {"email": "New.Person@example.test", "given_name": "New", "family_name": "Person"}
    )
    assert user.roles == {"employee"}
    assert user.username == "new.person@example.test"
