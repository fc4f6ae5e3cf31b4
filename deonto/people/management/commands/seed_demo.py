"""``manage.py seed_demo``: the synthetic customs administration and the demo logins, once."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from deonto.integrity.demo import integrity_demo_seed
from deonto.people.demo import (
    DEFAULT_EMPLOYEES,
    DEFAULT_SEED,
    DEMO_LOGINS,
    DEMO_PASSWORD,
    demo_present,
    demo_seed,
    roster_generate,
)
from deonto.postcheck.demo import DAYS, checks_demo_seed
from deonto.rollout.demo import rollout_demo_seed


class Command(BaseCommand):
    help = (
        "Fill an empty database with a synthetic customs administration (8 regions, about 300 units, "
        f"{DEFAULT_EMPLOYEES} employees by default) and one demo login per role, all with the password "
        f"'{DEMO_PASSWORD}'. Demo data only: it never runs with DEBUG off unless --allow-production is given, "
        "and it changes nothing when the demo logins, employees or units are already there."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--employees", type=int, default=DEFAULT_EMPLOYEES, help="Number of employees to generate."
        )
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help="Random seed: the same seed gives the same data."
        )
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Run even though DEBUG is off (a demonstration server, never a real one).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["allow_production"]:
            raise CommandError(
                "DEBUG is off: this looks like a production database, so no demo data was added. "
                "Use --allow-production on a demonstration server."
            )
        if options["employees"] < len(DEMO_LOGINS):
            raise CommandError(f"--employees must be at least {len(DEMO_LOGINS)}.")
        present = demo_present()
        if present is not None:
            self.stdout.write(f"Demo data not added: the database already holds {present}. Nothing changed.")
            return
        started = time.perf_counter()
        roster = roster_generate(
            employees=options["employees"], seed=options["seed"], today=timezone.localdate()
        )
        summary = demo_seed(roster=roster)
        rollout = rollout_demo_seed(today=timezone.localdate())
        findings = checks_demo_seed(today=timezone.localdate())
        cases = integrity_demo_seed(today=timezone.localdate())
        elapsed = time.perf_counter() - started
        armed = sum(employee.is_armed for employee in roster.employees)
        languages = ", ".join(
            f"{language} {sum(e.language == language for e in roster.employees)}"
            for language in ("nl", "fr", "de")
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data added in {elapsed:.1f} s (seed {options['seed']}): {summary.regions} regions, "
                f"{summary.sites} sites, {summary.units} units, {summary.employees} employees ({languages}; "
                f"{armed} armed), {summary.logins} demo logins. See them with `manage.py demo_logins`."
            )
        )
        self.stdout.write(
            f"Training rollout: {rollout.sessions} sessions, {rollout.enrolments} enrolments, "
            f"{rollout.instructors} instructors, {rollout.rooms} rooms."
        )
        self.stdout.write(
            f"Post check statistics: {findings} findings over the last {DAYS} days (synthetic counts)."
        )
        self.stdout.write(
            f"Integrity desk: {cases.reports} synthetic reports at every stage, with {cases.evidence} pieces of "
            "encrypted evidence (the inspector and the head of service see them after their two-factor set-up)."
        )
