"""The roster pages: the employee list and detail, and the roster import from upload to result."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRefresh

from deonto.core.errors import DomainError
from deonto.people import selectors
from deonto.people.forms import ColumnMappingForm, EmployeeFilterForm, RosterUploadForm
from deonto.people.importing import FIELDS_BY_NAME
from deonto.people.models import RosterChange, RosterChangeKind, RosterImport, RosterImportStatus
from deonto.people.permissions import can_import_roster, can_view_roster, units_visible_to
from deonto.people.services import roster_import_apply, roster_import_create, roster_import_validate

EMPLOYEES_PER_PAGE = 50
ERRORS_PER_PAGE = 50
CHANGES_PER_PAGE = 50
IMPORTS_PER_PAGE = 25
MAPPABLE_STATUSES = {RosterImportStatus.UPLOADED, RosterImportStatus.VALID, RosterImportStatus.INVALID}


@login_required
def employee_list(request: HttpRequest) -> HttpResponse:
    form = EmployeeFilterForm(request.GET or None, units=units_visible_to(request.user))
    if not can_view_roster(request.user):
        raise PermissionDenied
    filters = form.cleaned_data if form.is_valid() else {}
    employees = selectors.employees_for(
        viewer=request.user,
        query=filters.get("q", ""),
        unit=filters.get("unit"),
        language=filters.get("language", ""),
        armed=form.armed_filter() if filters else None,
        include_inactive=filters.get("inactive", False),
    )
    page = Paginator(employees, EMPLOYEES_PER_PAGE).get_page(request.GET.get("page"))
    return TemplateResponse(
        request,
        "people/employee_list.html",
        {
            "form": form,
            "page": page,
            "can_import": can_import_roster(request.user),
        },
    )


@login_required
def employee_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if not can_view_roster(request.user):
        raise PermissionDenied
    employee = selectors.employee_for(viewer=request.user, pk=pk)
    if employee is None:
        raise Http404
    changes = list(selectors.roster_changes_of_employee(viewer=request.user, employee=employee)[:20])
    _describe(changes)
    return TemplateResponse(
        request, "people/employee_detail.html", {"employee": employee, "changes": changes}
    )


def _importer_only(request: HttpRequest) -> None:
    if not can_import_roster(request.user):
        raise PermissionDenied


def _roster_import(request: HttpRequest, pk: int) -> RosterImport:
    roster_import = selectors.roster_import_for(viewer=request.user, pk=pk)
    if roster_import is None:
        raise Http404
    return roster_import


@login_required
def import_start(request: HttpRequest) -> HttpResponse:
    _importer_only(request)
    form = RosterUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            roster_import = roster_import_create(
                actor=request.user,
                upload=form.cleaned_data["file"],
                encoding=form.cleaned_data["encoding"],
                delimiter=form.cleaned_data["delimiter"],
            )
        except DomainError as error:
            form.add_error("file", error.message)
        else:
            return redirect("people:import_mapping", pk=roster_import.pk)
    recent = selectors.roster_imports_for(viewer=request.user)[:5]
    return TemplateResponse(request, "people/import_start.html", {"form": form, "recent": recent})


@login_required
def import_list(request: HttpRequest) -> HttpResponse:
    _importer_only(request)
    imports = selectors.roster_imports_for(viewer=request.user)
    page = Paginator(imports, IMPORTS_PER_PAGE).get_page(request.GET.get("page"))
    return TemplateResponse(request, "people/import_list.html", {"page": page})


@login_required
def import_mapping(request: HttpRequest, pk: int) -> HttpResponse:
    _importer_only(request)
    roster_import = _roster_import(request, pk)
    if roster_import.status not in MAPPABLE_STATUSES:
        return redirect("people:import_preview", pk=pk)
    initial = {name: str(index) for name, index in roster_import.mapping.items()}
    form = ColumnMappingForm(request.POST or None, headers=roster_import.headers, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            roster_import_validate(actor=request.user, roster_import=roster_import, mapping=form.mapping())
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            return redirect("people:import_preview", pk=pk)
    return TemplateResponse(
        request, "people/import_mapping.html", {"roster_import": roster_import, "form": form, "step": 2}
    )


@login_required
def import_preview(request: HttpRequest, pk: int) -> HttpResponse:
    _importer_only(request)
    roster_import = _roster_import(request, pk)
    if roster_import.status == RosterImportStatus.UPLOADED:
        return redirect("people:import_mapping", pk=pk)
    if roster_import.status == RosterImportStatus.APPLIED:
        return redirect("people:import_result", pk=pk)
    errors = selectors.roster_import_errors(roster_import=roster_import)
    page = Paginator(errors, ERRORS_PER_PAGE).get_page(request.GET.get("page"))
    return TemplateResponse(
        request,
        "people/import_preview.html",
        {
            "roster_import": roster_import,
            "page": page,
            "shown_errors": len(errors),
            "Status": RosterImportStatus,
            "step": 4 if roster_import.status == RosterImportStatus.APPLYING else 3,
        },
    )


@require_POST
@login_required
def import_apply(request: HttpRequest, pk: int) -> HttpResponse:
    _importer_only(request)
    roster_import = _roster_import(request, pk)
    try:
        roster_import = roster_import_apply(actor=request.user, roster_import=roster_import)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("people:import_preview", pk=pk)
    if roster_import.status == RosterImportStatus.APPLIED:
        messages.success(request, gettext("The import has been applied to the roster."))
        return redirect("people:import_result", pk=pk)
    return redirect("people:import_preview", pk=pk)


@login_required
def import_result(request: HttpRequest, pk: int) -> HttpResponse:
    _importer_only(request)
    roster_import = _roster_import(request, pk)
    if roster_import.status != RosterImportStatus.APPLIED:
        return redirect("people:import_preview", pk=pk)
    kind = request.GET.get("kind", "")
    if kind not in RosterChangeKind.values:
        kind = ""
    changes = selectors.roster_changes_for(viewer=request.user, roster_import=roster_import, kind=kind)
    page = Paginator(changes, CHANGES_PER_PAGE).get_page(request.GET.get("page"))
    _describe(page.object_list)
    return TemplateResponse(
        request,
        "people/import_result.html",
        {
            "roster_import": roster_import,
            "page": page,
            "kind": kind,
            "kinds": RosterChangeKind.choices,
            "step": 4,
        },
    )


@login_required
def import_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress bar, asked for every second by htmx; once the work is done the page reloads."""
    _importer_only(request)
    roster_import = selectors.roster_import_progress_for(viewer=request.user, pk=pk)
    if roster_import is None:
        raise Http404
    if not request.htmx:  # type: ignore[attr-defined]
        return redirect("people:import_preview", pk=pk)
    if not roster_import.is_running:
        return HttpResponseClientRefresh()
    return TemplateResponse(request, "people/_import_progress.html", {"roster_import": roster_import})


def _describe(changes: Iterable[RosterChange]) -> None:
    """Each change's fields as sentences, old value → new value, in the reader's language."""
    labels = {name: capfirst(spec.label) for name, spec in FIELDS_BY_NAME.items()}
    for change in changes:
        change.details = [  # type: ignore[attr-defined]
            gettext("%(field)s: %(old)s → %(new)s")
            % {
                "field": labels.get(item["field"], item["field"]),
                "old": _shown(item["old"]),
                "new": _shown(item["new"]),
            }
            for item in change.fields
        ]


def _shown(value: object) -> str:
    if value is None or value == "":
        return gettext("(empty)")
    if value is True:
        return gettext("yes")
    if value is False:
        return gettext("no")
    return str(value)
