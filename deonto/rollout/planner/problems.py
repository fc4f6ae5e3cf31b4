"""The people no plan can place, found before planning so that both planners report them the same
way: a language nobody teaches in a region, or a region without a room. Only the free seats of
sessions already fixed can still take such people, and then only as many as the unit rule lets
through on those days.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

from .instance import Group, Instance, Instructor, parse_group_key
from .plan import Problem


def find_problems(instance: Instance) -> tuple[list[Problem], dict[str, int]]:
    """The people that cannot be placed at all, one Problem per (region, language), and the
    plannable count per group key (every group is in it, 0 included)."""
    plannable = {group.key: group.count for group in instance.groups}
    stuck: dict[tuple[str, str], list[Group]] = defaultdict(list)
    for group in instance.groups:
        if group.count == 0:
            continue
        region = instance.unit(group.unit).region
        stuck[(region, group.language)].append(group)
    teachable = _teachable_pairs(instance)
    problems: list[Problem] = []
    for (region, language), groups in sorted(stuck.items()):
        if instance.region(region).rooms > 0 and (region, language) in teachable:
            continue
        kind = "no-room" if instance.region(region).rooms == 0 else "no-instructor"
        seated = _seats_in_fixed_sessions(instance, region, language, groups)
        left = {group.key: group.count - seated.get(group.key, 0) for group in groups}
        for key, count in seated.items():
            plannable[key] = count
        for group in groups:
            if group.key not in seated:
                plannable[group.key] = 0
        people = sum(left.values())
        if people == 0:
            continue
        problems.append(_problem(kind, region, language, {k: n for k, n in left.items() if n}, groups))
    return problems, plannable


def _teachable_pairs(instance: Instance) -> set[tuple[str, str]]:
    """(region, language) pairs some instructor can teach on at least one half-day within
    max_weeks, closures and absences taken into account."""
    closed_everywhere = {(c.week, c.halfday) for c in instance.closures if c.region is None}
    closed_in = {(c.week, c.halfday, c.region) for c in instance.closures if c.region is not None}
    pairs: set[tuple[str, str]] = set()
    for instructor in instance.instructors:
        for region in instructor.regions:
            if _can_teach_somewhen(instance, instructor, region, closed_everywhere, closed_in):
                pairs.update((region, language) for language in instructor.languages)
    return pairs


def _can_teach_somewhen(
    instance: Instance,
    instructor: Instructor,
    region: str,
    closed_everywhere: set[tuple[int, int]],
    closed_in: set[tuple[int, int, str]],
) -> bool:
    for week in range(instance.max_weeks):
        for halfday in instructor.halfdays:
            slot = (week, halfday)
            if slot in instructor.unavailable or slot in closed_everywhere or (*slot, region) in closed_in:
                continue
            return True
    return False


def _seats_in_fixed_sessions(
    instance: Instance, region: str, language: str, groups: list[Group]
) -> dict[str, int]:
    """How many of these groups the free seats of fixed sessions can take, pilot wave first and
    earliest session first, under the unit rule (fixed attendees count towards it)."""
    sessions = sorted(
        (
            s
            for s in instance.fixed_sessions
            if s.region == region and s.language == language and s.free_seats > 0
        ),
        key=lambda s: (s.week, s.halfday),
    )
    if not sessions:
        return {}
    away: dict[tuple[str, int, int], int] = defaultdict(int)
    for session in instance.fixed_sessions:
        for key, count in session.attendees.items():
            unit = key.rsplit("|", 2)[0]
            away[(unit, session.week, session.halfday // 2)] += count
    remaining = {group.key: group.count for group in groups}
    seated: dict[str, int] = {}
    ordered = sorted(groups, key=lambda g: not g.pilot)
    for session in sessions:
        free = session.free_seats
        day = session.halfday // 2
        for group in ordered:
            if free == 0:
                break
            room_in_unit = instance.unit_daily_cap(group.unit) - away[(group.unit, session.week, day)]
            take = min(free, remaining[group.key], max(0, room_in_unit))
            if take:
                free -= take
                remaining[group.key] -= take
                seated[group.key] = seated.get(group.key, 0) + take
                away[(group.unit, session.week, day)] += take
    return seated


def _problem(kind: str, region: str, language: str, left: dict[str, int], groups: list[Group]) -> Problem:
    people = sum(left.values())
    units = len({group.unit for group in groups if left.get(group.key)})
    pilot = sum(n for key, n in left.items() if key.endswith("|1"))
    who = f"{people} {'person' if people == 1 else 'people'} in {units} {'unit' if units == 1 else 'units'}"
    if kind == "no-room":
        text = f"Region {region} has no room: {who} speaking {language} cannot be placed."
    else:
        text = f"No instructor teaches {language} in region {region}: {who} cannot be placed."
    return Problem(
        kind=kind,
        figures={
            "region": region,
            "language": language,
            "people": people,
            "pilot_people": pilot,
            "units": units,
            "groups": dict(sorted(left.items())),
        },
        text=text,
    )


def not_fitting(instance: Instance, left: Mapping[str, int], *, kind: str) -> list[Problem]:
    """The people a planner could not place within ``max_weeks`` (``left``: people per group
    key), one Problem per (region, language)."""
    by_pair: dict[tuple[str, str], dict[str, int]] = defaultdict(dict)
    for key, count in sorted(left.items()):
        if count:
            unit, language, _ = parse_group_key(key)
            by_pair[instance.unit(unit).region, language][key] = count
    problems = []
    for (region, language), groups in sorted(by_pair.items()):
        people = sum(groups.values())
        problems.append(
            Problem(
                kind=kind,
                figures={
                    "region": region,
                    "language": language,
                    "people": people,
                    "pilot_people": sum(n for key, n in groups.items() if key.endswith("|1")),
                    "units": len({parse_group_key(key)[0] for key in groups}),
                    "max_weeks": instance.max_weeks,
                    "groups": groups,
                },
                text=(
                    f"Region {region}, {language}: {people} "
                    f"{'person does' if people == 1 else 'people do'} not fit in {instance.max_weeks} weeks."
                ),
            )
        )
    return problems
