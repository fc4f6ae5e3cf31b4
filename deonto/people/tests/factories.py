"""Factories for the roster: regions, sites, units (a tree) and employees."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from deonto.people.models import Employee, OrgUnit, Region, Site, StaffLanguage


class RegionFactory(DjangoModelFactory[Region]):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"R{n:02d}")
    name_nl = factory.LazyAttribute(lambda region: f"Regio {region.code}")
    name_fr = factory.LazyAttribute(lambda region: f"Région {region.code}")
    name_en = factory.LazyAttribute(lambda region: f"Region {region.code}")


class SiteFactory(DjangoModelFactory[Site]):
    class Meta:
        model = Site
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"S{n:03d}")
    name = factory.LazyAttribute(lambda site: f"Site {site.code}")
    region = factory.SubFactory(RegionFactory)


class OrgUnitFactory(DjangoModelFactory[OrgUnit]):
    class Meta:
        model = OrgUnit
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"U-{n:03d}")
    name = factory.LazyAttribute(lambda unit: f"Unit {unit.code}")
    parent = None
    site = factory.SubFactory(SiteFactory)


class EmployeeFactory(DjangoModelFactory[Employee]):
    class Meta:
        model = Employee

    personnel_number = factory.Sequence(lambda n: f"{100000 + n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda e: f"{e.personnel_number}@example.test")
    language = StaffLanguage.DUTCH
    unit = factory.SubFactory(OrgUnitFactory)
    site = factory.LazyAttribute(lambda e: e.unit.site)
    function = "Douanier"
    is_armed = False
    is_active = True
