"""An independent check of any plan against every rule of the instance, so that neither planner
has to be trusted: each violation is one line of plain English, and no line means the plan keeps
every rule.

Fixed sessions of the instance always hold their instructor, a room and their attendees' share of
the unit rule, whether or not the plan lists them; a plan lists one (``fixed=True``) to add people
to its free seats.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from .instance import FixedSession, Instance, parse_group_key
from .plan import Plan, PlannedSession, Problem


def verify(instance: Instance, plan: Plan) -> list[str]:
    """Every violation of the plan, in plain English; [] when it keeps every rule."""
    violations: list[str] = []
    new = [session for session in plan.sessions if not session.fixed]
    added = _match_fixed(instance, plan, violations)
    groups = {group.key for group in instance.groups}
    for session in new:
        violations.extend(_check_session(instance, session, groups))
    for session, fixed in added:
        violations.extend(_check_added_seats(instance, session, fixed, groups))
    violations.extend(_double_bookings(instance, plan.sessions, new))
    violations.extend(_unit_rule(instance, plan.sessions))
    violations.extend(_coverage(instance, plan.sessions, plan.problems))
    violations.extend(_weeks(plan))
    return violations


def _name(session: PlannedSession) -> str:
    kind = "fixed session" if session.fixed else "session"
    return (
        f"{kind} in week {session.week}, half-day {session.halfday}, region {session.region} "
        f"({session.language}, instructor {session.instructor})"
    )


def _match_fixed(
    instance: Instance, plan: Plan, violations: list[str]
) -> list[tuple[PlannedSession, FixedSession]]:
    """Pair each fixed session of the plan with the instance's fixed session it adds people to."""
    by_slot = {(s.week, s.halfday, s.instructor): s for s in instance.fixed_sessions}
    seen: set[tuple[int, int, str]] = set()
    pairs: list[tuple[PlannedSession, FixedSession]] = []
    for session in plan.sessions:
        if not session.fixed:
            continue
        slot = (session.week, session.halfday, session.instructor)
        fixed = by_slot.get(slot)
        if fixed is None or (fixed.region, fixed.language) != (session.region, session.language):
            violations.append(f"{_name(session)} is not one of the instance's fixed sessions")
            continue
        if slot in seen:
            violations.append(f"{_name(session)} is listed twice")
            continue
        seen.add(slot)
        pairs.append((session, fixed))
    return pairs


def _check_session(instance: Instance, session: PlannedSession, groups: set[str]) -> list[str]:
    """Instructor, region, room, half-day and capacity of a new session."""
    name = _name(session)
    if session.region not in instance.regions_by_id:
        return [f"{name}: unknown region"]
    if session.instructor not in instance.instructors_by_id:
        return [f"{name}: unknown instructor"]
    instructor = instance.instructor(session.instructor)
    rooms = instance.region(session.region).rooms
    slot = (session.week, session.halfday)
    problems: list[str] = []
    if session.language not in instructor.languages:
        problems.append(f"{name}: the instructor does not teach {session.language}")
    if session.region not in instructor.regions:
        problems.append(f"{name}: the instructor does not teach in region {session.region}")
    if not 0 <= session.week < instance.max_weeks:
        problems.append(f"{name}: week is not between 0 and {instance.max_weeks - 1}")
    if session.halfday not in instructor.halfdays:
        problems.append(f"{name}: the instructor does not teach on half-day {session.halfday}")
    if slot in instructor.unavailable:
        problems.append(f"{name}: the instructor is unavailable then")
    for closure in instance.closures:
        if (closure.week, closure.halfday) == slot and closure.region in (None, session.region):
            where = "everywhere" if closure.region is None else f"in region {closure.region}"
            problems.append(f"{name}: teaching is closed {where} then")
    if not 0 <= session.room < rooms:
        problems.append(f"{name}: room {session.room} is not one of the region's {rooms} rooms")
    if session.size > instance.session_capacity:
        problems.append(f"{name}: {session.size} people, above the capacity of {instance.session_capacity}")
    if session.size == 0:
        problems.append(f"{name}: nobody attends")
    problems.extend(_check_attendees(instance, session, groups))
    return problems


def _check_added_seats(
    instance: Instance, session: PlannedSession, fixed: FixedSession, groups: set[str]
) -> list[str]:
    problems = _check_attendees(instance, session, groups)
    if session.size > fixed.free_seats:
        problems.append(f"{_name(session)}: {session.size} people added to {fixed.free_seats} free seats")
    rooms = instance.region(session.region).rooms
    if not 0 <= session.room < rooms:
        problems.append(f"{_name(session)}: room {session.room} is not one of the region's {rooms} rooms")
    return problems


def _check_attendees(instance: Instance, session: PlannedSession, groups: set[str]) -> list[str]:
    """Every attendee of the session's language, from a unit of its region."""
    problems: list[str] = []
    for key, count in session.attendees.items():
        if key not in groups:
            problems.append(f"{_name(session)}: unknown group {key}")
            continue
        unit, language, _ = parse_group_key(key)
        if count <= 0:
            problems.append(f"{_name(session)}: {count} people of group {key}")
        if language != session.language:
            problems.append(f"{_name(session)}: group {key} does not speak {session.language}")
        if instance.unit(unit).region != session.region:
            problems.append(f"{_name(session)}: group {key} is not from region {session.region}")
    return problems


def _double_bookings(
    instance: Instance, sessions: Iterable[PlannedSession], new: list[PlannedSession]
) -> list[str]:
    """No instructor twice on a half-day, no room twice, no more sessions than rooms in a region;
    the instance's fixed sessions count whether the plan lists them or not."""
    problems: list[str] = []
    teaching: dict[tuple[str, int, int], int] = defaultdict(int)
    in_region: dict[tuple[str, int, int], int] = defaultdict(int)
    for fixed in instance.fixed_sessions:
        teaching[(fixed.instructor, fixed.week, fixed.halfday)] += 1
        in_region[(fixed.region, fixed.week, fixed.halfday)] += 1
    for session in new:
        teaching[(session.instructor, session.week, session.halfday)] += 1
        in_region[(session.region, session.week, session.halfday)] += 1
    for (instructor, week, halfday), count in sorted(teaching.items()):
        if count > 1:
            problems.append(
                f"instructor {instructor} teaches {count} sessions in week {week}, half-day {halfday}"
            )
    for (region, week, halfday), count in sorted(in_region.items()):
        rooms = instance.regions_by_id[region].rooms if region in instance.regions_by_id else 0
        if count > rooms:
            problems.append(
                f"region {region} has {count} sessions in week {week}, half-day {halfday} but {rooms} rooms"
            )
    rooms_taken: dict[tuple[str, int, int, int], int] = defaultdict(int)
    for session in sessions:
        rooms_taken[(session.region, session.week, session.halfday, session.room)] += 1
    for (region, week, halfday, room), count in sorted(rooms_taken.items()):
        if count > 1:
            problems.append(
                f"room {room} of region {region} holds {count} sessions in week {week}, half-day {halfday}"
            )
    return problems


def _unit_rule(instance: Instance, sessions: Iterable[PlannedSession]) -> list[str]:
    """People of a unit away on one day, fixed sessions' attendees included, within its cap."""
    away: dict[tuple[str, int, int], int] = defaultdict(int)
    for fixed in instance.fixed_sessions:
        for key, count in fixed.attendees.items():
            away[(_unit_of(key), fixed.week, fixed.halfday // 2)] += count
    for session in sessions:
        for key, count in session.attendees.items():
            away[(_unit_of(key), session.week, session.halfday // 2)] += count
    problems: list[str] = []
    for (unit, week, day), count in sorted(away.items()):
        if unit not in instance.units_by_id:
            continue
        cap = instance.unit_daily_cap(unit)
        if count > cap:
            problems.append(
                f"unit {unit} has {count} people away in week {week}, day {day}; at most {cap} may be"
            )
    return problems


def _unit_of(key: str) -> str:
    return key.rsplit("|", 2)[0]


def _coverage(
    instance: Instance, sessions: Iterable[PlannedSession], problems: Iterable[Problem]
) -> list[str]:
    """Everyone planned exactly once, except the people the plan reports as problems: per group
    when a problem lists its groups, else per region and language, else anywhere."""
    planned: dict[str, int] = defaultdict(int)
    for session in sessions:
        for key, count in session.attendees.items():
            planned[key] += count
    per_group: dict[str, int] = defaultdict(int)
    per_pair: dict[tuple[str, str], int] = defaultdict(int)
    anywhere = 0
    for problem in problems:
        figures = problem.figures
        if isinstance(figures.get("groups"), dict):
            for key, count in figures["groups"].items():
                per_group[str(key)] += int(count)
        elif "region" in figures and "language" in figures:
            per_pair[(str(figures["region"]), str(figures["language"]))] += int(figures.get("people", 0))
        else:
            anywhere += int(figures.get("people", 0))
    violations: list[str] = []
    for group in instance.groups:
        got = planned.get(group.key, 0)
        if got > group.count:
            violations.append(f"group {group.key}: {got} people planned but it has {group.count}")
            continue
        missing = max(0, group.count - got - per_group.get(group.key, 0))
        pair = (instance.unit(group.unit).region, group.language)
        from_pair = min(missing, per_pair[pair])
        per_pair[pair] -= from_pair
        missing -= from_pair
        from_anywhere = min(missing, anywhere)
        anywhere -= from_anywhere
        missing -= from_anywhere
        if missing:
            violations.append(
                f"group {group.key}: {missing} of {group.count} people are neither planned nor reported as a problem"
            )
    return violations


def _weeks(plan: Plan) -> list[str]:
    """weeks and pilot_weeks: one more than the last week with a new session or added seat."""
    weeks = 0
    pilot_weeks = 0
    for session in plan.sessions:
        if session.fixed and not session.size:
            continue
        weeks = max(weeks, session.week + 1)
        if any(count and key.endswith("|1") for key, count in session.attendees.items()):
            pilot_weeks = max(pilot_weeks, session.week + 1)
    problems: list[str] = []
    if plan.weeks != weeks:
        problems.append(f"the plan says {plan.weeks} weeks but its sessions take {weeks}")
    if plan.pilot_weeks != pilot_weeks:
        problems.append(
            f"the plan says {plan.pilot_weeks} pilot weeks but its pilot sessions take {pilot_weeks}"
        )
    return problems
