from __future__ import annotations

import random
from collections import Counter

from deonto.rollout.planner.layout import _colour, _Colouring, _Edge, lay_out
from deonto.rollout.planner.model import Counts, prepare
from deonto.rollout.planner.problems import find_problems

from .conftest import small


def colour(edges, weeks, allowed=None):
    nodes = {node for edge in edges for node in edge}
    allowed = allowed or {node: set(weeks) for node in nodes}
    colouring = _Colouring(weeks, allowed, 0, {})
    missed = sum(1 for instructor, room in edges if not colouring.add(_Edge(instructor, room, "fr")))
    return colouring, missed


def test_any_multigraph_with_degrees_up_to_the_weeks_is_coloured_with_that_many_weeks():
    """König's theorem: a bipartite multigraph of maximum degree W has a proper edge colouring
    with W colours. Random multigraphs with every degree at most 12 must get one, and no node may
    hold two edges of one colour (a greedy colouring fails on many of these)."""
    rng = random.Random(7)
    weeks = range(12)
    for _ in range(30):
        instructors = [("instructor", f"I{i}", 0) for i in range(8)]
        rooms = [("room", "MON", r) for r in range(6)]
        degree = Counter()
        edges = []
        for _ in range(400):
            pair = (rng.choice(instructors), rng.choice(rooms))
            if degree[pair[0]] < 12 and degree[pair[1]] < 12:
                degree[pair[0]] += 1
                degree[pair[1]] += 1
                edges.append(pair)
        colouring, missed = colour(edges, weeks)
        assert missed == 0
        seen = set()
        for edge in colouring.edges:
            for node in (edge.instructor, edge.room):
                assert (node, edge.colour) not in seen
                seen.add((node, edge.colour))
        assert len(colouring.edges) == len(edges)


def test_a_forbidden_week_is_never_used_and_an_edge_without_a_week_is_left_over():
    instructor = ("instructor", "I1", 0)
    room = ("room", "MON", 0)
    allowed = {instructor: {0, 2}, room: {0, 1, 2}}
    colouring, missed = colour([(instructor, room)] * 3, range(3), allowed)
    assert sorted(edge.colour for edge in colouring.edges) == [0, 2]
    assert missed == 1


def test_the_pilot_part_of_the_counts_goes_in_the_first_weeks():
    """Counts: 2 sessions before week 2 (pilot) and 1 after, on Monday morning, 3 weeks."""
    instance = small(instructors=[{"id": "I1", "languages": ["fr"], "regions": ["MON"], "halfdays": [0]}])
    resources = prepare(instance, find_problems(instance)[1])
    counts = Counts(3, 2, 3, 2, {(0, 0, "MON", "fr"): (2, 1)})

    slots, missed = lay_out(instance, resources, counts)

    assert missed == 0
    assert sorted((s.week, s.halfday, s.instructor, s.room) for s in slots) == [
        (0, 0, "I1", 0),
        (1, 0, "I1", 0),
        (2, 0, "I1", 0),
    ]


def test_a_class_of_identical_instructors_is_shared_out_without_double_booking():
    """Two identical instructors, 5 sessions on Monday morning over 3 weeks, two rooms: one takes
    3 weeks, the other 2, and no week has two sessions of the same instructor or room."""
    same = {"languages": ["fr"], "regions": ["MON"], "halfdays": [0]}
    instance = small(
        regions=[{"id": "MON", "rooms": 2}], instructors=[{"id": "I1", **same}, {"id": "I2", **same}]
    )
    resources = prepare(instance, find_problems(instance)[1])
    counts = Counts(3, 0, 3, 0, {(0, 0, "MON", "fr"): (0, 5)})

    slots, missed = lay_out(instance, resources, counts)

    assert missed == 0
    assert Counter(s.instructor for s in slots) == {"I1": 3, "I2": 2}
    assert len({(s.week, s.instructor) for s in slots}) == 5
    assert len({(s.week, s.room) for s in slots}) == 5


def test_an_edge_tries_every_room_of_its_region():
    """The instructor may teach in weeks 0 and 2; room 0 is taken in week 2 (a fixed session),
    room 1 is free all three weeks. The first edge takes week 0; the second fits only in week 2,
    so only in room 1."""
    instructor = ("instructor", "I1", 0)
    rooms = [("room", "MON", 0), ("room", "MON", 1)]
    allowed = {instructor: {0, 2}, rooms[0]: {0, 1}, rooms[1]: {0, 1, 2}}

    colouring, missed = _colour(
        [("I1", "MON", "fr"), ("I1", "MON", "fr")], range(3), allowed, 0, {}, {rooms[0]: 2, rooms[1]: 3}
    )

    assert missed == 0
    assert sorted((edge.colour, edge.room[2]) for edge in colouring.edges) == [(0, 1), (2, 1)]
