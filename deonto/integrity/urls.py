from django.urls import path

from deonto.integrity import views

app_name = "integrity"

urlpatterns = [
    path("", views.report_start, name="report_start"),
    path("new/", views.report_new, name="report_new"),
    path("receipt/", views.report_receipt, name="report_receipt"),
    path("followup/", views.followup, name="followup"),
    path("mine/", views.my_reports, name="my_reports"),
    path("mine/<str:reference>/", views.my_report, name="my_report"),
]
