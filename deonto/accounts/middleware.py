"""The interface language of a signed-in user, and the second factor for the roles that need it."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import translation

# Paths a user who still owes a second factor may reach.
_TWO_FACTOR_OPEN_PREFIXES = ("/accounts/two-factor/", "/accounts/logout/", "/language/", "/static/")


class UserLanguageMiddleware:
    """After LocaleMiddleware (cookie, then browser): a signed-in user's own choice wins."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = getattr(request.user, "language", "") if request.user.is_authenticated else ""
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        response = self.get_response(request)
        if language:
            response.headers.setdefault("Content-Language", language)
        return response


class TwoFactorRequiredMiddleware:
    """Inspectors and administrators reach nothing until they have confirmed a one-time code."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and getattr(user, "needs_two_factor", False)
            and not user.is_verified()  # type: ignore[attr-defined]
            and not request.path.startswith(_TWO_FACTOR_OPEN_PREFIXES)
        ):
            from deonto.accounts.selectors import totp_device_confirmed_for

            target = (
                "accounts:two_factor_verify"
                if totp_device_confirmed_for(user=user)
                else ("accounts:two_factor_setup")
            )
            url = reverse(target)
            if request.method == "GET" and request.path != settings.LOGIN_REDIRECT_URL:
                url = f"{url}?next={request.get_full_path()}"
            return HttpResponseRedirect(url)
        return self.get_response(request)
