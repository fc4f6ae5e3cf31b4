"""Seeded instances shaped like a customs administration, for tests and benchmarks: Flemish,
Walloon, Brussels and German-speaking regions of 1 to 3 rooms, units of 5 to 120 people, a pilot
wave of armed officers concentrated in operational units, and few instructors, so that a rollout
takes months. The same (people, seed) always gives the same instance, and every (region, language)
with people has an instructor.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict

from .instance import Group, Instance, Instructor, Region, Unit

# (id, main language) in travelling order: neighbours in this list are neighbours on the map.
FLEMISH = ["ANT", "ZEE", "MEC", "TUR", "HAS", "GNK", "LEU", "AAL", "GEN", "SNK", "BRG", "OOS", "KOR", "ROE",
           "DEN", "LIE", "GEE", "TIE", "VIL"]  # fmt: skip
WALLOON = ["MON", "CHA", "TOU", "MOU", "LLO", "NAM", "DIN", "WAV", "NIV", "LIG", "VER", "HUY", "ARL", "BAS",
           "MAR"]  # fmt: skip
GERMAN = ["EUP", "STV"]
BRUSSELS = "BRU"

SESSION_CAPACITY = 16
SESSIONS_PER_INSTRUCTOR_WEEK = 4
# Sessions are about this full on average; with it the instructors are sized for a rollout of
# about TARGET_WEEKS weeks.
FILL = 0.85
TARGET_WEEKS = 20


def generate(people: int, seed: int) -> Instance:
    """An instance of exactly ``people`` people (at least 10)."""
    if people < 10:
        raise ValueError("an instance needs at least 10 people")
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not security
    regions = _regions(people, rng)
    units, groups = _units_and_groups(people, regions, rng)
    instructors = _instructors(people, regions, groups, units, rng)
    return Instance(
        session_capacity=SESSION_CAPACITY,
        unit_away_share=0.2,
        halfdays_per_week=10,
        regions=tuple(Region(id=region, rooms=rooms) for region, (_, _, rooms) in regions.items()),
        units=tuple(units),
        groups=tuple(groups),
        instructors=tuple(instructors),
    )


def _regions(people: int, rng: random.Random) -> dict[str, tuple[str, int, int]]:
    """Region id → (main language, people, rooms). About 55 % of the people speak Dutch, 40 %
    French and 3 to 5 % German, in one or two German-speaking regions."""
    count = max(2, min(30, round(math.sqrt(people) / 7)))
    german = 0 if count < 4 else (1 if count < 20 else 2)
    brussels = 1 if count >= 3 else 0
    flemish = round((count - german - brussels) * 0.58)
    walloon = count - german - brussels - flemish
    german_people = round(people * rng.uniform(0.03, 0.05) / 0.8) if german else 0
    brussels_people = round(people * 0.15) if brussels else 0
    rest = people - german_people - brussels_people
    flemish_people = round(rest * 0.61)
    walloon_people = rest - flemish_people
    sizes: dict[str, tuple[str, int]] = {}
    for names, language, total in (
        (FLEMISH[:flemish], "nl", flemish_people),
        (WALLOON[:walloon], "fr", walloon_people),
        ([BRUSSELS][:brussels], "nl/fr", brussels_people),
        (GERMAN[:german], "de", german_people),
    ):
        for name, size in zip(names, _split(total, len(names), 5, rng), strict=True):
            sizes[name] = (language, size)
    median = sorted(size for _, size in sizes.values())[len(sizes) // 2]
    regions: dict[str, tuple[str, int, int]] = {}
    for name, (language, size) in sizes.items():
        rooms = 1 if size < 0.7 * median else (3 if size > 1.5 * median else 2)
        regions[name] = (language, size, max(1, min(3, rooms + rng.choice((-1, 0, 0, 1)))))
    return regions


def _split(total: int, parts: int, least: int, rng: random.Random) -> list[int]:
    """``total`` in ``parts`` random shares of at least ``least`` each."""
    if parts == 0:
        return []
    weights = [rng.uniform(0.6, 1.4) for _ in range(parts)]
    spare = total - least * parts
    shares = [least + math.floor(spare * w / sum(weights)) for w in weights]
    shares[-1] += total - sum(shares)
    return shares


def _units_and_groups(
    people: int, regions: dict[str, tuple[str, int, int]], rng: random.Random
) -> tuple[list[Unit], list[Group]]:
    units: list[Unit] = []
    groups: list[Group] = []
    for region, (language, size, _) in regions.items():
        for size_of_unit in _unit_sizes(size, rng):
            unit = Unit(id=f"{region}-{len(units) + 1:04d}", region=region, size=size_of_unit)
            units.append(unit)
            operational = rng.random() < 0.45
            pilot_share = rng.uniform(0.55, 0.85) if operational else rng.uniform(0.0, 0.1)
            for unit_language, count in _languages(language, size_of_unit, rng).items():
                pilot = round(count * pilot_share)
                for is_pilot, number in ((True, pilot), (False, count - pilot)):
                    if number:
                        groups.append(
                            Group(unit=unit.id, language=unit_language, pilot=is_pilot, count=number)
                        )
    return units, groups


def _unit_sizes(total: int, rng: random.Random) -> list[int]:
    """Units of 5 to 120 people summing to ``total`` (itself at least 5): many small offices and
    a few large operational teams."""
    sizes: list[int] = []
    left = total
    while left > 0:
        if left <= 120:
            sizes.append(left)
            break
        size = max(5, min(120, round(rng.lognormvariate(3.4, 0.6))))
        size = min(size, left - 5)
        sizes.append(size)
        left -= size
    return sizes


def _languages(main: str, size: int, rng: random.Random) -> dict[str, int]:
    """A unit's people per language: units work in their region's language, some with a minority
    of colleagues of the other language; Brussels units are of either language."""
    if main == "nl/fr":
        first = rng.choice(("nl", "fr"))
        second = "fr" if first == "nl" else "nl"
        minority_chance, low, high = 0.6, 0.2, 0.45
    elif main == "de":
        first, second = ("de", "fr") if rng.random() < 0.9 else ("fr", "de")
        minority_chance, low, high = 0.4, 0.1, 0.3
    else:
        first, second = main, ("fr" if main == "nl" else "nl")
        minority_chance, low, high = 0.4, 0.1, 0.3
    minority = round(size * rng.uniform(low, high)) if rng.random() < minority_chance else 0
    minority = min(minority, size - 1)
    return {first: size - minority, **({second: minority} if minority else {})}


def _instructors(
    people: int,
    regions: dict[str, tuple[str, int, int]],
    groups: list[Group],
    units: list[Unit],
    rng: random.Random,
) -> list[Instructor]:
    """Few instructors (sized for about TARGET_WEEKS weeks). Each lives where a (region,
    language) has the most people per weekly half-day of the instructors already teaching it,
    teaches that language and maybe a second one, and travels to up to two neighbouring regions;
    then the (region, language) pairs nobody covers are given to an instructor who can take them,
    or to a new one."""
    order = list(regions)
    region_of = {unit.id: unit.region for unit in units}
    demand: dict[tuple[str, str], int] = defaultdict(int)
    for group in groups:
        demand[(region_of[group.unit], group.language)] += group.count
    wanted = math.ceil(people / (SESSION_CAPACITY * FILL * SESSIONS_PER_INSTRUCTOR_WEEK * TARGET_WEEKS))
    languages_of: list[list[str]] = []
    regions_of: list[list[str]] = []
    halfdays_of: list[int] = []
    served: dict[tuple[str, str], float] = defaultdict(float)
    for _ in range(wanted):
        home, first = max(sorted(demand), key=lambda p: demand[p] / (1 + served[p]) * rng.uniform(0.85, 1.15))
        second = {"nl": "fr", "fr": "nl", "de": "fr"}[first]
        languages = [first, second] if first == "de" or rng.random() < 0.4 else [first]
        at = order.index(home)
        near = [order[i] for i in (at - 1, at + 1) if 0 <= i < len(order)]
        rng.shuffle(near)
        travels = [home, *near[: rng.choice((0, 0, 1, 2))]]
        halfdays = rng.randint(2, 6)
        pairs = [(r, lang) for r in travels for lang in languages if demand.get((r, lang))]
        for pair in pairs:
            served[pair] += halfdays / len(pairs)
        languages_of.append(languages)
        regions_of.append(travels)
        halfdays_of.append(halfdays)
    for (region, language), _ in sorted(demand.items(), key=lambda item: (-item[1], item[0])):
        if any(region in r and language in lang for r, lang in zip(regions_of, languages_of, strict=True)):
            continue
        for index in range(len(regions_of)):
            if region in regions_of[index] and len(languages_of[index]) < 2:
                languages_of[index].append(language)
                break
            if language in languages_of[index] and len(regions_of[index]) < 3:
                regions_of[index].append(region)
                break
        else:
            languages_of.append([language])
            regions_of.append([region])
            halfdays_of.append(rng.randint(2, 6))
    return [
        Instructor(
            id=f"I{index + 1:03d}",
            languages=tuple(languages),
            regions=tuple(regions_of[index]),
            halfdays=tuple(sorted(rng.sample(range(10), halfdays_of[index]))),
        )
        for index, languages in enumerate(languages_of)
    ]
