"""Deonto's URLs: one include per app."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

from deonto.accounts.views import language_switch
from deonto.api import api

# The admin (rules, classifier sensitivity, records) is where the integrity service works too: it says Deonto.
admin.site.site_header = admin.site.site_title = _("Deonto administration")

urlpatterns = [
    path("", include("deonto.core.urls")),
    path("language/", language_switch, name="language_switch"),
    path("accounts/", include("deonto.accounts.urls")),
    path("roster/", include("deonto.people.urls")),
    path("guidance/", include("deonto.knowledge.urls")),
    path("training/", include("deonto.training.urls")),
    path("live/", include("deonto.training.urls_join")),
    path("report/", include("deonto.integrity.urls")),
    path("integrity/reports/", include("deonto.integrity.urls_reports")),
    path("integrity/", include("deonto.integrity.urls_case")),
    path("rollout/", include("deonto.rollout.urls")),
    path("check/", include("deonto.postcheck.urls")),
    path("api/", api.urls),
    path("admin/login/", RedirectView.as_view(pattern_name="accounts:login", query_string=True)),
    path("admin/", admin.site.urls),
]

if settings.OIDC_ENABLED:
    urlpatterns.append(path("oidc/", include("mozilla_django_oidc.urls")))
