"""Guidance: code-of-conduct articles, tips and FAQ pages, with their text per language.

Other modules link to an article by its stable ``code`` (``discretion``). Each translation keeps
the fingerprint of the source text it was made from, so that when the source changes exactly
its translations show as outdated.
"""

from __future__ import annotations

import hashlib

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from deonto.core.models import TimeStampedModel


class ContentLanguage(models.TextChoices):
    DUTCH = "nl", _("Dutch")
    FRENCH = "fr", _("French")
    ENGLISH = "en", _("English")
    GERMAN = "de", _("German")


class ArticleKind(models.TextChoices):
    ARTICLE = "article", _("Code of conduct article")
    TIP = "tip", _("Tip")
    FAQ = "faq", _("Frequently asked question")


class TranslationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    REVIEWED = "reviewed", _("Reviewed")
    OUTDATED = "outdated", _("Outdated")


class Article(TimeStampedModel):
    code = models.SlugField(_("code"), max_length=64, unique=True)
    kind = models.CharField(
        _("kind"), max_length=16, choices=ArticleKind.choices, default=ArticleKind.ARTICLE
    )
    source_language = models.CharField(
        _("source language"), max_length=2, choices=ContentLanguage.choices, default=ContentLanguage.DUTCH
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    related = models.ManyToManyField("self", verbose_name=_("related articles"), blank=True, symmetrical=True)
    is_published = models.BooleanField(_("published"), default=True)

    class Meta:
        verbose_name = _("guidance article")
        verbose_name_plural = _("guidance articles")
        ordering = ["kind", "position", "code"]

    def __str__(self) -> str:
        return self.code

    def get_absolute_url(self) -> str:
        return reverse("knowledge:detail", kwargs={"code": self.code})


def text_fingerprint(*parts: str) -> str:
    digest = hashlib.sha256("\x1f".join(part.strip() for part in parts).encode("utf-8"))
    return digest.hexdigest()[:16]


class ArticleTranslation(TimeStampedModel):
    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="translations"
    )
    language = models.CharField(_("language"), max_length=2, choices=ContentLanguage.choices)
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=400, blank=True)
    body = models.TextField(_("body"), help_text=_("Markdown: paragraphs, lists, **bold**, links."))
    status = models.CharField(
        _("status"), max_length=16, choices=TranslationStatus.choices, default=TranslationStatus.DRAFT
    )
    source_fingerprint = models.CharField(
        _("fingerprint of the source"),
        max_length=16,
        blank=True,
        help_text=_("Fingerprint of the source-language text this translation was made from."),
    )
    shipped_fingerprint = models.CharField(
        _("fingerprint of the shipped text"),
        max_length=16,
        blank=True,
        editable=False,
        help_text=_("Fingerprint of the text last loaded from the content shipped with Deonto."),
    )
    search_text = models.TextField(_("search text"), blank=True, editable=False)

    class Meta:
        verbose_name = _("article translation")
        verbose_name_plural = _("article translations")
        ordering = ["article", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "language"], name="article_translation_unique_language"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.article.code} [{self.language}]"

    def get_absolute_url(self) -> str:
        return reverse("knowledge:detail", kwargs={"code": self.article.code})

    @property
    def fingerprint(self) -> str:
        return text_fingerprint(self.title, self.summary, self.body)
