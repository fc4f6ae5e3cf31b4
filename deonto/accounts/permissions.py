"""Who may do what with accounts."""

from __future__ import annotations

from typing import Any


def can_manage_users(user: Any) -> bool:
    return bool(user.is_authenticated and user.has_perm("accounts.manage_users"))
