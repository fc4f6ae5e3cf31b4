"""The integrity service's pages, mounted at /integrity/."""

from django.urls import path

from deonto.integrity import views_case

app_name = "cases"

urlpatterns = [
    path("", views_case.case_list, name="case_list"),
    path("deadlines/", views_case.deadlines, name="deadlines"),
    path("<str:reference>/", views_case.case_detail, name="case_detail"),
    path("<str:reference>/conflict/", views_case.case_conflict, name="case_conflict"),
    path("<str:reference>/assign/", views_case.case_assign, name="case_assign"),
    path("<str:reference>/status/", views_case.case_status, name="case_status"),
    path("<str:reference>/notes/", views_case.case_notes, name="case_notes"),
    path("<str:reference>/messages/", views_case.case_messages, name="case_messages"),
    path("<str:reference>/person/", views_case.case_person, name="case_person"),
    path("<str:reference>/evidence/", views_case.case_evidence, name="case_evidence"),
    path("<str:reference>/evidence/<int:pk>/", views_case.case_evidence_file, name="case_evidence_file"),
    path("<str:reference>/access-log/", views_case.case_access_log, name="case_access_log"),
]
