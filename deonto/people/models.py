"""The staff roster: regions, sites, organisational units (a tree) and employees.

The roster is distinct from the login: an ``Employee`` may be linked to a ``User``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from deonto.core.models import TimeStampedModel


class Region(TimeStampedModel):
    code = models.CharField(_("code"), max_length=16, unique=True)
    name_nl = models.CharField(_("name in Dutch"), max_length=100)
    name_fr = models.CharField(_("name in French"), max_length=100)
    name_en = models.CharField(_("name in English"), max_length=100)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """Place names have official forms per language (Luik / Liège)."""
        language = (get_language() or "nl")[:2]
        return str(getattr(self, f"name_{language}", "") or self.name_nl)


class Site(TimeStampedModel):
    code = models.CharField(_("code"), max_length=16, unique=True)
    name = models.CharField(_("name"), max_length=150)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="sites"
    )
    address = models.CharField(_("address"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class OrgUnit(TimeStampedModel):
    """An organisational unit. ``path`` holds the codes from the root (``/AGD/OPS/ANR-01/``),
    so a unit and everything under it is one indexed prefix query."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(_("path"), max_length=1000, db_index=True, editable=False)
    site = models.ForeignKey(
        Site, verbose_name=_("site"), null=True, blank=True, on_delete=models.SET_NULL, related_name="units"
    )
    is_operational = models.BooleanField(_("operational unit"), default=False)
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("managers"), blank=True, related_name="managed_units"
    )

    class Meta:
        verbose_name = _("organisational unit")
        verbose_name_plural = _("organisational units")
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(parent=models.F("id")), name="orgunit_not_own_parent"),
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.name}"

    def save(self, *args: object, **kwargs: object) -> None:
        self.path = f"{self.parent.path if self.parent else '/'}{self.code}/"
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def depth(self) -> int:
        return self.path.count("/") - 2


class StaffLanguage(models.TextChoices):
    DUTCH = "nl", _("Dutch")
    FRENCH = "fr", _("French")
    GERMAN = "de", _("German")


class Employee(TimeStampedModel):
    personnel_number = models.CharField(_("personnel number"), max_length=20, unique=True)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("e-mail address"), blank=True)
    language = models.CharField(_("language"), max_length=2, choices=StaffLanguage.choices)
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="employees"
    )
    site = models.ForeignKey(
        Site,
        verbose_name=_("site"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="employees",
    )
    function = models.CharField(_("function"), max_length=150, blank=True)
    is_armed = models.BooleanField(_("armed officer"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="employee",
    )

    class Meta:
        verbose_name = _("employee")
        verbose_name_plural = _("employees")
        ordering = ["last_name", "first_name", "personnel_number"]
        permissions = [
            ("import_roster", _("Can import the staff roster")),
            ("view_all_employees", _("Can see every employee of the roster")),
        ]
        indexes = [
            models.Index(fields=["is_active", "unit"], name="employee_active_unit_idx"),
            models.Index(fields=["is_active", "language"], name="employee_active_lang_idx"),
            models.Index(fields=["last_name", "first_name"], name="employee_name_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(start_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="employee_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.last_name}, {self.first_name} ({self.personnel_number})"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class RosterImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Waiting for the column mapping")
    VALIDATING = "validating", _("Being checked")
    INVALID = "invalid", _("Has errors")
    VALID = "valid", _("Ready to apply")
    APPLYING = "applying", _("Being applied")
    APPLIED = "applied", _("Applied")
    FAILED = "failed", _("Failed")


class RosterImport(TimeStampedModel):
    """One upload of the HR export, from the file to the changes it made.

    The file's bytes are kept on the record (so a task worker on another machine reads the same
    file) until the import is applied. Errors are stored as codes with parameters, so each reader
    sees them in their own language.
    """

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    file_name = models.CharField(_("file name"), max_length=255)
    file_size = models.PositiveIntegerField(_("file size"), default=0)
    file_format = models.CharField(_("file format"), max_length=8)
    content = models.BinaryField(_("file content"), blank=True, default=b"")
    encoding = models.CharField(_("encoding"), max_length=32, blank=True)
    delimiter = models.CharField(_("delimiter"), max_length=4, blank=True)
    headers = models.JSONField(_("column headers"), default=list, blank=True)
    mapping = models.JSONField(_("column mapping"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=RosterImportStatus.choices, default=RosterImportStatus.UPLOADED
    )
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    created_count = models.PositiveIntegerField(_("new"), default=0)
    updated_count = models.PositiveIntegerField(_("changed"), default=0)
    deactivated_count = models.PositiveIntegerField(_("deactivated"), default=0)
    reactivated_count = models.PositiveIntegerField(_("reactivated"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged"), default=0)
    failure = models.TextField(_("failure"), blank=True)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applied by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("roster import")
        verbose_name_plural = _("roster imports")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["-created_at"], name="rosterimport_created_idx")]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.created_at:%Y-%m-%d %H:%M})" if self.created_at else self.file_name

    @property
    def is_running(self) -> bool:
        return self.status in {RosterImportStatus.VALIDATING, RosterImportStatus.APPLYING}

    @property
    def progress_percent(self) -> int:
        return int(self.processed_rows * 100 / self.total_rows) if self.total_rows else 0

    @property
    def change_count(self) -> int:
        return self.created_count + self.updated_count + self.deactivated_count + self.reactivated_count


class RosterChangeKind(models.TextChoices):
    CREATED = "created", _("Created")
    UPDATED = "updated", _("Updated")
    DEACTIVATED = "deactivated", _("Deactivated")
    REACTIVATED = "reactivated", _("Reactivated")


class RosterChange(models.Model):
    """What one applied import did to one employee; ``fields`` lists ``{field, old, new}``."""

    roster_import = models.ForeignKey(
        RosterImport, verbose_name=_("roster import"), on_delete=models.CASCADE, related_name="changes"
    )
    employee = models.ForeignKey(
        Employee,
        verbose_name=_("employee"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="roster_changes",
    )
    personnel_number = models.CharField(_("personnel number"), max_length=20)
    employee_name = models.CharField(_("name"), max_length=210)
    kind = models.CharField(_("change"), max_length=16, choices=RosterChangeKind.choices)
    fields = models.JSONField(_("changed fields"), default=list, blank=True)

    class Meta:
        verbose_name = _("roster change")
        verbose_name_plural = _("roster changes")
        ordering = ["id"]
        indexes = [models.Index(fields=["roster_import", "kind"], name="rosterchange_import_kind_idx")]

    def __str__(self) -> str:
        return f"{self.personnel_number} {self.kind}"
