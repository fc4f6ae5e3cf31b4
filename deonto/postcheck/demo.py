"""Demo counts for the post checker's statistics: what a year of checks might have found, so that the page has
something to show in a demonstration. Synthetic like all the demo data, and written only by `seed_demo`, which
refuses to run on a production database."""

from __future__ import annotations

import datetime
import random

from deonto.postcheck.analyzers.findings import Category
from deonto.postcheck.models import CategoryCount

SEED = 20261125
DAYS = 365
# Mean findings per working day: identifying details and whereabouts most, political calls and hate least.
DAILY_MEAN = {
    Category.PERSONAL_DATA: 4.0,
    Category.OPERATIONAL: 6.0,
    Category.IDENTIFIES_OFFICER: 9.0,
    Category.WEAPON: 2.5,
    Category.LOCATION: 7.0,
    Category.EMPLOYER_CRITICISM: 3.5,
    Category.POLITICAL: 1.2,
    Category.HARASSMENT_OR_HATE: 1.0,
    Category.INTERNAL_DOCUMENT: 2.0,
}
WEEKEND_SHARE = 0.4


def checks_demo_seed(*, today: datetime.date, seed: int = SEED) -> int:
    """Daily counts for the `DAYS` days up to `today`, unless there are counts already; the number of findings
    written (0 when nothing was)."""
    if CategoryCount.objects.exists():
        return 0
    rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not a secret
    rows = []
    for offset in range(DAYS):
        day = today - datetime.timedelta(days=offset)
        share = WEEKEND_SHARE if day.weekday() >= 5 else 1.0
        for category, mean in DAILY_MEAN.items():
            count = round(rng.gammavariate(2.0, mean * share / 2.0))
            if count:
                rows.append(CategoryCount(day=day, category=str(category), count=count))
    CategoryCount.objects.bulk_create(rows)
    return sum(row.count for row in rows)
