from django.urls import path

from deonto.people import views

app_name = "people"

urlpatterns = [
    path("", views.employee_list, name="employee_list"),
    path("employees/<int:pk>/", views.employee_detail, name="employee_detail"),
    path("import/", views.import_start, name="import_start"),
    path("import/history/", views.import_list, name="import_list"),
    path("import/<int:pk>/mapping/", views.import_mapping, name="import_mapping"),
    path("import/<int:pk>/", views.import_preview, name="import_preview"),
    path("import/<int:pk>/apply/", views.import_apply, name="import_apply"),
    path("import/<int:pk>/result/", views.import_result, name="import_result"),
    path("import/<int:pk>/progress/", views.import_progress, name="import_progress"),
]
