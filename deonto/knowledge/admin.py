"""Guidance in the admin: an article with its translations inline, saved through the service
so that editing the source text marks the other languages outdated."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest

from deonto.knowledge.models import Article, ArticleTranslation
from deonto.knowledge.services import translation_save


class ArticleTranslationInline(admin.StackedInline):  # type: ignore[type-arg]
    model = ArticleTranslation
    extra = 0
    fields = ["language", "status", "title", "summary", "body", "source_fingerprint", "updated_at"]
    readonly_fields = ["source_fingerprint", "updated_at"]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["code", "kind", "position", "source_language", "is_published", "updated_at"]
    list_filter = ["kind", "is_published", "translations__status"]
    search_fields = ["code", "translations__title"]
    filter_horizontal = ["related"]
    inlines = [ArticleTranslationInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Article]:
        return super().get_queryset(request).distinct()

    def save_formset(
        self,
        request: HttpRequest,
        form: ModelForm[Article],
        formset: BaseInlineFormSet[ArticleTranslation, Article, ModelForm[ArticleTranslation]],
        change: bool,
    ) -> None:
        if formset.model is not ArticleTranslation:
            super().save_formset(request, form, formset, change)
            return
        translations = formset.save(commit=False)
        for obj in formset.deleted_objects:
            obj.delete()
        source_language = form.instance.source_language
        # The source text first: the other languages are compared with its new fingerprint.
        for translation in sorted(translations, key=lambda t: t.language != source_language):
            translation_save(translation=translation, actor=request.user)
        formset.save_m2m()


@admin.register(ArticleTranslation)
class ArticleTranslationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["article", "language", "title", "status", "updated_at"]
    list_filter = ["language", "status", "article__kind"]
    search_fields = ["article__code", "title"]
    list_select_related = ["article"]
    readonly_fields = ["source_fingerprint"]

    def save_model(self, request: HttpRequest, obj: ArticleTranslation, form: Any, change: bool) -> None:
        translation_save(translation=obj, actor=request.user)
