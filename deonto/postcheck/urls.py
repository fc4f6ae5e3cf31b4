from django.urls import path

from deonto.postcheck import views

app_name = "postcheck"

urlpatterns = [
    path("", views.check, name="check"),
    path("clean/", views.download, {"with_mask": False}, name="clean"),
    path("masked/", views.download, {"with_mask": True}, name="masked"),
    path("statistics/", views.statistics, name="statistics"),
    path("statistics.csv", views.statistics_csv, name="statistics_csv"),
]
