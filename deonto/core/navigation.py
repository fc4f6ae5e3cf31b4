"""The main navigation: what each role sees in the menu."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from deonto.accounts.permissions import can_manage_users
from deonto.integrity.permissions import works_on_cases
from deonto.integrity.statistics import can_view_statistics
from deonto.people.permissions import can_import_roster, can_view_roster
from deonto.postcheck.statistics import can_view_check_statistics
from deonto.rollout.permissions import can_manage_rollout, can_view_progress
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
    NavItem(_("My training"), "rollout:my_training", lambda user: user.is_authenticated, "my-training"),
    NavItem(_("Live classroom"), "training:live_start", can_run_live, "live"),
    NavItem(_("Course content"), "training:content_index", can_read_content, "content"),
    NavItem(_("Check before you post"), "postcheck:check", lambda user: user.is_authenticated, "postcheck"),
    NavItem(_("Report a breach"), "integrity:report_start", lambda user: True, "integrity"),
    NavItem(_("Integrity cases"), "cases:case_list", works_on_cases, "cases"),
    NavItem(_("Report statistics"), "integrity_reports:statistics", can_view_statistics, "statistics"),
    NavItem(
        _("Post check statistics"), "postcheck:statistics", can_view_check_statistics, "postcheck-statistics"
    ),
    NavItem(_("Rollout planning"), "rollout:campaign_list", can_manage_rollout, "rollout"),
    NavItem(_("Staff roster"), "people:employee_list", can_view_roster, "people"),
    NavItem(_("Roster import"), "people:import_start", can_import_roster, "people-import"),
    NavItem(_("Rollout progress"), "rollout:progress", can_view_progress, "rollout-progress"),
    NavItem(_("User accounts"), "accounts:user_list", can_manage_users, "accounts"),
    NavItem(_("Audit log"), "core:audit_log", can_manage_users, "audit"),
]


def navigation_for(user: Any) -> list[NavItem]:
    return [item for item in NAVIGATION if item.visible(user)]
