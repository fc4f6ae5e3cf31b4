"""The login: a custom user with roles (groups) and a preferred language."""

from __future__ import annotations

from functools import cached_property

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from deonto.accounts.roles import TWO_FACTOR_ROLES, Role


class InterfaceLanguage(models.TextChoices):
    DUTCH = "nl", _("Dutch")
    FRENCH = "fr", _("French")
    ENGLISH = "en", _("English")


class User(AbstractUser):
    language = models.CharField(
        _("language"),
        max_length=2,
        choices=InterfaceLanguage.choices,
        blank=True,
        help_text=_("The interface follows this choice; when empty, it follows the browser."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]
        permissions = [("manage_users", _("Can manage user accounts and their roles"))]

    @cached_property
    def roles(self) -> frozenset[str]:
        if not self.is_active:
            return frozenset()
        return frozenset(self.groups.values_list("name", flat=True)) & frozenset(Role.values)

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles & set(roles))

    @property
    def needs_two_factor(self) -> bool:
        return bool(self.roles & TWO_FACTOR_ROLES)

    def role_labels(self) -> list[str]:
        return [str(role.label) for role in Role if role.value in self.roles]
