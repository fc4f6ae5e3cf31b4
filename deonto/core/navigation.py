"""The main navigation: what each role sees in the menu."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from deonto.accounts.permissions import can_manage_users
from deonto.people.permissions import can_import_roster, can_view_roster
from deonto.training.permissions import can_read_content, can_run_live


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    visible: Callable[[Any], bool]
    section: str


NAVIGATION = [
    NavItem(_("Home"), "core:home", lambda user: user.is_authenticated, "home"),
    NavItem(_("Guidance"), "knowledge:index", lambda user: True, "knowledge"),
    NavItem(_("E-learning"), "training:learn_index", lambda user: user.is_authenticated, "learning"),
    NavItem(_("Live classroom"), "training:live_start", can_run_live, "live"),
    NavItem(_("Course content"), "training:content_index", can_read_content, "content"),
    NavItem(_("Report a breach"), "integrity:report_start", lambda user: True, "integrity"),
    NavItem(_("Staff roster"), "people:employee_list", can_view_roster, "people"),
    NavItem(_("Roster import"), "people:import_start", can_import_roster, "people-import"),
    NavItem(_("User accounts"), "accounts:user_list", can_manage_users, "accounts"),
    NavItem(_("Audit log"), "core:audit_log", can_manage_users, "audit"),
]


def navigation_for(user: Any) -> list[NavItem]:
    return [item for item in NAVIGATION if item.visible(user)]
