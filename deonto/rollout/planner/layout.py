"""Lay the counts out week by week. On one half-day, the counts form a bipartite multigraph between
instructors and rooms (a region's rooms split into room nodes), no node with more edges than weeks;
by König's theorem its edges can be coloured with that many colours, a colour being a week, so that
no instructor and no room is booked twice. The colouring extends one edge at a time and swaps the
two colours along an alternating path when no colour is free at both ends (the classic proof made
an algorithm). Absences and closures forbid some colours at some nodes: a swap that would move an
edge onto a forbidden week is refused, each edge tries every room of its region, a few edge orders
are tried, and an edge that still finds no colour is left for the repair.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass

from .instance import Instance
from .model import Counts, Resources

Node = tuple[str, str, int]  # ("instructor", id, 0) or ("room", region, index)
# Orders tried for a half-day whose forbidden weeks leave sessions without a week.
_ATTEMPTS = 6


@dataclass(frozen=True)
class Slot:
    """A dated session without its people yet."""

    week: int
    halfday: int
    region: str
    room: int
    instructor: str
    language: str


@dataclass
class _Edge:
    instructor: Node
    room: Node
    language: str
    colour: int = -1


class _Colouring:
    """Edge colouring of one half-day's multigraph with the weeks of one window as colours.

    ``on_day`` counts, per (region, language, day, week), the sessions already placed: among the
    free weeks an edge takes the one with the fewest, since a unit may send only a few people a
    day and sessions of one language on the same day compete for them."""

    def __init__(
        self,
        weeks: range,
        allowed: dict[Node, set[int]],
        halfday: int,
        on_day: dict[tuple[str, str, int, int], int],
    ) -> None:
        self.weeks = weeks
        self.allowed = allowed
        self.day = halfday // 2
        self.on_day = on_day
        self.edges: list[_Edge] = []
        self.at: dict[Node, dict[int, int]] = defaultdict(dict)

    def add(self, edge: _Edge) -> bool:
        """Colour one more edge; False when no week can be found for it."""
        u, v = edge.instructor, edge.room
        ok_u, ok_v = self.allowed[u], self.allowed[v]
        at_u, at_v = self.at[u], self.at[v]
        best = -1
        best_load = 0
        for week in self.weeks:
            if week in ok_u and week in ok_v and week not in at_u and week not in at_v:
                load = self.on_day.get((v[1], edge.language, self.day, week), 0)
                if best < 0 or load < best_load:
                    best, best_load = week, load
                    if load == 0:
                        break
        if best >= 0:
            self._place(edge, best)
            return True
        alphas = [w for w in self.weeks if w in ok_u and w in ok_v and w not in at_u]
        betas = [w for w in self.weeks if w in ok_u and w in ok_v and w not in at_v]
        for alpha in alphas[:8]:
            for beta in betas[:8]:
                path = self._path(v, alpha, beta)
                if path is None:
                    continue
                for index in path:
                    self._remove(index)
                for step, index in enumerate(path):
                    self._place(self.edges[index], beta if step % 2 == 0 else alpha, index)
                self._place(edge, alpha)
                return True
        return False

    def _place(self, edge: _Edge, week: int, index: int | None = None) -> None:
        if index is None:
            self.edges.append(edge)
            index = len(self.edges) - 1
        edge.colour = week
        self.at[edge.instructor][week] = index
        self.at[edge.room][week] = index
        key = (edge.room[1], edge.language, self.day, week)
        self.on_day[key] = self.on_day.get(key, 0) + 1

    def _remove(self, index: int) -> None:
        edge = self.edges[index]
        del self.at[edge.instructor][edge.colour]
        del self.at[edge.room][edge.colour]
        self.on_day[(edge.room[1], edge.language, self.day, edge.colour)] -= 1

    def _path(self, start: Node, alpha: int, beta: int) -> list[int] | None:
        """The edges of the alpha/beta alternating path from ``start`` (first edge alpha), if
        swapping their two colours keeps every edge on a week both its ends allow."""
        path: list[int] = []
        node = start
        colour, other = alpha, beta
        while colour in self.at[node]:
            index = self.at[node][colour]
            edge = self.edges[index]
            if other not in self.allowed[edge.instructor] or other not in self.allowed[edge.room]:
                return None
            path.append(index)
            node = edge.room if node == edge.instructor else edge.instructor
            colour, other = other, colour
        return path


def lay_out(instance: Instance, resources: Resources, counts: Counts) -> tuple[list[Slot], int]:
    """Dated sessions for the counts, and how many sessions found no week (left to the repair)."""
    per_instructor = _per_instructor(resources, counts)
    closed_everywhere = {(c.week, c.halfday) for c in instance.closures if c.region is None}
    closed_in = {(c.week, c.halfday, c.region) for c in instance.closures if c.region is not None}
    busy: dict[str, set[tuple[int, int]]] = defaultdict(set)
    fixed_rooms: dict[tuple[str, int, int], int] = defaultdict(int)
    for session in instance.fixed_sessions:
        busy[session.instructor].add((session.week, session.halfday))
        fixed_rooms[(session.region, session.week, session.halfday)] += 1
    windows = [range(0, counts.pilot_weeks), range(counts.pilot_weeks, counts.weeks)]
    slots: list[Slot] = []
    missed = 0
    on_day: dict[tuple[str, str, int, int], int] = {}
    by_halfday: dict[int, list[tuple[str, str, str, int, int]]] = defaultdict(list)
    for (instructor, halfday, region, language), (before, after) in per_instructor.items():
        by_halfday[halfday].append((instructor, region, language, before, after))
    for halfday in sorted(by_halfday):
        for phase, weeks in enumerate(windows):
            edges = [
                (instructor, region, language)
                for instructor, region, language, before, after in by_halfday[halfday]
                for _ in range(before if phase == 0 else after)
            ]
            if not edges:
                continue
            allowed: dict[Node, set[int]] = {}
            for instructor in {each[0] for each in edges}:
                node: Node = ("instructor", instructor, 0)
                if node not in allowed:
                    unavailable = instance.instructor(instructor).unavailable
                    allowed[node] = {
                        w
                        for w in weeks
                        if (w, halfday) not in unavailable
                        and (w, halfday) not in closed_everywhere
                        and (w, halfday) not in busy[instructor]
                    }
            rooms_left: dict[Node, int] = {}
            for region in {region for _, region, _ in edges}:
                for room in range(instance.region(region).rooms):
                    node = ("room", region, room)
                    allowed[node] = {
                        w
                        for w in weeks
                        if (w, halfday) not in closed_everywhere
                        and (w, halfday, region) not in closed_in
                        and fixed_rooms.get((region, w, halfday), 0) <= room
                    }
                    rooms_left[node] = len(allowed[node])
            # Instructors with the fewest free weeks first: they have the least choice. When
            # forbidden weeks leave edges over, a few shuffled orders are tried too.
            edges.sort(key=lambda e: (len(allowed[("instructor", e[0], 0)]), e))
            shuffle = random.Random(halfday)  # noqa: S311 - a reproducible order, not security
            best: tuple[int, _Colouring, dict[tuple[str, str, int, int], int]] | None = None
            for attempt in range(_ATTEMPTS):
                if attempt:
                    shuffle.shuffle(edges)
                trial_on_day = dict(on_day)
                colouring, left = _colour(edges, weeks, allowed, halfday, trial_on_day, rooms_left)
                if best is None or left < best[0]:
                    best = (left, colouring, trial_on_day)
                if left == 0:
                    break
            assert best is not None  # noqa: S101 - _ATTEMPTS >= 1
            missed += best[0]
            on_day.clear()
            on_day.update(best[2])
            for edge in best[1].edges:
                slots.append(
                    Slot(edge.colour, halfday, edge.room[1], edge.room[2], edge.instructor[1], edge.language)
                )
    return slots, missed


def _colour(
    edges: list[tuple[str, str, str]],
    weeks: range,
    allowed: dict[Node, set[int]],
    halfday: int,
    on_day: dict[tuple[str, str, int, int], int],
    rooms_free: dict[Node, int],
) -> tuple[_Colouring, int]:
    """Colour the edges in the order given, each in the first room of its region (most weeks left
    first) where it finds a week; the colouring and how many edges found none."""
    rooms_left = dict(rooms_free)
    colouring = _Colouring(weeks, allowed, halfday, on_day)
    missed = 0
    for instructor, region, language in edges:
        rooms = sorted((n for n in rooms_left if n[1] == region), key=lambda n: (-rooms_left[n], n[2]))
        for room_node in rooms:
            if colouring.add(_Edge(("instructor", instructor, 0), room_node, language)):
                rooms_left[room_node] -= 1
                break
        else:
            missed += 1
    return colouring, missed


def _per_instructor(resources: Resources, counts: Counts) -> dict[tuple[str, int, str, str], tuple[int, int]]:
    """Share each class's counts among its members, each up to its free weeks in each window."""
    result: dict[tuple[str, int, str, str], tuple[int, int]] = {}
    by_class: dict[tuple[int, int], list[tuple[str, str, int, int]]] = defaultdict(list)
    for (index, halfday, region, language), (before, after) in sorted(counts.sessions.items()):
        by_class[(index, halfday)].append((region, language, before, after))
    for (index, halfday), items in by_class.items():
        members = resources.classes[index].members
        for phase, (lo, hi) in enumerate(((0, counts.pilot_weeks), (counts.pilot_weeks, counts.weeks))):
            free = resources.instructor_free(index, halfday, lo, hi) // len(members)
            member = 0
            room = free
            for region, language, before, after in items:
                wanted = before if phase == 0 else after
                while wanted > 0:
                    if room == 0 and member < len(members) - 1:
                        member += 1
                        room = free
                    take = wanted if member == len(members) - 1 and room <= 0 else min(wanted, room)
                    key = (members[member], halfday, region, language)
                    old = result.get(key, (0, 0))
                    result[key] = (old[0] + take, old[1]) if phase == 0 else (old[0], old[1] + take)
                    wanted -= take
                    room -= take
    return result
