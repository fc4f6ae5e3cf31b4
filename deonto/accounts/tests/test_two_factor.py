"""Two-factor login (TOTP) for inspectors and administrators."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import PASSWORD
from deonto.accounts.roles import Role

pytestmark = pytest.mark.django_db


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@pytest.mark.parametrize("role", [Role.INSPECTOR, Role.ADMINISTRATOR])
def test_roles_with_two_factor_must_set_it_up_before_reaching_anything(make_user, role) -> None:
    make_user(role, username="secure")
    client = Client()
    client.post(reverse("accounts:login"), {"username": "secure", "password": PASSWORD})
    response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:two_factor_setup"))


@pytest.mark.parametrize("role", [Role.EMPLOYEE, Role.INSTRUCTOR, Role.COORDINATOR, Role.MANAGER])
def test_roles_without_two_factor_go_straight_in(make_user, role) -> None:
    make_user(role, username="plain")
    client = Client()
    client.post(reverse("accounts:login"), {"username": "plain", "password": PASSWORD})
    assert client.get(reverse("core:home")).status_code == 200


def test_setting_up_an_authenticator_then_logging_in_with_a_code(make_user, settings) -> None:
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # django-otp makes a retry after a wrong code wait a second
    inspector = make_user(Role.INSPECTOR, username="ines")
    client = Client()
    client.post(reverse("accounts:login"), {"username": "ines", "password": PASSWORD})
    page = client.get(reverse("accounts:two_factor_setup"))
    assert "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=inspector, confirmed=False)

    wrong = client.post(
        reverse("accounts:two_factor_setup"), {"token": "000000" if _code(device) != "000000" else "111111"}
    )
    assert wrong.status_code == 200
    assert 'aria-invalid="true"' in wrong.content.decode()

    done = client.post(reverse("accounts:two_factor_setup"), {"token": _code(device)})
    assert done.status_code == 302
    assert client.get(reverse("core:home")).status_code == 200

    client.post(reverse("accounts:logout"))
    client.post(reverse("accounts:login"), {"username": "ines", "password": PASSWORD})
    assert client.get(reverse("core:home"))["Location"].startswith(reverse("accounts:two_factor_verify"))
    device.refresh_from_db()
    device.last_t = -1
    device.save()
    assert client.post(reverse("accounts:two_factor_verify"), {"token": _code(device)}).status_code == 302
    assert client.get(reverse("core:home")).status_code == 200


def test_a_wrong_code_does_not_verify(make_user) -> None:
    inspector = make_user(Role.INSPECTOR, username="ivo")
    device = TOTPDevice.objects.create(user=inspector, confirmed=True, name="phone")
    client = Client()
    client.post(reverse("accounts:login"), {"username": "ivo", "password": PASSWORD})
    wrong = "123456" if _code(device) != "123456" else "654321"
    response = client.post(reverse("accounts:two_factor_verify"), {"token": wrong})
    assert response.status_code == 200
    assert client.get(reverse("core:home")).status_code == 302
