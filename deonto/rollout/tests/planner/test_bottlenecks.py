from __future__ import annotations

from deonto.rollout.planner import solve

from .conftest import small


def large_unit(groups, instructors, rooms=1):
    return small(
        regions=[{"id": "MON", "rooms": rooms}],
        units=[{"id": "U1", "region": "MON", "size": 1000}],
        groups=groups,
        instructors=instructors,
    )


def test_one_region_and_language_is_named_with_its_figures():
    """MON French: 160 people need 10 sessions; one instructor on two half-days a week gives
    2 sessions a week, so at least 5 weeks. MON Dutch (16 people, its own instructor) is done in
    one week and does not bind."""
    instance = large_unit(
        groups=[
            {"unit": "U1", "language": "fr", "pilot": False, "count": 160},
            {"unit": "U1", "language": "nl", "pilot": False, "count": 16},
        ],
        instructors=[
            {"id": "I1", "languages": ["fr"], "regions": ["MON"], "halfdays": [0, 2]},
            {"id": "I2", "languages": ["nl"], "regions": ["MON"], "halfdays": [1]},
        ],
        rooms=2,
    )

    plan = solve(instance)

    assert plan.weeks == 5
    assert [(b.kind, dict(b.figures), b.text) for b in plan.bottlenecks] == [
        (
            "region-language",
            {"region": "MON", "language": "fr", "sessions": 10, "instructors": 1, "per_week": 2, "weeks": 5},
            "MON, fr: 10 sessions, 1 instructor, 2 sessions a week => at least 5 weeks",
        )
    ]


def test_languages_sharing_one_instructor_bind_together():
    """One instructor teaches French and Dutch on one half-day a week: 3 + 3 sessions, 6 weeks;
    neither language alone needs more than 3."""
    instance = large_unit(
        groups=[
            {"unit": "U1", "language": "fr", "pilot": False, "count": 48},
            {"unit": "U1", "language": "nl", "pilot": False, "count": 48},
        ],
        instructors=[{"id": "I1", "languages": ["fr", "nl"], "regions": ["MON"], "halfdays": [0]}],
    )

    plan = solve(instance)

    assert plan.weeks == 6
    (bottleneck,) = plan.bottlenecks
    assert bottleneck.kind == "instructors"
    assert bottleneck.figures["pairs"] == [
        {"region": "MON", "language": "fr"},
        {"region": "MON", "language": "nl"},
    ]
    assert bottleneck.text == (
        "MON fr, MON nl: 6 sessions, 1 instructor between them, 1 session a week => at least 6 weeks"
    )


def test_rooms_are_named_when_they_bind():
    """Two instructors on Monday morning only, one room: one session a week for 4 sessions."""
    instance = large_unit(
        groups=[{"unit": "U1", "language": "fr", "pilot": False, "count": 64}],
        instructors=[
            {"id": "I1", "languages": ["fr"], "regions": ["MON"], "halfdays": [0]},
            {"id": "I2", "languages": ["fr"], "regions": ["MON"], "halfdays": [0]},
        ],
    )

    plan = solve(instance)

    assert plan.weeks == 4
    assert [b.kind for b in plan.bottlenecks] == ["region-language", "rooms"]
    assert plan.bottlenecks[1].text == "MON: 4 sessions, 1 room, 1 session a week => at least 4 weeks"


def test_the_unit_rule_is_named_when_it_binds(instance):
    """The small instance: 12 people of a unit that may send 4 a day need 3 session days, and the
    instructor teaches two days a week: 2 weeks, though seats alone would take 1."""
    plan = solve(instance)

    assert [b.kind for b in plan.bottlenecks] == ["region-language", "unit-rule"]
    assert plan.bottlenecks[1].text == (
        "Unit U1 (MON, fr): 12 people, at most 4 away a day => 3 session days, 2 days a week => at least 2 weeks"
    )
