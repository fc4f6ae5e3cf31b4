"""The rollout's demo data, on top of the demo roster: one campaign of the social media course
with its two waves, rooms, instructors, about sixty sessions around today and their enrolments.

Everything keeps the rules the services enforce (working days, free rooms and instructors, their
languages, regions and availability, seats, the unit rule) and every enrolment has its history.
It is written in bulk, so it takes well under a second, and from a fixed seed, so the same roster
gives the same plan. The demo "instructor" login teaches an upcoming session and the demo
"employee" login has an invitation.
"""

from __future__ import annotations

import datetime
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from deonto.people.models import Employee, Region, Site
from deonto.rollout.calendar import half_day_times, public_holiday
from deonto.rollout.models import (
    Availability,
    Campaign,
    Enrolment,
    EnrolmentEvent,
    EnrolmentStatus,
    HalfDay,
    Instructor,
    Message,
    MessageKind,
    MessageStatus,
    Room,
    Session,
    SessionInstructor,
    SessionStatus,
    Wave,
)
from deonto.training.models import Completion, CompletionMethod, Course

SEED = 20260901
COURSE_CODE = "social-media"
CAMPAIGN_NAME = "Sociale media / Médias sociaux 2026-2027"
INSTRUCTORS = {"nl": 6, "fr": 4, "both": 2}
FLEMISH = {"ANT", "GNT", "LEU", "HAS"}
WALLOON = {"LIE", "MON", "NAM"}
BUSY_REGIONS = {"ANT", "BRU"}
WEEKS_BACK = 6
WEEKS_AHEAD = 8
# Sessions each week; of the weeks ahead, the first ones are published, the others still drafts.
SESSIONS_PER_WEEK = 4
PUBLISHED_WEEKS = 4
UNIT_SHARE = 20


@dataclass
class RolloutDemoSummary:
    sessions: int = 0
    enrolments: int = 0
    instructors: int = 0
    rooms: int = 0
    by_status: Counter[str] = field(default_factory=Counter)


@dataclass
class _Person:
    pk: int
    unit_id: int
    region_code: str
    language: str
    is_armed: bool
    user_id: int | None
    email: str


def _course() -> Course:
    """The shipped course, loaded (with the guidance it links to) as ``make run`` does, if it is not
    there yet."""
    if not Course.objects.filter(code=COURSE_CODE).exists():
        call_command("sync_guidance", verbosity=0)
        call_command("sync_course", verbosity=0)
    return Course.objects.get(code=COURSE_CODE)


def _working_days(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    days = []
    day = first
    while day <= last:
        if day.weekday() < 5 and public_holiday(day) is None:
            days.append(day)
        day += datetime.timedelta(days=1)
    return days


def _region_of(language: str, code: str) -> bool:
    """Whether sessions in ``language`` are given in region ``code``."""
    if code == "BRU":
        return True
    return code in (FLEMISH if language == "nl" else WALLOON)


@transaction.atomic
def rollout_demo_seed(*, today: datetime.date | None = None, seed: int = SEED) -> RolloutDemoSummary:
    """Write the demo campaign, unless a campaign of the course already exists."""
    summary = RolloutDemoSummary()
    today = today or timezone.localdate()
    rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not a secret
    course = _course()
    if Campaign.objects.filter(course=course).exists():
        return summary
    campaign = Campaign.objects.create(
        name=CAMPAIGN_NAME,
        course=course,
        starts_on=datetime.date(2026, 9, 1),
        target_on=datetime.date(2027, 6, 30),
        unit_share_max=UNIT_SHARE,
    )
    Wave.objects.create(
        campaign=campaign,
        order=1,
        name="Gewapende personeelsleden / Agents armés",
        armed_only=True,
        deadline=datetime.date(2027, 1, 29),
    )
    Wave.objects.create(campaign=campaign, order=2, name="Alle anderen / Tous les autres")

    regions = {region.code: region for region in Region.objects.all()}
    rooms = _rooms_create(rng, regions)
    summary.rooms = sum(len(region_rooms) for region_rooms in rooms.values())

    people = [
        _Person(*values)
        for values in Employee.objects.filter(is_active=True, site__isnull=False)
        .order_by("pk")
        .values_list("pk", "unit_id", "site__region__code", "language", "is_armed", "user_id", "email")
    ]
    unit_sizes = Counter(Employee.objects.filter(is_active=True).values_list("unit_id", flat=True).order_by())
    logins = dict(
        Employee.objects.filter(user__username__in=["employee", "instructor"]).values_list(
            "user__username", "pk"
        )
    )
    instructors = _instructors_create(rng, regions, logins.get("instructor"))
    summary.instructors = len(instructors)

    sessions = _sessions_create(rng, campaign, rooms, instructors, today)
    summary.sessions = len(sessions)
    _enrolments_create(
        rng, campaign, sessions, people, unit_sizes, demo_employee_pk=logins.get("employee"), summary=summary
    )
    return summary


def _rooms_create(rng: random.Random, regions: dict[str, Region]) -> dict[str, list[Room]]:
    sites: dict[str, list[Site]] = defaultdict(list)
    for site in Site.objects.select_related("region").order_by("code"):
        sites[site.region.code].append(site)
    rooms: dict[str, list[Room]] = {}
    for code in sorted(regions):
        if not sites[code]:
            continue
        chosen = sorted(sites[code], key=lambda site: (not site.code.endswith("-CITY"), site.code))
        count = 2 if code in BUSY_REGIONS and len(chosen) > 1 else 1
        rooms[code] = [
            Room.objects.create(
                site=site,
                name=f"Leslokaal / Salle de cours {index}" if count > 1 else "Leslokaal / Salle de cours",
                capacity=rng.choice([12, 14, 16]),
                is_accessible=index == 1,
            )
            for index, site in enumerate(chosen[:count], start=1)
        ]
    return rooms


def _instructors_create(
    rng: random.Random, regions: dict[str, Region], demo_pk: int | None
) -> list[Instructor]:
    """Twelve instructors from the training staff (and beyond, on a small roster): Dutch-speaking
    ones travel in Flanders and Brussels, French-speaking ones in Wallonia and Brussels, the
    bilingual ones everywhere. Each is available on Tuesdays and Thursdays and some other
    half-days."""
    chosen: list[tuple[Employee, list[str]]] = []
    taken: set[int] = set()
    if demo_pk is not None:
        employee = Employee.objects.get(pk=demo_pk)
        chosen.append((employee, ["fr", "nl"] if employee.language == "nl" else ["fr"]))
        taken.add(employee.pk)
    wanted = Counter(INSTRUCTORS)
    if chosen:
        wanted["both" if len(chosen[0][1]) == 2 else chosen[0][1][0]] -= 1
    candidates = list(
        Employee.objects.filter(is_active=True, language__in=["nl", "fr"])
        .exclude(pk__in=taken)
        .order_by("-unit__code", "personnel_number")
        .filter(unit__code__startswith="CEN")[:200]
    ) + list(
        Employee.objects.filter(is_active=True, language__in=["nl", "fr"]).order_by("personnel_number")[:200]
    )
    for kind in ("nl", "fr", "both"):
        for employee in candidates:
            if wanted[kind] <= 0:
                break
            if employee.pk in taken or (kind != "both" and employee.language != kind):
                continue
            chosen.append((employee, ["fr", "nl"] if kind == "both" else [kind]))
            taken.add(employee.pk)
            wanted[kind] -= 1
    instructors = []
    for employee, languages in chosen:
        instructor = Instructor.objects.create(employee=employee, languages=languages)
        instructor.regions.set(
            [
                region
                for code, region in sorted(regions.items())
                if any(_region_of(lang, code) for lang in languages)
            ]
        )
        slots: set[tuple[int, str]] = {(1, "am"), (1, "pm"), (3, "am"), (3, "pm")}
        slots |= set(rng.sample([(0, "am"), (0, "pm"), (2, "am"), (2, "pm"), (4, "am")], 2))
        Availability.objects.bulk_create(
            Availability(instructor=instructor, weekday=weekday, half_day=half_day)
            for weekday, half_day in sorted(slots)
        )
        instructors.append(instructor)
    return instructors


def _sessions_create(
    rng: random.Random,
    campaign: Campaign,
    rooms: dict[str, list[Room]],
    instructors: list[Instructor],
    today: datetime.date,
) -> list[Session]:
    """About sixty sessions on Tuesdays and Thursdays, from six weeks back to eight weeks ahead:
    the past ones held, the next four weeks' published, the later ones drafts. The demo instructor
    teaches the first upcoming one in Brussels."""
    monday = today - datetime.timedelta(days=today.weekday())
    first = monday - datetime.timedelta(weeks=WEEKS_BACK)
    last = monday + datetime.timedelta(weeks=WEEKS_AHEAD, days=6)
    days = [day for day in _working_days(first, last) if day.weekday() in (1, 3)]
    region_cycle = [code for code in sorted(rooms) for _ in range(2 if code in BUSY_REGIONS else 1)]
    busy: set[tuple[int, datetime.date, str]] = set()
    room_busy: set[tuple[int, datetime.date, str]] = set()
    availability = {
        instructor.pk: set(
            Availability.objects.filter(instructor=instructor).values_list("weekday", "half_day")
        )
        for instructor in instructors
    }
    sessions: list[Session] = []
    teaching: list[SessionInstructor] = []
    demo = instructors[0] if instructors else None
    demo_teaches = False
    cursor = 0
    for day in days:
        week = (day - monday).days // 7
        status = (
            SessionStatus.HELD
            if day < today
            else SessionStatus.PUBLISHED
            if week < PUBLISHED_WEEKS
            else SessionStatus.DRAFT
        )
        for _ in range(SESSIONS_PER_WEEK // 2):
            code = region_cycle[cursor % len(region_cycle)]
            cursor += 1
            languages = ["nl", "fr"] if code == "BRU" else (["nl"] if code in FLEMISH else ["fr"])
            language = rng.choice(languages)
            half_day = rng.choice(HalfDay.values)
            room = next((room for room in rooms[code] if (room.pk, day, half_day) not in room_busy), None)
            if room is None:
                continue
            able = [
                instructor
                for instructor in instructors
                if language in instructor.languages
                and _region_of(language, code)
                and any(_region_of(lang, code) for lang in instructor.languages)
                and (day.weekday(), half_day) in availability[instructor.pk]
                and (instructor.pk, day, half_day) not in busy
            ]
            teacher: Instructor | None
            if demo in able and status == SessionStatus.PUBLISHED and not demo_teaches:
                teacher, demo_teaches = demo, True
            else:
                teacher = rng.choice(able) if able else None
            if teacher is None:
                continue
            session = Session(
                campaign=campaign,
                date=day,
                half_day=half_day,
                room=room,
                language=language,
                capacity=room.capacity,
                status=status,
            )
            if status == SessionStatus.HELD:
                session.closed_at = half_day_times(day, half_day)[1] + datetime.timedelta(minutes=20)
            sessions.append(session)
            teaching.append(SessionInstructor(instructor=teacher, date=day, half_day=half_day))
            busy.add((teacher.pk, day, half_day))
            room_busy.add((room.pk, day, half_day))
    Session.objects.bulk_create(sessions)
    for session, row in zip(sessions, teaching, strict=True):
        row.session = session
    SessionInstructor.objects.bulk_create(teaching)
    return sessions


def _enrolments_create(
    rng: random.Random,
    campaign: Campaign,
    sessions: list[Session],
    people: list[_Person],
    unit_sizes: Counter[int],
    *,
    demo_employee_pk: int | None,
    summary: RolloutDemoSummary,
) -> None:
    """Fill the sessions with the armed officers first, then everyone else, of the session's region
    and language, never taking more of a unit away on one day than the unit rule allows. Held
    sessions have their attendance; published ones invitations and answers; drafts proposals."""
    by_place: dict[tuple[str, str], list[_Person]] = defaultdict(list)
    for person in sorted(people, key=lambda p: (not p.is_armed, rng.random())):
        by_place[(person.region_code, person.language)].append(person)
    demo = next((person for person in people if person.pk == demo_employee_pk), None)
    if demo is not None:
        by_place[(demo.region_code, demo.language)].remove(demo)
    away: Counter[tuple[int, datetime.date]] = Counter()
    enrolments: list[Enrolment] = []
    histories: list[tuple[list[tuple[str, datetime.datetime]], Session, _Person]] = []
    completions: list[Completion] = []
    regions = dict(
        Room.objects.filter(pk__in={s.room_id for s in sessions}).values_list("pk", "site__region__code")
    )
    now = timezone.now()
    for session in sorted(sessions, key=lambda s: (s.date, s.half_day)):
        start, end = half_day_times(session.date, session.half_day)
        queue = by_place[(regions[session.room_id], session.language)]
        if (
            demo is not None
            and session.status == SessionStatus.PUBLISHED
            and (demo.region_code, demo.language) == (regions[session.room_id], session.language)
        ):
            queue.insert(0, demo)
            demo = None
        if session.status == SessionStatus.DRAFT:
            wanted = rng.randint(3, 6)
        else:
            wanted = rng.randint(session.capacity - 4, session.capacity)
        taken: list[_Person] = []
        for person in list(queue):
            if len(taken) >= wanted:
                break
            limit = max(1, unit_sizes[person.unit_id] * UNIT_SHARE // 100)
            if away[(person.unit_id, session.date)] >= limit:
                continue
            taken.append(person)
            queue.remove(person)
            away[(person.unit_id, session.date)] += 1
        proposed_at = min(now, start - datetime.timedelta(days=rng.randint(20, 30)))
        invited_at = proposed_at + datetime.timedelta(days=1)
        for person in taken:
            history = [(EnrolmentStatus.PROPOSED.value, proposed_at)]
            if session.status in (SessionStatus.PUBLISHED, SessionStatus.HELD):
                history.append((EnrolmentStatus.INVITED.value, invited_at))
                answered = rng.random()
                if person.pk == demo_employee_pk:
                    answered = 1.0
                if session.status == SessionStatus.HELD or answered < 0.6:
                    history.append((EnrolmentStatus.ACCEPTED.value, invited_at + datetime.timedelta(days=2)))
                elif answered < 0.7:
                    history.append((EnrolmentStatus.DECLINED.value, invited_at + datetime.timedelta(days=3)))
            if session.status == SessionStatus.HELD:
                mark = rng.random()
                status = (
                    EnrolmentStatus.ATTENDED
                    if mark < 0.88
                    else EnrolmentStatus.ABSENT
                    if mark < 0.95
                    else EnrolmentStatus.EXCUSED
                )
                history.append((status.value, end))
                if status == EnrolmentStatus.ATTENDED and person.user_id is not None:
                    completions.append(
                        Completion(
                            user_id=person.user_id,
                            course=campaign.course,
                            course_version=campaign.course.version,
                            method=CompletionMethod.CLASSROOM,
                            completed_at=end,
                        )
                    )
            final, changed_at = history[-1]
            declined = final == EnrolmentStatus.DECLINED
            if declined:
                away[(person.unit_id, session.date)] -= 1
            enrolments.append(
                Enrolment(
                    campaign=campaign,
                    employee_id=person.pk,
                    session=None if declined else session,
                    status=final,
                    status_changed_at=changed_at,
                )
            )
            histories.append((history, session, person))
    Enrolment.objects.bulk_create(enrolments, batch_size=1000)
    events = []
    messages = []
    for enrolment, (history, session, person) in zip(enrolments, histories, strict=True):
        previous: str = ""
        for step, at in history:
            events.append(
                EnrolmentEvent(
                    enrolment=enrolment, from_status=previous, to_status=step, session=session, at=at
                )
            )
            if step == EnrolmentStatus.INVITED:
                messages.append(
                    Message(
                        enrolment=enrolment,
                        kind=MessageKind.INVITATION,
                        session=session,
                        recipient=person.email,
                        language=person.language,
                        status=MessageStatus.SENT,
                        sent_at=at,
                    )
                )
            previous = step
        summary.by_status[enrolment.status] += 1
    EnrolmentEvent.objects.bulk_create(events, batch_size=2000)
    Message.objects.bulk_create(messages, batch_size=1000)
    Completion.objects.bulk_create(completions)
    summary.enrolments = len(enrolments)
