"""The post check rules and the classifier's sensitivity in the admin: the integrity service edits them
(through the services, so each change is validated, kept in the history and audited); the history and the
counts are read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin import helpers
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from deonto.core.auth import signed_in_user
from deonto.postcheck.analyzers.findings import Category
from deonto.postcheck.forms import RuleAdminForm, SensitivityAdminForm, priority_field_name
from deonto.postcheck.models import (
    CATEGORY_LABELS,
    Allowance,
    CategoryCount,
    ClassifierSensitivity,
    Priority,
    Rule,
    RuleRevision,
)
from deonto.postcheck.sensitivity_db import DEFAULT_PRIORITIES, current_settings, figures_for, thresholds_for
from deonto.postcheck.services import rule_delete, rule_save, sensitivity_save


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
        (
            _("Examples, checked at every save"),
            {
                "fields": ["examples_warn", "examples_pass"],
                "description": _(
                    "Posts that show what the rule is for, and harmless look-alikes it must leave alone. "
                    "A change that breaks one of them is not saved."
                ),
            },
        ),
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


def sensitivity_table(priorities: dict[str, int], allowance_per_mille: int) -> SafeString:
    """Per category, its priority, threshold and the share of a new writer's risky posts caught, by the rules
    alone and with the classifier; and the share of harmless posts warned about."""
    priorities = {**DEFAULT_PRIORITIES, **priorities}
    figures = figures_for(priorities, allowance_per_mille)
    thresholds = thresholds_for(priorities, allowance_per_mille)
    rows = [
        {
            "label": CATEGORY_LABELS[category],
            "priority": Priority(priorities[str(category)]).label,
            "threshold": None if thresholds[column] == float("inf") else thresholds[column],
            "risky": figures["risky"][str(category)],
            "rules": 100 * figures["rules"]["recall"][str(category)],
            "with_classifier": 100 * figures["with_classifier"]["recall"][str(category)],
        }
        for column, category in enumerate(Category)
    ]
    return SafeString(
        render_to_string(
            "admin/postcheck/classifiersensitivity/_figures.html",
            {
                "rows": rows,
                "harmless": figures["harmless"],
                "alarms_rules": 100 * figures["rules"]["false_alarms"],
                "alarms_with_classifier": 100 * figures["with_classifier"]["false_alarms"],
                "allowance": Allowance(allowance_per_mille).label,
            },
        )
    )


@admin.register(ClassifierSensitivity)
class ClassifierSensitivityAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Versions are added, never changed: the newest applies, the others are its history. The add page shows
    what the settings in force catch, and "Show what it would catch" shows it for the settings typed in,
    without saving them."""

    form = SensitivityAdminForm
    list_display = ["changed_at", "changed_by", "allowance_per_mille", "priorities_set", "comment"]
    list_select_related = ["changed_by"]
    actions = None
    add_fieldsets = [
        (
            _("Priority per category"),
            {"fields": [priority_field_name(category) for category in Category]},
        ),
        (None, {"fields": ["allowance_per_mille", "comment"]}),
        (_("What a writer the classifier never saw would meet"), {"fields": ["expected"]}),
    ]
    view_fieldsets = [
        (None, {"fields": ["changed_at", "changed_by", "comment", "allowance_per_mille"]}),
        (_("What a writer the classifier never saw would meet"), {"fields": ["expected"]}),
    ]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        return self.add_fieldsets if obj is None else self.view_fieldsets

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return (
            ["expected"]
            if obj is None
            else ["changed_at", "changed_by", "comment", "allowance_per_mille", "expected"]
        )

    @admin.display(description=_("priorities other than normal"))
    def priorities_set(self, obj: ClassifierSensitivity) -> str:
        changed = [
            f"{CATEGORY_LABELS[category]}: {Priority(obj.priorities[str(category)]).label}"
            for category in Category
            if obj.priorities.get(str(category), Priority.NORMAL) != Priority.NORMAL
        ]
        return "; ".join(changed) or "—"

    @admin.display(description=_("expected figures"))
    def expected(self, obj: ClassifierSensitivity | None) -> SafeString:
        """The figures of this version, of the settings typed in (shown with "Show what it would catch"), or
        else of the settings in force."""
        if obj is not None and (obj.pk is not None or obj.priorities):
            return sensitivity_table(obj.priorities, obj.allowance_per_mille)
        return sensitivity_table(*current_settings())

    def add_view(
        self, request: HttpRequest, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        if request.method == "POST" and "_preview" in request.POST and self.has_add_permission(request):
            return self._preview(request, form_url)
        return super().add_view(request, form_url, extra_context)

    def _preview(self, request: HttpRequest, form_url: str) -> HttpResponse:
        """The add page again, with what was typed, and the figures of those settings; nothing is saved."""
        form = self.get_form(request, None, change=False)(request.POST)
        previewed = form.is_valid()
        admin_form = helpers.AdminForm(
            form, list(self.add_fieldsets), {}, self.get_readonly_fields(request), model_admin=self
        )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Add %s") % self.opts.verbose_name,
            "subtitle": None,
            "adminform": admin_form,
            "object_id": None,
            "original": None,
            "is_popup": False,
            "to_field": None,
            "media": self.media + admin_form.media,
            "inline_admin_formsets": [],
            "errors": helpers.AdminErrorList(form, []),
            "preserved_filters": self.get_preserved_filters(request),
            "previewed": previewed,
        }
        return self.render_change_form(request, context, add=True, change=False, obj=None, form_url=form_url)

    def save_model(self, request: HttpRequest, obj: ClassifierSensitivity, form: Any, change: bool) -> None:
        saved = sensitivity_save(
            actor=signed_in_user(request),
            priorities=form.priorities(),
            allowance_per_mille=form.cleaned_data["allowance_per_mille"],
            comment=form.cleaned_data["comment"],
        )
        obj.pk = saved.pk
        obj.changed_at = saved.changed_at
