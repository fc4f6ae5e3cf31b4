"""The counts model: how many weeks each instructor's weekly half-day goes to each (region,
language), never a variable per person or per week. It is a relaxation of every real plan (each
real plan gives counts that satisfy it), so its smallest feasible number of weeks, and then of pilot
weeks, are certified lower bounds; the layout then turns its counts into dated sessions.

Constraints for a window of weeks [lo, hi): an instructor's half-day is used at most as many weeks
as it is free in the window (absences, closures and fixed sessions taken off); a region's rooms on
a half-day at most rooms x open weeks (minus fixed sessions); seats cover the people of each
(region, language); and a unit needs at least ceil(people / daily cap) days with a session of its
language, so each (region, language) needs that many distinct (week, day) pairs with a session.
The pilot wave adds a second window: the pilot's seats and days must fit in the first P weeks.

Identical instructors (same languages, regions and half-days, no absences, no fixed sessions) are
merged into one class with a multiplicity, which keeps the model small at 65,000 people.
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from .instance import Instance, parse_group_key
from .problems import find_problems

Pair = tuple[str, str]  # (region, language)
# (class index, half-day, region, language)
CountKey = tuple[int, int, str, str]


@dataclass(frozen=True)
class InstructorClass:
    """Instructors that are interchangeable for the model; ``blocked`` gives, per half-day, the
    weeks on which each of them cannot teach (absences, closures everywhere, fixed sessions)."""

    members: tuple[str, ...]
    languages: tuple[str, ...]
    regions: tuple[str, ...]
    halfdays: tuple[int, ...]
    blocked: Mapping[int, frozenset[int]]


@dataclass
class Resources:
    """What the counts model needs, computed once per instance."""

    instance: Instance
    demand: dict[Pair, int]
    pilot_demand: dict[Pair, int]
    # Days with a session each (region, language) needs: the largest ceil(people / cap) of its units.
    unit_days: dict[Pair, int]
    pilot_unit_days: dict[Pair, int]
    classes: list[InstructorClass]
    # Per pair, its units' people: (unit, people, pilot people).
    unit_people: dict[Pair, list[tuple[str, int, int]]] = field(default_factory=dict)
    # Per (unit, language), the people the free seats of fixed sessions can take in a week under
    # the unit rule (what the fixed sessions' own attendees leave of the unit's daily share).
    fixed_room: dict[tuple[str, str], list[tuple[int, int]]] = field(default_factory=dict)
    # Weeks a region is closed on a half-day (closures everywhere and in that region).
    closed: dict[tuple[str, int], set[int]] = field(default_factory=dict)
    # Weeks closed in that region only (they limit an instructor's half-day in that region).
    closed_in_region: dict[tuple[str, int], set[int]] = field(default_factory=dict)
    # Rooms taken by fixed sessions: (region, half-day) -> {week: sessions}.
    fixed_rooms: dict[tuple[str, int], dict[int, int]] = field(default_factory=dict)
    # Free seats of fixed sessions: pair -> [(week, seats)], and their (week, day) per pair.
    fixed_seats: dict[Pair, list[tuple[int, int]]] = field(default_factory=dict)
    fixed_days: dict[Pair, set[tuple[int, int]]] = field(default_factory=dict)

    @property
    def pairs(self) -> list[Pair]:
        return sorted(pair for pair, people in self.demand.items() if people > 0)

    @property
    def has_pilot(self) -> bool:
        return any(self.pilot_demand.values())

    def instructor_free(self, index: int, halfday: int, lo: int, hi: int, region: str | None = None) -> int:
        """Instructor-weeks of a class free on ``halfday`` in weeks [lo, hi), in ``region`` if given."""
        each = self.classes[index]
        blocked = set(each.blocked.get(halfday, ()))
        if region is not None:
            blocked |= self.closed_in_region.get((region, halfday), set())
        return len(each.members) * (hi - lo - sum(1 for week in blocked if lo <= week < hi))

    def rooms_free(self, region: str, halfday: int, lo: int, hi: int) -> int:
        rooms = self.instance.region(region).rooms
        closed = self.closed.get((region, halfday), set())
        open_weeks = hi - lo - sum(1 for week in closed if lo <= week < hi)
        taken = sum(
            min(rooms, sessions)
            for week, sessions in self.fixed_rooms.get((region, halfday), {}).items()
            if lo <= week < hi and week not in closed
        )
        return rooms * open_weeks - taken

    def seats_fixed(self, pair: Pair, hi: int) -> int:
        return sum(seats for week, seats in self.fixed_seats.get(pair, []) if week < hi)

    def days_fixed(self, pair: Pair, hi: int, day: int | None = None) -> int:
        return sum(1 for w, d in self.fixed_days.get(pair, set()) if w < hi and (day is None or d == day))

    def days_needed(self, pair: Pair, hi: int, *, pilot: bool) -> int:
        """Days besides those of fixed sessions on which ``pair`` needs a session before week
        ``hi``: for its unit that needs most, the people the fixed sessions cannot take over what
        the unit may send a day (0 when the unit rule is left out, see ``binding``)."""
        if pair not in (self.pilot_unit_days if pilot else self.unit_days):
            return 0
        most = 0
        for unit, people, pilot_people in self.unit_people.get(pair, []):
            count = pilot_people if pilot else people
            room = sum(n for week, n in self.fixed_room.get((unit, pair[1]), []) if week < hi)
            most = max(most, math.ceil(max(0, count - room) / self.instance.unit_daily_cap(unit)))
        return most

    def classes_for(self, pair: Pair) -> list[int]:
        region, language = pair
        return [
            index
            for index, each in enumerate(self.classes)
            if region in each.regions and language in each.languages and each.halfdays
        ]


@dataclass(frozen=True)
class Counts:
    """The counts model's answer. ``sessions`` maps (class, half-day, region, language) to the
    number of weeks before ``pilot_weeks`` and from ``pilot_weeks`` to ``weeks``."""

    weeks: int
    pilot_weeks: int
    lower_bound_weeks: int
    lower_bound_pilot_weeks: int
    sessions: Mapping[CountKey, tuple[int, int]]
    # False when even max_weeks cannot seat everyone: the counts then seat as many as they can.
    complete: bool = True


def prepare(instance: Instance, plannable: Mapping[str, int]) -> Resources:
    """Aggregate the plannable people per (region, language) and the instructors into classes."""
    demand: dict[Pair, int] = defaultdict(int)
    pilot_demand: dict[Pair, int] = defaultdict(int)
    per_unit: dict[tuple[str, str], int] = defaultdict(int)
    per_unit_pilot: dict[tuple[str, str], int] = defaultdict(int)
    for key, count in plannable.items():
        if count <= 0:
            continue
        unit, language, pilot = parse_group_key(key)
        pair = (instance.unit(unit).region, language)
        demand[pair] += count
        per_unit[(unit, language)] += count
        if pilot:
            pilot_demand[pair] += count
            per_unit_pilot[(unit, language)] += count
    unit_days: dict[Pair, int] = defaultdict(int)
    pilot_unit_days: dict[Pair, int] = defaultdict(int)
    for source, target in ((per_unit, unit_days), (per_unit_pilot, pilot_unit_days)):
        for (unit, language), people in source.items():
            pair = (instance.unit(unit).region, language)
            target[pair] = max(target[pair], math.ceil(people / instance.unit_daily_cap(unit)))
    unit_people: dict[Pair, list[tuple[str, int, int]]] = defaultdict(list)
    for (unit, language), people in sorted(per_unit.items()):
        unit_people[(instance.unit(unit).region, language)].append(
            (unit, people, per_unit_pilot.get((unit, language), 0))
        )

    everywhere: dict[int, set[int]] = defaultdict(set)
    closed: dict[tuple[str, int], set[int]] = defaultdict(set)
    closed_in_region: dict[tuple[str, int], set[int]] = defaultdict(set)
    for closure in instance.closures:
        if closure.region is None:
            everywhere[closure.halfday].add(closure.week)
            for region in instance.regions:
                closed[(region.id, closure.halfday)].add(closure.week)
        else:
            closed[(closure.region, closure.halfday)].add(closure.week)
            closed_in_region[(closure.region, closure.halfday)].add(closure.week)

    busy: dict[str, set[tuple[int, int]]] = defaultdict(set)
    fixed_rooms: dict[tuple[str, int], dict[int, int]] = defaultdict(lambda: defaultdict(int))
    fixed_seats: dict[Pair, list[tuple[int, int]]] = defaultdict(list)
    fixed_days: dict[Pair, set[tuple[int, int]]] = defaultdict(set)
    for session in instance.fixed_sessions:
        busy[session.instructor].add((session.week, session.halfday))
        fixed_rooms[(session.region, session.halfday)][session.week] += 1
        if session.free_seats > 0:
            pair = (session.region, session.language)
            fixed_seats[pair].append((session.week, session.free_seats))
            fixed_days[pair].add((session.week, session.halfday // 2))
    # A half-day whose rooms are all held by fixed sessions is closed to new sessions there.
    for (region_id, halfday), per_week in fixed_rooms.items():
        for week, sessions in per_week.items():
            if sessions >= instance.region(region_id).rooms:
                closed[(region_id, halfday)].add(week)
                closed_in_region[(region_id, halfday)].add(week)

    away: dict[tuple[str, int, int], int] = defaultdict(int)
    seats_on_day: dict[tuple[Pair, int, int], int] = defaultdict(int)
    for session in instance.fixed_sessions:
        for key, count in session.attendees.items():
            away[(parse_group_key(key)[0], session.week, session.halfday // 2)] += count
        if session.free_seats > 0:
            seats_on_day[((session.region, session.language), session.week, session.halfday // 2)] += (
                session.free_seats
            )
    fixed_room: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
    for (pair, week, day), seats in sorted(seats_on_day.items()):
        for unit, _, _ in unit_people.get(pair, []):
            room = min(seats, max(0, instance.unit_daily_cap(unit) - away[(unit, week, day)]))
            if room:
                fixed_room[(unit, pair[1])].append((week, room))

    classes: list[InstructorClass] = []
    alike: dict[tuple[tuple[str, ...], tuple[str, ...], tuple[int, ...]], list[str]] = defaultdict(list)
    for instructor in instance.instructors:
        if not (instructor.halfdays and instructor.languages and instructor.regions):
            continue
        signature = (
            tuple(sorted(instructor.languages)),
            tuple(sorted(instructor.regions)),
            instructor.halfdays,
        )
        if not instructor.unavailable and instructor.id not in busy:
            alike[signature].append(instructor.id)
            continue
        taken = instructor.unavailable | busy[instructor.id]
        classes.append(
            InstructorClass(
                members=(instructor.id,),
                languages=signature[0],
                regions=signature[1],
                halfdays=signature[2],
                blocked={
                    h: frozenset(everywhere[h] | {w for w, hh in taken if hh == h})
                    for h in instructor.halfdays
                },
            )
        )
    for (languages, regions, halfdays), members in sorted(alike.items()):
        classes.append(
            InstructorClass(
                members=tuple(members),
                languages=languages,
                regions=regions,
                halfdays=halfdays,
                blocked={h: frozenset(everywhere[h]) for h in halfdays},
            )
        )
    return Resources(
        instance=instance,
        demand=dict(demand),
        pilot_demand=dict(pilot_demand),
        unit_days=dict(unit_days),
        pilot_unit_days=dict(pilot_unit_days),
        classes=classes,
        unit_people=dict(unit_people),
        fixed_room=dict(fixed_room),
        closed=dict(closed),
        closed_in_region=dict(closed_in_region),
        fixed_rooms={key: dict(value) for key, value in fixed_rooms.items()},
        fixed_seats=dict(fixed_seats),
        fixed_days=dict(fixed_days),
    )


def quick_bound(resources: Resources, *, pilot: bool = False) -> int:
    """A lower bound on the weeks from simple ratios (sessions over weekly capacity per pair and per
    region, unit days over days a week), ignoring closures: a cheap start for the search."""
    instance = resources.instance
    demand = resources.pilot_demand if pilot else resources.demand
    unit_days = resources.pilot_unit_days if pilot else resources.unit_days
    bound = 0
    per_region: dict[str, int] = defaultdict(int)
    region_halfdays: dict[str, set[int]] = defaultdict(set)
    for pair in resources.pairs:
        people = demand.get(pair, 0) - resources.seats_fixed(pair, instance.max_weeks)
        if people <= 0:
            continue
        sessions = math.ceil(people / instance.session_capacity)
        per_region[pair[0]] += sessions
        classes = resources.classes_for(pair)
        halfdays = {h for index in classes for h in resources.classes[index].halfdays}
        region_halfdays[pair[0]] |= halfdays
        per_week = min(
            sum(len(resources.classes[i].members) * len(resources.classes[i].halfdays) for i in classes),
            instance.region(pair[0]).rooms * len(halfdays),
        )
        days = len({h // 2 for h in halfdays})
        if per_week == 0:
            continue
        bound = max(bound, math.ceil(sessions / per_week))
        need = unit_days.get(pair, 0) - resources.days_fixed(pair, instance.max_weeks)
        if need > 0:
            bound = max(bound, math.ceil(need / days))
    for region, sessions in per_region.items():
        per_week = instance.region(region).rooms * len(region_halfdays[region])
        if per_week:
            bound = max(bound, math.ceil(sessions / per_week))
    return bound


class _Model:
    """One CP-SAT model of the counts for a number of weeks, with the pilot split if asked."""

    def __init__(
        self,
        resources: Resources,
        weeks: int,
        pilot_weeks: int | None,
        *,
        cover_all: bool = True,
        sessions: str = "any",
        rooms: bool = True,
    ) -> None:
        self.model = cp_model.CpModel()
        self.resources = resources
        self.windows = [(0, weeks)] if pilot_weeks is None else [(0, pilot_weeks), (pilot_weeks, weeks)]
        self.counts: list[dict[CountKey, cp_model.IntVar]] = [{} for _ in self.windows]
        self.shortfall: list[cp_model.IntVar] = []
        model = self.model
        pairs = set(resources.pairs)
        for phase, (lo, hi) in enumerate(self.windows):
            by_room: dict[tuple[str, int], list[cp_model.IntVar]] = defaultdict(list)
            for index, each in enumerate(resources.classes):
                for halfday in each.halfdays:
                    free = resources.instructor_free(index, halfday, lo, hi)
                    if free <= 0:
                        continue
                    mine: list[cp_model.IntVar] = []
                    for region in each.regions:
                        in_region: list[cp_model.IntVar] = []
                        region_free = resources.instructor_free(index, halfday, lo, hi, region)
                        room_free = resources.rooms_free(region, halfday, lo, hi) if rooms else region_free
                        top = min(region_free, room_free)
                        if top <= 0:
                            continue
                        for language in each.languages:
                            if (region, language) not in pairs:
                                continue
                            var = model.new_int_var(0, top, "")
                            self.counts[phase][(index, halfday, region, language)] = var
                            in_region.append(var)
                        if in_region and region_free < free:
                            model.add(sum(in_region) <= region_free)
                        by_room[(region, halfday)].extend(in_region)
                        mine.extend(in_region)
                    if len(mine) > 1:
                        model.add(sum(mine) <= free)
            for (region, halfday), variables in by_room.items():
                if rooms:
                    model.add(sum(variables) <= resources.rooms_free(region, halfday, lo, hi))

        weeks_total = self.windows[-1][1]
        for pair in resources.pairs:
            everything = [
                (key, var) for phase in self.counts for key, var in phase.items() if key[2:] == pair
            ]
            self._cover(pair, everything, resources.demand[pair], weeks_total, False, cover_all)
            if pilot_weeks is not None and resources.pilot_demand.get(pair, 0) > 0:
                first = [(key, var) for key, var in self.counts[0].items() if key[2:] == pair]
                self._cover(
                    pair,
                    first,
                    resources.pilot_demand[pair],
                    pilot_weeks,
                    True,
                    cover_all,
                )
        if sessions == "fewest":
            model.minimize(sum(var for phase in self.counts for var in phase.values()))
        elif sessions == "most":
            model.maximize(sum(var for phase in self.counts for var in phase.values()))
        elif not cover_all:
            model.minimize(sum(self.shortfall))

    def _cover(
        self,
        pair: Pair,
        variables: list[tuple[CountKey, cp_model.IntVar]],
        people: int,
        hi: int,
        pilot: bool,
        cover_all: bool,
    ) -> None:
        """Seats for the people of ``pair`` within weeks [0, hi), and days enough for its units."""
        model = self.model
        resources = self.resources
        capacity = resources.instance.session_capacity
        needed = people - resources.seats_fixed(pair, hi)
        if not cover_all:
            if needed > 0:
                short = model.new_int_var(0, needed, "")
                self.shortfall.append(short)
                model.add(capacity * sum(var for _, var in variables) + short >= needed)
            return
        # Free seats of fixed sessions may cover the seats but not the days the unit rule needs.
        need_days = resources.days_needed(pair, hi, pilot=pilot)
        if needed <= 0 and need_days <= 0:
            return
        if not variables:
            model.add_bool_or([])  # nothing can seat these people in time: infeasible
            return
        if needed > 0:
            model.add(capacity * sum(var for _, var in variables) >= needed)
        if need_days <= 1:
            if need_days == 1:
                model.add(sum(var for _, var in variables) >= 1)
            return
        per_day: dict[int, list[cp_model.IntVar]] = defaultdict(list)
        for key, var in variables:
            per_day[key[1] // 2].append(var)
        days = []
        for day, on_day in per_day.items():
            top = hi - resources.days_fixed(pair, hi, day)
            days_var = model.new_int_var(0, max(0, top), "")
            model.add(days_var <= sum(on_day))
            days.append(days_var)
        model.add(sum(days) >= need_days)

    def solve(self, seconds: float) -> tuple[str, dict[CountKey, tuple[int, int]]]:
        """ "feasible", "infeasible" or "unknown" (time ran out), and the counts when feasible."""
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 2
        solver.parameters.max_time_in_seconds = max(0.05, seconds)
        status = solver.solve(self.model)
        if status == cp_model.INFEASIBLE:
            return "infeasible", {}
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return "unknown", {}
        counts: dict[CountKey, tuple[int, int]] = {}
        last = len(self.windows) - 1
        for phase, variables in enumerate(self.counts):
            for key, var in variables.items():
                value = int(solver.value(var))
                if value:
                    before, after = counts.get(key, (0, 0))
                    # Without a pilot split everything counts as "after" the (empty) pilot window.
                    if phase == last:
                        counts[key] = (before, after + value)
                    else:
                        counts[key] = (before + value, after)
        return "feasible", counts


def _smallest(
    lo: int, hi: int, check: Callable[[int], str], feasible_at: int | None = None
) -> tuple[int | None, int]:
    """The smallest value in [lo, hi] that ``check`` finds feasible (None if none), and the
    certified lower bound: one more than the largest value proven infeasible (feasibility only
    grows with the value), or lo. Gallops up from lo, then halves the interval; ``feasible_at``
    is a value already known to be feasible."""
    proven = lo
    low = lo
    found: int | None = None
    value = lo
    step = 1
    while found is None:
        if feasible_at is not None and value >= feasible_at:
            found = feasible_at
            break
        answer = check(value)
        if answer == "feasible":
            found = value
            break
        if answer == "infeasible":
            proven = value + 1
        low = value + 1
        if value >= hi:
            return None, proven
        value = min(hi, value + step)
        step *= 2
    while low < found:
        middle = (low + found) // 2
        answer = check(middle)
        if answer == "feasible":
            found = middle
        else:
            if answer == "infeasible":
                proven = max(proven, middle + 1)
            low = middle + 1
    return found, min(proven, found)


def solve_counts(
    resources: Resources,
    *,
    time_limit: float = 10.0,
    sessions: str | None = "fewest",
    upper_weeks: int | None = None,
) -> Counts | None:
    """The fewest weeks, then pilot weeks, then sessions (``sessions``: see ``recount``; None for
    the bounds only, without counts); None if the time ran out before any
    number of weeks was found feasible. ``upper_weeks`` is a number of weeks known to be feasible
    (a what-if only adds resources), which saves solves."""
    start = time.perf_counter()
    instance = resources.instance

    def left() -> float:
        return time_limit - (time.perf_counter() - start)

    if not resources.pairs:
        return Counts(0, 0, 0, 0, {})

    def weeks_check(weeks: int) -> str:
        return _Model(resources, weeks, None).solve(left())[0]

    low = min(quick_bound(resources), instance.max_weeks)
    low = max(low, 1)
    weeks, bound = _smallest(low, instance.max_weeks, weeks_check, upper_weeks)
    if weeks is None and bound <= instance.max_weeks:
        return None
    if weeks is None:
        partial = _Model(resources, instance.max_weeks, None, cover_all=False)
        _, counts = partial.solve(left())
        pilot_bound = min(quick_bound(resources, pilot=True), instance.max_weeks)
        # Everyone does not fit in max_weeks: the true bound lies beyond it; report max_weeks.
        return Counts(instance.max_weeks, instance.max_weeks, instance.max_weeks, pilot_bound, counts, False)

    pilot_weeks = 0
    pilot_bound = 0
    if resources.has_pilot:
        pilot_low = max(1, min(quick_bound(resources, pilot=True), weeks))

        def pilot_check(pilot: int) -> str:
            return _Model(resources, weeks, pilot).solve(left())[0]

        # The pilot may always take all the weeks: the pilot constraints then follow from the others.
        found, pilot_bound = _smallest(pilot_low, weeks, pilot_check, weeks)
        pilot_weeks = weeks if found is None else found
    found_counts = Counts(weeks, pilot_weeks, bound, pilot_bound, {})
    if sessions is None:
        return found_counts
    return recount(resources, found_counts, sessions=sessions, time_limit=max(left(), 1.0))


def recount(resources: Resources, counts: Counts, *, sessions: str, time_limit: float) -> Counts:
    """Counts for the same weeks and pilot weeks with the ``sessions`` objective: "fewest" (the
    plan's third aim), "most" (every free slot, so the seats have the most room to fit the unit
    rule; the empty ones are dropped after the fill) or "any"."""
    split = counts.pilot_weeks if resources.has_pilot else None
    status, found = _Model(resources, counts.weeks, split, sessions=sessions).solve(time_limit)
    if status != "feasible":
        status, found = _Model(resources, counts.weeks, split).solve(time_limit)
    if split is None:
        found = {key: (0, after) for key, (_, after) in found.items()}
    return dataclasses.replace(counts, sessions=found)


@dataclass(frozen=True)
class Binding:
    """What rules out one week less than the bound: the (region, language) pairs whose people
    alone cannot be trained faster, and whether rooms and the unit rule are part of the reason."""

    pairs: tuple[Pair, ...]
    rooms: bool
    unit_rule: bool


def binding(resources: Resources, weeks: int, *, time_limit: float = 2.0) -> Binding | None:
    """A smallest set of (region, language) pairs that, alone, cannot be trained in ``weeks - 1``
    weeks (found by halving, as in QuickXplain), first without rooms and the unit rule, adding
    them only if needed. None if the time runs out or nothing is proven."""
    if weeks <= 1 or not resources.pairs:
        return None
    start = time.perf_counter()

    def infeasible(pairs: list[Pair], rooms: bool, unit_rule: bool) -> bool:
        left = time_limit - (time.perf_counter() - start)
        if left <= 0:
            raise TimeoutError
        kept = set(pairs)
        subset = dataclasses.replace(
            resources,
            demand={p: n for p, n in resources.demand.items() if p in kept},
            unit_days={p: n for p, n in resources.unit_days.items() if p in kept} if unit_rule else {},
        )
        return _Model(subset, weeks - 1, None, rooms=rooms).solve(left)[0] == "infeasible"

    def shrink(required: list[Pair], candidates: list[Pair], rooms: bool, unit_rule: bool) -> list[Pair]:
        """The fewest of ``candidates`` that, with ``required``, cannot be trained in time
        (``required`` + ``candidates`` cannot; ``required`` alone can)."""
        if len(candidates) == 1:
            return candidates
        half = len(candidates) // 2
        first, second = candidates[:half], candidates[half:]
        if infeasible(required + first, rooms, unit_rule):
            return shrink(required, first, rooms, unit_rule)
        if infeasible(required + second, rooms, unit_rule):
            return shrink(required, second, rooms, unit_rule)
        from_first = shrink(required + second, first, rooms, unit_rule)
        return from_first + shrink(required + from_first, second, rooms, unit_rule)

    everything = resources.pairs
    try:
        for rooms, unit_rule in ((False, False), (True, False), (False, True), (True, True)):
            if infeasible(everything, rooms, unit_rule):
                return Binding(tuple(sorted(shrink([], everything, rooms, unit_rule))), rooms, unit_rule)
    except TimeoutError:
        return None
    return None


def lower_bounds(instance: Instance, *, time_limit: float = 10.0) -> tuple[int, int]:
    """The certified lower bounds (weeks, pilot weeks) of any plan that reaches the fewest weeks:
    the optimum of the counts model, which every real plan satisfies."""
    _, plannable = find_problems(instance)
    counts = solve_counts(prepare(instance, plannable), time_limit=time_limit, sessions=None)
    if counts is None:
        resources = prepare(instance, plannable)
        return quick_bound(resources), quick_bound(resources, pilot=True)
    return counts.lower_bound_weeks, counts.lower_bound_pilot_weeks
