"""The rollout's progress: how far each wave, region, unit and language is, the sessions held and
ahead, the burn-up over time and the date at which each wave will be complete.

Every figure comes from a handful of aggregate queries over the campaign's audience. Wave
membership is one SQL ``CASE`` built from the waves' rules in their order (an employee belongs to
the first wave whose rule they match), so nothing is computed per employee in Python.

Who counts as trained: an enrolment of the campaign with status attended, or, when the campaign
says e-learning alone completes it, a completion of the campaign's course on or after its start.

Who is not yet scheduled: not trained, and no enrolment that holds a seat in a session or waits
for one (proposed, invited, accepted or waitlisted with a session). This is the contract's
meaning (no enrolment; proposed without a session; declined) plus the people who were absent or
excused: they too still need a session.

The forecast rule: a published session ahead is expected to train ``fill rate times capacity`` people,
where the fill rate is the share of the seats of the campaign's held sessions that ended in
attendance (``DEFAULT_FILL_RATE`` until a session has been held). Per language, the sessions ahead
in date order serve the waves in their order; a wave is complete on the date of the session at
which the expected trainees cover everyone of that wave (and of the waves before it) still to be
trained, in every language it has people in. When the published sessions cannot cover them, the
wave has no forecast date ("never" on the page). The forecast is about the whole wave, so a
manager sees the same dates as a coordinator.

Sessions and seats are the campaign's, not a unit's: a manager sees them whole, and the people
figures of their own units only.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import (
    Case,
    Count,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Least, TruncDate
from django.utils import timezone

from deonto.people.models import Employee, OrgUnit, Region, Site, StaffLanguage
from deonto.rollout import permissions
from deonto.rollout.models import (
    SEAT_HOLDING,
    Campaign,
    Enrolment,
    EnrolmentEvent,
    EnrolmentStatus,
    Session,
    SessionStatus,
    Wave,
)
from deonto.training.models import Completion

BRUSSELS = ZoneInfo("Europe/Brussels")
DEFAULT_FILL_RATE = 0.8
SCHEDULED_STATUSES = (*SEAT_HOLDING, EnrolmentStatus.WAITLISTED)


@dataclass(frozen=True)
class Share:
    """People of a group (a wave, region, unit or language) and how many of them are trained."""

    key: Any
    label: str
    audience: int
    trained: int

    @property
    def percent(self) -> int:
        return round(self.trained * 100 / self.audience) if self.audience else 0

    @property
    def remaining(self) -> int:
        return self.audience - self.trained


@dataclass(frozen=True)
class WaveProgress:
    wave: Wave
    share: Share
    not_scheduled: int
    past_due: int
    forecast_on: datetime.date | None
    is_complete: bool
    short_languages: list[str]

    @property
    def is_never(self) -> bool:
        return not self.is_complete and self.forecast_on is None

    @property
    def is_late(self) -> bool:
        deadline = self.wave.deadline
        if deadline is None or self.is_complete:
            return False
        return self.forecast_on is None or self.forecast_on > deadline


@dataclass(frozen=True)
class BurnUp:
    """Trained people, cumulative per week (Mondays), per wave."""

    weeks: list[datetime.date]
    series: list[tuple[Wave, int, list[int]]]  # wave, its audience, cumulative trained per week
    today: datetime.date
    forecasts: list[tuple[Wave, datetime.date | None]]

    @property
    def maximum(self) -> int:
        return max((audience for _wave, audience, _counts in self.series), default=0)

    def rows(self) -> Iterator[tuple[datetime.date, list[int]]]:
        for index, week in enumerate(self.weeks):
            yield week, [counts[index] for _wave, _audience, counts in self.series]


@dataclass(frozen=True)
class Progress:
    campaign: Campaign
    today: datetime.date
    scoped: bool
    total: Share
    waves: list[WaveProgress]
    regions: list[Share]
    units: list[Share]
    languages: list[Share]
    not_scheduled: int
    no_shows: int
    past_due: int
    sessions_held: int
    sessions_ahead: int
    sessions_draft: int
    seats_ahead: int
    seats_filled: int
    fill_rate: float
    fill_rate_observed: bool
    burnup: BurnUp

    @property
    def seats_filled_percent(self) -> int:
        return round(self.seats_filled * 100 / self.seats_ahead) if self.seats_ahead else 0

    @property
    def fill_rate_percent(self) -> int:
        return round(self.fill_rate * 100)


# The audience as one query -----------------------------------------------------------------------


def campaign_waves(campaign: Campaign) -> list[Wave]:
    return list(campaign.waves.order_by("order").prefetch_related("regions", "units"))


def wave_case(waves: Iterable[Wave]) -> Case:
    """The id of the first wave, in order, whose rule an employee matches (NULL when none)."""
    whens = [When(wave.rule_q(), then=Value(wave.pk)) for wave in waves]
    return Case(*whens, default=None, output_field=IntegerField())


def _trained_q(campaign: Campaign) -> Q:
    trained = Q(campaign_enrolment__status=EnrolmentStatus.ATTENDED)
    if campaign.elearning_completes:
        trained |= Q(completed_on__isnull=False)
    return trained


def _not_scheduled_q(campaign: Campaign) -> Q:
    scheduled = Q(
        campaign_enrolment__status__in=SCHEDULED_STATUSES, campaign_enrolment__session__isnull=False
    )
    return ~_trained_q(campaign) & ~scheduled


def audience(*, campaign: Campaign, waves: list[Wave], viewer: Any | None = None) -> QuerySet[Any]:
    """The campaign's audience, seen by ``viewer`` (everyone when None), each employee annotated
    with ``wave_id``, their enrolment of the campaign (``campaign_enrolment``), ``trained_on``,
    ``is_trained`` and ``is_not_scheduled``."""
    employees = Employee.objects.filter(is_active=True)
    if viewer is not None and not permissions.sees_all_progress(viewer):
        employees = employees.filter(unit__in=permissions.progress_units_for(viewer).values("pk"))
    if not waves:
        return employees.none()
    employees = employees.annotate(
        wave_id=wave_case(waves),
        campaign_enrolment=FilteredRelation("enrolments", condition=Q(enrolments__campaign=campaign)),
    ).filter(wave_id__isnull=False)
    attended_on = Case(
        When(
            campaign_enrolment__status=EnrolmentStatus.ATTENDED, then=F("campaign_enrolment__session__date")
        ),
        default=None,
    )
    if campaign.elearning_completes:
        completions = Completion.objects.filter(
            user=OuterRef("user"),
            course=campaign.course,
            completed_at__gte=datetime.datetime.combine(campaign.starts_on, datetime.time(), tzinfo=BRUSSELS),
        ).order_by("completed_at")
        employees = employees.annotate(
            completed_on=Subquery(
                completions.annotate(on=TruncDate("completed_at", tzinfo=BRUSSELS)).values("on")[:1]
            )
        )
        # LEAST ignores NULLs on PostgreSQL but not on SQLite: fall back to whichever is set.
        trained_on: Any = Coalesce(Least(attended_on, F("completed_on")), attended_on, F("completed_on"))
    else:
        trained_on = attended_on
    return employees.annotate(
        trained_on=trained_on,
        is_trained=Case(
            When(_trained_q(campaign), then=Value(1)), default=Value(0), output_field=IntegerField()
        ),
        is_not_scheduled=Case(
            When(_not_scheduled_q(campaign), then=Value(1)), default=Value(0), output_field=IntegerField()
        ),
    )


@dataclass(frozen=True)
class TrainedSoFar:
    """How many of the people a viewer follows the campaign has trained, for the home page."""

    campaign: Campaign
    trained: int
    people: int

    @property
    def percent(self) -> int:
        return round(100 * self.trained / self.people) if self.people else 0


def trained_so_far(*, viewer: Any) -> TrainedSoFar | None:
    """The campaign the progress page opens on (the newest active one), counted over the people `viewer` sees
    there (a manager: their units); None without a campaign."""
    campaign = Campaign.objects.order_by("-is_active", "-starts_on", "name").first()
    if campaign is None:
        return None
    totals = audience(campaign=campaign, waves=campaign_waves(campaign), viewer=viewer).aggregate(
        people=Count("pk"), trained=Sum("is_trained")
    )
    return TrainedSoFar(campaign=campaign, trained=totals["trained"] or 0, people=totals["people"])


def not_scheduled(
    *,
    campaign: Campaign,
    viewer: Any,
    wave: Wave | None = None,
    region: Region | None = None,
    unit: OrgUnit | None = None,
    language: str = "",
    query: str = "",
) -> QuerySet[Any]:
    """The people of the audience still without a session, for the paginated list."""
    waves = campaign_waves(campaign)
    people = audience(campaign=campaign, waves=waves, viewer=viewer).filter(is_not_scheduled=1)
    if wave is not None:
        people = people.filter(wave_id=wave.pk)
    if region is not None:
        people = people.filter(site__region=region)
    if unit is not None:
        people = people.filter(unit__path__startswith=unit.path)
    if language:
        people = people.filter(language=language)
    for term in query.split():
        people = people.filter(
            Q(personnel_number__icontains=term) | Q(first_name__icontains=term) | Q(last_name__icontains=term)
        )
    return people.select_related("unit", "site__region").order_by("wave_id", "last_name", "first_name", "pk")


# The figures -------------------------------------------------------------------------------------


def _monday(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def _shares(totals: dict[Any, list[int]], labels: dict[Any, str]) -> list[Share]:
    return [
        Share(key=key, label=labels.get(key, "—"), audience=counts[0], trained=counts[1])
        for key, counts in totals.items()
    ]


def wave_forecast(
    *,
    waves: list[Wave],
    remaining: dict[tuple[int, str], int],
    sessions: list[tuple[datetime.date, str, int]],
    fill_rate: float,
) -> dict[tuple[int, str], datetime.date | None]:
    """Per wave and language with people still to train, the date at which the published sessions
    ahead cover them (see the module's docstring); None when they cannot."""
    by_language: dict[str, list[tuple[datetime.date, int]]] = defaultdict(list)
    for day, language, capacity in sessions:
        by_language[language].append((day, capacity))
    forecast: dict[tuple[int, str], datetime.date | None] = {}
    for language in sorted({language for _wave, language in remaining}):
        ahead = iter(by_language.get(language, []))
        expected, needed, reached, exhausted = 0.0, 0, None, False
        for wave in waves:
            still = remaining.get((wave.pk, language), 0)
            needed += still
            while expected + 1e-9 < needed and not exhausted:
                step = next(ahead, None)
                if step is None:
                    exhausted = True
                else:
                    reached, expected = step[0], expected + step[1] * fill_rate
            if still:
                forecast[(wave.pk, language)] = reached if expected + 1e-9 >= needed else None
    return forecast


def _wave_completion(
    wave: Wave, forecast: dict[tuple[int, str], datetime.date | None]
) -> tuple[datetime.date | None, list[str]]:
    """The date the wave is complete (the latest of its languages'), and the languages the
    published sessions cannot cover."""
    dates = {language: day for (wave_id, language), day in forecast.items() if wave_id == wave.pk}
    short = sorted(language for language, day in dates.items() if day is None)
    if short or not dates:
        return None, short
    return max(day for day in dates.values() if day is not None), short


ATTENDANCE_MARKS = (EnrolmentStatus.ATTENDED, EnrolmentStatus.ABSENT, EnrolmentStatus.EXCUSED)


def _absences(events: QuerySet[EnrolmentEvent]) -> Counter[int]:
    """Per employee, the sessions at which their last mark was absent, read from the enrolment
    events: the enrolment of someone proposed again after a no-show has moved on, its events not."""
    last: dict[tuple[int, int | None], str] = {}
    for employee_id, session_id, mark in (
        events.filter(to_status__in=ATTENDANCE_MARKS)
        .order_by("at", "pk")
        .values_list("enrolment__employee_id", "session_id", "to_status")
    ):
        last[(employee_id, session_id)] = mark
    return Counter(employee for (employee, _session), mark in last.items() if mark == EnrolmentStatus.ABSENT)


def absences_by_employee(*, campaign: Campaign) -> Counter[int]:
    """How many sessions of the campaign each employee was marked absent at (the exports)."""
    return _absences(EnrolmentEvent.objects.filter(enrolment__campaign=campaign))


def _earlier_no_shows(*, campaign: Campaign, people: QuerySet[Employee]) -> int:
    """How many of ``people`` are no longer marked absent but were at a session: someone proposed
    again after a no-show keeps counting as one (those still marked absent are counted from their
    enrolment)."""
    return len(
        _absences(
            EnrolmentEvent.objects.filter(
                enrolment__campaign=campaign, enrolment__employee__in=people.order_by().values("pk")
            ).exclude(enrolment__status=EnrolmentStatus.ABSENT)
        )
    )


def campaign_progress(*, campaign: Campaign, viewer: Any, today: datetime.date | None = None) -> Progress:
    """The dashboard's figures for ``viewer`` (a manager sees the people of their own units)."""
    today = today or timezone.localdate()
    waves = campaign_waves(campaign)
    scoped = not permissions.sees_all_progress(viewer)
    people = audience(campaign=campaign, waves=waves, viewer=viewer)

    groups = (
        people.order_by()
        .values("wave_id", "site_id", "unit_id", "language")
        .annotate(
            total=Count("pk"),
            trained=Sum("is_trained"),
            unscheduled=Sum("is_not_scheduled"),
            absent=Count("pk", filter=Q(campaign_enrolment__status=EnrolmentStatus.ABSENT)),
        )
    )
    by_wave: dict[Any, list[int]] = defaultdict(lambda: [0, 0, 0])
    by_site: dict[Any, list[int]] = defaultdict(lambda: [0, 0])
    by_unit: dict[Any, list[int]] = defaultdict(lambda: [0, 0])
    by_language: dict[Any, list[int]] = defaultdict(lambda: [0, 0])
    remaining: dict[tuple[int, str], int] = defaultdict(int)
    no_shows = _earlier_no_shows(campaign=campaign, people=people)
    for row in groups:
        total, trained = row["total"], row["trained"] or 0
        for totals, key in (
            (by_wave, row["wave_id"]),
            (by_site, row["site_id"]),
            (by_unit, row["unit_id"]),
            (by_language, row["language"]),
        ):
            totals[key][0] += total
            totals[key][1] += trained
        by_wave[row["wave_id"]][2] += row["unscheduled"] or 0
        remaining[(row["wave_id"], row["language"])] += total - trained
        no_shows += row["absent"]

    if scoped:
        # The forecast is the whole wave's: its people in every unit.
        remaining = defaultdict(int)
        whole = (
            audience(campaign=campaign, waves=waves)
            .order_by()
            .values("wave_id", "language")
            .annotate(total=Count("pk"), trained=Sum("is_trained"))
        )
        for row in whole:
            remaining[(row["wave_id"], row["language"])] += row["total"] - (row["trained"] or 0)

    sessions = dict.fromkeys(SessionStatus.values, (0, 0))
    for row in (
        Session.objects.filter(campaign=campaign)
        .exclude(status=SessionStatus.PUBLISHED, date__lt=today)
        .order_by()
        .values("status")
        .annotate(count=Count("pk"), seats=Sum("capacity"))
    ):
        sessions[row["status"]] = (row["count"], row["seats"] or 0)
    enrolment_counts = Enrolment.objects.filter(campaign=campaign).aggregate(
        filled=Count(
            "pk",
            filter=Q(
                session__status=SessionStatus.PUBLISHED, session__date__gte=today, status__in=SEAT_HOLDING
            ),
        ),
        attended_held=Count(
            "pk", filter=Q(session__status=SessionStatus.HELD, status=EnrolmentStatus.ATTENDED)
        ),
    )
    held_count, held_seats = sessions[SessionStatus.HELD]
    fill_rate_observed = held_seats > 0
    fill_rate = enrolment_counts["attended_held"] / held_seats if fill_rate_observed else DEFAULT_FILL_RATE

    ahead = list(
        Session.objects.filter(campaign=campaign, status=SessionStatus.PUBLISHED, date__gte=today)
        .order_by("date", "half_day")
        .values_list("date", "language", "capacity")
    )
    per_language = wave_forecast(waves=waves, remaining=remaining, sessions=ahead, fill_rate=fill_rate)
    completions = {wave.pk: _wave_completion(wave, per_language) for wave in waves}
    forecasts = {wave_id: on for wave_id, (on, _short) in completions.items()}
    language_names = {code: str(name) for code, name in StaffLanguage.choices}

    burnup = _burnup(
        campaign=campaign,
        waves=waves,
        people=people,
        audiences={wave.pk: by_wave[wave.pk][0] for wave in waves},
        today=today,
        forecasts=forecasts,
    )

    wave_progress = []
    for wave in waves:
        total, trained, unscheduled = by_wave.get(wave.pk, [0, 0, 0])
        complete = all(count == 0 for (wave_id, _language), count in remaining.items() if wave_id == wave.pk)
        past_due = total - trained if wave.deadline is not None and wave.deadline < today else 0
        wave_progress.append(
            WaveProgress(
                wave=wave,
                share=Share(key=wave.pk, label=wave.name, audience=total, trained=trained),
                not_scheduled=unscheduled,
                past_due=past_due,
                forecast_on=forecasts[wave.pk],
                short_languages=[language_names.get(code, code) for code in completions[wave.pk][1]],
                is_complete=complete,
            )
        )

    # Grouped by site (no join to regions in the big query); a site's region is looked up here.
    by_region: dict[Any, list[int]] = defaultdict(lambda: [0, 0])
    region_names: dict[Any, str] = {}
    site_regions = {
        site.pk: site.region
        for site in Site.objects.filter(pk__in=[k for k in by_site if k]).select_related("region")
    }
    for site_id, counts in by_site.items():
        region = site_regions.get(site_id)
        key = region.pk if region is not None else None
        by_region[key][0] += counts[0]
        by_region[key][1] += counts[1]
        if region is not None:
            region_names[key] = region.name
    unit_rows = (
        OrgUnit.objects.filter(pk__in=list(by_unit)).order_by("path").values_list("pk", "code", "name")
    )
    unit_order = [pk for pk, _code, _name in unit_rows]
    unit_labels = {pk: f"{code} · {name}" for pk, code, name in unit_rows}

    return Progress(
        campaign=campaign,
        today=today,
        scoped=scoped,
        total=Share(
            key=None,
            label="",
            audience=sum(counts[0] for counts in by_wave.values()),
            trained=sum(counts[1] for counts in by_wave.values()),
        ),
        waves=wave_progress,
        regions=sorted(_shares(by_region, region_names), key=lambda share: share.label),
        units=[
            Share(key=pk, label=unit_labels[pk], audience=by_unit[pk][0], trained=by_unit[pk][1])
            for pk in unit_order
        ],
        languages=sorted(
            _shares(by_language, language_names),
            key=lambda share: share.label,
        ),
        not_scheduled=sum(counts[2] for counts in by_wave.values()),
        no_shows=no_shows,
        past_due=sum(wave.past_due for wave in wave_progress),
        sessions_held=held_count,
        sessions_ahead=sessions[SessionStatus.PUBLISHED][0],
        sessions_draft=sessions[SessionStatus.DRAFT][0],
        seats_ahead=sessions[SessionStatus.PUBLISHED][1],
        seats_filled=enrolment_counts["filled"],
        fill_rate=fill_rate,
        fill_rate_observed=fill_rate_observed,
        burnup=burnup,
    )


def _burnup(
    *,
    campaign: Campaign,
    waves: list[Wave],
    people: QuerySet[Any],
    audiences: dict[int, int],
    today: datetime.date,
    forecasts: dict[int, datetime.date | None],
) -> BurnUp:
    counts: dict[int, dict[datetime.date, int]] = defaultdict(lambda: defaultdict(int))
    # Filtered on the date, not on the enrolment's status: that would join the enrolments twice.
    trained = people.filter(trained_on__isnull=False).order_by()
    for row in trained.values("wave_id", "trained_on").annotate(count=Count("pk")):
        counts[row["wave_id"]][_monday(row["trained_on"])] += row["count"]
    first = _monday(campaign.starts_on)
    earliest = min((week for per_week in counts.values() for week in per_week), default=first)
    latest = max((week for per_week in counts.values() for week in per_week), default=first)
    first = min(first, earliest)
    last = max(_monday(min(today, campaign.target_on)), latest, first)
    weeks = [first + datetime.timedelta(weeks=index) for index in range((last - first).days // 7 + 1)]
    series = []
    for wave in waves:
        per_week, running, cumulative = counts.get(wave.pk, {}), 0, []
        for week in weeks:
            running += per_week.get(week, 0)
            cumulative.append(running)
        series.append((wave, audiences.get(wave.pk, 0), cumulative))
    return BurnUp(
        weeks=weeks,
        series=series,
        today=today,
        forecasts=[(wave, forecasts.get(wave.pk)) for wave in waves],
    )
