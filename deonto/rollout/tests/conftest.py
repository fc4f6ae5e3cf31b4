"""Fixtures of the rollout tests: English messages, and a small region ready for planning."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import translation

from deonto.people.models import Employee, OrgUnit, Region, Site
from deonto.people.tests.factories import EmployeeFactory, OrgUnitFactory, RegionFactory, SiteFactory
from deonto.rollout.models import Campaign, Instructor, Room
from deonto.rollout.tests.factories import (
    CampaignFactory,
    InstructorFactory,
    RoomFactory,
    working_day,
)


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Messages are compared in English; tests of other languages override it."""
    with translation.override("en"):
        yield


@dataclass
class Setting:
    """One region with a site, a room of 10 seats, a Dutch-speaking instructor available every
    half-day, a unit of 20 active Dutch-speaking employees (so the unit rule allows 4 a day) and a
    campaign; ``day`` is a Wednesday ahead on which sessions can be planned."""

    region: Region
    site: Site
    room: Room
    instructor: Instructor
    unit: OrgUnit
    people: list[Employee]
    campaign: Campaign
    day: datetime.date


@pytest.fixture
def setting(db: Any) -> Setting:
    region = RegionFactory(code="ANT")
    site = SiteFactory(code="ANR", name="Antwerpen", region=region)
    unit = OrgUnitFactory(code="ANR-01", name="Antwerpen 1", site=site)
    return Setting(
        region=region,
        site=site,
        room=RoomFactory(site=site, name="Schelde", capacity=10),
        instructor=InstructorFactory(regions=[region]),
        unit=unit,
        people=EmployeeFactory.create_batch(20, unit=unit, site=site),
        campaign=CampaignFactory(name="Social media"),
        day=working_day(),
    )
