"""Deonto's JSON API: one NinjaAPI, one router per app, its OpenAPI document at /api/openapi.json.

The documentation page, /api/docs, is our own server-rendered page built from that document
(``deonto.core.views_api_docs``), for signed-in users like the API itself: no Swagger UI.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.openapi.docs import DocsBase

from deonto.core.views_api_docs import api_docs
from deonto.postcheck.api import router as postcheck_router


class ServerRenderedDocs(DocsBase):
    """Hands django-ninja's documentation URL (``api:openapi-view``) to our own view."""

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        return api_docs(request, api=api, **kwargs)


api = NinjaAPI(
    title="Deonto API",
    version="1",
    description="The JSON API of Deonto. Signed-in users only: the session cookie and its CSRF token.",
    urls_namespace="api",
    docs_url="/docs",
    docs=ServerRenderedDocs(),
)
api.add_router("", postcheck_router)


@api.exception_handler(AuthenticationError)
def not_signed_in(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(
        request, {"code": "not-signed-in", "message": _("Log in to Deonto to use the API.")}, status=401
    )
