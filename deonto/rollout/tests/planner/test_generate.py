from __future__ import annotations

from collections import Counter

import pytest

from deonto.rollout.planner.generate import generate
from deonto.rollout.planner.instance import dump_instance, load_instance
from deonto.rollout.planner.problems import find_problems


@pytest.fixture(scope="module")
def ministry():
    return generate(22_000, seed=7)


def test_the_same_seed_gives_the_same_instance_and_another_seed_another():
    assert generate(4_500, seed=3) == generate(4_500, seed=3)
    assert generate(4_500, seed=3) != generate(4_500, seed=4)


@pytest.mark.parametrize("people", [10, 137, 4_500])
def test_the_instance_holds_exactly_the_people_asked_for_and_survives_its_json_form(people):
    instance = generate(people, seed=1)

    assert sum(group.count for group in instance.groups) == people
    assert load_instance(dump_instance(instance)) == instance


@pytest.mark.parametrize(("people", "seed"), [(137, 1), (4_500, 1), (4_500, 2), (4_500, 3), (65_000, 1)])
def test_every_region_and_language_with_people_has_an_instructor_within_the_limits(people, seed):
    instance = generate(people, seed)

    assert find_problems(instance)[0] == []
    assert all(1 <= len(i.languages) <= 2 for i in instance.instructors)
    assert all(1 <= len(i.regions) <= 3 for i in instance.instructors)
    assert all(2 <= len(i.halfdays) <= 6 for i in instance.instructors)


def test_regions_rooms_and_units_are_shaped_like_a_customs_administration(ministry):
    assert 10 <= len(ministry.regions) <= 30
    assert all(1 <= region.rooms <= 3 for region in ministry.regions)
    assert all(5 <= unit.size <= 120 for unit in ministry.units)
    people_per_unit = Counter()
    for group in ministry.groups:
        people_per_unit[group.unit] += group.count
    assert all(people_per_unit[unit.id] == unit.size for unit in ministry.units)
    assert (ministry.session_capacity, ministry.unit_away_share) == (16, 0.2)


def test_languages_are_mostly_dutch_and_french_with_german_in_one_or_two_regions(ministry):
    people = Counter()
    german_regions = set()
    for group in ministry.groups:
        people[group.language] += group.count
        if group.language == "de":
            german_regions.add(ministry.unit(group.unit).region)
    assert 0.50 <= people["nl"] / 22_000 <= 0.60
    assert 0.35 <= people["fr"] / 22_000 <= 0.45
    assert 0.02 <= people["de"] / 22_000 <= 0.06
    assert 1 <= len(german_regions) <= 2


def test_about_a_third_is_in_the_pilot_wave_concentrated_in_some_units(ministry):
    pilot = Counter()
    for group in ministry.groups:
        if group.pilot:
            pilot[group.unit] += group.count
    share = sum(pilot.values()) / 22_000
    assert 0.25 <= share <= 0.42
    mostly_pilot = [unit for unit in ministry.units if pilot[unit.id] >= 0.5 * unit.size]
    assert len(mostly_pilot) < len(ministry.units) / 2


def test_instructors_are_scarce_so_the_rollout_takes_months(ministry):
    sessions_a_week = sum(len(i.halfdays) for i in ministry.instructors)
    assert 22_000 / 16 / sessions_a_week >= 8


def test_fewer_than_ten_people_is_refused():
    with pytest.raises(ValueError, match="at least 10 people"):
        generate(9, seed=1)
