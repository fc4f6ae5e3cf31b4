from __future__ import annotations

from deonto.rollout.planner.fill import Seating, weeks_of
from deonto.rollout.planner.layout import Slot

from .conftest import small


def seated(seating):
    return [(s.week, s.halfday, dict(s.attendees)) for s in seating.planned()]


def two_units(**changes):
    """Unit A: 10 people (2 a day), 4 French speakers; unit B: 105 people (21 a day), 27 French
    speakers. 31 people for two sessions of 16 on two days."""
    return small(
        units=[{"id": "A", "region": "MON", "size": 10}, {"id": "B", "region": "MON", "size": 105}],
        groups=[
            {"unit": "A", "language": "fr", "pilot": False, "count": 4},
            {"unit": "B", "language": "fr", "pilot": False, "count": 27},
        ],
        **changes,
    )


def test_a_small_unit_gets_its_share_on_every_day_it_needs():
    """Unit A may send 2 a day and has 4 people, so it must send 2 on each of the two days; B
    (27, 21 a day) must send at least 6 on the first day. Filling the first session with B alone
    would leave 2 of A without a seat."""
    instance = two_units()
    seating = Seating(instance, {"A|fr|0": 4, "B|fr|0": 27})
    seating.add_slots([Slot(0, 0, "MON", 0, "I1", "fr"), Slot(0, 3, "MON", 0, "I1", "fr")])

    seating.fill()

    assert seating.leftover() == {}
    assert seated(seating) == [(0, 0, {"A|fr|0": 2, "B|fr|0": 14}), (0, 3, {"A|fr|0": 2, "B|fr|0": 13})]


def test_the_pilot_wave_takes_the_first_seats(instance):
    seating = Seating(instance, {"U1|fr|1": 4, "U1|fr|0": 8})
    seating.add_slots([Slot(w, h, "MON", 0, "I1", "fr") for w in range(2) for h in (0, 3)])

    seating.fill()

    assert seated(seating) == [(0, 0, {"U1|fr|1": 4}), (0, 3, {"U1|fr|0": 4}), (1, 0, {"U1|fr|0": 4})]
    assert (weeks_of(seating.planned()), weeks_of(seating.planned(), pilot=True)) == (2, 1)


def test_free_seats_of_a_fixed_session_go_first_and_its_people_count_for_the_unit_rule():
    """The fixed session of week 0, Monday morning, already has 2 of U1 and 3 free seats: U1 may
    send 4 a day, so it takes 2 more there; the new session that afternoon takes none of U1."""
    instance = small(
        instructors=[
            {"id": "I1", "languages": ["fr"], "regions": ["MON"], "halfdays": [0, 3]},
            {"id": "I2", "languages": ["fr"], "regions": ["MON"], "halfdays": [1]},
        ],
        regions=[{"id": "MON", "rooms": 2}],
        fixed_sessions=[
            {
                "week": 0,
                "halfday": 0,
                "region": "MON",
                "language": "fr",
                "instructor": "I1",
                "attendees": {"U1|fr|0": 2},
                "free_seats": 3,
            }
        ],
    )
    seating = Seating(instance, {"U1|fr|1": 4, "U1|fr|0": 6})
    seating.add_slots([Slot(0, 1, "MON", 0, "I2", "fr"), Slot(0, 3, "MON", 0, "I1", "fr")])

    seating.fill()

    planned = seating.planned()
    assert [(s.halfday, s.fixed, dict(s.attendees)) for s in planned] == [
        (0, True, {"U1|fr|1": 2}),
        (3, False, {"U1|fr|1": 2, "U1|fr|0": 2}),
    ]
    assert seating.leftover() == {"U1|fr|0": 4}


def test_the_repair_opens_sessions_in_the_first_free_slots(instance):
    """No slots at all: the repair opens the instructor's half-days 0 and 3 of week 0 and
    half-day 0 of week 1, 4 people each (the unit rule), pilot wave first."""
    seating = Seating(instance, {"U1|fr|1": 4, "U1|fr|0": 8})

    seating.fill()
    seating.repair()

    assert seating.leftover() == {}
    assert seated(seating) == [(0, 0, {"U1|fr|1": 4}), (0, 3, {"U1|fr|0": 4}), (1, 0, {"U1|fr|0": 4})]


def test_the_repair_stops_at_max_weeks_and_keeps_the_rest_as_left_over(instance):
    seating = Seating(small(max_weeks=1), {"U1|fr|1": 4, "U1|fr|0": 8})

    seating.repair()

    assert seating.leftover() == {"U1|fr|0": 4}
