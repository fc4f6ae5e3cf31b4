"""Rollout dashboard speed: 65,000 employees, 5,000 sessions, on PostgreSQL.

Builds the data with ``bulk_create`` in the database named by ``DATABASE_URL`` (created if missing;
EMPTIED first, so give it a database of its own), then times the progress dashboard through the
test client as a coordinator, and the CSV export of the whole audience (65,000 rows), streamed to
the end:

    DATABASE_URL=postgres://deonto:deonto@127.0.0.1:54329/deonto_bench .venv/bin/python benchmarks/dashboard.py

Prints a table, and as its last line one JSON object with the figures. Goals: dashboard p95
≤ 300 ms, CSV export of 65,000 rows ≤ 5 s.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
FIRST_NAMES = [
    "Jan",
    "An",
    "Els",
    "Pieter",
    "Noël",
    "Zoë",
    "Léa",
    "Jérôme",
    "Hélène",
    "Koen",
    "Marie",
    "Lukas",
]
LAST_NAMES = [
    "Peeters",
    "Janssens",
    "Maes",
    "Jacobs",
    "Dubois",
    "Lambert",
    "Dupont",
    "Martin",
    "De Smet",
    "Müller",
]
LANGUAGES = ["nl"] * 55 + ["fr"] * 40 + ["de"] * 5
BATCH = 5000


def database_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        raise SystemExit(
            "This benchmark runs on PostgreSQL only: set DATABASE_URL to a database of its own, e.g.\n"
            "  DATABASE_URL=postgres://deonto:deonto@127.0.0.1:54329/deonto_bench .venv/bin/python benchmarks/dashboard.py\n"
            "(the database is created if missing, and emptied first)."
        )
    return url


def ensure_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit((parts.scheme.replace("postgres", "postgresql", 1) if parts.scheme == "postgres" else parts.scheme,
                        parts.netloc, "/postgres", "", ""))  # fmt: skip
    with psycopg.connect(admin, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')  # a name from the developer's own URL


def setup_django() -> None:
    os.environ.setdefault("DEONTO_DEBUG", "1")
    os.environ["DJANGO_SETTINGS_MODULE"] = "deonto.settings"
    os.environ["DEONTO_LOG_LEVEL"] = "WARNING"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)


def build(*, employees: int, sessions: int, rng: random.Random, today: datetime.date) -> dict[str, int]:
    from deonto.people.models import Employee, OrgUnit, Region, Site
    from deonto.rollout.models import (
        Campaign,
        Enrolment,
        EnrolmentStatus,
        Room,
        Session,
        SessionStatus,
        Wave,
    )
    from deonto.training.models import Course

    regions = Region.objects.bulk_create(
        Region(code=f"R{n:02d}", name_nl=f"Regio {n}", name_fr=f"Région {n}", name_en=f"Region {n}")
        for n in range(12)
    )
    sites = Site.objects.bulk_create(
        Site(code=f"S{n:03d}", name=f"Site {n}", region=regions[n % 12]) for n in range(40)
    )
    root = OrgUnit.objects.create(code="AGD", name="Douane")
    units = []
    for n in range(40):
        directorate = OrgUnit.objects.create(
            code=f"D{n:02d}", name=f"Directie {n}", parent=root, site=sites[n]
        )
        units += OrgUnit.objects.bulk_create(
            OrgUnit(code=f"D{n:02d}-{m:02d}", name=f"Eenheid {n}.{m}", parent=directorate, site=sites[n],
                    path=f"{directorate.path}D{n:02d}-{m:02d}/")
            for m in range(8)
        )  # fmt: skip
    people = []
    for n in range(employees):
        unit = units[n % len(units)]
        people.append(
            Employee(
                personnel_number=f"{200000 + n}",
                first_name=rng.choice(FIRST_NAMES),
                last_name=rng.choice(LAST_NAMES),
                language=rng.choice(LANGUAGES),
                unit=unit,
                site=unit.site,
                function="Douanier",
                is_armed=rng.random() < 0.3,
                is_active=rng.random() < 0.98,
            )
        )
    people = Employee.objects.bulk_create(people, batch_size=BATCH)

    course = Course.objects.create(code="social-media", is_published=True)
    campaign = Campaign.objects.create(
        name="Social media", course=course, starts_on=today - datetime.timedelta(weeks=26),
        target_on=today + datetime.timedelta(weeks=40),
    )  # fmt: skip
    Wave.objects.create(campaign=campaign, order=1, name="Armed officers", armed_only=True,
                        deadline=today + datetime.timedelta(weeks=4))  # fmt: skip
    Wave.objects.create(campaign=campaign, order=2, name="Everyone else")
    rooms = Room.objects.bulk_create(
        Room(site=sites[n % 40], name=f"Room {n}", capacity=14) for n in range(80)
    )

    held = sessions // 2
    ahead = sessions * 2 // 5
    slots_past = [
        (today - datetime.timedelta(days=day), half)
        for day in range(1, 26 * 7)
        if (today - datetime.timedelta(days=day)).weekday() < 5
        for half in ("am", "pm")
    ]
    slots_future = [
        (today + datetime.timedelta(days=day), half)
        for day in range(0, 40 * 7)
        if (today + datetime.timedelta(days=day)).weekday() < 5
        for half in ("am", "pm")
    ]
    planned = []
    for index in range(sessions):
        past = index < held
        slots = slots_past if past else slots_future
        position = index if past else index - held
        day, half = slots[(position // len(rooms)) % len(slots)]
        status = (
            SessionStatus.HELD
            if past
            else SessionStatus.PUBLISHED
            if index < held + ahead
            else SessionStatus.DRAFT
        )
        planned.append(
            Session(campaign=campaign, date=day, half_day=half, room=rooms[position % len(rooms)],
                    language="nl" if index % 20 < 11 else "fr" if index % 20 < 19 else "de", capacity=12, status=status)
        )  # fmt: skip
    created = Session.objects.bulk_create(planned, batch_size=BATCH)

    queue = [person for person in people if person.is_active]
    rng.shuffle(queue)
    enrolments = []
    for session in created:
        if session.status == SessionStatus.DRAFT:
            continue
        seats = session.capacity if session.status == SessionStatus.HELD else rng.randrange(4, 13)
        for _seat in range(seats):
            if not queue:
                break
            person = queue.pop()
            if session.status == SessionStatus.HELD:
                outcome = EnrolmentStatus.ATTENDED if rng.random() < 0.9 else EnrolmentStatus.ABSENT
            else:
                outcome = rng.choice([EnrolmentStatus.INVITED, EnrolmentStatus.ACCEPTED])
            enrolments.append(Enrolment(campaign=campaign, employee=person, session=session, status=outcome))
    Enrolment.objects.bulk_create(enrolments, batch_size=BATCH)
    return {
        "employees": len(people),
        "sessions": len(created),
        "enrolments": len(enrolments),
        "campaign": campaign.pk,
    }


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--employees", type=int, default=65_000)
    parser.add_argument("--sessions", type=int, default=5_000)
    parser.add_argument("--dashboard-runs", type=int, default=30)
    parser.add_argument("--export-runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2026)
    arguments = parser.parse_args()
    url = database_url()
    started = time.perf_counter()
    ensure_database(url)
    setup_django()

    from django.db import connection
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from deonto.accounts.roles import Role
    from deonto.accounts.services import user_create

    counts = build(
        employees=arguments.employees, sessions=arguments.sessions, rng=random.Random(arguments.seed),
        today=timezone.localdate(),
    )  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    setup_s = time.perf_counter() - started

    coordinator = user_create(
        actor=None, username="bench-coordinator", email="bench@example.test", language="nl",
        roles=[Role.COORDINATOR], password="correct horse battery staple",  # noqa: S106 - a throwaway user
    )  # fmt: skip
    client = Client(HTTP_HOST="localhost")
    client.force_login(coordinator)
    dashboard_url = reverse("rollout:progress")
    csv_url = reverse("rollout:progress_export_csv", args=[counts["campaign"]])

    def timed_dashboard() -> float:
        begin = time.perf_counter()
        response = client.get(dashboard_url)
        elapsed = time.perf_counter() - begin
        if response.status_code != 200:
            raise SystemExit(f"the dashboard answered {response.status_code}")
        return elapsed * 1000

    def timed_csv() -> tuple[float, int]:
        begin = time.perf_counter()
        response = client.get(csv_url)
        lines = sum(chunk.count(b"\n") for chunk in response.streaming_content)  # type: ignore[attr-defined]
        return time.perf_counter() - begin, lines - 1

    for _warm_up in range(3):
        timed_dashboard()
    dashboard = [timed_dashboard() for _run in range(arguments.dashboard_runs)]
    exports = [timed_csv() for _run in range(arguments.export_runs)]
    export_s = [seconds for seconds, _rows in exports]
    rows = exports[0][1]

    print(
        f"Rollout dashboard benchmark: {counts['employees']} employees, {counts['sessions']} sessions, "
        f"{counts['enrolments']} enrolments, PostgreSQL {getattr(connection, 'pg_version', '?')}, {os.cpu_count()} CPUs"
    )
    print(f"set-up (migrate, bulk_create, VACUUM ANALYZE): {setup_s:.1f} s")
    print("load average while timing (1, 5, 15 min): " + ", ".join(f"{load:.1f}" for load in os.getloadavg()))
    print(f"{'measure':<34}{'runs':>6}{'p50':>10}{'p95':>10}{'max':>10}{'goal':>10}")
    print(
        f"{'dashboard (ms)':<34}{len(dashboard):>6}{statistics.median(dashboard):>10.0f}"
        f"{percentile(dashboard, 0.95):>10.0f}{max(dashboard):>10.0f}{'≤ 300':>10}"
    )
    print(
        f"{f'CSV export, {rows} rows (s)':<34}{len(export_s):>6}{statistics.median(export_s):>10.2f}"
        f"{percentile(export_s, 0.95):>10.2f}{max(export_s):>10.2f}{'≤ 5':>10}"
    )
    print(json.dumps({
        "employees": counts["employees"],
        "sessions": counts["sessions"],
        "enrolments": counts["enrolments"],
        "csv_rows": rows,
        "setup_s": round(setup_s, 1),
        "load_average_1min": round(os.getloadavg()[0], 1),
        "dashboard_p50_ms": round(statistics.median(dashboard), 1),
        "dashboard_p95_ms": round(percentile(dashboard, 0.95), 1),
        "csv_export_65k_p50_s": round(statistics.median(export_s), 2),
        "csv_export_65k_p95_s": round(percentile(export_s, 0.95), 2),
    }))  # fmt: skip


if __name__ == "__main__":
    main()
