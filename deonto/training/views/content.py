"""The content pages: the course list with translation progress, bundle import and export, the
course overview (also for instructors preparing a class), the translator's workspace, and the
results export."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import get_language, gettext
from django.views.decorators.http import require_POST

from deonto.core.auth import signed_in_user
from deonto.core.csv_export import csv_download
from deonto.core.errors import DomainError
from deonto.training.bundle import BundleError
from deonto.training.forms_content import BundleUploadForm, TranslationForm, field_name
from deonto.training.models import (
    ContentLanguage,
    Course,
    CourseTranslation,
    Item,
    ItemKind,
    ItemTranslation,
    Module,
    ModuleTranslation,
)
from deonto.training.permissions import can_manage_content, can_read_content, can_view_results
from deonto.training.selectors import GapState, _gap, translation_gaps
from deonto.training.selectors_content import content_courses_for, course_overview_for
from deonto.training.selectors_results import results_rows
from deonto.training.services import (
    course_bundle_zip,
    course_translation_save,
    item_translation_save,
    module_translation_save,
)
from deonto.training.services_content import course_bundle_upload
from deonto.training.texts import COURSE, MODULE, content_passages

LANGUAGE_NAMES = dict(ContentLanguage.choices)


def _interface_language() -> str:
    language = (get_language() or "nl")[:2]
    return language if language in LANGUAGE_NAMES else "nl"


def _manager_only(request: HttpRequest) -> None:
    if not can_manage_content(request.user):
        raise PermissionDenied


def _course(code: str) -> Course:
    course = Course.objects.filter(code=code).first()
    if course is None:
        raise Http404
    return course


def _translation_language(course: Course, lang: str) -> str:
    """A language to translate into: a content language other than the course's source."""
    if lang not in LANGUAGE_NAMES or lang == course.source_language:
        raise Http404
    return lang


# Course list, bundle import and export -----------------------------------------------------------


def _index(request: HttpRequest, form: BundleUploadForm, problems: list[str]) -> TemplateResponse:
    user = request.user
    return TemplateResponse(
        request,
        "training/content/index.html",
        {
            "courses": content_courses_for(viewer=user, language=_interface_language()),
            "can_manage": can_manage_content(user),
            "can_view_results": can_view_results(user),
            "form": form,
            "problems": problems,
        },
    )


@login_required
def content_index(request: HttpRequest) -> HttpResponse:
    if not can_read_content(request.user):
        raise PermissionDenied
    return _index(request, BundleUploadForm(), [])


@require_POST
@login_required
def content_import(request: HttpRequest) -> HttpResponse:
    form = BundleUploadForm(request.POST, request.FILES)
    _manager_only(request)
    problems: list[str] = []
    if form.is_valid():
        try:
            report = course_bundle_upload(actor=signed_in_user(request), upload=form.cleaned_data["file"])
        except BundleError as error:
            problems = error.problems
            form.add_error("file", gettext("This bundle cannot be loaded; nothing was changed."))
        except DomainError as error:
            form.add_error("file", error.message)
        else:
            if report.changed:
                message = gettext(
                    "The course %(code)s is loaded: %(created)d created, %(updated)d updated, "
                    "%(removed)d removed."
                ) % {
                    "code": report.course.code,
                    "created": len(report.created),
                    "updated": len(report.updated),
                    "removed": len(report.removed),
                }
            else:
                message = gettext("The course %(code)s was already up to date: nothing changed.") % {
                    "code": report.course.code
                }
            messages.success(request, message)
            return redirect("training:content_index")
    return _index(request, form, problems)


@login_required
def content_export(request: HttpRequest, code: str) -> HttpResponse:
    _manager_only(request)
    course = _course(code)
    response = HttpResponse(course_bundle_zip(course=course), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{course.code}-v{course.version}.zip"'
    return response


# Course overview ---------------------------------------------------------------------------------


@login_required
def content_course(request: HttpRequest, code: str) -> HttpResponse:
    if not can_read_content(request.user):
        raise PermissionDenied
    language = request.GET.get("lang", "")
    if language not in LANGUAGE_NAMES:
        language = _interface_language()
    overview = course_overview_for(viewer=request.user, code=code, language=language)
    if overview is None:
        raise Http404
    return TemplateResponse(
        request,
        "training/content/course.html",
        {
            "overview": overview,
            "language": language,
            "language_name": LANGUAGE_NAMES[language],
            "languages": list(ContentLanguage.choices),
            "can_manage": can_manage_content(request.user),
        },
    )


# Translator's workspace --------------------------------------------------------------------------


@dataclass
class _Section:
    """A part of the translator's list: the course's own texts, or a module with its items."""

    title: str
    gaps: list[Any]


def _source_heading(gap: Any) -> str:
    if gap.source is None:
        return str(gap.code)
    content = gap.source.content
    return str(content.get("title") or content.get("prompt") or gap.code)


@login_required
def translation_list(request: HttpRequest, code: str, lang: str) -> HttpResponse:
    _manager_only(request)
    course = _course(code)
    language = _translation_language(course, lang)
    gaps = translation_gaps(course=course, language=language)
    sections: list[_Section] = []
    counts = dict.fromkeys(GapState.values, 0)
    for gap in gaps:
        counts[gap.state] += 1
        if gap.level == "module":
            sections.append(_Section(_source_heading(gap), []))
        elif gap.level == "course":
            sections.append(_Section(gettext("The course"), []))
        if gap.state != GapState.CURRENT:
            kind = ItemKind(gap.kind).label if gap.level == "item" else ""
            sections[-1].gaps.append({"gap": gap, "heading": _source_heading(gap), "kind": kind})
    return TemplateResponse(
        request,
        "training/content/translation_list.html",
        {
            "course": course,
            "course_title": _source_heading(gaps[0]),
            "language": language,
            "language_name": LANGUAGE_NAMES[language],
            "source_name": LANGUAGE_NAMES.get(course.source_language, course.source_language),
            "sections": sections,
            "counts": counts,
            "to_do": counts[GapState.MISSING] + counts[GapState.OUTDATED] + counts[GapState.DRAFT],
        },
    )


@dataclass
class _Target:
    """What a translation page edits: one text of the course, module or item, and how to save it."""

    level: str
    code: str
    kind: str
    translations: list[Any]
    new: Any
    save: Any
    heading: str = ""


def _translation_page(request: HttpRequest, course: Course, language: str, target: _Target) -> HttpResponse:
    source_language = course.source_language
    gap = _gap(target.level, target.code, target.kind, target.translations, language, source_language)
    source, translation = gap.source, gap.translation
    passages = content_passages(target.kind, source.content) if source is not None else []
    current = {}
    if translation is not None:
        current = {field_name(p.path): p.text for p in content_passages(target.kind, translation.content)}
    initial = {
        **current,
        "status": "reviewed" if gap.state == GapState.CURRENT else "draft",
    }
    form = TranslationForm(
        request.POST if request.method == "POST" else None,
        passages=passages,
        language=language,
        language_name=str(LANGUAGE_NAMES[language]),
        initial=initial,
    )
    if request.method == "POST" and source is not None and form.is_valid():
        try:
            target.save(
                actor=signed_in_user(request),
                translation=translation if translation is not None else target.new(),
                content=form.content(),
                status=form.cleaned_data["status"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                gettext("The %(language)s translation of %(code)s is saved.")
                % {"language": LANGUAGE_NAMES[language], "code": target.code},
            )
            return redirect("training:translation_list", code=course.code, lang=language)
    return TemplateResponse(
        request,
        "training/content/translation_edit.html",
        {
            "course": course,
            "target": target,
            "heading": _source_heading(gap),
            "gap": gap,
            "form": form,
            "rows": [
                (passage, form[field_name(passage.path)], f"source-{field_name(passage.path)}")
                for passage in passages
            ],
            "language": language,
            "language_name": LANGUAGE_NAMES[language],
            "source_language": source_language,
            "source_name": LANGUAGE_NAMES.get(source_language, source_language),
        },
    )


@login_required
def translation_edit(request: HttpRequest, code: str, lang: str, item_code: str) -> HttpResponse:
    _manager_only(request)
    course = _course(code)
    language = _translation_language(course, lang)
    item = Item.objects.select_related("course").filter(course=course, code=item_code).first()
    if item is None:
        raise Http404
    target = _Target(
        "item",
        item.code,
        item.kind,
        list(item.translations.all()),
        lambda: ItemTranslation(item=item, language=language),
        item_translation_save,
    )
    return _translation_page(request, course, language, target)


@login_required
def translation_edit_module(request: HttpRequest, code: str, lang: str, module_code: str) -> HttpResponse:
    _manager_only(request)
    course = _course(code)
    language = _translation_language(course, lang)
    module = Module.objects.select_related("course").filter(course=course, code=module_code).first()
    if module is None:
        raise Http404
    target = _Target(
        "module",
        module.code,
        MODULE,
        list(module.translations.all()),
        lambda: ModuleTranslation(module=module, language=language),
        module_translation_save,
    )
    return _translation_page(request, course, language, target)


@login_required
def translation_edit_course(request: HttpRequest, code: str, lang: str) -> HttpResponse:
    _manager_only(request)
    course = _course(code)
    language = _translation_language(course, lang)
    target = _Target(
        "course",
        course.code,
        COURSE,
        list(course.translations.all()),
        lambda: CourseTranslation(course=course, language=language),
        course_translation_save,
    )
    return _translation_page(request, course, language, target)


# Results -----------------------------------------------------------------------------------------


@login_required
def results_csv(request: HttpRequest) -> HttpResponseBase:
    if not can_view_results(request.user):
        raise PermissionDenied
    return csv_download(results_rows(viewer=request.user), filename="e-learning-results.csv")
