"""The rollout's calendar: when sessions take place and which days are closed.

A session is a morning (09:00 to 12:30) or an afternoon (13:30 to 17:00) in Brussels time. No session is
held on a weekend, a Belgian public holiday (from the ``holidays`` package) or a closing day, which
applies everywhere or in one region.
"""

from __future__ import annotations

import datetime
from functools import cache
from zoneinfo import ZoneInfo

import holidays
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from deonto.people.models import Region
from deonto.rollout.models import ClosingDay, HalfDay, Session

BRUSSELS = ZoneInfo("Europe/Brussels")

HALF_DAY_TIMES: dict[str, tuple[datetime.time, datetime.time]] = {
    HalfDay.MORNING: (datetime.time(9, 0), datetime.time(12, 30)),
    HalfDay.AFTERNOON: (datetime.time(13, 30), datetime.time(17, 0)),
}


def half_day_times(day: datetime.date, half_day: str) -> tuple[datetime.datetime, datetime.datetime]:
    """The start and end of a half-day, as aware datetimes in Brussels time."""
    start, end = HALF_DAY_TIMES[half_day]
    return (
        datetime.datetime.combine(day, start, tzinfo=BRUSSELS),
        datetime.datetime.combine(day, end, tzinfo=BRUSSELS),
    )


def session_times(session: Session) -> tuple[datetime.datetime, datetime.datetime]:
    return half_day_times(session.date, session.half_day)


HOLIDAY_LANGUAGES = {"nl": "nl", "fr": "fr", "en": "en_US"}


@cache
def _belgian_holidays(year: int, language: str) -> dict[datetime.date, str]:
    return dict(holidays.country_holidays("BE", years=year, language=language).items())


def public_holiday(day: datetime.date) -> str | None:
    """The name of the Belgian public holiday on that day, in the active language, if it is one."""
    language = HOLIDAY_LANGUAGES.get((get_language() or "nl")[:2], "nl")
    return _belgian_holidays(day.year, language).get(day)


def is_closed(day: datetime.date, region: Region | int | None = None) -> str | None:
    """Why no session can be held on that day (in that region), or None when it is a working day."""
    if day.weekday() >= 5:
        return _("%(date)s is a weekend day.") % {"date": date_format(day)}
    holiday = public_holiday(day)
    if holiday:
        return _("%(date)s is a public holiday (%(name)s).") % {"date": date_format(day), "name": holiday}
    region_id = region.pk if isinstance(region, Region) else region
    closing = (
        ClosingDay.objects.filter(date=day)
        .filter(Q(region__isnull=True) | Q(region_id=region_id))
        .order_by("region_id")
        .first()
    )
    if closing is not None:
        return _("%(date)s is a closing day (%(reason)s).") % {
            "date": date_format(day),
            "reason": closing.reason,
        }
    return None


def business_days_before(day: datetime.date, n: int) -> datetime.date:
    """The working day ``n`` working days before ``day``: weekends, public holidays and closing days
    that apply everywhere are skipped."""
    window_start = day - datetime.timedelta(days=n * 3 + 30)
    closed = set(
        ClosingDay.objects.filter(region__isnull=True, date__gte=window_start, date__lt=day).values_list(
            "date", flat=True
        )
    )
    current = day
    remaining = n
    while remaining > 0:
        current -= datetime.timedelta(days=1)
        if current.weekday() < 5 and public_holiday(current) is None and current not in closed:
            remaining -= 1
    return current
