from django.urls import path

from deonto.people import views

app_name = "people"

urlpatterns = [
    path("", views.employee_list, name="employee_list"),
    path("import/", views.import_start, name="import_start"),
]
