"""Small hand-made instances for the planner tests: built from their JSON form, so each test reads
like the file a coordinator would give the command line."""

from __future__ import annotations

from typing import Any

import pytest

from deonto.rollout.planner.instance import Instance, load_instance


def small(**changes: Any) -> Instance:
    """One region (MON, one room), one unit of 20 people: 12 French speakers of whom 4 in the pilot
    wave, and one French instructor on Monday morning and Tuesday afternoon."""
    data: dict[str, Any] = {
        "session_capacity": 16,
        "unit_away_share": 0.2,
        "halfdays_per_week": 10,
        "regions": [{"id": "MON", "rooms": 1}],
        "units": [{"id": "U1", "region": "MON", "size": 20}],
        "groups": [
            {"unit": "U1", "language": "fr", "pilot": True, "count": 4},
            {"unit": "U1", "language": "fr", "pilot": False, "count": 8},
        ],
        "instructors": [{"id": "I1", "languages": ["fr"], "regions": ["MON"], "halfdays": [0, 3]}],
    }
    data.update(changes)
    return load_instance(data)


@pytest.fixture
def instance() -> Instance:
    return small()
