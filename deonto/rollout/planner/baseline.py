"""First come, first served, pilot wave first: the plan a coordinator would make by hand, week
after week. It is the yardstick of the optimising planner and its fallback, and it is fast (65,000
people in about a second) because it never looks back.

Each half-day, in order, the free seats of the fixed sessions are filled first; then each free
instructor takes the (region, language) it can teach with the most people of the pilot wave still
waiting (then the most people waiting), a free room there, and fills the seats, pilot wave first,
as far as the unit rule allows that day.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field

from .fill import weeks_of
from .instance import Group, Instance, Instructor
from .plan import Plan, PlannedSession
from .problems import find_problems, not_fitting

Pair = tuple[str, str]


@dataclass
class _Waiting:
    """The groups of one (region, language) that still have people to place."""

    groups: list[Group] = field(default_factory=list)
    pilot: int = 0
    total: int = 0


def baseline(instance: Instance) -> Plan:
    started = time.monotonic()
    problems, plannable = find_problems(instance)
    state = _State(instance, plannable)
    state.run()
    leftover = not_fitting(instance, state.remaining, kind="not-placed")
    sessions = tuple(state.sessions)
    return Plan(
        method="baseline",
        status="partial" if problems or leftover else "feasible",
        weeks=weeks_of(sessions),
        pilot_weeks=weeks_of(sessions, pilot=True),
        lower_bound_weeks=0,
        lower_bound_pilot_weeks=0,
        sessions=sessions,
        problems=(*problems, *leftover),
        solve_seconds=time.monotonic() - started,
    )


class _State:
    def __init__(self, instance: Instance, plannable: dict[str, int]) -> None:
        self.instance = instance
        self.remaining = dict(plannable)
        self.waiting: dict[Pair, _Waiting] = defaultdict(_Waiting)
        for group in sorted(instance.groups, key=lambda g: (not g.pilot, -g.count, g.key)):
            if self.remaining.get(group.key, 0) > 0:
                entry = self.waiting[(instance.unit(group.unit).region, group.language)]
                entry.groups.append(group)
                entry.pilot += self.remaining[group.key] if group.pilot else 0
                entry.total += self.remaining[group.key]
        self.left = sum(entry.total for entry in self.waiting.values())
        self.away: dict[tuple[str, int, int], int] = defaultdict(int)
        self.fixed_at: dict[tuple[int, int], list[int]] = defaultdict(list)
        for index, fixed in enumerate(instance.fixed_sessions):
            self.fixed_at[(fixed.week, fixed.halfday)].append(index)
            for key, count in fixed.attendees.items():
                self.away[(key.rsplit("|", 2)[0], fixed.week, fixed.halfday // 2)] += count
        self.closed = {(c.week, c.halfday, c.region) for c in instance.closures}
        self.pairs_of = {
            i.id: [(r, lang) for r in i.regions for lang in i.languages if instance.region(r).rooms > 0]
            for i in instance.instructors
        }
        self.sessions: list[PlannedSession] = []

    def run(self) -> None:
        last_fixed = max((f.week for f in self.instance.fixed_sessions), default=-1)
        for week in range(self.instance.max_weeks):
            if self.left == 0 and week > last_fixed:
                return
            for halfday in range(self.instance.halfdays_per_week):
                self._half_day(week, halfday)

    def _half_day(self, week: int, halfday: int) -> None:
        busy: set[str] = set()
        rooms_used: dict[str, int] = defaultdict(int)
        for index in self.fixed_at.get((week, halfday), []):
            fixed = self.instance.fixed_sessions[index]
            busy.add(fixed.instructor)
            room = rooms_used[fixed.region]
            rooms_used[fixed.region] += 1
            attendees = self._fill((fixed.region, fixed.language), week, halfday, fixed.free_seats)
            self.sessions.append(
                PlannedSession(
                    week=week,
                    halfday=halfday,
                    region=fixed.region,
                    language=fixed.language,
                    instructor=fixed.instructor,
                    room=room,
                    attendees=attendees,
                    fixed=True,
                )
            )
        if self.left == 0 or (week, halfday, None) in self.closed:
            return
        for instructor in self.instance.instructors:
            if instructor.id in busy or not self._teaches(instructor, week, halfday):
                continue
            candidates = [
                pair
                for pair in self.pairs_of[instructor.id]
                if self.waiting[pair].total
                and rooms_used[pair[0]] < self.instance.region(pair[0]).rooms
                and (week, halfday, pair[0]) not in self.closed
            ]
            candidates.sort(key=lambda p: (-self.waiting[p].pilot, -self.waiting[p].total, p))
            for pair in candidates:
                attendees = self._fill(pair, week, halfday, self.instance.session_capacity)
                if not attendees:
                    continue
                self.sessions.append(
                    PlannedSession(
                        week=week,
                        halfday=halfday,
                        region=pair[0],
                        language=pair[1],
                        instructor=instructor.id,
                        room=rooms_used[pair[0]],
                        attendees=attendees,
                    )
                )
                rooms_used[pair[0]] += 1
                break

    def _teaches(self, instructor: Instructor, week: int, halfday: int) -> bool:
        return halfday in instructor.halfdays and (week, halfday) not in instructor.unavailable

    def _fill(self, pair: Pair, week: int, halfday: int, seats: int) -> dict[str, int]:
        """Take up to ``seats`` waiting people of the pair, pilot wave first, as many as each unit
        may still send away that day."""
        entry = self.waiting.get(pair)
        if entry is None or not entry.total or seats <= 0:
            return {}
        day = halfday // 2
        attendees: dict[str, int] = {}
        for group in entry.groups:
            if seats == 0:
                break
            left = self.remaining[group.key]
            if not left:
                continue
            cap = self.instance.unit_daily_cap(group.unit) - self.away[(group.unit, week, day)]
            take = min(left, seats, cap)
            if take <= 0:
                continue
            attendees[group.key] = take
            seats -= take
            self.remaining[group.key] = left - take
            self.away[(group.unit, week, day)] += take
            entry.total -= take
            entry.pilot -= take if group.pilot else 0
            self.left -= take
        if attendees:
            entry.groups = [g for g in entry.groups if self.remaining[g.key]]
        return attendees
