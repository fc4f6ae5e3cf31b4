"""The calendar: session times in Brussels, closed days and working days before a date."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from deonto.people.tests.factories import RegionFactory
from deonto.rollout.calendar import business_days_before, is_closed, session_times
from deonto.rollout.models import ClosingDay, HalfDay, Session

BRUSSELS = ZoneInfo("Europe/Brussels")


def test_a_morning_session_runs_from_nine_to_half_past_twelve_brussels_time() -> None:
    session = Session(date=datetime.date(2026, 12, 2), half_day=HalfDay.MORNING)

    start, end = session_times(session)

    assert start == datetime.datetime(2026, 12, 2, 9, 0, tzinfo=BRUSSELS)
    assert end == datetime.datetime(2026, 12, 2, 12, 30, tzinfo=BRUSSELS)
    assert start.utcoffset() == datetime.timedelta(hours=1)


def test_an_afternoon_session_in_summer_runs_from_half_past_one_to_five_summer_time() -> None:
    start, end = session_times(Session(date=datetime.date(2026, 6, 10), half_day=HalfDay.AFTERNOON))

    assert (start.hour, start.minute, end.hour, end.minute) == (13, 30, 17, 0)
    assert start.utcoffset() == datetime.timedelta(hours=2)


@pytest.mark.django_db
def test_a_weekday_without_holiday_or_closing_is_open() -> None:
    assert is_closed(datetime.date(2026, 12, 2)) is None


@pytest.mark.django_db
def test_weekends_are_closed() -> None:
    assert "is a weekend day" in str(is_closed(datetime.date(2026, 12, 5)))
    assert "weekend" in str(is_closed(datetime.date(2026, 12, 6)))


@pytest.mark.django_db
def test_belgian_public_holidays_are_closed_and_named_in_the_reader_language() -> None:
    national_day = datetime.date(2026, 7, 21)

    assert "public holiday" in str(is_closed(national_day))
    with translation.override("fr"):
        assert "Fête nationale" in str(is_closed(national_day))
    with translation.override("nl"):
        assert "Nationale feestdag" in str(is_closed(national_day))


@pytest.mark.django_db
def test_a_closing_day_everywhere_closes_every_region() -> None:
    region = RegionFactory()
    ClosingDay.objects.create(date=datetime.date(2026, 12, 24), reason="Christmas Eve")

    assert "closing day (Christmas Eve)" in str(is_closed(datetime.date(2026, 12, 24)))
    assert "closing day" in str(is_closed(datetime.date(2026, 12, 24), region))


@pytest.mark.django_db
def test_a_regional_closing_day_closes_only_that_region() -> None:
    closed, open_ = RegionFactory(), RegionFactory()
    ClosingDay.objects.create(date=datetime.date(2026, 12, 3), region=closed, reason="Move")

    assert "closing day (Move)" in str(is_closed(datetime.date(2026, 12, 3), closed))
    assert "closing day" in str(is_closed(datetime.date(2026, 12, 3), closed.pk))
    assert is_closed(datetime.date(2026, 12, 3), open_) is None
    assert is_closed(datetime.date(2026, 12, 3)) is None


@pytest.mark.django_db
def test_business_days_before_skip_weekends() -> None:
    # Wednesday 2 December 2026: three working days before is Friday 27 November.
    assert business_days_before(datetime.date(2026, 12, 2), 3) == datetime.date(2026, 11, 27)


@pytest.mark.django_db
def test_business_days_before_skip_public_holidays_and_closing_days() -> None:
    # Thursday 12 November 2026, the day after Armistice Day (Wednesday 11 November).
    assert business_days_before(datetime.date(2026, 11, 12), 1) == datetime.date(2026, 11, 10)
    ClosingDay.objects.create(date=datetime.date(2026, 11, 10), reason="Closed")
    assert business_days_before(datetime.date(2026, 11, 12), 1) == datetime.date(2026, 11, 9)


@pytest.mark.django_db
def test_business_days_before_ignore_regional_closing_days() -> None:
    ClosingDay.objects.create(date=datetime.date(2026, 12, 1), region=RegionFactory(), reason="Local")

    assert business_days_before(datetime.date(2026, 12, 2), 1) == datetime.date(2026, 12, 1)
