"""The demo data: the generator (no database) and the seed_demo and demo_logins commands."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.db.models import Max, Sum
from django.test import RequestFactory
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from deonto.accounts.models import User
from deonto.accounts.roles import Role
from deonto.people.demo import (
    DEFAULT_SEED,
    DEMO_PASSWORD,
    DemoRoster,
    roster_fingerprint,
    roster_generate,
)
from deonto.people.models import Employee, OrgUnit, Region, Site
from deonto.postcheck.models import CategoryCount

TODAY = date(2026, 11, 24)
SMALL = 600


@pytest.fixture(scope="module")
def default_roster() -> DemoRoster:
    return roster_generate(today=TODAY)


@pytest.fixture(scope="module")
def small_roster() -> DemoRoster:
    return roster_generate(employees=SMALL, today=TODAY)


@pytest.fixture
def debug_on(settings, tmp_path):
    settings.DEBUG = True
    settings.DATA_DIR = tmp_path  # the demo's integrity evidence goes to the test's own vault


def _seed(**options) -> str:
    out = StringIO()
    call_command("seed_demo", employees=SMALL, stdout=out, **options)
    return out.getvalue()


def test_generator_gives_the_same_roster_for_the_same_seed(small_roster):
    again = roster_generate(employees=SMALL, today=TODAY)
    other = roster_generate(employees=SMALL, seed=DEFAULT_SEED + 1, today=TODAY)

    assert roster_fingerprint(again) == roster_fingerprint(small_roster)
    assert [e.personnel_number for e in again.employees] == [
        e.personnel_number for e in small_roster.employees
    ]
    assert roster_fingerprint(other) != roster_fingerprint(small_roster)


def test_default_roster_has_about_300_units_over_eight_regions(default_roster):
    units = default_roster.units
    codes = [unit.code for unit in units]
    parents = {unit.parent_code for unit in units}

    assert {region.code for region in default_roster.regions} == {
        "ANT",
        "GNT",
        "LEU",
        "HAS",
        "BRU",
        "LIE",
        "MON",
        "NAM",
    }
    assert 280 <= len(units) <= 320
    assert len(default_roster.employees) == 4500
    assert len(set(codes)) == len(codes)
    assert max(len(code) for code in codes) <= 32
    assert sum(unit.parent_code is None for unit in units) == 1
    assert all(unit.site_code for unit in units if unit.code not in parents)
    sites_per_region = Counter(site.region_code for site in default_roster.sites)
    assert all(2 <= count <= 4 for count in sites_per_region.values())
    assert {"ANT-PORT", "BRU-AIRP", "LIE-AIRP", "GNT-ZEEB", "LIE-EUP"} <= {
        s.code for s in default_roster.sites
    }


@pytest.mark.parametrize("size", [SMALL, 4500])
def test_language_shares_follow_the_regions(size):
    roster = roster_generate(employees=size, today=TODAY)
    shares = {lang: count / size for lang, count in Counter(e.language for e in roster.employees).items()}
    german_sites = Counter(e.site_code for e in roster.employees if e.language == "de")

    assert 0.55 <= shares["nl"] <= 0.65
    assert 0.33 <= shares["fr"] <= 0.43
    assert 0.005 <= shares["de"] <= 0.04
    assert german_sites["LIE-EUP"] + german_sites["LIE-E40"] >= 0.8 * german_sites.total()


@pytest.mark.parametrize("size", [SMALL, 4500])
def test_armed_officers_are_about_a_third_and_work_in_operational_units(size):
    roster = roster_generate(employees=size, today=TODAY)
    operational = {unit.code for unit in roster.units if unit.is_operational}
    armed = [e for e in roster.employees if e.is_armed]

    assert 0.25 <= len(armed) / size <= 0.35
    assert sum(e.unit_code in operational for e in armed) / len(armed) >= 0.97


def test_generated_employees_look_like_a_real_roster(default_roster):
    employees = default_roster.employees
    numbers = [e.personnel_number for e in employees]
    emails = [e.email for e in employees]
    inactive = [e for e in employees if not e.is_active]

    assert len(set(numbers)) == len(numbers)
    assert all(len(number) == 6 and number.isdigit() for number in numbers)
    assert len(set(emails)) == len(emails)
    assert all(email.isascii() and email.endswith("@demo.deonto.test") for email in emails)
    assert all(TODAY - timedelta(days=35 * 366) <= e.start_date <= TODAY for e in employees)
    assert 0.01 <= len(inactive) / len(employees) <= 0.1
    assert all(e.end_date is not None and e.start_date <= e.end_date <= TODAY for e in inactive)
    assert all(e.end_date is None for e in employees if e.is_active)
    names = "".join(f"{e.first_name}{e.last_name}" for e in employees)
    assert {"é", "ë", "ö"} <= set(names)
    assert len({(e.first_name, e.last_name) for e in employees}) > 2000


@pytest.mark.django_db
def test_seed_demo_writes_the_generated_roster(debug_on):
    output = _seed()

    expected = roster_generate(employees=SMALL, today=timezone.localdate())
    rows = Employee.objects.order_by("personnel_number").values_list(
        "personnel_number", "first_name", "last_name"
    )
    assert list(rows) == sorted((e.personnel_number, e.first_name, e.last_name) for e in expected.employees)
    assert Region.objects.count() == 8
    assert Site.objects.count() == len(expected.sites)
    assert OrgUnit.objects.count() == len(expected.units)
    unit = OrgUnit.objects.get(code="OPS-LIE-BMC3")
    stored_path = unit.path
    unit.save()
    assert unit.path == stored_path == "/AGD/OPS/OPS-LIE/OPS-LIE-BMC3/"
    assert "Demo data added" in output
    found = CategoryCount.objects.aggregate(found=Sum("count"))["found"]
    assert found and f"Post check statistics: {found} findings over the last 365 days" in output


@pytest.mark.django_db
def test_seed_demo_creates_one_login_per_role_with_the_demo_password(debug_on):
    _seed()
    request = RequestFactory().post("/accounts/login/")
    languages = {
        "employee": "nl",
        "instructor": "fr",
        "coordinator": "nl",
        "manager": "fr",
        "inspector": "nl",
        "head_of_service": "fr",
    }

    for role in Role.values:
        user = authenticate(request, username=role, password=DEMO_PASSWORD)
        assert user is not None, role
        assert user.roles == {role}
        assert user.email == f"{role}@demo.deonto.test"
        assert user.language == languages.get(role, "en")
        assert user.employee.email == user.email
        assert user.employee.is_active
    assert not TOTPDevice.objects.exists()


@pytest.mark.django_db
def test_the_demo_manager_manages_three_units_in_one_region(debug_on):
    _seed()
    manager = User.objects.get(username="manager")

    units = list(manager.managed_units.select_related("site"))
    assert len(units) == 3
    assert len({unit.site.region_id for unit in units}) == 1
    assert manager.employee.unit in units


@pytest.mark.django_db
def test_second_run_changes_nothing(debug_on):
    _seed()
    before = (Employee.objects.count(), OrgUnit.objects.count(), User.objects.count())
    last_change = Employee.objects.aggregate(last=Max("updated_at"))["last"]

    output = _seed(seed=1)

    assert "Nothing changed" in output
    assert (Employee.objects.count(), OrgUnit.objects.count(), User.objects.count()) == before
    assert Employee.objects.aggregate(last=Max("updated_at"))["last"] == last_change


@pytest.mark.django_db
def test_seed_demo_leaves_a_database_with_a_roster_alone(debug_on):
    unit = OrgUnit.objects.create(code="REAL", name="Real unit")
    Employee.objects.create(personnel_number="1", first_name="A", last_name="B", language="nl", unit=unit)

    output = _seed()

    assert "1 employees" in output
    assert Employee.objects.count() == 1
    assert not User.objects.filter(username__in=Role.values).exists()


@pytest.mark.django_db
def test_seed_demo_refuses_when_debug_is_off_without_the_flag(settings, tmp_path):
    settings.DEBUG = False
    settings.DATA_DIR = tmp_path

    with pytest.raises(CommandError, match="--allow-production"):
        _seed()
    assert not Employee.objects.exists()
    assert not User.objects.exists()

    _seed(allow_production=True)
    assert Employee.objects.count() == SMALL


@pytest.mark.django_db
def test_demo_logins_lists_every_role(debug_on):
    _seed()
    out = StringIO()

    call_command("demo_logins", url="http://demo.example.test/", stdout=out)

    text = out.getvalue()
    assert "http://demo.example.test/" in text
    lines = text.splitlines()
    for role in Role.values:
        line = next(line for line in lines if role in line.split())
        assert DEMO_PASSWORD in line
        assert ("two-factor" in line) == (role in ("inspector", "head_of_service", "administrator"))
    assert "missing" not in text
