from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_roles(sender: AppConfig, **kwargs: Any) -> None:
    from deonto.accounts.roles import role_groups_sync

    role_groups_sync(using=kwargs.get("using", "default"))


class AccountsConfig(AppConfig):
    name = "deonto.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        # Groups and their permissions follow the code after every migrate (permissions
        # themselves only exist once every app has migrated, hence not a data migration).
        post_migrate.connect(_sync_roles, dispatch_uid="deonto.accounts.sync_roles")
