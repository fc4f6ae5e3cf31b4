"""Pages about reports as a whole, mounted at /integrity/reports/: the case file export and the
statistics for management."""

from django.urls import path

from deonto.integrity import views_reports

app_name = "integrity_reports"

urlpatterns = [
    path("statistics/", views_reports.statistics, name="statistics"),
    path("statistics.csv", views_reports.statistics_csv, name="statistics_csv"),
    path("<str:reference>/case-file.zip", views_reports.case_file, name="case_file"),
]
