"""Single sign-on through OpenID Connect (off unless DEONTO_OIDC_CLIENT_ID is set).

Users are matched on their e-mail address; a first sign-on creates an Employee-role account
only when DEONTO_OIDC_CREATE_USERS is on, so an administrator stays in control of who enters.
"""

from __future__ import annotations

from typing import Any

from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from deonto.accounts.models import User
from deonto.accounts.roles import Role


class DeontoOIDCBackend(OIDCAuthenticationBackend):  # type: ignore[misc]
    def filter_users_by_claims(self, claims: dict[str, Any]) -> Any:
        email = (claims.get("email") or "").strip()
        if not email:
            return self.UserModel.objects.none()
        return self.UserModel.objects.filter(email__iexact=email, is_active=True)

    def create_user(self, claims: dict[str, Any]) -> User:
        from deonto.accounts.services import user_create

        email = claims["email"].strip()
        return user_create(
            actor=None,
            username=email.lower()[:150],
            email=email,
            first_name=claims.get("given_name", ""),
            last_name=claims.get("family_name", ""),
            roles=[Role.EMPLOYEE],
        )
