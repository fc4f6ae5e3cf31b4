"""Planning sessions: every rule of the calendar, rooms and instructors is enforced with a clear
message; publishing, changing, cancelling and closing a session."""

from __future__ import annotations

import datetime

import pytest

from deonto.core.errors import DomainError
from deonto.core.models import AuditEntry
from deonto.people.models import StaffLanguage
from deonto.people.tests.factories import EmployeeFactory, RegionFactory, SiteFactory
from deonto.rollout.models import (
    Absence,
    Availability,
    ClosingDay,
    Enrolment,
    EnrolmentStatus,
    HalfDay,
    Message,
    MessageKind,
    Session,
    SessionInstructor,
    SessionStatus,
)
from deonto.rollout.services import (
    attendance_record,
    enrolment_invite,
    enrolment_propose,
    session_cancel,
    session_close,
    session_create,
    session_publish,
    session_update,
)
from deonto.rollout.tests.factories import InstructorFactory, RoomFactory, working_day
from deonto.training.models import Completion, CompletionMethod

pytestmark = pytest.mark.django_db


def create(setting, **changes):
    values = {
        "actor": None,
        "campaign": setting.campaign,
        "date": setting.day,
        "half_day": HalfDay.MORNING,
        "room": setting.room,
        "language": StaffLanguage.DUTCH,
        "instructors": [setting.instructor],
    }
    values.update(changes)
    return session_create(**values)


def test_a_valid_session_is_created_as_a_draft_with_its_instructor_and_the_room_capacity(
    setting, make_user
) -> None:
    coordinator = make_user("coordinator")

    session = create(setting, actor=coordinator)

    assert session.status == SessionStatus.DRAFT
    assert session.capacity == 10
    teaching = SessionInstructor.objects.get(session=session)
    assert (teaching.instructor, teaching.date, teaching.half_day) == (setting.instructor, setting.day, "am")
    assert AuditEntry.objects.filter(action="rollout.session_create", actor=coordinator).exists()


def test_the_same_room_twice_on_one_half_day_is_refused(setting) -> None:
    create(setting)
    other = InstructorFactory(regions=[setting.region])

    with pytest.raises(DomainError, match=r"The room .*Schelde is already booked on"):
        create(setting, instructors=[other])
    assert Session.objects.count() == 1


def test_the_same_room_in_the_afternoon_is_fine(setting) -> None:
    create(setting)

    create(setting, half_day=HalfDay.AFTERNOON)

    assert Session.objects.count() == 2


def test_an_instructor_in_two_rooms_at_once_is_refused(setting) -> None:
    create(setting)
    other_room = RoomFactory(site=setting.site, name="Maas")

    with pytest.raises(DomainError, match="already teaches another session on"):
        create(setting, room=other_room)
    assert Session.objects.count() == 1


def test_a_language_the_instructor_does_not_teach_is_refused(setting) -> None:
    with pytest.raises(DomainError, match="does not teach in French"):
        create(setting, language=StaffLanguage.FRENCH)
    assert not Session.objects.exists()


def test_a_region_the_instructor_does_not_travel_to_is_refused(setting) -> None:
    far_room = RoomFactory(site=SiteFactory(region=RegionFactory(code="LUX")), name="Far")

    with pytest.raises(DomainError, match=r"does not travel to the region"):
        create(setting, room=far_room)
    assert not Session.objects.exists()


def test_a_half_day_outside_the_instructor_availability_is_refused(setting) -> None:
    Availability.objects.filter(
        instructor=setting.instructor, weekday=setting.day.weekday(), half_day=HalfDay.MORNING
    ).delete()

    with pytest.raises(DomainError, match=r"is not available on .* \(Morning\)"):
        create(setting)
    create(setting, half_day=HalfDay.AFTERNOON)


def test_a_day_the_instructor_is_absent_is_refused(setting) -> None:
    Absence.objects.create(instructor=setting.instructor, starts_on=setting.day, ends_on=setting.day)

    with pytest.raises(DomainError, match="is absent on"):
        create(setting)
    assert not Session.objects.exists()


def test_a_belgian_public_holiday_is_refused(setting) -> None:
    with pytest.raises(DomainError, match=r"is a public holiday \(Armistice Day\)"):
        create(setting, date=datetime.date(2027, 11, 11))


def test_a_closing_day_of_the_room_region_is_refused(setting) -> None:
    ClosingDay.objects.create(date=setting.day, region=setting.region, reason="Staff day")

    with pytest.raises(DomainError, match=r"is a closing day \(Staff day\)"):
        create(setting)


def test_a_weekend_day_is_refused(setting) -> None:
    saturday = setting.day + datetime.timedelta(days=3)

    with pytest.raises(DomainError, match="is a weekend day"):
        create(setting, date=saturday)


def test_more_seats_than_the_room_holds_is_refused(setting) -> None:
    with pytest.raises(DomainError, match="holds 10 people"):
        create(setting, capacity=11)
    assert create(setting, capacity=6).capacity == 6


def test_a_session_without_instructor_or_with_three_is_refused(setting) -> None:
    with pytest.raises(DomainError, match="needs an instructor"):
        create(setting, instructors=[])
    three = [setting.instructor, *(InstructorFactory(regions=[setting.region]) for _ in range(2))]
    with pytest.raises(DomainError, match="one or two instructors"):
        create(setting, instructors=three)


def test_a_cancelled_session_frees_its_room_and_instructor(setting) -> None:
    first = create(setting)
    session_cancel(actor=None, session=first, reason="Room flooded")

    second = create(setting)

    assert second.status == SessionStatus.DRAFT
    assert (
        SessionInstructor.objects.filter(instructor=setting.instructor, is_active=True).get().session
        == second
    )


def test_publishing_makes_a_draft_public_once(setting) -> None:
    session = create(setting)

    session_publish(actor=None, session=session)

    session.refresh_from_db()
    assert session.status == SessionStatus.PUBLISHED
    with pytest.raises(DomainError, match="Only a draft session can be published"):
        session_publish(actor=None, session=session)


def _published_with_invited(setting, people: int = 3) -> tuple[Session, list[Enrolment]]:
    session = create(setting)
    session_publish(actor=None, session=session)
    enrolments = enrolment_propose(actor=None, session=session, employees=setting.people[:people])
    enrolment_invite(actor=None, session=session)
    return session, [Enrolment.objects.get(pk=e.pk) for e in enrolments]


def test_changing_the_day_keeps_the_rules_and_tells_the_invited_with_a_raised_sequence(setting) -> None:
    session, _enrolments = _published_with_invited(setting)
    next_week = working_day(setting.day, weeks_ahead=1)

    session_update(actor=None, session=session, date=next_week)

    session.refresh_from_db()
    assert session.date == next_week
    assert SessionInstructor.objects.get(session=session).date == next_week
    updates = Message.objects.filter(kind=MessageKind.UPDATE, session=session)
    assert updates.count() == 3
    assert {message.ics_sequence for message in updates} == {1}
    assert {e.ics_sequence for e in Enrolment.objects.filter(session=session)} == {1}


def test_changing_a_session_into_a_double_booking_is_refused(setting) -> None:
    session = create(setting)
    other_room = RoomFactory(site=setting.site, name="Maas")
    other = InstructorFactory(regions=[setting.region])
    create(setting, room=other_room, instructors=[other], half_day=HalfDay.AFTERNOON)

    with pytest.raises(DomainError, match="already booked"):
        session_update(actor=None, session=session, room=other_room, half_day=HalfDay.AFTERNOON)
    with pytest.raises(DomainError, match="already teaches another session"):
        session_update(actor=None, session=session, instructors=[other], half_day=HalfDay.AFTERNOON)
    session.refresh_from_db()
    assert (session.room, session.half_day) == (setting.room, HalfDay.MORNING)


def test_fewer_seats_than_people_booked_is_refused(setting) -> None:
    session, _enrolments = _published_with_invited(setting, people=3)

    with pytest.raises(DomainError, match="More people are booked"):
        session_update(actor=None, session=session, capacity=2)
    session_update(actor=None, session=session, capacity=3)
    assert Message.objects.filter(kind=MessageKind.UPDATE).count() == 0


def test_replacing_the_instructor_moves_the_teaching_to_the_new_one(setting) -> None:
    session = create(setting)
    other = InstructorFactory(regions=[setting.region])

    session_update(actor=None, session=session, instructors=[other])

    assert list(SessionInstructor.objects.filter(session=session).values_list("instructor", flat=True)) == [
        other.pk
    ]


def test_cancelling_re_proposes_everyone_without_session_and_tells_the_invited(setting, make_user) -> None:
    coordinator = make_user("coordinator")
    session, enrolments = _published_with_invited(setting, people=2)
    late = enrolment_propose(actor=None, session=session, employees=[setting.people[5]])[0]

    session_cancel(actor=coordinator, session=session, reason="Instructor ill")

    session.refresh_from_db()
    assert session.status == SessionStatus.CANCELLED
    for enrolment in [*enrolments, late]:
        enrolment.refresh_from_db()
        assert (enrolment.status, enrolment.session) == (EnrolmentStatus.PROPOSED, None)
        event = enrolment.events.last()
        assert (event.to_status, event.session, event.reason, event.actor) == (
            EnrolmentStatus.PROPOSED,
            session,
            "Instructor ill",
            coordinator,
        )
    cancellations = Message.objects.filter(kind=MessageKind.CANCELLATION)
    assert {message.enrolment_id for message in cancellations} == {e.pk for e in enrolments}
    assert {message.session_id for message in cancellations} == {session.pk}
    assert {message.ics_sequence for message in cancellations} == {1}


def test_cancelling_needs_a_reason_and_a_held_session_cannot_be_cancelled(setting) -> None:
    session = create(setting)
    with pytest.raises(DomainError, match="Say why"):
        session_cancel(actor=None, session=session, reason="  ")
    session_publish(actor=None, session=session)
    session_close(actor=None, session=session)
    with pytest.raises(DomainError, match="cannot be cancelled"):
        session_cancel(actor=None, session=session, reason="Too late")


def test_closing_records_a_classroom_completion_for_attendees_with_a_user(setting, make_user) -> None:
    session, enrolments = _published_with_invited(setting, people=3)
    with_user, absent, without_user = enrolments
    learner = make_user("employee")
    with_user.employee.user = learner
    with_user.employee.save()
    absent.employee.user = make_user("employee")
    absent.employee.save()
    attendance_record(
        actor=None,
        session=session,
        marks={with_user.pk: "attended", absent.pk: "absent", without_user.pk: "attended"},
    )

    session_close(actor=None, session=session)

    session.refresh_from_db()
    assert session.status == SessionStatus.HELD
    assert session.closed_at is not None
    completion = Completion.objects.get()
    assert (completion.user, completion.course, completion.method, completion.course_version) == (
        learner,
        setting.campaign.course,
        CompletionMethod.CLASSROOM,
        setting.campaign.course.version,
    )


def test_closing_is_refused_while_someone_is_not_marked(setting) -> None:
    session, enrolments = _published_with_invited(setting, people=2)
    attendance_record(actor=None, session=session, marks={enrolments[0].pk: "attended"})

    with pytest.raises(DomainError, match="1 person is not marked yet"):
        session_close(actor=None, session=session)
    assert not Completion.objects.exists()


def test_a_held_session_can_no_longer_be_changed_or_marked(setting) -> None:
    session, enrolments = _published_with_invited(setting, people=1)
    attendance_record(actor=None, session=session, marks={enrolments[0].pk: "attended"})
    session_close(actor=None, session=session)

    with pytest.raises(DomainError, match="can no longer be changed"):
        session_update(actor=None, session=session, capacity=5)
    with pytest.raises(DomainError, match="can no longer be changed"):
        attendance_record(actor=None, session=session, marks={enrolments[0].pk: "absent"})


def test_attendance_for_someone_not_on_the_session_is_refused(setting) -> None:
    session, _enrolments = _published_with_invited(setting, people=1)
    stranger = EmployeeFactory(unit=setting.unit)
    other_session = create(setting, half_day=HalfDay.AFTERNOON)
    session_publish(actor=None, session=other_session)
    elsewhere = enrolment_propose(actor=None, session=other_session, employees=[stranger])[0]

    with pytest.raises(DomainError, match="not booked on this session"):
        attendance_record(actor=None, session=session, marks={elsewhere.pk: "attended"})


def test_moving_a_session_to_a_day_its_people_units_are_already_away_is_refused(setting) -> None:
    session, _enrolments = _published_with_invited(setting, people=3)
    next_week = working_day(setting.day, weeks_ahead=1)
    other_room = RoomFactory(site=setting.site, name="Maas")
    other = create(
        setting, date=next_week, room=other_room, instructors=[InstructorFactory(regions=[setting.region])]
    )
    enrolment_propose(actor=None, session=other, employees=setting.people[5:7])

    with pytest.raises(DomainError, match="At most 4 people"):
        session_update(actor=None, session=session, date=next_week)
    session.refresh_from_db()
    assert session.date == setting.day
