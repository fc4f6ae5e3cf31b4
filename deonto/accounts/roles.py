"""The roles of Deonto: one Django group per role, with the permissions listed here.

A person may hold several roles. The groups are brought in line with this table after every
``migrate``, so a permission added here reaches every deployment.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    EMPLOYEE = "employee", _("Employee")
    INSTRUCTOR = "instructor", _("Instructor")
    COORDINATOR = "coordinator", _("Coordinator")
    MANAGER = "manager", _("Manager")
    INSPECTOR = "inspector", _("Inspector")
    HEAD_OF_SERVICE = "head_of_service", _("Head of integrity service")
    ADMINISTRATOR = "administrator", _("Administrator")


ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.EMPLOYEE: [],
    Role.INSTRUCTOR: ["training.run_live"],
    Role.COORDINATOR: [
        "people.view_employee",
        "people.view_all_employees",
        "people.import_roster",
        "people.view_orgunit",
        "people.view_site",
        "knowledge.view_article",
        "training.run_live",
        "training.manage_content",
        "training.view_results",
        "rollout.manage_rollout",
        "rollout.view_progress",
        "postcheck.view_categorycount",
    ],
    Role.MANAGER: [
        "people.view_employee",
        "people.view_orgunit",
        "rollout.view_progress",
        "integrity.view_statistics",
        "postcheck.view_categorycount",
    ],
    Role.INSPECTOR: [
        "postcheck.view_rule",
        "postcheck.add_rule",
        "postcheck.change_rule",
        "postcheck.delete_rule",
        "postcheck.view_rulerevision",
        "postcheck.view_categorycount",
        "postcheck.view_classifiersensitivity",
    ],
    Role.HEAD_OF_SERVICE: [
        "integrity.view_statistics",
        "postcheck.view_rule",
        "postcheck.add_rule",
        "postcheck.change_rule",
        "postcheck.delete_rule",
        "postcheck.view_rulerevision",
        "postcheck.view_categorycount",
        "postcheck.view_classifiersensitivity",
        "postcheck.add_classifiersensitivity",
    ],
    Role.ADMINISTRATOR: [
        "accounts.manage_users",
        "accounts.view_user",
        "accounts.add_user",
        "accounts.change_user",
        "people.view_employee",
        "people.view_all_employees",
        "people.import_roster",
        "people.view_orgunit",
        "people.change_orgunit",
        "people.add_orgunit",
        "people.view_site",
        "people.change_site",
        "people.add_site",
        "people.view_region",
        "people.change_region",
        "knowledge.view_article",
        "knowledge.add_article",
        "knowledge.change_article",
        "knowledge.view_articletranslation",
        "knowledge.add_articletranslation",
        "knowledge.change_articletranslation",
        "training.manage_content",
        "training.view_results",
        "integrity.view_measure",
        "integrity.add_measure",
        "integrity.change_measure",
    ],
}

# Roles whose members reach the admin site (is_staff): those with permissions edited there.
ADMIN_SITE_ROLES = frozenset({Role.INSPECTOR, Role.HEAD_OF_SERVICE, Role.ADMINISTRATOR})

# Roles whose members must confirm a one-time code (TOTP) at every login.
TWO_FACTOR_ROLES = frozenset({Role.INSPECTOR, Role.HEAD_OF_SERVICE, Role.ADMINISTRATOR})


def role_groups_sync(*, using: str = "default") -> None:
    from django.contrib.auth.models import Group, Permission

    for role in Role:
        group, _created = Group.objects.using(using).get_or_create(name=role.value)
        wanted = []
        for dotted in ROLE_PERMISSIONS[role]:
            app_label, codename = dotted.split(".", 1)
            permission = (
                Permission.objects.using(using)
                .filter(content_type__app_label=app_label, codename=codename)
                .first()
            )
            if permission is not None:
                wanted.append(permission)
        group.permissions.set(wanted)
