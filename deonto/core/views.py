"""The home page per role, the audit log and the error pages."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.response import TemplateResponse

from deonto.accounts.models import User
from deonto.accounts.permissions import can_manage_users
from deonto.accounts.roles import Role
from deonto.core.auth import signed_in_user
from deonto.core.models import AuditEntry
from deonto.knowledge.selectors import articles_featured
from deonto.people.selectors import roster_overview_for, units_managed_by
from deonto.rollout.models import EnrolmentStatus
from deonto.rollout.permissions import can_view_progress
from deonto.rollout.progress import trained_so_far
from deonto.rollout.selectors import enrolment_for_home


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    employee = getattr(user, "employee", None)
    context = {
        "roles": user.roles,
        "Role": Role,
        "employee": employee,
        "enrolment": enrolment_for_home(employee=employee) if employee is not None else None,
        "Status": EnrolmentStatus,
        "featured": articles_featured(limit=4),
    }
    if user.has_role(Role.COORDINATOR, Role.ADMINISTRATOR, Role.MANAGER):
        context["overview"] = roster_overview_for(viewer=user)
    if user.has_role(Role.MANAGER):
        context["managed_units"] = units_managed_by(viewer=user)
    if can_view_progress(user):
        context["trained"] = trained_so_far(viewer=user)
    if user.has_role(Role.ADMINISTRATOR):
        context["user_counts"] = {
            role.label: User.objects.filter(groups__name=role.value, is_active=True).count() for role in Role
        }
    return TemplateResponse(request, "core/home.html", context)


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    if not can_manage_users(request.user):
        raise PermissionDenied
    entries = AuditEntry.objects.select_related("actor").order_by("-at", "-id")
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return TemplateResponse(request, "core/audit_log.html", {"page": page})


def healthz(request: HttpRequest) -> HttpResponse:
    """For the load balancer: the process answers and reaches its database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
