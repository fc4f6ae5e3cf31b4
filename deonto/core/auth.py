"""The signed-in user of a request, typed."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from deonto.accounts.models import User


def signed_in_user(request: HttpRequest) -> User:
    """Views behind ``login_required`` use this to get a ``User`` rather than ``AnonymousUser``."""
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        raise PermissionDenied
    return user
