"""Administrators manage accounts and roles; nobody else can."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from conftest import sign_in
from deonto.accounts.models import User
from deonto.accounts.roles import Role
from deonto.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_administrator_creates_an_account_and_the_user_gets_a_password_link(client_for) -> None:
    client = client_for(Role.ADMINISTRATOR)
    response = client.post(
        reverse("accounts:user_create"),
        {
            "username": "nadia",
            "email": "nadia@example.test",
            "language": "fr",
            "roles": ["employee", "instructor"],
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    nadia = User.objects.get(username="nadia")
    assert nadia.roles == {"employee", "instructor"}
    assert not nadia.has_usable_password()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["nadia@example.test"]
    assert "Deonto" in mail.outbox[0].subject
    assert "/accounts/reset/" in mail.outbox[0].body
    assert AuditEntry.objects.filter(action="user.create", object_id=str(nadia.pk)).exists()


def test_the_password_link_is_written_in_the_new_users_language(client_for) -> None:
    client = client_for(Role.ADMINISTRATOR, language="en")
    client.post(
        reverse("accounts:user_create"),
        {
            "username": "luc",
            "email": "luc@example.test",
            "language": "nl",
            "roles": ["employee"],
            "is_active": "on",
        },
    )
    assert mail.outbox[0].subject == "Uw Deonto-account"


def test_invalid_account_form_keeps_what_was_typed(client_for) -> None:
    client = client_for(Role.ADMINISTRATOR)
    response = client.post(
        reverse("accounts:user_create"),
        {"username": "bad name!", "email": "not-an-address", "first_name": "Zoë", "roles": ["employee"]},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'value="bad name!"' in body
    assert 'value="Zoë"' in body
    assert 'value="not-an-address"' in body
    assert not User.objects.filter(first_name="Zoë").exists()


def test_administrator_changes_roles_and_it_is_audited(client_for, make_user) -> None:
    client = client_for(Role.ADMINISTRATOR)
    subject = make_user(Role.EMPLOYEE, username="omar")
    response = client.post(
        reverse("accounts:user_edit", args=[subject.pk]),
        {"email": "omar@example.test", "roles": ["employee", "coordinator"], "is_active": "on"},
    )
    assert response.status_code == 302
    subject.refresh_from_db()
    assert User.objects.get(pk=subject.pk).roles == {"employee", "coordinator"}
    entry = AuditEntry.objects.get(action="user.update", object_id=str(subject.pk))
    assert entry.details["roles_after"] == ["coordinator", "employee"]


def test_administrator_cannot_remove_their_own_administrator_role(make_user) -> None:
    admin = make_user(Role.ADMINISTRATOR, username="root")
    client = sign_in(Client(), admin)
    response = client.post(
        reverse("accounts:user_edit", args=[admin.pk]),
        {"email": "root@example.test", "roles": ["employee"], "is_active": "on"},
    )
    assert response.status_code == 200
    assert User.objects.get(pk=admin.pk).has_role(Role.ADMINISTRATOR)


def test_two_factor_reset_removes_the_users_authenticator(client_for, make_user) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    inspector = make_user(Role.INSPECTOR)
    TOTPDevice.objects.create(user=inspector, confirmed=True, name="phone")
    client = client_for(Role.ADMINISTRATOR)
    client.post(reverse("accounts:user_two_factor_reset", args=[inspector.pk]))
    assert not TOTPDevice.objects.filter(user=inspector).exists()


@pytest.mark.parametrize(
    "role", [Role.EMPLOYEE, Role.INSTRUCTOR, Role.COORDINATOR, Role.MANAGER, Role.INSPECTOR]
)
def test_other_roles_cannot_manage_accounts(client_for, make_user, role) -> None:
    client = client_for(role)
    target = make_user(Role.EMPLOYEE)
    assert client.get(reverse("accounts:user_list")).status_code == 403
    assert client.post(reverse("accounts:user_two_factor_reset", args=[target.pk])).status_code == 403


def test_password_reset_sends_a_working_link(make_user) -> None:
    make_user(Role.EMPLOYEE, username="petra")
    client = Client()
    response = client.post(reverse("accounts:password_reset"), {"email": "petra@example.test"})
    assert response.status_code == 302
    body = mail.outbox[0].body
    link = next(line for line in body.splitlines() if "/accounts/reset/" in line).strip()
    path = link.split("://", 1)[1].split("/", 1)[1]
    page = client.get("/" + path, follow=True)
    assert page.status_code == 200
    done = client.post(
        page.redirect_chain[-1][0],
        {"new_password1": "a much longer new passphrase", "new_password2": "a much longer new passphrase"},
    )
    assert done.status_code == 302
    login = Client().post(
        reverse("accounts:login"), {"username": "petra", "password": "a much longer new passphrase"}
    )
    assert login.status_code == 302


def test_the_reset_email_is_written_in_the_accounts_language(make_user) -> None:
    make_user(Role.EMPLOYEE, username="sophie", language="fr")
    Client().post(
        reverse("accounts:password_reset"), {"email": "sophie@example.test"}, HTTP_ACCEPT_LANGUAGE="nl"
    )
    assert mail.outbox[0].subject == "Choisissez un nouveau mot de passe Deonto"


def test_an_account_is_linked_to_its_roster_record_by_personnel_number(client_for) -> None:
    from deonto.people.tests.factories import EmployeeFactory

    employee = EmployeeFactory(personnel_number="654321")
    client = client_for(Role.ADMINISTRATOR)
    client.post(
        reverse("accounts:user_create"),
        {
            "username": "linked",
            "email": "l@example.test",
            "roles": ["employee"],
            "personnel_number": "654321",
        },
    )
    employee.refresh_from_db()
    assert employee.user is not None
    assert employee.user.username == "linked"
    assert AuditEntry.objects.filter(action="employee.link_user", object_id=str(employee.pk)).exists()


def test_an_unknown_personnel_number_is_refused_and_nothing_is_created(client_for) -> None:
    client = client_for(Role.ADMINISTRATOR, language="en")
    response = client.post(
        reverse("accounts:user_create"),
        {"username": "ghost", "email": "g@example.test", "roles": ["employee"], "personnel_number": "000000"},
    )
    assert response.status_code == 200
    assert "There is no employee with the personnel number 000000." in response.content.decode()
    assert 'value="000000"' in response.content.decode()
    assert not User.objects.filter(username="ghost").exists()


def test_an_employee_already_linked_elsewhere_is_refused(client_for, make_user) -> None:
    from deonto.people.tests.factories import EmployeeFactory

    other = make_user(Role.EMPLOYEE)
    EmployeeFactory(personnel_number="111111", user=other)
    subject = make_user(Role.EMPLOYEE)
    client = client_for(Role.ADMINISTRATOR, language="en")
    response = client.post(
        reverse("accounts:user_edit", args=[subject.pk]),
        {"email": "s@example.test", "roles": ["employee"], "is_active": "on", "personnel_number": "111111"},
    )
    assert response.status_code == 200
    assert "already linked to another account" in response.content.decode()
