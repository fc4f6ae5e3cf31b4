"""The rollout's demo data: it keeps every rule the services enforce, the demo logins have
something to do, and the same roster gives the same plan."""

from __future__ import annotations

from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, F, Q
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import sign_in
from deonto.people.models import Employee
from deonto.rollout.calendar import is_closed
from deonto.rollout.demo import rollout_demo_seed
from deonto.rollout.models import (
    Availability,
    Campaign,
    Enrolment,
    EnrolmentEvent,
    EnrolmentStatus,
    Instructor,
    Message,
    Room,
    Session,
    SessionInstructor,
    SessionStatus,
    Wave,
)
from deonto.rollout.selectors import SEAT_TAKEN
from deonto.training.models import Completion

pytestmark = pytest.mark.django_db

EMPLOYEES = 600


@pytest.fixture
def seeded(settings, tmp_path) -> str:
    settings.DEBUG = True
    settings.DATA_DIR = tmp_path  # the demo's integrity evidence goes to the test's own vault
    out = StringIO()
    call_command("seed_demo", employees=EMPLOYEES, stdout=out)
    return out.getvalue()


def plan_fingerprint() -> list[tuple]:
    sessions = list(
        Session.objects.order_by("date", "half_day", "room__site__code").values_list(
            "date",
            "half_day",
            "room__site__code",
            "room__name",
            "language",
            "capacity",
            "status",
            "teaching__instructor__employee__personnel_number",
        )
    )
    enrolments = list(
        Enrolment.objects.order_by("employee__personnel_number").values_list(
            "employee__personnel_number",
            "status",
            "session__date",
            "session__half_day",
            "session__room__site__code",
        )
    )
    return sessions + enrolments


def test_seed_demo_adds_a_campaign_with_two_waves_and_about_sixty_sessions(seeded) -> None:
    campaign = Campaign.objects.get()
    assert campaign.course.code == "social-media"
    assert (str(campaign.starts_on), str(campaign.target_on)) == ("2026-09-01", "2027-06-30")
    assert list(Wave.objects.values_list("order", "name", "armed_only")) == [
        (1, "Gewapende personeelsleden / Agents armés", True),
        (2, "Alle anderen / Tous les autres", False),
    ]
    statuses = Counter(Session.objects.values_list("status", flat=True))
    assert 50 <= sum(statuses.values()) <= 70
    assert statuses[SessionStatus.HELD] >= 15
    assert statuses[SessionStatus.PUBLISHED] >= 10
    assert statuses[SessionStatus.DRAFT] >= 5
    assert 10 <= Instructor.objects.count() <= 12
    assert Room.objects.count() >= 8
    assert "Training rollout:" in seeded


def test_every_session_keeps_the_calendar_room_and_instructor_rules(seeded) -> None:
    availability = set(Availability.objects.values_list("instructor_id", "weekday", "half_day"))
    for teaching in SessionInstructor.objects.select_related("session__room__site", "instructor"):
        session, instructor = teaching.session, teaching.instructor
        assert is_closed(session.date, session.room.site.region_id) is None
        assert session.language in instructor.languages
        assert instructor.regions.filter(pk=session.room.site.region_id).exists()
        assert (instructor.pk, session.date.weekday(), session.half_day) in availability
        assert (teaching.date, teaching.half_day) == (session.date, session.half_day)
    assert not Session.objects.annotate(people=Count("teaching")).filter(people=0).exists()


def test_no_session_is_overbooked_and_everyone_speaks_its_language(seeded) -> None:
    for session in Session.objects.annotate(
        taken=Count("enrolments", filter=Q(enrolments__status__in=SEAT_TAKEN))
    ):
        assert session.taken <= session.capacity
    assert (
        not Enrolment.objects.exclude(session=None)
        .exclude(employee__language=F("session__language"))
        .exists()
    )


def test_the_unit_rule_holds_on_every_day(seeded) -> None:
    sizes = Counter(Employee.objects.filter(is_active=True).values_list("unit_id", flat=True))
    away = (
        Enrolment.objects.filter(status__in=SEAT_TAKEN)
        .values_list("employee__unit_id", "session__date")
        .annotate(people=Count("pk"))
    )
    for unit_id, _date, people in away:
        assert people <= max(1, sizes[unit_id] * 20 // 100)


def test_every_enrolment_agrees_with_its_newest_event(seeded) -> None:
    newest = {}
    for enrolment_id, to_status in EnrolmentEvent.objects.order_by("at", "pk").values_list(
        "enrolment_id", "to_status"
    ):
        newest[enrolment_id] = to_status
    enrolments = dict(Enrolment.objects.values_list("pk", "status"))
    assert enrolments and newest == enrolments
    assert Enrolment.objects.filter(status=EnrolmentStatus.ATTENDED).exists()
    assert not Enrolment.objects.filter(
        session__status=SessionStatus.HELD, status__in=["proposed", "invited", "accepted"]
    ).exists()
    assert (
        Message.objects.filter(kind="invitation").count()
        == EnrolmentEvent.objects.filter(to_status="invited").count()
    )


def test_held_sessions_are_closed_and_attendees_with_a_login_completed_the_course(seeded) -> None:
    assert not Session.objects.filter(status=SessionStatus.HELD, closed_at=None).exists()
    assert not Session.objects.filter(status=SessionStatus.HELD, date__gte=timezone.localdate()).exists()
    attended_users = set(
        Enrolment.objects.filter(status=EnrolmentStatus.ATTENDED, employee__user__isnull=False).values_list(
            "employee__user_id", flat=True
        )
    )
    assert (
        set(Completion.objects.filter(method="classroom").values_list("user_id", flat=True)) == attended_users
    )


def test_the_demo_instructor_teaches_an_upcoming_session_and_the_demo_employee_is_invited(seeded) -> None:
    today = timezone.localdate()
    assert SessionInstructor.objects.filter(
        instructor__employee__user__username="instructor",
        session__status=SessionStatus.PUBLISHED,
        session__date__gte=today,
    ).exists()
    invitation = Enrolment.objects.select_related("session").get(employee__user__username="employee")
    assert invitation.status == EnrolmentStatus.INVITED
    assert invitation.session.status == SessionStatus.PUBLISHED
    assert invitation.session.date >= today


def test_the_same_roster_gives_the_same_plan_and_only_once(seeded) -> None:
    first = plan_fingerprint()
    assert rollout_demo_seed().sessions == 0
    Message.objects.all()._raw_delete("default")
    EnrolmentEvent.objects.all()._raw_delete("default")
    Completion.objects.all().delete()
    Enrolment.objects.all().delete()
    SessionInstructor.objects.all().delete()
    Session.objects.all().delete()
    Instructor.objects.all().delete()
    Room.objects.all().delete()
    Campaign.objects.all().delete()

    rollout_demo_seed()

    assert plan_fingerprint() == first


def test_a_superuser_can_look_up_the_rollout_in_the_admin(seeded, make_user) -> None:
    admin_user = make_user("administrator")
    admin_user.is_superuser = True
    admin_user.save()
    client = sign_in(Client(), admin_user)

    for model in (
        "campaign",
        "room",
        "instructor",
        "closingday",
        "session",
        "enrolment",
        "enrolmentevent",
        "message",
    ):
        assert client.get(reverse(f"admin:rollout_{model}_changelist")).status_code == 200, model
    session = Session.objects.first()
    assert client.get(reverse("admin:rollout_session_change", args=[session.pk])).status_code == 200
    instructor = Instructor.objects.first()
    assert client.get(reverse("admin:rollout_instructor_change", args=[instructor.pk])).status_code == 200
