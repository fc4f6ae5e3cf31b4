"""Roster import speed: 65,000 rows imported into an empty roster, then the same file again.

Runs against a fresh SQLite database in a temporary directory (never the developer's data):

    .venv/bin/python benchmarks/roster_import.py [--rows 65000]

Prints a table, and as its last line one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIRST_NAMES = ["Jan", "An", "Els", "Pieter", "Noël", "Zoë", "Léa", "Jérôme", "Hélène", "Koen", "Marie", "Lukas",
               "Sofie", "Thomas", "Inès", "Mathis", "Anaïs", "Joris", "Björn", "François"]  # fmt: skip
LAST_NAMES = ["Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Claes", "Goossens", "Dubois",
              "Lambert", "Dupont", "Martin", "Lefèvre", "Verbruggen", "De Smet", "Van den Broeck", "Schröder",
              "Müller", "Renée", "D'Hondt"]  # fmt: skip
FUNCTIONS = ["Douanier", "Controleur", "Inspecteur", "Verificateur", "Hondengeleider", "Analist", "Adviseur"]
LANGUAGES = ["NL"] * 55 + ["FR"] * 40 + ["DE"] * 5
HEADER = ["Personeelsnummer", "Naam", "Voornaam", "E-mail", "Taal", "Eenheid", "Site", "Functie", "Gewapend",
          "Actief", "Startdatum", "Einddatum"]  # fmt: skip


def setup_django(directory: Path) -> None:
    os.environ["DEONTO_DEBUG"] = "1"
    os.environ["DEONTO_DATA_DIR"] = str(directory)
    os.environ["DATABASE_URL"] = f"sqlite:///{directory / 'benchmark.sqlite3'}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "deonto.settings"
    os.environ["DEONTO_LOG_LEVEL"] = "WARNING"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def create_units(rng: random.Random) -> list[tuple[str, str]]:
    """12 regions, 40 sites, 320 units under a root; returns (unit code, site code) pairs."""
    from deonto.people.models import OrgUnit, Region, Site

    regions = [Region.objects.create(code=f"R{n:02d}", name_nl=f"Regio {n}", name_fr=f"Région {n}",
                                     name_en=f"Region {n}") for n in range(12)]  # fmt: skip
    sites = [
        Site.objects.create(code=f"S{n:03d}", name=f"Site {n}", region=regions[n % 12]) for n in range(40)
    ]
    root = OrgUnit.objects.create(code="AGD", name="Douane")
    pairs = []
    for n in range(40):
        directorate = OrgUnit.objects.create(
            code=f"D{n:02d}", name=f"Directie {n}", parent=root, site=sites[n]
        )
        for m in range(8):
            unit = OrgUnit.objects.create(
                code=f"D{n:02d}-{m:02d}", name=f"Eenheid {n}.{m}", parent=directorate, site=sites[n]
            )
            pairs.append((unit.code, sites[rng.randrange(40)].code if rng.random() < 0.1 else ""))
    return pairs


def roster_csv(path: Path, rows: int, pairs: list[tuple[str, str]], rng: random.Random) -> None:
    lines = [";".join(HEADER)]
    for n in range(rows):
        unit, site = pairs[n % len(pairs)]
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        start = f"{rng.randrange(1, 29):02d}/{rng.randrange(1, 13):02d}/{rng.randrange(1985, 2025)}"
        local = unicodedata.normalize("NFKD", f"{first}.{last}.{n}").encode("ascii", "ignore").decode()
        email = f"{local}@douane.example".lower().replace(" ", "").replace("'", "")
        lines.append(";".join([
            f"{200000 + n}", last, first, email, rng.choice(LANGUAGES), unit, site, rng.choice(FUNCTIONS),
            "ja" if rng.random() < 0.3 else "nee", "ja", start, "",
        ]))  # fmt: skip
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8-sig")


def timed_import(path: Path) -> tuple[float, dict[str, int]]:
    from django.core.files import File

    from deonto.people.services import roster_import_apply, roster_import_create, roster_import_validate

    started = time.perf_counter()
    with path.open("rb") as handle:
        roster_import = roster_import_create(actor=None, upload=File(handle, name=path.name))
    roster_import = roster_import_validate(
        actor=None, roster_import=roster_import, mapping=roster_import.mapping, run_now=True
    )
    if roster_import.error_count:
        raise SystemExit(f"the benchmark file has errors: {roster_import.errors[:3]}")
    roster_import = roster_import_apply(actor=None, roster_import=roster_import, run_now=True)
    elapsed = time.perf_counter() - started
    counts = {
        "created": roster_import.created_count,
        "updated": roster_import.updated_count,
        "deactivated": roster_import.deactivated_count,
        "unchanged": roster_import.unchanged_count,
    }
    return elapsed, counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=65_000)
    parser.add_argument("--seed", type=int, default=2026)
    arguments = parser.parse_args()
    rng = random.Random(arguments.seed)
    with tempfile.TemporaryDirectory(prefix="deonto-bench-") as directory:
        setup_django(Path(directory))
        pairs = create_units(rng)
        path = Path(directory) / "roster.csv"
        roster_csv(path, arguments.rows, pairs, rng)
        size_mb = path.stat().st_size / 1_000_000

        first_s, first = timed_import(path)
        second_s, second = timed_import(path)
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    rows = arguments.rows
    print(f"Roster import benchmark: {rows} rows, {size_mb:.1f} MB CSV, SQLite, {os.cpu_count()} CPUs")
    print(f"{'run':<28}{'rows':>8}{'seconds':>10}{'rows/s':>10}   changes")
    print(f"{'import into empty roster':<28}{rows:>8}{first_s:>10.2f}{rows / first_s:>10.0f}   {first}")
    print(f"{'re-import unchanged':<28}{rows:>8}{second_s:>10.2f}{rows / second_s:>10.0f}   {second}")
    print(f"peak memory (RSS): {peak_mb:.0f} MB")
    if second["created"] or second["updated"] or second["deactivated"]:
        raise SystemExit("the unchanged re-import changed the roster")
    print(json.dumps({
        "rows": rows,
        "import_65k_rows_s" if rows == 65_000 else "import_rows_s": round(first_s, 2),
        "reimport_unchanged_65k_rows_s" if rows == 65_000 else "reimport_unchanged_rows_s": round(second_s, 2),
        "import_rows_per_s": round(rows / first_s),
        "reimport_rows_per_s": round(rows / second_s),
        "peak_rss_mb": round(peak_mb),
    }))  # fmt: skip


if __name__ == "__main__":
    main()
