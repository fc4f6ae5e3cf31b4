"""The post check API: `POST /api/postcheck`, JSON or multipart with a photo, for signed-in users.

Authentication is the Django session with its CSRF token (header X-CSRFToken), like the page: the API
serves Deonto's own front end and integrations running in the user's browser, so it needs no tokens of
its own. A photo is kept in memory only (see `PhotoUploadHandler`).
"""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.security import SessionAuth
from pydantic import ValidationError

from deonto.core.auth import signed_in_user
from deonto.postcheck.analyzers.findings import InputRejected
from deonto.postcheck.forms import PHOTO_FIELD, PhotoUploadHandler, photo_upload_handler, rejection_message
from deonto.postcheck.schemas import ErrorOut, PostCheckIn, PostCheckOut
from deonto.postcheck.services import post_check

STATUS_FOR_CODE = {
    "empty": 400,
    "too-long": 413,
    "too-large-file": 413,
    "too-many-pixels": 413,
    "decompression-bomb": 413,
    "not-an-image": 415,
    "unsupported-format": 415,
}


class SessionWithInMemoryUploads(SessionAuth):
    """Session authentication with CSRF; the CSRF check reads the body, so the in-memory upload handler
    is installed first (no uploaded byte ever reaches a temporary file)."""

    def __call__(self, request: HttpRequest) -> Any:
        if request.method == "POST" and not hasattr(request, "_files"):
            photo_upload_handler(request)
        return super().__call__(request)


router = Router(tags=["post check"], auth=SessionWithInMemoryUploads())

_MULTIPART_SCHEMA = {
    "type": "object",
    "properties": {
        "text": {"type": "string", "description": "The text of the draft post."},
        "language": {"type": "string", "enum": ["nl", "fr", "en", "de"]},
        PHOTO_FIELD: {
            "type": "string",
            "format": "binary",
            "description": "JPEG, PNG, WebP, HEIC or GIF, ≤ 15 MB.",
        },
    },
}


def _error(code: str) -> Status[dict[str, str]]:
    return Status(STATUS_FOR_CODE.get(code, 400), {"code": code, "message": rejection_message(code)})


def _invalid(fields: str) -> Status[dict[str, str]]:
    message = _("The request is not valid; check these fields: %(fields)s.") % {"fields": fields}
    return Status(422, {"code": "invalid", "message": message})


def _read_json(request: HttpRequest) -> Status[dict[str, str]] | PostCheckIn:
    try:
        payload = json.loads(request.body)
    except RequestDataTooBig:
        return _error("too-long")
    except ValueError:
        return Status(400, {"code": "invalid-json", "message": _("The request body is not valid JSON.")})
    try:
        return PostCheckIn.model_validate(payload)
    except ValidationError as error:
        return _invalid(
            ", ".join(sorted({".".join(map(str, item["loc"])) or "body" for item in error.errors()}))
        )


@router.post(
    "/postcheck",
    url_name="postcheck",
    summary="Check a draft post and its photo",
    description=(
        "Analyses the text and/or the photo in memory and returns what could go wrong, with explanations and "
        "advice in the post's language. Nothing is stored. Send JSON, or multipart/form-data to add a photo."
    ),
    response={200: PostCheckOut, 400: ErrorOut, 413: ErrorOut, 415: ErrorOut, 422: ErrorOut},
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": PostCheckIn.model_json_schema()},
                "multipart/form-data": {"schema": _MULTIPART_SCHEMA},
            },
        }
    },
)
def postcheck(request: HttpRequest) -> Status[Any]:
    user = signed_in_user(request)
    text: str | None
    language: str | None
    photo: bytes | None = None
    if request.content_type == "application/json":
        parsed = _read_json(request)
        if not isinstance(parsed, PostCheckIn):
            return parsed
        text, language = parsed.text, parsed.language
    elif request.content_type == "multipart/form-data":
        handler = next(h for h in request.upload_handlers if isinstance(h, PhotoUploadHandler))
        try:
            text, language = request.POST.get("text"), request.POST.get("language") or None
        except RequestDataTooBig:
            return _error("too-long")
        if handler.too_large:
            return _error("too-large-file")
        if language not in (None, "nl", "fr", "en", "de"):
            return _invalid("language")
        upload = request.FILES.get(PHOTO_FIELD)
        photo = upload.read() if upload else None
    else:
        message = _("Send the draft as application/json, or as multipart/form-data with a photo.")
        return Status(415, {"code": "unsupported-media-type", "message": message})
    try:
        analysis = post_check(actor=user, text=text, photo=photo, language=language)
    except InputRejected as rejected:
        return _error(rejected.code)
    return Status(200, analysis.to_dict() | {"photo": analysis.photo.to_dict() if analysis.photo else None})
