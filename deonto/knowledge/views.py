"""Guidance pages: the index with its search, and one article. Both are public."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

from deonto.knowledge.selectors import article_for, articles_by_kind, articles_related, search
from deonto.knowledge.text import render_markdown

MAX_QUERY_LENGTH = 200


def _language() -> str:
    return (get_language() or "nl")[:2]


def index(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    language = _language()
    results = search(query=query, language=language) if query else []
    context: dict[str, object] = {"query": query, "results": results}
    is_fragment = bool(request.htmx) and not request.htmx.history_restore_request  # type: ignore[attr-defined]
    if is_fragment:
        response = TemplateResponse(
            request, "knowledge/_search_results.html", {**context, "swap_status": True}
        )
    else:
        context["sections"] = articles_by_kind(language)
        response = TemplateResponse(request, "knowledge/index.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def detail(request: HttpRequest, code: str) -> HttpResponse:
    language = _language()
    localised = article_for(code=code, language=language)
    if localised is None:
        raise Http404
    context = {
        "item": localised,
        "translation": localised.translation,
        "body_html": render_markdown(localised.translation.body),
        "related": articles_related(article=localised.article, language=language),
    }
    return TemplateResponse(request, "knowledge/detail.html", context)
