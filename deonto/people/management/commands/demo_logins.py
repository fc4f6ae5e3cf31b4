"""``manage.py demo_logins``: where to go and which demo login to use for each role."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser, no_translations

from deonto.accounts.models import User
from deonto.accounts.roles import TWO_FACTOR_ROLES, Role
from deonto.people.demo import DEMO_LOGINS, DEMO_PASSWORD

_TWO_FACTOR_NOTE = "two-factor set-up at first login (authenticator app)"


class Command(BaseCommand):
    help = "Print the address of the site and the demo logins (one per role) created by seed_demo."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--url", default=f"{settings.SITE_URL}/", help="The address to open in the browser."
        )

    @no_translations
    def handle(self, *args: Any, **options: Any) -> None:
        users = {
            user.username: user
            for user in User.objects.filter(
                username__in=[login.role for login in DEMO_LOGINS]
            ).prefetch_related("managed_units")
        }
        rows = [("Role", "Username", "Password", "Language", "Note")]
        for login in DEMO_LOGINS:
            notes = []
            if login.role in TWO_FACTOR_ROLES:
                notes.append(_TWO_FACTOR_NOTE)
            user = users.get(login.role)
            if user is None:
                notes.append("missing: run seed_demo")
            elif login.role == Role.MANAGER:
                notes.append(f"manages {len(user.managed_units.all())} units")
            rows.append(
                (str(Role(login.role).label), login.role, DEMO_PASSWORD, login.language, "; ".join(notes))
            )
        widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]

        def line(row: tuple[str, ...]) -> str:
            return "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()

        self.stdout.write(f"Deonto is at {options['url']}")
        self.stdout.write("Demo logins (demonstration data only, never on a real server):")
        self.stdout.write("")
        self.stdout.write(line(rows[0]))
        self.stdout.write(line(tuple("-" * width for width in widths)))
        for row in rows[1:]:
            self.stdout.write(line(row))
