"""Reads about accounts."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import QuerySet
from django_otp.plugins.otp_totp.models import TOTPDevice

from deonto.accounts.models import User
from deonto.accounts.permissions import can_manage_users


def totp_device_confirmed_for(*, user: AbstractBaseUser) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def users_for(*, viewer: User, query: str = "") -> QuerySet[User]:
    if not can_manage_users(viewer):
        return User.objects.none()
    users = User.objects.prefetch_related("groups").order_by("username")
    if query:
        from django.db.models import Q

        users = users.filter(
            Q(username__icontains=query)
            | Q(first_name__icontains=query)
            | Q(last_name__icontains=query)
            | Q(email__icontains=query)
        )
    return users
