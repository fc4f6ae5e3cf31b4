"""Factories for the rollout: campaigns, waves, rooms, instructors (available every weekday by
default), sessions with their instructors, and enrolments written with their first event."""

from __future__ import annotations

import datetime
from typing import Any

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from deonto.people.models import StaffLanguage
from deonto.people.tests.factories import EmployeeFactory, RegionFactory, SiteFactory
from deonto.rollout.models import (
    Availability,
    Campaign,
    Enrolment,
    EnrolmentEvent,
    EnrolmentStatus,
    HalfDay,
    Instructor,
    Room,
    Session,
    SessionInstructor,
    SessionStatus,
    Wave,
)
from deonto.training.models import Course, CourseTranslation, TranslationStatus

EVERY_HALF_DAY = {(weekday, half_day) for weekday in range(5) for half_day in HalfDay.values}


def working_day(start: datetime.date | None = None, *, weeks_ahead: int = 2) -> datetime.date:
    """A Wednesday some weeks ahead that is no Belgian public holiday (no Wednesday in a row of
    holidays is one): a day on which sessions can be planned."""
    from deonto.rollout.calendar import public_holiday

    day = (start or timezone.localdate()) + datetime.timedelta(weeks=weeks_ahead)
    day += datetime.timedelta(days=(2 - day.weekday()) % 7)
    while public_holiday(day):
        day += datetime.timedelta(weeks=1)
    return day


class CourseFactory(DjangoModelFactory[Course]):
    class Meta:
        model = Course
        django_get_or_create = ("code",)

    code = "rollout-course"
    is_published = True


def course_with_titles(code: str = "social-media", **titles: str) -> Course:
    """A published course with a reviewed title per language (``nl="Sociale media"``), the first its source."""
    course = CourseFactory(code=code, source_language=next(iter(titles), "nl"))
    for language, title in titles.items():
        CourseTranslation.objects.create(
            course=course, language=language, title=title, description="-", status=TranslationStatus.REVIEWED
        )
    return course


class CampaignFactory(DjangoModelFactory[Campaign]):
    class Meta:
        model = Campaign

    name = factory.Sequence(lambda n: f"Campaign {n}")
    course = factory.SubFactory(CourseFactory)
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    target_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=300))


class WaveFactory(DjangoModelFactory[Wave]):
    class Meta:
        model = Wave
        skip_postgeneration_save = True

    campaign = factory.SubFactory(CampaignFactory)
    order = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"Wave {n}")

    @factory.post_generation
    def regions(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            self.regions.set(extracted)

    @factory.post_generation
    def units(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            self.units.set(extracted)


class RoomFactory(DjangoModelFactory[Room]):
    class Meta:
        model = Room

    site = factory.SubFactory(SiteFactory)
    name = factory.Sequence(lambda n: f"Room {n}")
    capacity = 12
    is_accessible = True


class InstructorFactory(DjangoModelFactory[Instructor]):
    """An instructor teaching Dutch in the regions given (by default a new one), available every
    weekday morning and afternoon unless ``slots`` says otherwise."""

    class Meta:
        model = Instructor
        skip_postgeneration_save = True

    employee = factory.SubFactory(EmployeeFactory)
    languages = factory.LazyFunction(lambda: [StaffLanguage.DUTCH])

    @factory.post_generation
    def regions(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            self.regions.set(extracted if extracted is not None else [RegionFactory()])

    @factory.post_generation
    def slots(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            Availability.objects.bulk_create(
                Availability(instructor=self, weekday=weekday, half_day=half_day)
                for weekday, half_day in sorted(EVERY_HALF_DAY if extracted is None else extracted)
            )


class SessionFactory(DjangoModelFactory[Session]):
    """A published session straight in the database (no rules checked): for tests of what comes
    after planning. ``instructors`` names who teaches it."""

    class Meta:
        model = Session
        skip_postgeneration_save = True

    campaign = factory.SubFactory(CampaignFactory)
    date = factory.LazyFunction(working_day)
    half_day = HalfDay.MORNING
    room = factory.SubFactory(RoomFactory)
    language = StaffLanguage.DUTCH
    capacity = factory.LazyAttribute(lambda session: session.room.capacity)
    status = SessionStatus.PUBLISHED

    @factory.post_generation
    def instructors(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            SessionInstructor.objects.bulk_create(
                SessionInstructor(session=self, instructor=instructor, date=self.date, half_day=self.half_day)
                for instructor in extracted
            )


class EnrolmentFactory(DjangoModelFactory[Enrolment]):
    """An enrolment with the event that gave it its status, as the services would write it."""

    class Meta:
        model = Enrolment
        skip_postgeneration_save = True

    session = factory.SubFactory(SessionFactory)
    campaign = factory.LazyAttribute(lambda enrolment: enrolment.session.campaign)
    employee = factory.SubFactory(EmployeeFactory)
    status = EnrolmentStatus.INVITED

    @factory.post_generation
    def event(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            EnrolmentEvent.objects.create(
                enrolment=self,
                from_status="",
                to_status=self.status,
                session=self.session,
                at=self.status_changed_at,
            )
