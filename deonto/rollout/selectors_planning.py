"""Reads for the coordinator's planning pages: campaigns with their waves and sizes, rooms,
instructors, closing days. Only coordinators reach these pages; the views check that first."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import cache

import holidays
from django.db.models import Count, Q, QuerySet

from deonto.people.models import Employee
from deonto.rollout.calendar import HOLIDAY_LANGUAGES
from deonto.rollout.models import Campaign, ClosingDay, Instructor, Room, SessionStatus, Wave
from deonto.rollout.selectors import employees_with_wave, wave_rules


def campaigns_overview() -> QuerySet[Campaign]:
    return (
        Campaign.objects.select_related("course")
        .annotate(
            wave_count=Count("waves", distinct=True),
            session_count=Count(
                "sessions", filter=~Q(sessions__status=SessionStatus.CANCELLED), distinct=True
            ),
        )
        .order_by("-starts_on", "name")
    )


@dataclass(frozen=True)
class WaveSize:
    wave: Wave
    members: int


def waves_with_sizes(*, campaign: Campaign) -> list[WaveSize]:
    """The campaign's waves in order, each with the number of active people in it (two queries
    for the sizes, whatever the number of waves)."""
    rules = wave_rules(campaign=campaign)
    if not rules:
        return []
    sizes = dict(
        employees_with_wave(campaign=campaign)
        .order_by()
        .values_list("wave_id")  # type: ignore[misc]
        .annotate(n=Count("id"))
    )
    return [WaveSize(wave=wave, members=sizes.get(wave.pk, 0)) for wave, _rule in rules]


def rule_match_count(
    *,
    campaign: Campaign,
    armed_only: bool,
    region_ids: list[int],
    unit_paths: list[str],
    languages: list[str],
    functions: list[str],
    order: int,
    exclude: Wave | None = None,
) -> tuple[int, int]:
    """For a wave being written: how many active people match the rule, and how many of them are
    not in an earlier wave (those are the wave's members once saved)."""
    rule = Q(is_active=True)
    if armed_only:
        rule &= Q(is_armed=True)
    if region_ids:
        rule &= Q(site__region_id__in=region_ids)
    if unit_paths:
        under = Q()
        for path in unit_paths:
            under |= Q(unit__path__startswith=path)
        rule &= under
    if languages:
        rule &= Q(language__in=languages)
    if functions:
        rule &= Q(function__in=functions)
    earlier = Q(pk__in=[])
    for wave, _condition in wave_rules(campaign=campaign):
        if wave.order < order and (exclude is None or wave.pk != exclude.pk):
            earlier |= wave.rule_q()
    counts = Employee.objects.filter(rule).aggregate(
        matching=Count("id"), members=Count("id", filter=~earlier)
    )
    return counts["matching"], counts["members"]


def rooms_overview() -> QuerySet[Room]:
    return Room.objects.select_related("site__region").order_by("site__name", "name")


def instructors_overview() -> QuerySet[Instructor]:
    return (
        Instructor.objects.select_related("employee")
        .prefetch_related("regions", "availabilities")
        .order_by("employee__last_name", "employee__first_name")
    )


def closing_days_of(year: int) -> QuerySet[ClosingDay]:
    return ClosingDay.objects.filter(date__year=year).select_related("region").order_by("date")


@cache
def public_holidays_of(year: int, language: str) -> tuple[tuple[datetime.date, str], ...]:
    """The Belgian public holidays of the year, named in the reader's language."""
    names = holidays.country_holidays("BE", years=year, language=HOLIDAY_LANGUAGES.get(language[:2], "nl"))
    return tuple(sorted(names.items()))
