"""What one more resource would give: for each binding (region, language), one more instructor
there, one more weekly half-day for one of its instructors, and one more room where rooms bind.
When no such change alone saves a week (two resources bind at once, such as the instructors and the
rooms of one region), the fewest of them that save a week together are one more what-if
(``together``).
By default each re-solves the counts model only: its optimum is a certified lower bound for the
changed resources, which a new plan reaches when its gap is 0 (as in every benchmark instance), in
well under a second. With ``confirm`` each what-if is also planned in full and reports the weeks
that plan really takes, so a what-if never promises more than a plan delivers; the app does this,
in the background run."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from itertools import combinations, count

from .instance import Instance, Instructor, Region
from .model import Pair, prepare, solve_counts
from .plan import Plan, WhatIf
from .problems import find_problems

MAX_PAIRS = 3
MAX_ALTERNATIVES = 3
# The changes tried together: the first single what-ifs, in pairs, then all of them at once.
MAX_TOGETHER = 4
# kind, figures, the changed instance, and the wording of the change.
Change = tuple[str, dict[str, object], Instance, str]


def what_ifs(
    instance: Instance, plan: Plan, *, time_limit: float = 1.0, confirm: bool = False
) -> tuple[WhatIf, ...]:
    """The what-ifs for the plan's bottlenecks, most weeks saved first; each re-solve of the
    counts model gets at most ``time_limit`` seconds (one that finds nothing in time is left out).
    Weeks saved are counted from the plan's own weeks."""
    pairs: list[Pair] = []
    rooms: list[str] = []
    for bottleneck in plan.bottlenecks:
        figures = bottleneck.figures
        if bottleneck.kind in ("region-language", "unit-rule"):
            pairs.append((str(figures["region"]), str(figures["language"])))
        elif bottleneck.kind == "rooms":
            rooms.append(str(figures["region"]))
        elif bottleneck.kind == "instructors":
            pairs += [(str(p["region"]), str(p["language"])) for p in figures["pairs"]]
    _, plannable = find_problems(instance)
    people = prepare(instance, plannable).demand
    # The pairs with the most people first: one more resource there helps the most people.
    pairs = sorted(set(pairs), key=lambda pair: (-people.get(pair, 0), pair))[:MAX_PAIRS]
    # Each what-if is the best of its alternatives (one more half-day: for which instructor).
    changes: list[list[Change]] = []
    for region, language in pairs:
        changes.append([_more_instructors(instance, region, language)])
        if alternatives := _more_halfdays(instance, region, language):
            changes.append(alternatives)
    for region in sorted(set(rooms))[:MAX_PAIRS]:
        room: dict[str, object] = {"region": region, "rooms": instance.region(region).rooms + 1}
        changes.append([("room", room, _applied(instance, "room", room), f"One more room in {region}")])
    results: dict[tuple[object, ...], WhatIf] = {}
    for alternatives in changes:
        best: WhatIf | None = None
        best_instance: Instance | None = None
        best_wording = ""
        for kind, figures, changed, wording in alternatives:
            _, plannable = find_problems(changed)
            counts = solve_counts(
                prepare(changed, plannable),
                time_limit=time_limit / len(alternatives),
                sessions=None,
                upper_weeks=plan.lower_bound_weeks if plan.status != "partial" else None,
            )
            if counts is None:
                continue
            found = _what_if(plan, kind, figures, wording, counts.weeks, counts.pilot_weeks)
            if best is None or (found.weeks, found.pilot_weeks) < (best.weeks, best.pilot_weeks):
                best, best_instance, best_wording = found, changed, wording
        if best is not None and best_instance is not None and confirm:
            from .solve import solve  # solve imports this module

            confirmed = solve(best_instance, time_limit=max(time_limit, 5.0))
            best = _what_if(
                plan, best.kind, best.figures, best_wording, confirmed.weeks, confirmed.pilot_weeks
            )
        if best is not None:
            # Two pairs may lead to the same change (the same instructor's half-day): keep one.
            same = tuple(v for k, v in sorted(best.figures.items()) if k not in ("region", "language"))
            results.setdefault((best.kind, *same) if best.kind == "halfday" else (best.kind, best.text), best)
    ranked = sorted(results.values(), key=lambda w: (-w.saves_weeks, w.weeks, w.pilot_weeks, w.kind))
    if ranked and all(w.saves_weeks == 0 for w in ranked):
        together = _together(instance, plan, ranked[:MAX_TOGETHER], time_limit=time_limit, confirm=confirm)
        if together is not None:
            ranked.insert(0, together)
    return tuple(ranked)


def _applied(instance: Instance, kind: str, figures: Mapping[str, object]) -> Instance:
    """``instance`` with the change a single what-if describes."""
    region = str(figures["region"])
    if kind == "instructor":
        return _more_instructors(instance, region, str(figures["language"]))[2]
    if kind == "halfday":
        chosen = instance.instructor(str(figures["instructor"]))
        halfdays = tuple(sorted({*chosen.halfdays, int(str(figures["halfday"]))}))
        extra = dataclasses.replace(chosen, halfdays=halfdays)
        return dataclasses.replace(
            instance, instructors=tuple(extra if i.id == chosen.id else i for i in instance.instructors)
        )
    return dataclasses.replace(
        instance, regions=tuple(Region(r.id, r.rooms + 1) if r.id == region else r for r in instance.regions)
    )


def _together(
    instance: Instance, plan: Plan, singles: list[WhatIf], *, time_limit: float, confirm: bool
) -> WhatIf | None:
    """The fewest of ``singles`` (none of which saves a week alone) that save a week together: the best
    pair, else all of them; None when even all of them save nothing. One more room in a region of theirs
    is among the changes tried even where the rooms were not reported as binding: they may bind next."""
    roomed = {str(single.figures["region"]) for single in singles if single.kind == "room"}
    for region in dict.fromkeys(str(single.figures["region"]) for single in singles):
        if region not in roomed:
            rooms = instance.region(region).rooms + 1
            figures: dict[str, object] = {"region": region, "rooms": rooms}
            singles = [*singles, _what_if(plan, "room", figures, f"One more room in {region}", plan.weeks, 0)]
    tries = [list(pair) for pair in combinations(singles, 2)]
    if len(singles) > 2:
        tries.append(singles)
    best: tuple[tuple[int, int], list[WhatIf], Instance] | None = None
    for chosen in tries:
        if best is not None and len(chosen) > len(best[1]):
            break  # a smaller set already saves a week
        changed = instance
        for single in chosen:
            changed = _applied(changed, single.kind, single.figures)
        _, plannable = find_problems(changed)
        counts = solve_counts(
            prepare(changed, plannable),
            time_limit=time_limit,
            sessions=None,
            upper_weeks=plan.lower_bound_weeks if plan.status != "partial" else None,
        )
        if counts is None or counts.weeks >= plan.weeks:
            continue
        if best is None or (counts.weeks, counts.pilot_weeks) < best[0]:
            best = ((counts.weeks, counts.pilot_weeks), chosen, changed)
    if best is None:
        return None
    (weeks, pilot_weeks), chosen, changed = best
    if confirm:
        from .solve import solve  # solve imports this module

        confirmed = solve(changed, time_limit=max(time_limit, 5.0))
        weeks, pilot_weeks = confirmed.weeks, confirmed.pilot_weeks
        if weeks >= plan.weeks:
            return None
    together: dict[str, object] = {"changes": [{"kind": single.kind, **single.figures} for single in chosen]}
    wording = " and ".join(single.text.rsplit(": ", 1)[0] for single in chosen)
    return _what_if(plan, "together", together, wording, weeks, pilot_weeks)


def _what_if(
    plan: Plan, kind: str, figures: Mapping[str, object], wording: str, weeks: int, pilot_weeks: int
) -> WhatIf:
    saves = max(0, plan.weeks - weeks)
    return WhatIf(
        kind=kind,
        figures=figures,
        weeks=weeks,
        pilot_weeks=pilot_weeks,
        saves_weeks=saves,
        text=f"{wording}: {weeks} weeks, saves {saves} {'week' if saves == 1 else 'weeks'}",
    )


def _teachers(instance: Instance, region: str, language: str) -> list[Instructor]:
    return [i for i in instance.instructors if region in i.regions and language in i.languages]


def _more_instructors(instance: Instance, region: str, language: str) -> Change:
    """One more instructor for (region, language), available like the most available one there,
    or on every half-day if there is none."""
    teachers = _teachers(instance, region, language)
    if teachers:
        model = max(teachers, key=lambda i: (len(i.halfdays), -len(i.unavailable), i.id))
        halfdays = model.halfdays
    else:
        halfdays = tuple(range(instance.halfdays_per_week))
    taken = {i.id for i in instance.instructors}
    name = next(name for n in count(1) if (name := "what-if" if n == 1 else f"what-if-{n}") not in taken)
    extra = Instructor(id=name, languages=(language,), regions=(region,), halfdays=halfdays)
    changed = dataclasses.replace(instance, instructors=(*instance.instructors, extra))
    figures: dict[str, object] = {"region": region, "language": language, "halfdays": len(halfdays)}
    return "instructor", figures, changed, f"One more instructor for {region}, {language}"


def _more_halfdays(instance: Instance, region: str, language: str) -> list[Change]:
    """One more weekly half-day for one of the instructors there: the alternatives for the three
    who teach fewest other things, each on a day they do not teach yet if possible (a new day
    also helps the unit rule)."""
    teachers = [
        i for i in _teachers(instance, region, language) if len(i.halfdays) < instance.halfdays_per_week
    ]
    teachers.sort(key=lambda i: (len(i.regions) * len(i.languages), len(i.halfdays), i.id))
    return [_one_more_halfday(instance, region, language, chosen) for chosen in teachers[:MAX_ALTERNATIVES]]


def _one_more_halfday(instance: Instance, region: str, language: str, chosen: Instructor) -> Change:
    days = {h // 2 for h in chosen.halfdays}
    free = [h for h in range(instance.halfdays_per_week) if h not in chosen.halfdays]
    halfday = min(free, key=lambda h: (h // 2 in days, h))
    extra = dataclasses.replace(chosen, halfdays=tuple(sorted((*chosen.halfdays, halfday))))
    changed = dataclasses.replace(
        instance, instructors=tuple(extra if i.id == chosen.id else i for i in instance.instructors)
    )
    figures: dict[str, object] = {
        "region": region,
        "language": language,
        "instructor": chosen.id,
        "halfday": halfday,
    }
    return (
        "halfday",
        figures,
        changed,
        f"Instructor {chosen.id} also teaches on {halfday_name(halfday)}",
    )


def halfday_name(halfday: int) -> str:
    """ "Monday morning" for 0, "Monday afternoon" for 1, and so on."""
    day = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"][halfday // 2]
    return f"{day} {'morning' if halfday % 2 == 0 else 'afternoon'}"
