"""A small campaign whose progress figures are known exactly, for the progress, chart, export and
view tests (dates relative to ``today``).

Wave 1 "Armed officers" (deadline yesterday): a1 (unit A, nl, attended), a2 (unit B, nl, absent),
a3 (unit C, fr, attended), a4 (unit C, fr, invited to a session ahead).
Wave 2 "Everyone else": e1 (A, nl, attended), e2 (B, nl, accepted a session ahead), e3 (C, fr, not
enrolled), e4 (C, de, not enrolled), e5 (A, nl, excused). An inactive armed officer counts nowhere.
Unit B is under unit A; units A and B are in region R1, unit C in region R2.
Sessions: two held (nl 4 seats, fr 2 seats: 3 of 6 seats attended, so the fill rate is 50 %), two
published ahead (nl 4 seats in a week, fr 6 seats in two weeks), one draft, one cancelled.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from deonto.people.models import Employee, OrgUnit, Region, Site
from deonto.rollout.models import Campaign, Enrolment, EnrolmentStatus, Room, Session, SessionStatus, Wave
from deonto.training.models import Course


@dataclass
class KnownCampaign:
    campaign: Campaign
    wave1: Wave
    wave2: Wave
    people: dict[str, Employee]
    units: dict[str, OrgUnit]
    regions: dict[str, Region]
    sessions: dict[str, Session]
    today: datetime.date


def build_known_campaign(today: datetime.date) -> KnownCampaign:
    def days(n: int) -> datetime.date:
        return today + datetime.timedelta(days=n)

    course, _created = Course.objects.get_or_create(code="rollout-course", defaults={"is_published": True})
    r1 = Region.objects.create(code="R1", name_nl="Regio Een", name_fr="Région Un", name_en="Region One")
    r2 = Region.objects.create(code="R2", name_nl="Regio Twee", name_fr="Région Deux", name_en="Region Two")
    s1 = Site.objects.create(code="S1", name="Site One", region=r1)
    s2 = Site.objects.create(code="S2", name="Site Two", region=r2)
    unit_a = OrgUnit.objects.create(code="A", name="Alpha", site=s1)
    unit_b = OrgUnit.objects.create(code="B", name="Bravo", site=s1, parent=unit_a)
    unit_c = OrgUnit.objects.create(code="C", name="Charlie", site=s2)
    campaign = Campaign.objects.create(
        name="Social media 2026", course=course, starts_on=days(-56), target_on=days(140)
    )
    wave1 = Wave.objects.create(
        campaign=campaign, order=1, name="Armed officers", armed_only=True, deadline=days(-1)
    )
    wave2 = Wave.objects.create(campaign=campaign, order=2, name="Everyone else")

    def person(key: str, unit: OrgUnit, language: str, *, armed: bool, active: bool = True) -> Employee:
        return Employee.objects.create(
            personnel_number=f"P-{key}",
            first_name=key.upper(),
            last_name=f"Person {key}",
            language=language,
            unit=unit,
            site=unit.site,
            is_armed=armed,
            is_active=active,
        )

    people = {
        "a1": person("a1", unit_a, "nl", armed=True),
        "a2": person("a2", unit_b, "nl", armed=True),
        "a3": person("a3", unit_c, "fr", armed=True),
        "a4": person("a4", unit_c, "fr", armed=True),
        "e1": person("e1", unit_a, "nl", armed=False),
        "e2": person("e2", unit_b, "nl", armed=False),
        "e3": person("e3", unit_c, "fr", armed=False),
        "e4": person("e4", unit_c, "de", armed=False),
        "e5": person("e5", unit_a, "nl", armed=False),
        "gone": person("gone", unit_a, "nl", armed=True, active=False),
    }
    room = Room.objects.create(site=s1, name="Room 1", capacity=20)

    def session(day: int, half_day: str, language: str, capacity: int, status: str) -> Session:
        return Session.objects.create(
            campaign=campaign,
            date=days(day),
            half_day=half_day,
            room=room,
            language=language,
            capacity=capacity,
            status=status,
        )

    sessions = {
        "held_nl": session(-14, "am", "nl", 4, SessionStatus.HELD),
        "held_fr": session(-7, "am", "fr", 2, SessionStatus.HELD),
        "ahead_nl": session(7, "am", "nl", 4, SessionStatus.PUBLISHED),
        "ahead_fr": session(14, "am", "fr", 6, SessionStatus.PUBLISHED),
        "draft": session(21, "am", "nl", 4, SessionStatus.DRAFT),
        "cancelled": session(3, "am", "nl", 5, SessionStatus.CANCELLED),
    }

    def enrol(key: str, name: str, status: str) -> None:
        Enrolment.objects.create(
            campaign=campaign, employee=people[key], session=sessions[name], status=status
        )

    enrol("a1", "held_nl", EnrolmentStatus.ATTENDED)
    enrol("a2", "held_nl", EnrolmentStatus.ABSENT)
    enrol("e1", "held_nl", EnrolmentStatus.ATTENDED)
    enrol("e5", "held_nl", EnrolmentStatus.EXCUSED)
    enrol("a3", "held_fr", EnrolmentStatus.ATTENDED)
    enrol("e2", "ahead_nl", EnrolmentStatus.ACCEPTED)
    enrol("a4", "ahead_fr", EnrolmentStatus.INVITED)
    return KnownCampaign(
        campaign=campaign,
        wave1=wave1,
        wave2=wave2,
        people=people,
        units={"A": unit_a, "B": unit_b, "C": unit_c},
        regions={"R1": r1, "R2": r2},
        sessions=sessions,
        today=today,
    )


def shares_by_label(shares: Any) -> dict[str, tuple[int, int]]:
    return {share.label: (share.audience, share.trained) for share in shares}
