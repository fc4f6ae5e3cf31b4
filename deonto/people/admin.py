"""The roster in Django's admin, for administrators; imports are read-only there."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from deonto.people.models import Employee, OrgUnit, Region, RosterImport, Site


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin[Region]):
    list_display = ["code", "name_nl", "name_fr", "name_en"]
    search_fields = ["code", "name_nl", "name_fr", "name_en"]


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin[Site]):
    list_display = ["code", "name", "region"]
    list_filter = ["region"]
    search_fields = ["code", "name"]


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin[OrgUnit]):
    list_display = ["code", "name", "path", "site", "is_operational"]
    list_filter = ["is_operational"]
    search_fields = ["code", "name", "path"]
    raw_id_fields = ["parent"]
    filter_horizontal = ["managers"]


@admin.register(Employee)
class EmployeeAdmin(admin.ModelAdmin[Employee]):
    list_display = [
        "personnel_number",
        "last_name",
        "first_name",
        "unit",
        "language",
        "is_armed",
        "is_active",
    ]
    list_filter = ["is_active", "is_armed", "language"]
    search_fields = ["personnel_number", "last_name", "first_name", "email"]
    raw_id_fields = ["unit", "user"]
    list_select_related = ["unit"]


@admin.register(RosterImport)
class RosterImportAdmin(admin.ModelAdmin[RosterImport]):
    list_display = ["file_name", "created_at", "created_by", "status", "total_rows", "error_count"]
    list_filter = ["status"]
    exclude = ["content"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
