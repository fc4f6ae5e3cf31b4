"""The post checker's tables: its rules and the classifier's sensitivity (data the integrity service edits),
their history, and counts.

Nothing a user submits is ever stored: `CategoryCount` keeps how many checks found each category on a
day, with no text, no photo and no user.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from deonto.core.models import TimeStampedModel
from deonto.postcheck.analyzers.findings import Category, Severity


class RuleLanguage(models.TextChoices):
    DUTCH = "nl", _("Dutch")
    FRENCH = "fr", _("French")
    ENGLISH = "en", _("English")
    GERMAN = "de", _("German")


class RuleKind(models.TextChoices):
    TEXT = "text", _("Rule on the text")
    IDENTIFIER = "identifier", _("Message for an identifier")
    PHOTO = "photo", _("Message for a photo finding")


CATEGORY_LABELS = {
    Category.PERSONAL_DATA: _("Personal data"),
    Category.OPERATIONAL: _("Operational details"),
    Category.IDENTIFIES_OFFICER: _("Identifies an officer"),
    Category.WEAPON: _("Service weapon"),
    Category.LOCATION: _("Location"),
    Category.EMPLOYER_CRITICISM: _("Criticism of the employer"),
    Category.POLITICAL: _("Political statement"),
    Category.HARASSMENT_OR_HATE: _("Harassment or hate"),
    Category.INTERNAL_DOCUMENT: _("Internal document or system"),
}
SEVERITY_LABELS = {
    Severity.HIGH: _("High risk"),
    Severity.WARNING: _("Warning"),
    Severity.INFO: _("Good to know"),
}
CATEGORY_CHOICES = [(str(category), label) for category, label in CATEGORY_LABELS.items()]
SEVERITY_CHOICES = [(str(severity), SEVERITY_LABELS[severity]) for severity in Severity]


class Rule(TimeStampedModel):
    """One rule on the text of a post (terms, patterns, context), or the message of an identifier or photo finding.

    Rows mirror the shape of the shipped YAML (deonto/postcheck/analyzers/data/rules/). The examples are posts
    a text rule must warn about and posts it must not: every save checks them, so an edit that breaks one is
    refused with the example named. `shipped_fingerprint`
    is the fingerprint of the shipped version last loaded; `is_customised` marks rows edited in Deonto, which
    `sync_postcheck_rules` never overwrites.
    """

    language = models.CharField(_("language"), max_length=2, choices=RuleLanguage.choices)
    kind = models.CharField(_("kind"), max_length=16, choices=RuleKind.choices, default=RuleKind.TEXT)
    code = models.SlugField(
        _("rule id"),
        max_length=64,
        help_text=_(
            "For identifiers and photo findings, the finding it is the message of (for example iban, gps)."
        ),
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    category = models.CharField(_("category"), max_length=32, choices=CATEGORY_CHOICES)
    severity = models.CharField(
        _("severity"), max_length=16, choices=SEVERITY_CHOICES, default=Severity.WARNING
    )
    terms = models.JSONField(_("terms"), default=list, blank=True)
    patterns = models.JSONField(_("patterns"), default=list, blank=True)
    context_terms = models.JSONField(_("context terms"), default=list, blank=True)
    context_patterns = models.JSONField(_("context patterns"), default=list, blank=True)
    context_window = models.PositiveSmallIntegerField(_("context window (words)"), default=8)
    context_required = models.BooleanField(_("fires only with context"), default=False)
    context_severity = models.CharField(
        _("severity with context"), max_length=16, choices=SEVERITY_CHOICES, blank=True
    )
    unless_terms = models.JSONField(_("unless terms"), default=list, blank=True)
    unless_patterns = models.JSONField(_("unless patterns"), default=list, blank=True)
    unless_window = models.PositiveSmallIntegerField(_("unless window (words)"), default=8)
    explanation = models.TextField(_("explanation"))
    advice = models.TextField(_("advice"))
    article = models.SlugField(_("guidance article"), max_length=64, blank=True)
    examples_warn = models.JSONField(
        _("posts it must warn about"),
        default=list,
        blank=True,
        help_text=_("One post per line. Every save checks that the rule gives a warning on each of them."),
    )
    examples_pass = models.JSONField(
        _("posts it must not warn about"),
        default=list,
        blank=True,
        help_text=_(
            "One post per line: look-alikes that are harmless. Every save checks that the rule gives no "
            "warning on any of them (a note that is only good to know is allowed)."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_customised = models.BooleanField(_("edited in Deonto"), default=False, editable=False)
    shipped_fingerprint = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("post check rule")
        verbose_name_plural = _("post check rules")
        ordering = ["language", "kind", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["language", "kind", "code"], name="postcheck_rule_unique_code"),
        ]

    def __str__(self) -> str:
        return f"{self.language}/{self.code}"


class RuleRevision(models.Model):
    """Append-only history: a snapshot of a rule after each change, with who made it, when and why."""

    rule = models.ForeignKey(
        Rule,
        verbose_name=_("rule"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="revisions",
    )
    language = models.CharField(_("language"), max_length=2, choices=RuleLanguage.choices)
    kind = models.CharField(_("kind"), max_length=16, choices=RuleKind.choices)
    code = models.CharField(_("rule id"), max_length=64)
    snapshot = models.JSONField(_("snapshot"))
    is_deletion = models.BooleanField(_("deleted"), default=False)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)
    comment = models.CharField(_("comment"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("rule revision")
        verbose_name_plural = _("rule revisions")
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.language}/{self.code} {self.changed_at:%Y-%m-%d %H:%M}"


class Priority(models.IntegerChoices):
    OFF = 0, _("Off: the classifier says nothing about it")
    NORMAL = 1, _("Normal")
    DOUBLE = 2, _("Twice as important")
    TRIPLE = 3, _("Three times as important")


class Allowance(models.IntegerChoices):
    """How many harmless posts in a thousand the classifier may add to those the rules warn about."""

    NONE = 0, _("None: only the warnings it adds at no cost")
    HALF = 5, _("0.5 % of harmless posts")
    ONE = 10, _("1 % of harmless posts (as shipped)")
    TWO = 20, _("2 % of harmless posts")
    THREE = 30, _("3 % of harmless posts")


class ClassifierSensitivity(models.Model):
    """One version of how sensitive the classifier is: a priority per category and the false alarms it may
    add. The newest version applies; a change adds a version, so the versions are the history.

    Only the decision is kept: the thresholds follow from it and from the calibration shipped with the
    classifier's weights (`analyzers/sensitivity.py`), so a classifier trained again keeps the same policy.
    """

    priorities = models.JSONField(_("priority per category"))
    allowance_per_mille = models.PositiveSmallIntegerField(
        _("false alarms the classifier may add"), choices=Allowance.choices, default=Allowance.ONE
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)
    comment = models.CharField(_("why"), max_length=255)

    class Meta:
        verbose_name = _("classifier sensitivity")
        verbose_name_plural = _("classifier sensitivity")
        ordering = ["-changed_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(allowance_per_mille__in=Allowance.values),
                name="postcheck_sensitivity_allowance_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.changed_at:%Y-%m-%d %H:%M}"


class CategoryCount(models.Model):
    """How many checks on `day` found at least one finding of `category`: the only trace a check leaves."""

    day = models.DateField(_("day"))
    category = models.CharField(_("category"), max_length=32, choices=CATEGORY_CHOICES)
    count = models.PositiveIntegerField(_("count"), default=0)

    class Meta:
        verbose_name = _("finding count")
        verbose_name_plural = _("finding counts")
        ordering = ["-day", "category"]
        constraints = [
            models.UniqueConstraint(fields=["day", "category"], name="postcheck_count_unique_day_category"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.category}: {self.count}"
