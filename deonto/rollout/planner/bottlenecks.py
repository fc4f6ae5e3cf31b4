"""What binds, in plain words with the figures a coordinator can check.

The counts model proves the bound on the weeks; ``model.binding`` finds a smallest set of
(region, language) pairs that alone cannot be trained in one week less. That set is the bottleneck:
one pair ("MON, fr: 154 sessions, 2 instructors, 4 sessions a week => at least 39 weeks") or pairs
sharing their instructors ("GNK fr, LEU nl: 250 sessions, 4 instructors, 9 sessions a week => at
least 28 weeks"), with the rooms of their regions and the unit rule when those are part of the
reason (the unit rule: a unit may send only a share of its people a day, so it needs a number of
session days).

When no binding set is found in time, the simple bounds per pair, per unit and per region's rooms
that reach the bound are given, or the three highest.
"""

from __future__ import annotations

import math
from collections import defaultdict

from .model import Binding, Pair, Resources
from .plan import Bottleneck


def find_bottlenecks(resources: Resources, weeks: int, binding: Binding | None) -> tuple[Bottleneck, ...]:
    """The bottlenecks of a plan whose certified bound is ``weeks``."""
    if weeks <= 0:
        return ()
    if binding is not None and binding.pairs:
        found = [_together(resources, binding.pairs, weeks)]
        if binding.rooms:
            found += _rooms(resources, binding.pairs)
        if binding.unit_rule:
            found += _unit_rule(resources, binding.pairs)
        return tuple(found)
    simple = [
        *_pairs(resources),
        *_unit_rule(resources, resources.pairs),
        *_rooms(resources, resources.pairs),
    ]
    simple.sort(key=lambda b: (-int(b.figures["weeks"]), b.kind, b.text))
    reaching = [b for b in simple if int(b.figures["weeks"]) >= weeks]
    return tuple(reaching or simple[:3])


def _together(resources: Resources, pairs: tuple[Pair, ...], weeks: int) -> Bottleneck:
    """The binding pairs with their sessions, instructors and sessions a week; ``weeks`` is the
    bound the counts model proves for them alone."""
    if len(pairs) == 1:
        single = _pair(resources, pairs[0], weeks)
        if single is not None:
            return single
    sessions = sum(_sessions(resources, pair) for pair in pairs)
    classes = {index for pair in pairs for index in resources.classes_for(pair)}
    instructors = sum(len(resources.classes[i].members) for i in classes)
    per_week = sum(len(resources.classes[i].members) * len(resources.classes[i].halfdays) for i in classes)
    names = ", ".join(f"{region} {language}" for region, language in pairs)
    return Bottleneck(
        kind="instructors",
        figures={
            "pairs": [{"region": region, "language": language} for region, language in pairs],
            "sessions": sessions,
            "instructors": instructors,
            "per_week": per_week,
            "weeks": weeks,
        },
        text=(
            f"{names}: {sessions} sessions, {instructors} {'instructor' if instructors == 1 else 'instructors'} "
            f"between them, {per_week} {'session' if per_week == 1 else 'sessions'} a week => at least {weeks} weeks"
        ),
    )


def _sessions(resources: Resources, pair: Pair) -> int:
    instance = resources.instance
    people = resources.demand.get(pair, 0) - resources.seats_fixed(pair, instance.max_weeks)
    return max(0, math.ceil(people / instance.session_capacity))


def _halfdays(resources: Resources, pair: Pair) -> set[int]:
    return {h for index in resources.classes_for(pair) for h in resources.classes[index].halfdays}


def _pairs(resources: Resources) -> list[Bottleneck]:
    return [b for b in (_pair(resources, pair) for pair in resources.pairs) if b is not None]


def _pair(resources: Resources, pair: Pair, weeks: int | None = None) -> Bottleneck | None:
    """One pair's sessions over the sessions a week its instructors and rooms can give it; the
    weeks are that ratio unless the counts model proved more (``weeks``)."""
    region, language = pair
    sessions = _sessions(resources, pair)
    classes = resources.classes_for(pair)
    if not sessions or not classes:
        return None
    instructors = sum(len(resources.classes[i].members) for i in classes)
    per_week = min(
        sum(len(resources.classes[i].members) * len(resources.classes[i].halfdays) for i in classes),
        resources.instance.region(region).rooms * len(_halfdays(resources, pair)),
    )
    if per_week <= 0:
        return None
    weeks = max(weeks or 0, math.ceil(sessions / per_week))
    return Bottleneck(
        kind="region-language",
        figures={
            "region": region,
            "language": language,
            "sessions": sessions,
            "instructors": instructors,
            "per_week": per_week,
            "weeks": weeks,
        },
        text=(
            f"{region}, {language}: {sessions} sessions, {instructors} "
            f"{'instructor' if instructors == 1 else 'instructors'}, {per_week} "
            f"{'session' if per_week == 1 else 'sessions'} a week => at least {weeks} weeks"
        ),
    )


def _unit_rule(resources: Resources, pairs: tuple[Pair, ...] | list[Pair]) -> list[Bottleneck]:
    """For each pair, its unit that needs the most session days, over the days a week its
    instructors teach there."""
    instance = resources.instance
    people: dict[tuple[str, str], int] = defaultdict(int)
    for group in instance.groups:
        people[(group.unit, group.language)] += group.count
    largest: dict[Pair, tuple[int, str, int]] = {}
    for (unit, language), count in people.items():
        pair = (instance.unit(unit).region, language)
        if pair not in pairs:
            continue
        days = math.ceil(count / instance.unit_daily_cap(unit))
        if days > largest.get(pair, (0, "", 0))[0]:
            largest[pair] = (days, unit, count)
    result = []
    for pair, (days, unit, count) in sorted(largest.items()):
        per_week = len({h // 2 for h in _halfdays(resources, pair)})
        if not per_week or days <= 1:
            continue
        weeks = math.ceil(days / per_week)
        cap = instance.unit_daily_cap(unit)
        result.append(
            Bottleneck(
                kind="unit-rule",
                figures={
                    "region": pair[0],
                    "language": pair[1],
                    "unit": unit,
                    "people": count,
                    "daily_cap": cap,
                    "days": days,
                    "days_per_week": per_week,
                    "weeks": weeks,
                },
                text=(
                    f"Unit {unit} ({pair[0]}, {pair[1]}): {count} people, at most {cap} away a day => "
                    f"{days} session days, {per_week} {'day' if per_week == 1 else 'days'} a week "
                    f"=> at least {weeks} weeks"
                ),
            )
        )
    return result


def _rooms(resources: Resources, pairs: tuple[Pair, ...] | list[Pair]) -> list[Bottleneck]:
    """Each region's sessions (of ``pairs``) over its rooms times the half-days taught there."""
    sessions: dict[str, int] = defaultdict(int)
    halfdays: dict[str, set[int]] = defaultdict(set)
    for pair in pairs:
        sessions[pair[0]] += _sessions(resources, pair)
        halfdays[pair[0]] |= _halfdays(resources, pair)
    result = []
    for region, count in sorted(sessions.items()):
        rooms = resources.instance.region(region).rooms
        per_week = rooms * len(halfdays[region])
        if not per_week or not count:
            continue
        weeks = math.ceil(count / per_week)
        result.append(
            Bottleneck(
                kind="rooms",
                figures={
                    "region": region,
                    "rooms": rooms,
                    "sessions": count,
                    "per_week": per_week,
                    "weeks": weeks,
                },
                text=(
                    f"{region}: {count} sessions, {rooms} {'room' if rooms == 1 else 'rooms'}, "
                    f"{per_week} {'session' if per_week == 1 else 'sessions'} a week => at least {weeks} weeks"
                ),
            )
        )
    return result
