from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse


def employee_list(request: HttpRequest) -> HttpResponse:
    return TemplateResponse(request, "people/employee_list.html", {})


def import_start(request: HttpRequest) -> HttpResponse:
    return TemplateResponse(request, "people/import_start.html", {})
