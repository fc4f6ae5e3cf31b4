"""The list of measures that can follow a finding, kept in the admin. Reports are never in the
admin: administrators manage accounts, they do not read cases."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from deonto.integrity.models import Measure


@admin.register(Measure)
class MeasureAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["code", "label_en", "label_nl", "label_fr", "active", "order"]
    list_editable = ["active", "order"]
    list_filter = ["active"]
    search_fields = ["code", "label_en", "label_nl", "label_fr"]
    ordering = ["order", "code"]

    def has_delete_permission(self, request: HttpRequest, obj: Measure | None = None) -> bool:
        """A measure once used stays on its reports: retire it by unticking "active"."""
        return False
