"""The "check before you post" page: a draft's text and photo checked in memory, and a cleaned photo; and the
statistics of what the checks found, for the integrity service and the programme.

Uploads stay in memory: each view installs `PhotoUploadHandler` before the body is read, so it must be
exempt from the CSRF middleware (which reads the body) and check the token itself right after.
Nothing is stored and nothing of the draft is logged (error reports hide the posted values).
"""

from __future__ import annotations

from pathlib import PurePath

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.template.response import TemplateResponse
from django.utils.text import slugify
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from deonto.core.auth import signed_in_user
from deonto.core.count_tables import YearForm, tables_csv_rows, year_asked
from deonto.core.csv_export import csv_download
from deonto.postcheck.analyzers.findings import InputRejected
from deonto.postcheck.forms import (
    MASK_FIELD,
    CheckForm,
    PhotoUploadHandler,
    mask_boxes,
    photo_upload_handler,
    rejection_message,
)
from deonto.postcheck.selectors import check_result
from deonto.postcheck.services import photo_clean, photo_mask, post_check
from deonto.postcheck.statistics import can_view_check_statistics, check_statistics, check_years

TEXT_CODES = frozenset({"empty", "too-long"})
EXTENSIONS = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "image/gif": "gif",
    "image/heic": "heic",
    "image/heif": "heif",
}


def _render(request: HttpRequest, form: CheckForm, **context: object) -> TemplateResponse:
    template = "postcheck/check.html"
    if getattr(request, "htmx", False):
        template += "#results"
    return TemplateResponse(request, template, {"form": form, **context})


def _reject(form: CheckForm, code: str) -> str:
    message = rejection_message(code)
    form.add_error("text" if code in TEXT_CODES else "photo", message)
    return message


@csrf_exempt
@sensitive_post_parameters()
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def check(request: HttpRequest) -> HttpResponse:
    handler = photo_upload_handler(request) if request.method == "POST" else None
    return _check(request, handler)


@csrf_protect
def _check(request: HttpRequest, handler: PhotoUploadHandler | None) -> HttpResponse:
    user = signed_in_user(request)
    if handler is None:
        return _render(request, CheckForm(initial={"language": ""}))
    form = CheckForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render(request, form)
    if handler.too_large:
        return _render(request, form, rejection=_reject(form, "too-large-file"))
    text = form.cleaned_data["text"]
    language = form.cleaned_data["language"]
    try:
        analysis = post_check(
            actor=user, text=text, photo=form.photo_bytes(), language=language, photo_preview=True
        )
    except InputRejected as rejected:
        return _render(request, form, rejection=_reject(form, rejected.code))
    result = check_result(analysis=analysis, text=text, language_chosen=bool(language))
    return _render(request, form, result=result)


@csrf_exempt
@sensitive_post_parameters()
@never_cache
@login_required
@require_POST
def download(request: HttpRequest, *, with_mask: bool) -> HttpResponse:
    return _download(request, photo_upload_handler(request), with_mask=with_mask)


@csrf_protect
def _download(request: HttpRequest, handler: PhotoUploadHandler, *, with_mask: bool) -> HttpResponse:
    """The photo posted with the form as a download: cleaned of its metadata, or also with the places ticked
    for masking pixelated (`with_mask`). Without the photo (a page reloaded without JavaScript), the form asks
    for it."""
    signed_in_user(request)
    form = CheckForm(request.POST, request.FILES)
    form.is_valid()
    photo = request.FILES.get("photo")
    boxes = mask_boxes(request.POST.getlist(MASK_FIELD)) if with_mask else []
    code = "too-large-file" if handler.too_large else "photo-needed"
    if with_mask and not boxes:
        code = "mask-none"
    elif photo is not None and not handler.too_large:
        try:
            if with_mask:
                data = photo_mask(photo=photo.read(), boxes=boxes)
                mime, suffix = "image/jpeg", "masked"
            else:
                data, mime = photo_clean(photo=photo.read())
                suffix = "clean"
        except InputRejected as rejected:
            code = rejected.code
        else:
            stem = slugify(PurePath(photo.name or "").stem)[:60] or "photo"
            response = HttpResponse(data, content_type=mime)
            filename = f"{stem}-{suffix}.{EXTENSIONS.get(mime, 'img')}"
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
            return response
    return _render(request, form, rejection=_reject(form, code))


def _statistics_year(request: HttpRequest) -> tuple[YearForm, int]:
    """The year asked for, for a reader of the statistics (anyone else is refused)."""
    if not can_view_check_statistics(request.user):
        raise PermissionDenied
    return year_asked(request, check_years())


@login_required
def statistics(request: HttpRequest) -> HttpResponse:
    form, year = _statistics_year(request)
    return TemplateResponse(
        request,
        "postcheck/statistics.html",
        {"form": form, "year": year, "table": check_statistics(year=year)},
    )


@login_required
def statistics_csv(request: HttpRequest) -> HttpResponseBase:
    _form, year = _statistics_year(request)
    return csv_download(
        tables_csv_rows([check_statistics(year=year)]), filename=f"post-check-statistics-{year}.csv"
    )
