"""Deonto's JSON API: one NinjaAPI, one router per app, its OpenAPI document at /api/openapi.json.

The interactive documentation page is off: django-ninja serves Swagger UI from a CDN unless "ninja" is in
INSTALLED_APPS, and Deonto loads nothing from another host.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError

from deonto.postcheck.api import router as postcheck_router

api = NinjaAPI(
    title="Deonto API",
    version="1",
    description="The JSON API of Deonto. Signed-in users only: the session cookie and its CSRF token.",
    urls_namespace="api",
    docs_url=None,
)
api.add_router("", postcheck_router)


@api.exception_handler(AuthenticationError)
def not_signed_in(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(
        request, {"code": "not-signed-in", "message": _("Log in to Deonto to use the API.")}, status=401
    )
