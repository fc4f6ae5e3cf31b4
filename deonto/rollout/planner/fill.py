"""Seat the people in the dated sessions, then repair what is left.

Seats are filled in time order. At the same moment the free seats of fixed sessions go first,
then the sessions of the scarcest (region, language) pairs (fewest seats per person), because a
unit's daily share is shared by its languages. Within a session, a unit first sends what it must
send today because the later session days of its language could not take the rest under the
unit rule (the pilot wave against the pilot deadline, then everyone against the last session
day); then the pilot wave; then the units with most days still to go: a unit that may send two
people a day and has fourteen to send needs seven session days, so it cannot wait. A variant runs
the pilot wave through every session before anyone else, another orders a day's pairs by seats
per person only; the planner keeps the best result.

The repair puts whoever is left into new sessions in free instructor and room slots, as early as
the rules allow; this can make the plan longer, and the weeks reported are then the real ones.
"""

from __future__ import annotations

import bisect
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from .instance import Instance, Instructor, parse_group_key
from .layout import Slot
from .plan import PlannedSession


@dataclass
class _Seat:
    """A session being filled: a new one (``fixed`` None) or a fixed one taking extra people."""

    week: int
    halfday: int
    region: str
    room: int
    instructor: str
    language: str
    seats: int
    fixed: int | None = None
    attendees: dict[str, int] = field(default_factory=dict)


class Seating:
    """The state of the plan while people are seated: who is away which day, which instructor
    and room is taken when, and how many of each group are still to place."""

    def __init__(self, instance: Instance, plannable: Mapping[str, int]) -> None:
        self.instance = instance
        self.remaining = {key: count for key, count in plannable.items() if count > 0}
        self.away: dict[tuple[str, int, int], int] = defaultdict(int)
        self.busy: set[tuple[str, int, int]] = set()
        self.rooms_taken: dict[tuple[str, int, int], set[int]] = defaultdict(set)
        self.closed_everywhere = {(c.week, c.halfday) for c in instance.closures if c.region is None}
        self.closed_in = {(c.week, c.halfday, c.region) for c in instance.closures if c.region is not None}
        self.cap = {unit.id: instance.unit_daily_cap(unit.id) for unit in instance.units}
        self.sessions: list[_Seat] = []
        self.pilot_weeks = 0
        # The (week, day) pairs on which each (region, language) has a session with seats.
        self.days: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
        self.by_pair: dict[tuple[str, str], list[str]] = defaultdict(list)
        self.unit_of: dict[str, str] = {}
        self.pilot: dict[str, bool] = {}
        for key in sorted(self.remaining):
            unit, language, pilot = parse_group_key(key)
            self.unit_of[key] = unit
            self.pilot[key] = pilot
            self.by_pair[(instance.unit(unit).region, language)].append(key)
        for index, session in enumerate(instance.fixed_sessions):
            self.busy.add((session.instructor, session.week, session.halfday))
            taken = self.rooms_taken[(session.region, session.week, session.halfday)]
            room = len(taken)
            taken.add(room)
            for key, count in session.attendees.items():
                unit = parse_group_key(key)[0]
                self.away[(unit, session.week, session.halfday // 2)] += count
            if session.free_seats > 0:
                self._add_day((session.region, session.language), session.week, session.halfday // 2)
            self.sessions.append(
                _Seat(
                    session.week,
                    session.halfday,
                    session.region,
                    room,
                    session.instructor,
                    session.language,
                    session.free_seats,
                    fixed=index,
                )
            )

    def add_slots(self, slots: Iterable[Slot]) -> None:
        capacity = self.instance.session_capacity
        for slot in slots:
            self.busy.add((slot.instructor, slot.week, slot.halfday))
            self.rooms_taken[(slot.region, slot.week, slot.halfday)].add(slot.room)
            self._add_day((slot.region, slot.language), slot.week, slot.halfday // 2)
            self.sessions.append(
                _Seat(
                    slot.week, slot.halfday, slot.region, slot.room, slot.instructor, slot.language, capacity
                )
            )

    def _add_day(self, pair: tuple[str, str], week: int, day: int) -> None:
        days = self.days[pair]
        where = bisect.bisect_left(days, (week, day))
        if where == len(days) or days[where] != (week, day):
            days.insert(where, (week, day))

    def fill(
        self, pilot_weeks: int = 0, *, pilot_first: bool = False, fewest_days_first: bool = True
    ) -> None:
        """Seat people chronologically; ``pilot_weeks`` is the pilot wave's deadline. With
        ``pilot_first`` the pilot wave goes through every session before anyone else. On one day,
        the (region, language) pairs with the fewest session days go first, or with
        ``fewest_days_first`` False those with the fewest seats per person."""
        self.pilot_weeks = pilot_weeks
        seats: dict[tuple[str, str], int] = defaultdict(int)
        for session in self.sessions:
            seats[(session.region, session.language)] += session.seats
        people: dict[tuple[str, str], int] = defaultdict(int)
        for pair, keys in self.by_pair.items():
            people[pair] = sum(self.remaining.get(key, 0) for key in keys)
        # A unit's daily share is worth most where its language has few session days or few seats.
        scarcity = {
            pair: (
                len(self.days[pair]) if fewest_days_first else 0,
                seats[pair] / people[pair] if people[pair] else math.inf,
            )
            for pair in seats
        }
        order = sorted(
            self.sessions,
            key=lambda s: (
                s.week,
                s.halfday // 2,
                s.fixed is None,
                scarcity[(s.region, s.language)],
                s.halfday,
                s.region,
                s.room,
            ),
        )
        if pilot_first:
            for session in order:
                self._seat(session, pilot_only=True)
        for session in order:
            self._seat(session)

    def _seat(self, session: _Seat, *, pilot_only: bool = False) -> None:
        """Fill one session: first what units must send today or the later session days cannot
        take the rest (the pilot wave against the pilot deadline, then everyone against the last
        day), then the pilot wave, then the units with most days to go."""
        if session.seats - sum(session.attendees.values()) <= 0:
            return
        day = session.halfday // 2
        pair = (session.region, session.language)
        days = self.days[pair]
        today = bisect.bisect_right(days, (session.week, day))
        later = len(days) - today
        later_pilot = max(0, bisect.bisect_left(days, (self.pilot_weeks, 0)) - today)
        keys = [key for key in self.by_pair.get(pair, ()) if self.remaining.get(key)]
        if pilot_only:
            keys = [key for key in keys if self.pilot[key]]
        if session.week < self.pilot_weeks:
            pilot_keys = [key for key in keys if self.pilot[key]]
            for key in sorted(pilot_keys, key=lambda k: (-self._must(k, later_pilot), k)):
                self._take(session, key, self._must(key, later_pilot))
        if not pilot_only:
            per_unit: dict[str, list[str]] = defaultdict(list)
            for key in keys:
                per_unit[self.unit_of[key]].append(key)
            musts = {
                unit: sum(self.remaining[k] for k in mine) - self.cap[unit] * later
                for unit, mine in per_unit.items()
            }
            for unit in sorted(musts, key=lambda u: (-musts[u], u)):
                must = musts[unit]
                # Pilot people first ("|1" sorts after "|0").
                for key in sorted(per_unit[unit], reverse=True):
                    must -= self._take(session, key, must)
        ranked = sorted(
            keys,
            key=lambda k: (
                not self.pilot[k],
                -math.ceil(self.remaining[k] / self.cap[self.unit_of[k]]),
                self.cap[self.unit_of[k]],
                k,
            ),
        )
        for key in ranked:
            self._take(session, key, session.seats)

    def _must(self, key: str, later: int) -> int:
        return self.remaining[key] - self.cap[self.unit_of[key]] * later

    def _take(self, session: _Seat, key: str, most: int) -> int:
        """Seat up to ``most`` people of group ``key`` in ``session``; how many were seated."""
        if most <= 0:
            return 0
        unit = self.unit_of[key]
        day = session.halfday // 2
        free = session.seats - sum(session.attendees.values())
        take = min(
            most, free, self.remaining.get(key, 0), self.cap[unit] - self.away[(unit, session.week, day)]
        )
        if take <= 0:
            return 0
        session.attendees[key] = session.attendees.get(key, 0) + take
        self.remaining[key] -= take
        self.away[(unit, session.week, day)] += take
        return take

    def repair(self) -> None:
        """New sessions, as early as possible, for the people the fill could not seat."""
        instance = self.instance
        pairs = sorted(
            {pair for pair, keys in self.by_pair.items() if any(self.remaining.get(key) for key in keys)}
        )
        if not pairs:
            return
        teachers: dict[tuple[str, str], list[Instructor]] = {
            pair: [i for i in instance.instructors if pair[0] in i.regions and pair[1] in i.languages]
            for pair in pairs
        }
        for week in range(instance.max_weeks):
            for halfday in range(instance.halfdays_per_week):
                for pair in pairs:
                    while self._could_seat(pair, week, halfday // 2) and self._open(
                        pair, week, halfday, teachers
                    ):
                        pass
                pairs = [p for p in pairs if any(self.remaining.get(key) for key in self.by_pair[p])]
                if not pairs:
                    return

    def _could_seat(self, pair: tuple[str, str], week: int, day: int) -> bool:
        for key in self.by_pair[pair]:
            if self.remaining.get(key):
                unit = parse_group_key(key)[0]
                if self.away[(unit, week, day)] < self.cap[unit]:
                    return True
        return False

    def _open(
        self,
        pair: tuple[str, str],
        week: int,
        halfday: int,
        teachers: Mapping[tuple[str, str], list[Instructor]],
    ) -> bool:
        """Open and fill one new session of ``pair`` on (week, half-day) if an instructor and a
        room are free then; False if not."""
        region, language = pair
        if (week, halfday) in self.closed_everywhere or (week, halfday, region) in self.closed_in:
            return False
        taken = self.rooms_taken[(region, week, halfday)]
        room = next((r for r in range(self.instance.region(region).rooms) if r not in taken), None)
        if room is None:
            return False
        for instructor in teachers[pair]:
            if (
                halfday in instructor.halfdays
                and (week, halfday) not in instructor.unavailable
                and (instructor.id, week, halfday) not in self.busy
            ):
                slot = Slot(week, halfday, region, room, instructor.id, language)
                self.add_slots([slot])
                self._seat(self.sessions[-1])
                return True
        return False

    def planned(self) -> tuple[PlannedSession, ...]:
        """The sessions with people (fixed sessions always, with the people added), earliest first."""
        result = []
        for session in self.sessions:
            if session.fixed is None and not session.attendees:
                continue
            result.append(
                PlannedSession(
                    week=session.week,
                    halfday=session.halfday,
                    region=session.region,
                    language=session.language,
                    instructor=session.instructor,
                    room=session.room,
                    attendees=dict(sorted(session.attendees.items())),
                    fixed=session.fixed is not None,
                )
            )
        result.sort(key=lambda s: (s.week, s.halfday, s.region, s.room))
        return tuple(result)

    def leftover(self) -> dict[str, int]:
        return {key: count for key, count in self.remaining.items() if count > 0}


def weeks_of(sessions: Iterable[PlannedSession], *, pilot: bool = False) -> int:
    """1 + the last week with a new session or an added seat (of the pilot wave if ``pilot``)."""
    last = -1
    for session in sessions:
        keys = [key for key, count in session.attendees.items() if count > 0]
        if pilot:
            keys = [key for key in keys if key.endswith("|1")]
        if keys or (not pilot and not session.fixed and session.attendees):
            last = max(last, session.week)
    return last + 1
