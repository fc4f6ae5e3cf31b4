"""What the planner is given: regions with rooms, units, groups of interchangeable people, and
instructors with their weekly half-days. Plain data, no Django; read from and written to the JSON
format the README documents.

Weeks are counted from 0 (the first week planned); a half-day index runs from 0 (Monday morning) to
``halfdays_per_week - 1`` (Friday afternoon for 10). Two half-days ``2d`` and ``2d + 1`` are the same
day ``d``: the unit rule counts people away per day.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any


class InstanceError(ValueError):
    """The instance is malformed; the message says where, in plain English."""


@dataclass(frozen=True)
class Region:
    id: str
    rooms: int


@dataclass(frozen=True)
class Unit:
    id: str
    region: str
    size: int


@dataclass(frozen=True)
class Group:
    """People of one unit, one language, in the pilot wave or not: the planner never looks at a
    person, only at how many of each group a session takes."""

    unit: str
    language: str
    pilot: bool
    count: int

    @property
    def key(self) -> str:
        return group_key(self.unit, self.language, self.pilot)


@dataclass(frozen=True)
class Instructor:
    id: str
    languages: tuple[str, ...]
    regions: tuple[str, ...]
    halfdays: tuple[int, ...]
    # (week, half-day) pairs this instructor cannot teach: absences, sessions already booked.
    unavailable: frozenset[tuple[int, int]] = frozenset()


@dataclass(frozen=True)
class Closure:
    """A half-day on which nobody teaches, everywhere (``region`` None) or in one region:
    public holidays and closing days."""

    week: int
    halfday: int
    region: str | None = None


@dataclass(frozen=True)
class FixedSession:
    """A session already published or held, kept as it is when re-planning. It holds its
    instructor and one room of its region on its half-day, and its people count towards their
    unit's share away that day. ``free_seats`` may take people from the groups."""

    week: int
    halfday: int
    region: str
    language: str
    instructor: str
    attendees: Mapping[str, int]
    free_seats: int = 0


@dataclass(frozen=True)
class Instance:
    session_capacity: int
    unit_away_share: float
    halfdays_per_week: int
    regions: tuple[Region, ...]
    units: tuple[Unit, ...]
    groups: tuple[Group, ...]
    instructors: tuple[Instructor, ...]
    closures: tuple[Closure, ...] = ()
    fixed_sessions: tuple[FixedSession, ...] = ()
    # The planner never plans beyond this many weeks; people it cannot fit are reported.
    max_weeks: int = 156

    @property
    def days_per_week(self) -> int:
        return math.ceil(self.halfdays_per_week / 2)

    @cached_property
    def units_by_id(self) -> dict[str, Unit]:
        return {unit.id: unit for unit in self.units}

    @cached_property
    def regions_by_id(self) -> dict[str, Region]:
        return {region.id: region for region in self.regions}

    @cached_property
    def instructors_by_id(self) -> dict[str, Instructor]:
        return {instructor.id: instructor for instructor in self.instructors}

    def unit(self, unit_id: str) -> Unit:
        return self.units_by_id[unit_id]

    def region(self, region_id: str) -> Region:
        return self.regions_by_id[region_id]

    def instructor(self, instructor_id: str) -> Instructor:
        return self.instructors_by_id[instructor_id]

    def unit_daily_cap(self, unit_id: str) -> int:
        """How many people of a unit may be away on one day: the share of its size, rounded down,
        but at least one person (the same rule as a booking in the app)."""
        return unit_daily_cap(self.unit(unit_id).size, self.unit_away_share)


def unit_daily_cap(size: int, share: float) -> int:
    return max(1, math.floor(size * share + 1e-9))


def group_key(unit: str, language: str, pilot: bool) -> str:
    return f"{unit}|{language}|{1 if pilot else 0}"


def parse_group_key(key: str) -> tuple[str, str, bool]:
    unit, language, pilot = key.rsplit("|", 2)
    return unit, language, pilot == "1"


def load_instance(data: Mapping[str, Any]) -> Instance:
    """Build an ``Instance`` from its JSON form, refusing what would make the plan meaningless
    (unknown references, negative counts, half-days out of range) with a message naming the item."""
    try:
        halfdays_per_week = int(data.get("halfdays_per_week", 10))
        instance = Instance(
            session_capacity=int(data["session_capacity"]),
            unit_away_share=float(data.get("unit_away_share", 0.2)),
            halfdays_per_week=halfdays_per_week,
            regions=tuple(Region(id=str(r["id"]), rooms=int(r["rooms"])) for r in data["regions"]),
            units=tuple(
                Unit(id=str(u["id"]), region=str(u["region"]), size=int(u["size"])) for u in data["units"]
            ),
            groups=tuple(
                Group(
                    unit=str(g["unit"]),
                    language=str(g["language"]),
                    pilot=bool(g.get("pilot", False)),
                    count=int(g["count"]),
                )
                for g in data["groups"]
            ),
            instructors=tuple(
                Instructor(
                    id=str(i["id"]),
                    languages=tuple(str(x) for x in i["languages"]),
                    regions=tuple(str(x) for x in i["regions"]),
                    halfdays=tuple(sorted({int(x) for x in i["halfdays"]})),
                    unavailable=frozenset((int(w), int(h)) for w, h in i.get("unavailable", [])),
                )
                for i in data["instructors"]
            ),
            closures=tuple(
                Closure(week=int(c["week"]), halfday=int(c["halfday"]), region=c.get("region"))
                for c in data.get("closures", [])
            ),
            fixed_sessions=tuple(
                FixedSession(
                    week=int(s["week"]),
                    halfday=int(s["halfday"]),
                    region=str(s["region"]),
                    language=str(s["language"]),
                    instructor=str(s["instructor"]),
                    attendees={str(k): int(v) for k, v in s.get("attendees", {}).items()},
                    free_seats=int(s.get("free_seats", 0)),
                )
                for s in data.get("fixed_sessions", [])
            ),
            max_weeks=int(data.get("max_weeks", 156)),
        )
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        if isinstance(error, KeyError):
            raise InstanceError(f"missing field {error.args[0]!r}") from error
        raise InstanceError(f"malformed instance: {error}") from error
    _check(instance)
    return instance


def dump_instance(instance: Instance) -> dict[str, Any]:
    """The JSON form of an instance; ``load_instance(dump_instance(i)) == i``."""
    return {
        "session_capacity": instance.session_capacity,
        "unit_away_share": instance.unit_away_share,
        "halfdays_per_week": instance.halfdays_per_week,
        "max_weeks": instance.max_weeks,
        "regions": [{"id": r.id, "rooms": r.rooms} for r in instance.regions],
        "units": [{"id": u.id, "region": u.region, "size": u.size} for u in instance.units],
        "groups": [
            {"unit": g.unit, "language": g.language, "pilot": g.pilot, "count": g.count}
            for g in instance.groups
        ],
        "instructors": [
            {
                "id": i.id,
                "languages": list(i.languages),
                "regions": list(i.regions),
                "halfdays": list(i.halfdays),
                **({"unavailable": sorted([w, h] for w, h in i.unavailable)} if i.unavailable else {}),
            }
            for i in instance.instructors
        ],
        **(
            {
                "closures": [
                    {"week": c.week, "halfday": c.halfday, **({"region": c.region} if c.region else {})}
                    for c in instance.closures
                ]
            }
            if instance.closures
            else {}
        ),
        **(
            {
                "fixed_sessions": [
                    {
                        "week": s.week,
                        "halfday": s.halfday,
                        "region": s.region,
                        "language": s.language,
                        "instructor": s.instructor,
                        "attendees": dict(s.attendees),
                        "free_seats": s.free_seats,
                    }
                    for s in instance.fixed_sessions
                ]
            }
            if instance.fixed_sessions
            else {}
        ),
    }


def _check(instance: Instance) -> None:
    if instance.session_capacity < 1:
        raise InstanceError("session_capacity must be at least 1")
    if not 0 < instance.unit_away_share <= 1:
        raise InstanceError("unit_away_share must be above 0 and at most 1")
    if not 1 <= instance.halfdays_per_week <= 14:
        raise InstanceError("halfdays_per_week must be between 1 and 14")
    if instance.max_weeks < 1:
        raise InstanceError("max_weeks must be at least 1")
    _unique("region", [r.id for r in instance.regions])
    _unique("unit", [u.id for u in instance.units])
    _unique("instructor", [i.id for i in instance.instructors])
    regions = {r.id for r in instance.regions}
    units = {u.id for u in instance.units}
    for each in instance.regions:
        if each.rooms < 0:
            raise InstanceError(f"region {each.id}: rooms cannot be negative")
    for unit in instance.units:
        if unit.region not in regions:
            raise InstanceError(f"unit {unit.id}: unknown region {unit.region!r}")
        if unit.size < 1:
            raise InstanceError(f"unit {unit.id}: size must be at least 1")
    keys: set[str] = set()
    for group in instance.groups:
        if group.unit not in units:
            raise InstanceError(f"group {group.key}: unknown unit {group.unit!r}")
        if group.count < 0:
            raise InstanceError(f"group {group.key}: count cannot be negative")
        if group.key in keys:
            raise InstanceError(f"group {group.key} appears twice")
        keys.add(group.key)
    last = instance.halfdays_per_week - 1
    for instructor in instance.instructors:
        for halfday in instructor.halfdays:
            if not 0 <= halfday <= last:
                raise InstanceError(
                    f"instructor {instructor.id}: half-day {halfday} is not between 0 and {last}"
                )
        for region_id in instructor.regions:
            if region_id not in regions:
                raise InstanceError(f"instructor {instructor.id}: unknown region {region_id!r}")
    for closure in instance.closures:
        if closure.region is not None and closure.region not in regions:
            raise InstanceError(f"closure in week {closure.week}: unknown region {closure.region!r}")
    instructors = {i.id for i in instance.instructors}
    for session in instance.fixed_sessions:
        if session.region not in regions:
            raise InstanceError(f"fixed session in week {session.week}: unknown region {session.region!r}")
        if session.instructor not in instructors:
            raise InstanceError(
                f"fixed session in week {session.week}: unknown instructor {session.instructor!r}"
            )


def _unique(kind: str, ids: list[str]) -> None:
    seen: set[str] = set()
    for item_id in ids:
        if item_id in seen:
            raise InstanceError(f"{kind} {item_id} appears twice")
        seen.add(item_id)
