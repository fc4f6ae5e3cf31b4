"""Operations on accounts: each one transaction, with its audit entry."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from deonto.accounts.models import User
from deonto.accounts.permissions import can_manage_users
from deonto.accounts.roles import ADMIN_SITE_ROLES, Role
from deonto.core.audit import audit_record
from deonto.core.errors import DomainError
from deonto.people.services import employee_user_link


def _roles_set(user: User, roles: Iterable[str]) -> None:
    wanted = set(roles)
    unknown = wanted - set(Role.values)
    if unknown:
        raise DomainError(_("Unknown role: %(role)s.") % {"role": ", ".join(sorted(unknown))})
    user.groups.set(Group.objects.filter(name__in=wanted))
    user.is_staff = bool(wanted & ADMIN_SITE_ROLES)
    user.save(update_fields=["is_staff"])
    user.__dict__.pop("roles", None)


@transaction.atomic
def user_create(
    *,
    actor: User | None,
    username: str,
    email: str,
    first_name: str = "",
    last_name: str = "",
    language: str = "",
    roles: Iterable[str] = (Role.EMPLOYEE,),
    password: str | None = None,
    personnel_number: str = "",
) -> User:
    """Create a login. Without a password the account can only be entered through the
    password-reset link the administrator sends, so nobody ever types someone else's password."""
    if actor is not None and not can_manage_users(actor):
        raise PermissionDenied
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError(_("A user with this username already exists."))
    user = User(username=username, email=email, first_name=first_name, last_name=last_name, language=language)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    _roles_set(user, roles)
    if personnel_number:
        employee_user_link(actor=actor, user=user, personnel_number=personnel_number)
    audit_record(actor=actor, action="user.create", target=user, details={"roles": sorted(roles)})
    return user


@transaction.atomic
def user_update(
    *,
    actor: User,
    user: User,
    email: str,
    first_name: str,
    last_name: str,
    language: str,
    roles: Iterable[str],
    is_active: bool,
    personnel_number: str = "",
) -> User:
    if not can_manage_users(actor):
        raise PermissionDenied
    roles = set(roles)
    if user == actor and Role.ADMINISTRATOR not in roles:
        raise DomainError(_("You cannot remove your own administrator role."))
    if user == actor and not is_active:
        raise DomainError(_("You cannot deactivate your own account."))
    before = sorted(user.roles)
    user.email, user.first_name, user.last_name = email, first_name, last_name
    user.language, user.is_active = language, is_active
    user.save()
    _roles_set(user, roles)
    employee_user_link(actor=actor, user=user, personnel_number=personnel_number)
    audit_record(
        actor=actor,
        action="user.update",
        target=user,
        details={"roles_before": before, "roles_after": sorted(roles), "is_active": is_active},
    )
    return user


def user_language_set(*, user: User, language: str) -> None:
    user.language = language
    user.save(update_fields=["language"])


def password_reset_link(*, user: User, base_url: str) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return f"{base_url}/accounts/reset/{uid}/{token}/"


@transaction.atomic
def totp_device_start(*, user: User) -> TOTPDevice:
    """The unconfirmed device whose secret the user scans; a new one replaces an earlier draft."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


@transaction.atomic
def totp_device_confirm(*, user: User, device: TOTPDevice, token: str) -> bool:
    if device.user_id != user.pk or not device.verify_token(token):
        return False
    TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit_record(actor=user, action="two_factor.confirm", target=user)
    return True


@transaction.atomic
def two_factor_reset(*, actor: User, user: User) -> None:
    """For a lost phone: the user sets up a new authenticator at the next login."""
    if not can_manage_users(actor):
        raise PermissionDenied
    TOTPDevice.objects.filter(user=user).delete()
    audit_record(actor=actor, action="two_factor.reset", target=user)
