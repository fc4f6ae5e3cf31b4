"""The case file download, for whoever may read the case, and the anonymised statistics of reports,
for management (``integrity.view_statistics``)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.template.response import TemplateResponse
from django.views.decorators.cache import never_cache

from deonto.core.auth import signed_in_user
from deonto.core.count_tables import tables_csv_rows, year_asked
from deonto.core.csv_export import csv_download
from deonto.core.errors import DomainError
from deonto.integrity import permissions, selectors
from deonto.integrity.export import case_file_export
from deonto.integrity.statistics import can_view_statistics, report_statistics, report_years


@never_cache
@login_required
def case_file(request: HttpRequest, reference: str) -> HttpResponse:
    """The ZIP of the case; a piece of evidence that no longer matches stops it, and a page says so."""
    user = signed_in_user(request)
    report = selectors.case_by_reference(reference=reference)
    if report is None or not permissions.can_view_report(user, report):
        raise Http404
    try:
        content = case_file_export(actor=user, report=report)
    except DomainError as error:
        return TemplateResponse(
            request,
            "integrity/case_file_error.html",
            {"report": report, "message": error.message},
            status=409,
        )
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{report.reference}-case-file.zip"'
    return response


@login_required
def statistics(request: HttpRequest) -> HttpResponse:
    if not can_view_statistics(request.user):
        raise PermissionDenied
    form, year = year_asked(request, report_years())
    return TemplateResponse(
        request, "integrity/statistics.html", {"form": form, "statistics": report_statistics(year=year)}
    )


@login_required
def statistics_csv(request: HttpRequest) -> HttpResponseBase:
    if not can_view_statistics(request.user):
        raise PermissionDenied
    _form, year = year_asked(request, report_years())
    return csv_download(
        tables_csv_rows(report_statistics(year=year).tables), filename=f"integrity-statistics-{year}.csv"
    )
