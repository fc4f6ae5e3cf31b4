"""The pictures of lessons, cases and questions, served by the app itself.

Course pictures are not confidential (live participants see them without an account), so they are
public. An SVG can hold scripts: it is sent with a sandboxing Content-Security-Policy so that,
opened on its own, it runs nothing."""

from __future__ import annotations

import mimetypes

from django.http import FileResponse, Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.views.decorators.cache import cache_control

from deonto.training.models import Item


@cache_control(public=True, max_age=3600)
def item_image(request: HttpRequest, item_id: int) -> FileResponse:
    item = get_object_or_404(Item, pk=item_id)
    if not item.image:
        raise Http404
    content_type = mimetypes.guess_type(item.image.name or "")[0] or "application/octet-stream"
    response = FileResponse(item.image.open("rb"), content_type=content_type)
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    return response
