"""The case file download, for whoever may read the case, and the anonymised statistics of reports,
for management (``integrity.view_statistics``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from deonto.core.auth import signed_in_user
from deonto.core.csv_export import csv_download
from deonto.core.errors import DomainError
from deonto.integrity import permissions, selectors
from deonto.integrity.export import case_file_export
from deonto.integrity.statistics import can_view_statistics, report_statistics, report_years, statistics_rows


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


class YearForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(year, str(year)) for year in years]  # type: ignore[attr-defined]


def _year(request: HttpRequest) -> tuple[YearForm, int]:
    """The year asked for; the current one when none is, or one without reports."""
    years = report_years()
    form = YearForm(request.GET if "year" in request.GET else None, years=years)
    year = form.cleaned_data["year"] if form.is_valid() else timezone.localdate().year
    if not form.is_bound:
        form = YearForm(initial={"year": year}, years=years)
    return form, year


@login_required
def statistics(request: HttpRequest) -> HttpResponse:
    if not can_view_statistics(request.user):
        raise PermissionDenied
    form, year = _year(request)
    return TemplateResponse(
        request, "integrity/statistics.html", {"form": form, "statistics": report_statistics(year=year)}
    )


@login_required
def statistics_csv(request: HttpRequest) -> HttpResponseBase:
    if not can_view_statistics(request.user):
        raise PermissionDenied
    _form, year = _year(request)
    return csv_download(
        statistics_rows(report_statistics(year=year)), filename=f"integrity-statistics-{year}.csv"
    )
