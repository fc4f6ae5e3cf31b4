"""The progress pages: the dashboard of a campaign, the people not yet scheduled, and the exports
(CSV, XLSX, PDF report). Coordinators see every unit; a manager sees the people of their own units."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.template.response import TemplateResponse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from deonto.core.csv_export import csv_download
from deonto.people.models import OrgUnit, Region, StaffLanguage
from deonto.rollout import exports, permissions, progress
from deonto.rollout.charts import burnup_svg
from deonto.rollout.models import Campaign, Wave

PEOPLE_PER_PAGE = 50


class NotScheduledFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"), required=False, max_length=100, help_text=_("A name or personnel number.")
    )
    wave = forms.ModelChoiceField(
        label=_("Wave"), queryset=Wave.objects.none(), required=False, empty_label=_("All waves")
    )
    region = forms.ModelChoiceField(
        label=_("Region"), queryset=Region.objects.all(), required=False, empty_label=_("All regions")
    )
    unit = forms.ModelChoiceField(
        label=_("Unit"),
        queryset=OrgUnit.objects.none(),
        required=False,
        empty_label=_("All units"),
        help_text=_("Includes the units under it."),
    )
    language = forms.ChoiceField(
        label=_("Language"), choices=[("", _("All languages")), *StaffLanguage.choices], required=False
    )

    def __init__(self, *args: Any, campaign: Campaign, units: QuerySet[OrgUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["wave"].queryset = campaign.waves.order_by("order")  # type: ignore[attr-defined]
        self.fields["unit"].queryset = units.only("id", "code", "name", "path").order_by("path")  # type: ignore[attr-defined]


def _viewer_only(request: HttpRequest) -> None:
    if not permissions.can_view_progress(request.user):
        raise PermissionDenied


def _campaign(pk: int) -> Campaign:
    campaign = Campaign.objects.select_related("course").filter(pk=pk).first()
    if campaign is None:
        raise Http404
    return campaign


@login_required
def progress_dashboard(request: HttpRequest) -> HttpResponse:
    _viewer_only(request)
    campaigns = list(Campaign.objects.select_related("course").order_by("-is_active", "-starts_on", "name"))
    chosen = request.GET.get("campaign", "")
    campaign = next(
        (item for item in campaigns if str(item.pk) == chosen), campaigns[0] if campaigns else None
    )
    context: dict[str, Any] = {"campaigns": campaigns, "campaign": campaign}
    if campaign is not None:
        figures = progress.campaign_progress(campaign=campaign, viewer=request.user)
        context |= {
            "progress": figures,
            "forecast_rule": exports.forecast_rule(figures),
            "chart": burnup_svg(
                figures.burnup,
                target_on=campaign.target_on,
                title=gettext("Trained people per week and wave"),
                description=_chart_description(figures),
                ident="burnup",
            ),
        }
    return TemplateResponse(request, "rollout/progress.html", context)


def _chart_description(figures: progress.Progress) -> str:
    parts = [
        ngettext(
            "%(wave)s: %(trained)s of %(people)s person trained; forecast: %(forecast)s.",
            "%(wave)s: %(trained)s of %(people)s people trained; forecast: %(forecast)s.",
            wave.share.audience,
        )
        % {
            "wave": wave.wave.name,
            "trained": wave.share.trained,
            "people": wave.share.audience,
            "forecast": exports.forecast_text(wave),
        }
        for wave in figures.waves
    ]
    parts.append(gettext("The table after the chart gives the figures per week."))
    return " ".join(parts)


@login_required
def not_scheduled(request: HttpRequest, campaign_id: int) -> HttpResponse:
    _viewer_only(request)
    campaign = _campaign(campaign_id)
    form = NotScheduledFilterForm(
        request.GET or None, campaign=campaign, units=permissions.progress_units_for(request.user)
    )
    filters = form.cleaned_data if form.is_valid() else {}
    people = progress.not_scheduled(
        campaign=campaign,
        viewer=request.user,
        wave=filters.get("wave"),
        region=filters.get("region"),
        unit=filters.get("unit"),
        language=filters.get("language", ""),
        query=filters.get("q", ""),
    )
    page = Paginator(people, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    wave_names = {wave.pk: wave.name for wave in campaign.waves.all()}
    for person in page.object_list:
        person.wave_name = wave_names.get(person.wave_id, "")
    return TemplateResponse(
        request, "rollout/progress_not_scheduled.html", {"campaign": campaign, "form": form, "page": page}
    )


@login_required
def progress_export_csv(request: HttpRequest, campaign_id: int) -> HttpResponseBase:
    _viewer_only(request)
    campaign = _campaign(campaign_id)
    rows = exports.people_rows(campaign=campaign, viewer=request.user)
    return csv_download(rows, filename=exports.export_file_name(campaign, "csv"))


@login_required
def progress_export_xlsx(request: HttpRequest, campaign_id: int) -> HttpResponse:
    _viewer_only(request)
    campaign = _campaign(campaign_id)
    rows = exports.people_rows(campaign=campaign, viewer=request.user)
    response = HttpResponse(
        exports.people_xlsx(rows, title=gettext("Progress")),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{exports.export_file_name(campaign, "xlsx")}"'
    return response


@login_required
def progress_report_pdf(request: HttpRequest, campaign_id: int) -> HttpResponse:
    _viewer_only(request)
    campaign = _campaign(campaign_id)
    figures = progress.campaign_progress(campaign=campaign, viewer=request.user)
    response = HttpResponse(exports.progress_pdf(figures), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{exports.export_file_name(campaign, "pdf")}"'
    return response
