"""Fixtures shared by every app's tests: users with roles, and signing them in."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from deonto.accounts.models import User
from deonto.accounts.roles import Role
from deonto.accounts.services import user_create
from deonto.core.tests.language_leaks import foreign_sentences

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def every_email_is_in_one_language() -> Iterator[None]:
    """Every e-mail a test sends says its language (`deonto.core.mail.mail_in`), and holds no sentence of
    another language's catalogue, in its text or its HTML."""
    yield
    for email in getattr(mail, "outbox", []):
        language = email.extra_headers.get("Content-Language", "")
        assert language, f"the e-mail {email.subject!r} does not say its language: send it with mail_in"
        if language not in ("nl", "fr"):
            continue
        bodies = [email.body, *(content for content, _type in getattr(email, "alternatives", []))]
        leaked = sorted({piece for body in bodies for piece in foreign_sentences(str(body), language)})
        assert not leaked, f"the e-mail {email.subject!r} in {language} holds: {leaked[:5]}"


@pytest.fixture
def make_user(db: Any) -> Callable[..., User]:
    counter = iter(range(1, 10_000))

    def make(*roles: str, language: str = "", username: str | None = None, **extra: Any) -> User:
        name = username or f"{'-'.join(roles) or 'nobody'}{next(counter)}"
        return user_create(
            actor=None,
            username=name,
            email=f"{name}@example.test",
            language=language,
            roles=roles,
            password=PASSWORD,
            **extra,
        )

    return make


def sign_in(client: Client, user: User) -> Client:
    """Sign the client in; for the roles that need it, as if the second factor was confirmed."""
    client.force_login(user)
    if user.needs_two_factor:
        device, _created = TOTPDevice.objects.get_or_create(
            user=user, confirmed=True, defaults={"name": "test"}
        )
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


@pytest.fixture
def client_for(make_user: Callable[..., User]) -> Callable[..., Client]:
    def make(*roles: str, language: str = "") -> Client:
        return sign_in(Client(), make_user(*roles, language=language))

    return make


ALL_ROLES: tuple[str, ...] = tuple(Role.values)


@pytest.fixture
def roles() -> Iterable[str]:
    return ALL_ROLES


@pytest.fixture
def guidance(db: Any) -> None:
    """The guidance content that ships with Deonto (articles other pages link to)."""
    from django.core.management import call_command

    call_command("sync_guidance", verbosity=0)
