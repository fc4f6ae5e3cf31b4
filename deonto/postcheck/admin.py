"""The post check rules in the admin: the integrity service edits them (through the services, so each
change is validated, kept in the history and audited); the history and the counts are read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from deonto.core.auth import signed_in_user
from deonto.postcheck.forms import RuleAdminForm
from deonto.postcheck.models import CategoryCount, Rule, RuleRevision
from deonto.postcheck.services import rule_delete, rule_save


class ReadOnlyAdminMixin:
    """Shown, never changed in the admin."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class RuleRevisionInline(ReadOnlyAdminMixin, admin.TabularInline):  # type: ignore[type-arg]
    model = RuleRevision
    extra = 0
    fields = ["changed_at", "changed_by", "comment", "snapshot"]
    readonly_fields = ["changed_at", "changed_by", "comment", "snapshot"]
    ordering = ["-changed_at", "-id"]
    verbose_name_plural = _("history")


@admin.register(Rule)
class RuleAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    form = RuleAdminForm
    list_display = [
        "code",
        "language",
        "kind",
        "category",
        "severity",
        "article",
        "is_active",
        "is_customised",
    ]
    list_filter = ["language", "kind", "category", "severity", "is_active", "is_customised"]
    search_fields = ["code", "explanation", "advice"]
    readonly_fields = ["is_customised", "updated_at"]
    inlines = [RuleRevisionInline]
    actions = None
    fieldsets = [
        (
            None,
            {"fields": ["language", "kind", "code", "position", "is_active", "is_customised", "updated_at"]},
        ),
        (_("What it finds"), {"fields": ["category", "severity", "terms", "patterns"]}),
        (
            _("Context"),
            {
                "fields": [
                    "context_terms",
                    "context_patterns",
                    "context_window",
                    "context_required",
                    "context_severity",
                    "unless_terms",
                    "unless_patterns",
                    "unless_window",
                ]
            },
        ),
        (_("What the user reads"), {"fields": ["explanation", "advice", "article"]}),
        (_("This change"), {"fields": ["comment"]}),
    ]

    def save_model(self, request: HttpRequest, obj: Rule, form: Any, change: bool) -> None:
        rule_save(actor=signed_in_user(request), rule=obj, comment=form.cleaned_data.get("comment", ""))

    def delete_model(self, request: HttpRequest, obj: Rule) -> None:
        rule_delete(actor=signed_in_user(request), rule=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Rule]) -> None:
        for rule in queryset:
            self.delete_model(request, rule)


@admin.register(RuleRevision)
class RuleRevisionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["code", "language", "kind", "changed_at", "changed_by", "is_deletion", "comment"]
    list_filter = ["language", "kind", "is_deletion"]
    search_fields = ["code", "comment"]
    list_select_related = ["changed_by"]


@admin.register(CategoryCount)
class CategoryCountAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["day", "category", "count"]
    list_filter = ["category"]
    date_hierarchy = "day"
