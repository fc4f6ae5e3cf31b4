"""The planner's pages for coordinators: start a run for a campaign, follow its progress, read the
proposed plan (weeks, bounds, bottlenecks, what-ifs, sessions week by week) and publish it.

The planner speaks in codes and figures; these pages say it in the reader's language, never with
the planner's English ``text``. The what-ifs come with the run (the planner computes them right
after the plan, in the same child process), so each what-if shows its figures at once without a
new run.

Each of these pages first recovers the campaign's runs a dead task worker left past their deadline
(``services_planner.plan_runs_recover``), so nobody follows a progress bar that never ends."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django_htmx.http import HttpResponseClientRefresh

from deonto.core.auth import signed_in_user
from deonto.core.errors import DomainError
from deonto.people.models import Region, StaffLanguage
from deonto.rollout import planning, services_planner
from deonto.rollout.forms import DATE_INPUT
from deonto.rollout.models import Campaign, HalfDay, Instructor, PlanRun, PlanRunStatus, Room
from deonto.rollout.permissions import can_manage_rollout
from deonto.rollout.planner.instance import parse_group_key
from deonto.rollout.planner.plan import Plan, plan_from_dict

WEEKS_PER_PAGE = 4
RUNS_LISTED = 10
DEFAULT_SESSION_CAPACITY = 12


class PlanRunForm(forms.Form):
    starts_on = forms.DateField(
        label=_("Planning start"),
        widget=DATE_INPUT,
        help_text=_("A Monday after today. Sessions already published stay where they are."),
    )
    session_capacity = forms.IntegerField(
        label=_("Seats per session"), min_value=1, max_value=services_planner.MAX_SESSION_CAPACITY
    )


def _coordinator_only(request: HttpRequest) -> None:
    if not can_manage_rollout(request.user):
        raise PermissionDenied


def _recovered(run: PlanRun) -> PlanRun:
    """The run as it is once its campaign's runs past their deadline are recovered."""
    if services_planner.plan_runs_recover(campaign=run.campaign):
        run.refresh_from_db()
    return run


@login_required
def planner_start(request: HttpRequest, pk: int) -> HttpResponse:
    _coordinator_only(request)
    campaign = get_object_or_404(Campaign, pk=pk)
    services_planner.plan_runs_recover(campaign=campaign)
    form = PlanRunForm(
        request.POST or None,
        initial={
            "starts_on": planning.planning_start_default(campaign=campaign),
            "session_capacity": DEFAULT_SESSION_CAPACITY,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            run = services_planner.plan_run_start(
                actor=signed_in_user(request), campaign=campaign, **form.cleaned_data
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            return redirect("rollout:plan_run_detail", pk=run.pk)
    runs = PlanRun.objects.filter(campaign=campaign).select_related("created_by")[:RUNS_LISTED]
    return TemplateResponse(
        request, "rollout/planner_start.html", {"campaign": campaign, "form": form, "runs": runs}
    )


@login_required
def plan_run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _coordinator_only(request)
    run = _recovered(get_object_or_404(PlanRun.objects.select_related("campaign", "published_by"), pk=pk))
    context: dict[str, Any] = {"run": run, "campaign": run.campaign}
    if run.result is not None:
        context.update(_result_context(request, run))
    return TemplateResponse(request, "rollout/planner_run.html", context)


@login_required
def plan_run_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress bar, asked for every second by htmx; once the run is over the page reloads."""
    _coordinator_only(request)
    run = _recovered(get_object_or_404(PlanRun.objects.select_related("campaign"), pk=pk))
    if not request.htmx:  # type: ignore[attr-defined]
        return redirect("rollout:plan_run_detail", pk=pk)
    if not run.is_running:
        return HttpResponseClientRefresh()
    return TemplateResponse(request, "rollout/_planner_progress.html", {"run": run})


@login_required
def plan_run_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm, then queue the publishing: the run page follows it and lists any conflict."""
    _coordinator_only(request)
    run = _recovered(get_object_or_404(PlanRun.objects.select_related("campaign"), pk=pk))
    if run.status != PlanRunStatus.DONE or run.result is None:
        return redirect("rollout:plan_run_detail", pk=pk)
    error = ""
    if request.method == "POST":
        try:
            services_planner.plan_run_publish_queue(actor=signed_in_user(request), plan_run=run)
        except DomainError as refused:
            error = refused.message
        else:
            return redirect("rollout:plan_run_detail", pk=pk)
    plan = plan_from_dict(run.result)
    return TemplateResponse(
        request,
        "rollout/planner_publish.html",
        {
            "run": run,
            "campaign": run.campaign,
            "sessions": len([s for s in plan.sessions if not s.fixed]),
            "people": sum(s.size for s in plan.sessions),
            "error": error,
        },
        status=409 if error else 200,
    )


# The result in the reader's language ---------------------------------------------------------------


@dataclass(frozen=True)
class SessionRow:
    date: datetime.date
    half_day: str
    region: str
    room: str
    language: str
    instructor: str
    people: int
    pilot: int
    fixed: bool


@dataclass(frozen=True)
class WeekRows:
    week: int
    monday: datetime.date
    sessions: list[SessionRow]


def _result_context(request: HttpRequest, run: PlanRun) -> dict[str, Any]:
    assert run.result is not None  # noqa: S101 - the caller checked
    plan = plan_from_dict(run.result)
    names = _Names.for_run(run)
    starts_on = datetime.date.fromisoformat(run.mapping["starts_on"])
    weeks = _weeks(plan, names, starts_on)
    page = Paginator(weeks, WEEKS_PER_PAGE).get_page(request.GET.get("page"))
    problems = [names.problem(problem.kind, problem.figures) for problem in plan.problems]
    if run.people_blocked:
        problems.insert(
            0,
            ngettext(
                "%(count)s person holds a seat in a draft session or was marked absent or excused at a "
                "session whose attendance is not closed yet: the booking rules do not let the planner "
                "propose them again.",
                "%(count)s people hold a seat in a draft session or were marked absent or excused at a "
                "session whose attendance is not closed yet: the booking rules do not let the planner "
                "propose them again.",
                run.people_blocked,
            )
            % {"count": run.people_blocked},
        )
    if run.people_without_site:
        problems.insert(
            0,
            ngettext(
                "%(count)s person has no site in the roster, so no region: add their site to plan them.",
                "%(count)s people have no site in the roster, so no region: add their site to plan them.",
                run.people_without_site,
            )
            % {"count": run.people_without_site},
        )
    return {
        "plan": plan,
        "page": page,
        "weeks_date": _week_end(starts_on, plan.weeks),
        "pilot_date": _week_end(starts_on, plan.pilot_weeks),
        "session_count": len([s for s in plan.sessions if not s.fixed]),
        "people_planned": sum(s.size for s in plan.sessions),
        "bottlenecks": [names.bottleneck(b.kind, b.figures) for b in plan.bottlenecks],
        "problems": problems,
        "bound_weeks": _weeks_text(plan.lower_bound_weeks),
        "bound_pilot_weeks": _weeks_text(plan.lower_bound_pilot_weeks),
        "gap_weeks": _weeks_text(plan.gap_weeks),
        "gap_pilot_weeks": _weeks_text(plan.gap_pilot_weeks),
        "what_ifs": [
            {
                "label": names.what_if(w.kind, w.figures),
                "weeks": _weeks_text(w.weeks),
                "pilot_weeks": _weeks_text(w.pilot_weeks),
                "saves": w.saves_weeks,
                "date": _week_end(starts_on, w.weeks),
            }
            for w in plan.what_ifs
            if w.saves_weeks
        ],
        # Changes that were tried and save nothing alone: said, so nobody asks for them in vain.
        "what_ifs_idle": [names.what_if(w.kind, w.figures) for w in plan.what_ifs if not w.saves_weeks],
    }


def _weeks_text(weeks: int) -> str:
    return ngettext("%(count)s week", "%(count)s weeks", weeks) % {"count": weeks}


def _week_end(starts_on: datetime.date, weeks: int) -> datetime.date | None:
    """The Friday of the last week used (None when nothing is to plan)."""
    if weeks <= 0:
        return None
    return starts_on + datetime.timedelta(weeks=weeks - 1, days=4)


def _weeks(plan: Plan, names: _Names, starts_on: datetime.date) -> list[WeekRows]:
    by_week: dict[int, list[SessionRow]] = defaultdict(list)
    for session in sorted(plan.sessions, key=lambda s: (s.week, s.halfday, s.region, s.room)):
        if session.fixed and not session.size:
            continue
        date, half_day = planning.slot_date(starts_on=starts_on, week=session.week, halfday=session.halfday)
        by_week[session.week].append(
            SessionRow(
                date=date,
                half_day=str(HalfDay(half_day).label),
                region=names.region(session.region),
                room=names.room(session.region, session.room) if not session.fixed else "",
                language=names.language(session.language),
                instructor=names.instructor(session.instructor),
                people=session.size,
                pilot=sum(n for key, n in session.attendees.items() if parse_group_key(key)[2]),
                fixed=session.fixed,
            )
        )
    return [
        WeekRows(week=week, monday=starts_on + datetime.timedelta(weeks=week), sessions=rows)
        for week, rows in sorted(by_week.items())
    ]


@dataclass(frozen=True)
class _Names:
    """The planner's ids as the reader knows them: region names in their language, instructors'
    names, rooms, languages."""

    regions: dict[str, str]
    instructors: dict[str, str]
    rooms: dict[str, list[str]]

    @classmethod
    def for_run(cls, run: PlanRun) -> _Names:
        mapping = run.mapping
        regions = {region.code: region.name for region in Region.objects.all()}
        people = Instructor.objects.select_related("employee").in_bulk(
            [int(pk) for pk in mapping.get("instructors", {}).values()]
        )
        rooms = Room.objects.in_bulk([int(pk) for pks in mapping.get("rooms", {}).values() for pk in pks])
        return cls(
            regions=regions,
            instructors={
                key: people[int(pk)].employee.full_name
                for key, pk in mapping.get("instructors", {}).items()
                if int(pk) in people
            },
            rooms={
                region: [rooms[int(pk)].name for pk in pks if int(pk) in rooms]
                for region, pks in mapping.get("rooms", {}).items()
            },
        )

    def region(self, code: Any) -> str:
        return self.regions.get(str(code), str(code))

    def regions_list(self, codes: Any) -> str:
        return ", ".join(self.region(code) for code in codes)

    def language(self, code: Any) -> str:
        try:
            return str(StaffLanguage(str(code)).label)
        except ValueError:
            return str(code)

    def languages_list(self, codes: Any) -> str:
        return ", ".join(self.language(code) for code in codes)

    def instructor(self, key: Any) -> str:
        return self.instructors.get(str(key), str(key))

    def room(self, region: str, index: int) -> str:
        rooms = self.rooms.get(region, [])
        return rooms[index] if 0 <= index < len(rooms) else str(index + 1)

    def bottleneck(self, kind: str, f: Any) -> str:
        """The planner's figures as a sentence, each number with the word it counts in the right number
        ("1 instructor", "8 instructors")."""
        weeks = f.get("weeks", "?")
        at_least = (
            ngettext("so at least %(count)s week", "so at least %(count)s weeks", weeks) % {"count": weeks}
            if isinstance(weeks, int)
            else ""
        )
        sessions = f.get("sessions", 0)
        per_week = f.get("per_week", 0)
        if kind == "region-language":
            return gettext(
                "%(region)s, %(language)s: %(sessions)s, %(instructors)s, %(per_week)s, %(at_least)s."
            ) % {
                "region": self.region(f["region"]),
                "language": self.language(f["language"]),
                "sessions": self._sessions(sessions),
                "instructors": self._instructors(f["instructors"]),
                "per_week": self._per_week(per_week),
                "at_least": at_least,
            }
        if kind == "unit-rule":
            return gettext(
                "Unit %(unit)s (%(region)s, %(language)s): %(people)s, at most %(daily_cap)s away a day, so "
                "%(days)s; %(days_per_week)s a week, %(at_least)s."
            ) % {
                "unit": f["unit"],
                "region": self.region(f["region"]),
                "language": self.language(f["language"]),
                "people": ngettext("%(count)s person", "%(count)s people", f["people"])
                % {"count": f["people"]},
                "daily_cap": f["daily_cap"],
                "days": ngettext("%(count)s session day", "%(count)s session days", f["days"])
                % {"count": f["days"]},
                "days_per_week": ngettext("%(count)s day", "%(count)s days", f["days_per_week"])
                % {"count": f["days_per_week"]},
                "at_least": at_least,
            }
        if kind == "rooms":
            return gettext("%(region)s: %(rooms)s for %(sessions)s, %(per_week)s, %(at_least)s.") % {
                "region": self.region(f["region"]),
                "rooms": ngettext("%(count)s room", "%(count)s rooms", f["rooms"]) % {"count": f["rooms"]},
                "sessions": self._sessions(sessions),
                "per_week": self._per_week(per_week),
                "at_least": at_least,
            }
        if kind == "instructors":
            return gettext(
                "%(regions)s (%(languages)s): %(sessions)s for %(instructors)s, %(per_week)s, %(at_least)s."
            ) % {
                "regions": self.regions_list(f["regions"]),
                "languages": self.languages_list(f["languages"]),
                "sessions": self._sessions(sessions),
                "instructors": self._instructors(f["instructors"]),
                "per_week": self._per_week(per_week),
                "at_least": at_least,
            }
        return gettext("Another limit binds the plan: at least %(weeks)s weeks.") % {"weeks": weeks}

    @staticmethod
    def _sessions(count: int) -> str:
        return ngettext("%(count)s session", "%(count)s sessions", count) % {"count": count}

    @staticmethod
    def _instructors(count: int) -> str:
        return ngettext("%(count)s instructor", "%(count)s instructors", count) % {"count": count}

    @staticmethod
    def _per_week(count: int) -> str:
        return ngettext("%(count)s session a week", "%(count)s sessions a week", count) % {"count": count}

    def problem(self, kind: str, f: Any) -> str:
        values = {
            "people": f.get("people", 0),
            "region": self.region(f.get("region", "")),
            "language": self.language(f.get("language", "")),
            "max_weeks": f.get("max_weeks", ""),
        }
        if kind == "no-instructor":
            return (
                ngettext(
                    "No instructor teaches %(language)s in %(region)s: %(people)s person cannot be planned.",
                    "No instructor teaches %(language)s in %(region)s: %(people)s people cannot be planned.",
                    values["people"],
                )
                % values
            )
        if kind == "no-room":
            return (
                ngettext(
                    "%(region)s has no room for the sessions: %(people)s person speaking %(language)s cannot "
                    "be planned.",
                    "%(region)s has no room for the sessions: %(people)s people speaking %(language)s cannot "
                    "be planned.",
                    values["people"],
                )
                % values
            )
        if kind in ("max-weeks", "not-placed"):
            return (
                ngettext(
                    "%(region)s, %(language)s: %(people)s person does not fit in %(max_weeks)s weeks.",
                    "%(region)s, %(language)s: %(people)s people do not fit in %(max_weeks)s weeks.",
                    values["people"],
                )
                % values
            )
        return (
            ngettext(
                "%(region)s, %(language)s: %(people)s person cannot be planned.",
                "%(region)s, %(language)s: %(people)s people cannot be planned.",
                values["people"],
            )
            % values
        )

    def what_if(self, kind: str, f: Any) -> str:
        values = {
            "region": self.region(f.get("region", "")),
            "language": self.language(f.get("language", "")),
            "instructor": self.instructor(f.get("instructor", "")),
        }
        if kind == "instructor":
            return gettext("One more instructor for %(region)s, %(language)s") % values
        if kind == "halfday":
            day, half = divmod(int(f.get("halfday", 0)), 2)
            return gettext(
                "One more half-day a week for %(instructor)s (%(region)s, %(language)s): %(when)s"
            ) % {
                **values,
                "when": _weekday_half(day, half),
            }
        if kind == "room":
            return gettext("One more room in %(region)s") % values
        if kind == "together":
            parts = [self.what_if(str(change["kind"]), change) for change in f.get("changes", [])]
            return gettext("Together: %(changes)s") % {"changes": " + ".join(parts)}
        return gettext("Another change of the resources")


def _weekday_half(day: int, half: int) -> str:
    monday = datetime.date(2024, 1, 1)
    name = date_format(monday + datetime.timedelta(days=day), "l")
    label = HalfDay.AFTERNOON.label if half else HalfDay.MORNING.label
    return gettext("%(weekday)s, %(half_day)s") % {"weekday": name, "half_day": str(label).lower()}
