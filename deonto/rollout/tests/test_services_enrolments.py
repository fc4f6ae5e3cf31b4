"""Enrolments: proposing within seats, language and the unit rule; invitations and answers;
moves; the waiting list; and one event per change, agreeing with the status."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from deonto.core.errors import DomainError
from deonto.people.models import StaffLanguage
from deonto.people.tests.factories import EmployeeFactory, OrgUnitFactory, RegionFactory, SiteFactory
from deonto.rollout.models import (
    Enrolment,
    EnrolmentEvent,
    EnrolmentStatus,
    HalfDay,
    Message,
    MessageKind,
    Session,
    SessionStatus,
)
from deonto.rollout.selectors import open_sessions_for, sessions_for
from deonto.rollout.services import (
    enrolment_accept,
    enrolment_cancel,
    enrolment_decline,
    enrolment_invite,
    enrolment_move,
    enrolment_propose,
    enrolment_waitlist,
    waitlist_fill,
)
from deonto.rollout.tests.factories import InstructorFactory, RoomFactory, SessionFactory

pytestmark = pytest.mark.django_db


def published(
    setting, *, half_day: str = HalfDay.MORNING, day: datetime.date | None = None, **values
) -> Session:
    values.setdefault("room", RoomFactory(site=setting.site, capacity=values.pop("room_capacity", 10)))
    return SessionFactory(
        campaign=setting.campaign,
        date=day or setting.day,
        half_day=half_day,
        instructors=[InstructorFactory(regions=[setting.region])],
        **values,
    )


def assert_history_agrees(enrolment: Enrolment) -> None:
    enrolment.refresh_from_db()
    newest = enrolment.events.order_by("at", "pk").last()
    assert newest is not None
    assert newest.to_status == enrolment.status


def test_proposing_creates_one_enrolment_and_one_event_per_person(setting, make_user) -> None:
    coordinator = make_user("coordinator")
    session = published(setting)

    enrolments = enrolment_propose(actor=coordinator, session=session, employees=setting.people[:3])

    assert [e.employee for e in enrolments] == setting.people[:3]
    for enrolment in enrolments:
        assert (enrolment.status, enrolment.session, enrolment.campaign) == (
            EnrolmentStatus.PROPOSED,
            session,
            setting.campaign,
        )
        event = EnrolmentEvent.objects.get(enrolment=enrolment)
        assert (event.from_status, event.to_status, event.actor, event.session) == (
            "",
            EnrolmentStatus.PROPOSED,
            coordinator,
            session,
        )


def test_proposing_someone_of_another_language_is_refused(setting) -> None:
    session = published(setting)
    french = EmployeeFactory(unit=setting.unit, site=setting.site, language=StaffLanguage.FRENCH)

    with pytest.raises(DomainError, match="speaks French; the session is in Dutch"):
        enrolment_propose(actor=None, session=session, employees=[setting.people[0], french])
    assert not Enrolment.objects.exists()


def test_proposing_more_people_than_free_seats_is_refused(setting) -> None:
    session = published(setting, room_capacity=3)
    enrolment_propose(actor=None, session=session, employees=setting.people[:2])

    with pytest.raises(DomainError, match="only 1 free seat"):
        enrolment_propose(actor=None, session=session, employees=setting.people[2:4])
    enrolment_propose(actor=None, session=session, employees=setting.people[2:3])
    with pytest.raises(DomainError, match="The session is full"):
        enrolment_propose(actor=None, session=session, employees=setting.people[3:4])
    assert Enrolment.objects.filter(session=session).count() == 3


def test_the_unit_rule_allows_a_fifth_of_the_unit_on_one_day(setting) -> None:
    # 20 active employees at 20 %: four may be away on the same day.
    session = published(setting)

    with pytest.raises(
        DomainError, match=r"At most 4 people of .* may be away on .* \(20 %\); 0 already are"
    ):
        enrolment_propose(actor=None, session=session, employees=setting.people[:5])
    enrolment_propose(actor=None, session=session, employees=setting.people[:4])
    assert Enrolment.objects.count() == 4


def test_the_unit_rule_counts_every_session_of_the_day(setting) -> None:
    morning = published(setting)
    afternoon = published(setting, half_day=HalfDay.AFTERNOON)
    enrolment_propose(actor=None, session=morning, employees=setting.people[:3])

    with pytest.raises(DomainError, match="3 already are"):
        enrolment_propose(actor=None, session=afternoon, employees=setting.people[3:5])
    enrolment_propose(actor=None, session=afternoon, employees=setting.people[3:4])


def test_the_unit_rule_always_lets_one_person_of_a_small_unit_go(setting) -> None:
    small = OrgUnitFactory(code="SMALL", site=setting.site)
    two = EmployeeFactory.create_batch(2, unit=small, site=setting.site)
    session = published(setting)

    with pytest.raises(DomainError, match=r"At most 1 person of .* may be away"):
        enrolment_propose(actor=None, session=session, employees=two)
    enrolment_propose(actor=None, session=session, employees=two[:1])


def test_the_unit_rule_follows_the_campaign_share(setting) -> None:
    setting.campaign.unit_share_max = 50
    setting.campaign.save()
    session = published(setting)

    enrolment_propose(actor=None, session=session, employees=setting.people[:10])

    assert Enrolment.objects.count() == 10


def test_the_unit_rule_ignores_inactive_employees_and_cancelled_sessions(setting) -> None:
    for person in setting.people[10:]:
        person.is_active = False
        person.save()
    # 10 active: at most 2 a day.
    cancelled = published(setting, half_day=HalfDay.AFTERNOON, status=SessionStatus.CANCELLED)
    enrolment_propose(actor=None, session=published(setting), employees=setting.people[:2])
    Enrolment.objects.filter(employee=setting.people[0]).update(session=cancelled)

    with pytest.raises(DomainError, match="At most 2 people"):
        enrolment_propose(actor=None, session=published(setting), employees=setting.people[2:4])


def test_proposing_twenty_people_takes_a_constant_number_of_queries(setting) -> None:
    setting.campaign.unit_share_max = 100
    setting.campaign.save()
    session = published(setting, room_capacity=40)
    others = EmployeeFactory.create_batch(20, unit=setting.unit, site=setting.site)

    with CaptureQueriesContext(connection) as one:
        enrolment_propose(actor=None, session=session, employees=setting.people[:1])
    with CaptureQueriesContext(connection) as twenty:
        enrolment_propose(actor=None, session=session, employees=others)

    assert len(twenty) == len(one)
    assert len(twenty) <= 15


def test_proposing_someone_already_booked_in_the_campaign_is_refused(setting) -> None:
    first = published(setting)
    second = published(setting, half_day=HalfDay.AFTERNOON)
    enrolment_propose(actor=None, session=first, employees=setting.people[:1])

    with pytest.raises(DomainError, match="already booked on this session"):
        enrolment_propose(actor=None, session=first, employees=setting.people[:1])
    with pytest.raises(DomainError, match="already booked on another session"):
        enrolment_propose(actor=None, session=second, employees=setting.people[:1])


def test_someone_to_schedule_again_is_proposed_on_their_existing_enrolment(setting) -> None:
    first = published(setting)
    enrolment = enrolment_propose(actor=None, session=first, employees=setting.people[:1])[0]
    enrolment_invite(actor=None, session=first)
    enrolment_decline(actor=None, enrolment=enrolment, reason="On leave")
    second = published(setting, day=setting.day + datetime.timedelta(days=1))

    again = enrolment_propose(actor=None, session=second, employees=setting.people[:1])[0]

    assert again.pk == enrolment.pk
    assert list(again.events.values_list("to_status", flat=True)) == [
        "proposed",
        "invited",
        "declined",
        "proposed",
    ]
    assert_history_agrees(again)


def test_inviting_needs_a_published_session_and_queues_one_invitation_each(setting) -> None:
    draft = published(setting, status=SessionStatus.DRAFT)
    enrolment_propose(actor=None, session=draft, employees=setting.people[:2])
    with pytest.raises(DomainError, match="Publish the session before inviting"):
        enrolment_invite(actor=None, session=draft)

    draft.status = SessionStatus.PUBLISHED
    draft.save()
    assert enrolment_invite(actor=None, session=draft) == 2

    assert set(Enrolment.objects.values_list("status", flat=True)) == {EnrolmentStatus.INVITED}
    assert Message.objects.filter(kind=MessageKind.INVITATION, session=draft).count() == 2
    assert enrolment_invite(actor=None, session=draft) == 0


def test_an_invited_employee_accepts_once(setting) -> None:
    session = published(setting)
    enrolment = enrolment_propose(actor=None, session=session, employees=setting.people[:1])[0]
    with pytest.raises(DomainError, match="no invitation to accept"):
        enrolment_accept(actor=None, enrolment=enrolment)
    enrolment_invite(actor=None, session=session)

    enrolment_accept(actor=None, enrolment=enrolment)

    assert_history_agrees(enrolment)
    assert enrolment.status == EnrolmentStatus.ACCEPTED
    with pytest.raises(DomainError, match="already accepted"):
        enrolment_accept(actor=None, enrolment=enrolment)


def test_a_decline_frees_the_seat_for_the_earliest_on_the_waiting_list_who_is_told(setting) -> None:
    session = published(setting, room_capacity=1)
    holder = enrolment_propose(actor=None, session=session, employees=setting.people[:1])[0]
    enrolment_invite(actor=None, session=session)
    other_day = published(setting, day=setting.day + datetime.timedelta(days=1))
    first, second = enrolment_propose(actor=None, session=other_day, employees=setting.people[1:3])
    enrolment_waitlist(actor=None, enrolment=first, session=session)
    enrolment_waitlist(actor=None, enrolment=second, session=session)

    enrolment_decline(actor=None, enrolment=holder, reason="On leave")

    holder.refresh_from_db()
    first.refresh_from_db()
    second.refresh_from_db()
    assert (holder.status, holder.session) == (EnrolmentStatus.DECLINED, None)
    assert holder.events.last().session == session
    assert holder.events.last().reason == "On leave"
    assert (first.status, first.session) == (EnrolmentStatus.INVITED, session)
    assert first.events.last().reason == "A seat became free."
    assert (second.status, second.session) == (EnrolmentStatus.WAITLISTED, session)
    offered = Message.objects.get(kind=MessageKind.SEAT_OFFERED)
    assert (offered.enrolment, offered.session) == (first, session)
    for enrolment in (holder, first, second):
        assert_history_agrees(enrolment)


def test_waiting_for_a_session_with_free_seats_is_refused(setting) -> None:
    session = published(setting)
    other = published(setting, half_day=HalfDay.AFTERNOON)
    enrolment = enrolment_propose(actor=None, session=other, employees=setting.people[:1])[0]

    with pytest.raises(DomainError, match="still has free seats"):
        enrolment_waitlist(actor=None, enrolment=enrolment, session=session)


def test_the_waiting_list_skips_someone_whose_unit_is_away_enough(setting) -> None:
    session = published(setting, room_capacity=1)
    other_unit = OrgUnitFactory(code="OTHER", site=setting.site)
    holder_person, outsider = EmployeeFactory.create_batch(2, unit=other_unit, site=setting.site)
    holder = enrolment_propose(actor=None, session=session, employees=[holder_person])[0]
    same_day = published(setting, half_day=HalfDay.AFTERNOON)
    enrolment_propose(actor=None, session=same_day, employees=setting.people[1:5])
    later = published(setting, day=setting.day + datetime.timedelta(days=1))
    blocked, free = enrolment_propose(actor=None, session=later, employees=[setting.people[5], outsider])
    enrolment_waitlist(actor=None, enrolment=blocked, session=session)
    enrolment_waitlist(actor=None, enrolment=free, session=session)

    enrolment_cancel(actor=None, enrolment=holder, reason="Needed at the office")

    blocked.refresh_from_db()
    free.refresh_from_db()
    assert (blocked.status, blocked.session) == (EnrolmentStatus.WAITLISTED, session)
    assert (free.status, free.session) == (EnrolmentStatus.INVITED, session)


def test_waitlist_fill_gives_added_seats_in_order(setting) -> None:
    session = published(setting, room_capacity=3)
    session.capacity = 1
    session.save()
    enrolment_propose(actor=None, session=session, employees=setting.people[:1])
    later = published(setting, day=setting.day + datetime.timedelta(days=1))
    waiting = enrolment_propose(actor=None, session=later, employees=setting.people[1:4])
    for enrolment in waiting:
        enrolment_waitlist(actor=None, enrolment=enrolment, session=session)
    session.capacity = 3
    session.save()

    assert waitlist_fill(actor=None, session=session) == 2

    statuses = [Enrolment.objects.get(pk=e.pk).status for e in waiting]
    assert statuses == [EnrolmentStatus.INVITED, EnrolmentStatus.INVITED, EnrolmentStatus.WAITLISTED]


def test_an_employee_moves_to_another_published_session_and_the_seat_goes_to_the_waiting_list(
    setting, make_user
) -> None:
    user = make_user("employee")
    employee = setting.people[0]
    employee.user = user
    employee.save()
    first = published(setting, room_capacity=1)
    enrolment = enrolment_propose(actor=None, session=first, employees=[employee])[0]
    enrolment_invite(actor=None, session=first)
    second = published(setting, day=setting.day + datetime.timedelta(days=1))
    waiting = enrolment_propose(actor=None, session=second, employees=setting.people[1:2])[0]
    enrolment_waitlist(actor=None, enrolment=waiting, session=first)

    enrolment_move(actor=user, enrolment=enrolment, session=second)

    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.session, enrolment.ics_sequence) == (
        EnrolmentStatus.ACCEPTED,
        second,
        1,
    )
    update = Message.objects.get(kind=MessageKind.UPDATE)
    assert (update.enrolment, update.session, update.ics_sequence) == (enrolment, second, 1)
    waiting.refresh_from_db()
    assert (waiting.status, waiting.session) == (EnrolmentStatus.INVITED, first)
    assert_history_agrees(enrolment)
    assert enrolment.events.last().actor == user


def test_an_employee_cannot_move_to_a_draft_full_foreign_or_other_region_session(setting, make_user) -> None:
    user = make_user("employee")
    employee = setting.people[0]
    employee.user = user
    employee.save()
    first = published(setting)
    enrolment = enrolment_propose(actor=None, session=first, employees=[employee])[0]
    enrolment_invite(actor=None, session=first)
    tomorrow = setting.day + datetime.timedelta(days=1)

    draft = published(setting, day=tomorrow, status=SessionStatus.DRAFT)
    with pytest.raises(DomainError, match="Choose an upcoming published session"):
        enrolment_move(actor=user, enrolment=enrolment, session=draft)
    french = published(setting, day=tomorrow, half_day=HalfDay.AFTERNOON, language=StaffLanguage.FRENCH)
    with pytest.raises(DomainError, match="speaks Dutch; the session is in French"):
        enrolment_move(actor=user, enrolment=enrolment, session=french)
    far = SessionFactory(
        campaign=setting.campaign,
        date=tomorrow,
        room=RoomFactory(site=SiteFactory(region=RegionFactory(code="FAR"))),
    )
    with pytest.raises(DomainError, match="Choose a session in your region"):
        enrolment_move(actor=user, enrolment=enrolment, session=far)
    full = published(setting, day=tomorrow + datetime.timedelta(days=1), room_capacity=1)
    enrolment_propose(actor=None, session=full, employees=setting.people[1:2])
    with pytest.raises(DomainError, match="The session is full"):
        enrolment_move(actor=user, enrolment=enrolment, session=full)
    enrolment.refresh_from_db()
    assert enrolment.session == first
    assert open_sessions_for(enrolment=enrolment) == []


def test_a_move_that_breaks_the_unit_rule_is_refused(setting, make_user) -> None:
    user = make_user("employee")
    employee = setting.people[0]
    employee.user = user
    employee.save()
    first = published(setting)
    enrolment = enrolment_propose(actor=None, session=first, employees=[employee])[0]
    enrolment_invite(actor=None, session=first)
    tomorrow = published(setting, day=setting.day + datetime.timedelta(days=1))
    enrolment_propose(actor=None, session=tomorrow, employees=setting.people[1:5])

    assert open_sessions_for(enrolment=enrolment) == []
    with pytest.raises(DomainError, match="At most 4 people"):
        enrolment_move(actor=user, enrolment=enrolment, session=tomorrow)


def test_moving_within_the_same_day_does_not_count_the_person_twice(setting) -> None:
    morning = published(setting)
    afternoon = published(setting, half_day=HalfDay.AFTERNOON)
    enrolments = enrolment_propose(actor=None, session=morning, employees=setting.people[:4])

    enrolment_move(actor=None, enrolment=enrolments[0], session=afternoon)

    assert Enrolment.objects.get(pk=enrolments[0].pk).session == afternoon


def test_open_sessions_list_where_the_employee_may_move(setting) -> None:
    first = published(setting)
    enrolment = enrolment_propose(actor=None, session=first, employees=setting.people[:1])[0]
    tomorrow = published(setting, day=setting.day + datetime.timedelta(days=1))
    published(
        setting, day=setting.day + datetime.timedelta(days=1), half_day=HalfDay.AFTERNOON, language="fr"
    )

    assert open_sessions_for(
        enrolment=Enrolment.objects.select_related("employee", "session", "campaign").get(pk=enrolment.pk)
    ) == [tomorrow]


def test_a_coordinator_moves_someone_to_a_draft_session_and_they_are_proposed_there(
    setting, make_user
) -> None:
    coordinator = make_user("coordinator")
    first = published(setting)
    enrolment = enrolment_propose(actor=None, session=first, employees=setting.people[:1])[0]
    enrolment_invite(actor=None, session=first)
    draft = published(setting, day=setting.day + datetime.timedelta(days=1), status=SessionStatus.DRAFT)

    enrolment_move(actor=coordinator, enrolment=enrolment, session=draft)

    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.session) == (EnrolmentStatus.PROPOSED, draft)
    cancellation = Message.objects.get(kind=MessageKind.CANCELLATION)
    assert cancellation.session == first
    assert_history_agrees(enrolment)


def test_a_coordinator_takes_someone_off_a_session_to_schedule_again(setting, make_user) -> None:
    coordinator = make_user("coordinator")
    session = published(setting)
    enrolment = enrolment_propose(actor=None, session=session, employees=setting.people[:1])[0]
    enrolment_invite(actor=None, session=session)

    enrolment_cancel(actor=coordinator, enrolment=enrolment, reason="Sick leave")

    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.session, enrolment.ics_sequence) == (
        EnrolmentStatus.PROPOSED,
        None,
        1,
    )
    assert Message.objects.get(kind=MessageKind.CANCELLATION).session == session
    event = enrolment.events.last()
    assert (event.reason, event.actor, event.session) == ("Sick leave", coordinator, session)


def test_every_change_writes_exactly_one_event(setting, make_user) -> None:
    user = make_user("employee")
    employee = setting.people[0]
    employee.user = user
    employee.save()
    first = published(setting)
    second = published(setting, day=setting.day + datetime.timedelta(days=1))

    enrolment = enrolment_propose(actor=None, session=first, employees=[employee])[0]
    steps = [
        lambda: enrolment_invite(actor=None, session=first),
        lambda: enrolment_accept(actor=user, enrolment=enrolment),
        lambda: enrolment_move(actor=user, enrolment=enrolment, session=second),
        lambda: enrolment_decline(actor=user, enrolment=enrolment, reason="Holiday"),
    ]
    for count, step in enumerate(steps, start=2):
        step()
        assert EnrolmentEvent.objects.filter(enrolment=enrolment).count() == count
        assert_history_agrees(enrolment)


def test_an_invitation_after_a_cancellation_has_a_newer_calendar_sequence(setting) -> None:
    first = published(setting)
    enrolment = enrolment_propose(actor=None, session=first, employees=setting.people[:1])[0]
    enrolment_invite(actor=None, session=first)
    enrolment_cancel(actor=None, enrolment=enrolment, reason="Replanned")
    second = published(setting, day=setting.day + datetime.timedelta(days=1))
    enrolment_propose(actor=None, session=second, employees=setting.people[:1])

    enrolment_invite(actor=None, session=second)

    sequences = list(
        Message.objects.filter(enrolment=enrolment).order_by("pk").values_list("kind", "ics_sequence")
    )
    assert sequences == [("invitation", 0), ("cancellation", 1), ("invitation", 2)]


def test_sessions_can_be_listed_by_region_and_language(setting, make_user) -> None:
    coordinator = make_user("coordinator")
    dutch = published(setting)
    french = published(setting, half_day=HalfDay.AFTERNOON, language=StaffLanguage.FRENCH)
    elsewhere = SessionFactory(
        campaign=setting.campaign, room=RoomFactory(site=SiteFactory(region=RegionFactory()))
    )

    assert list(sessions_for(viewer=coordinator, region=setting.region)) == [dutch, french]
    assert list(sessions_for(viewer=coordinator, language="fr")) == [french]
    assert elsewhere in sessions_for(viewer=coordinator, language="nl")
