"""Two people booking the last seat at the same moment: one gets it, the other is told the session
is full. On PostgreSQL the two requests run on two connections at once and the session's row lock
serialises them; SQLite serialises writers itself, so the outcome is the same."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest
from django.db import OperationalError, connection, connections
from django.utils import translation

from deonto.core.errors import DomainError
from deonto.rollout.models import Enrolment, EnrolmentStatus, HalfDay, Session
from deonto.rollout.services import enrolment_move, enrolment_propose
from deonto.rollout.tests.factories import InstructorFactory, RoomFactory, SessionFactory

pytestmark = pytest.mark.django_db(transaction=True)


def at_once(*calls: Callable[[], object]) -> list[object]:
    """Run the calls in threads (each with its own database connection) released together; return
    what each returned or raised."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(index: int, call: Callable[[], object]) -> None:
        try:
            barrier.wait()
            with translation.override("en"):
                results[index] = waiting_for_the_writer(call)
        except Exception as error:
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def waiting_for_the_writer(call: Callable[[], object]) -> object:
    """Call, and on SQLite wait while the other thread writes. A SQLite file waits by itself (the
    ``timeout`` option), but the in-memory test database, shared between threads, answers "table is
    locked" at once instead: retrying is what the file's busy handler would do."""
    for _attempt in range(200):
        try:
            return call()
        except OperationalError as error:
            if connection.vendor != "sqlite" or "locked" not in str(error):
                raise
            time.sleep(0.05)
    raise AssertionError("The other writer never finished.")


def last_seat_session(setting) -> Session:
    return SessionFactory(
        campaign=setting.campaign,
        date=setting.day,
        room=RoomFactory(site=setting.site, capacity=2),
        instructors=[InstructorFactory(regions=[setting.region])],
    )


def test_two_proposals_for_the_last_seat_at_once_never_overbook(setting) -> None:
    session = last_seat_session(setting)
    enrolment_propose(actor=None, session=session, employees=setting.people[:1])
    first, second = setting.people[1], setting.people[2]

    results = at_once(
        lambda: enrolment_propose(actor=None, session=session, employees=[first]),
        lambda: enrolment_propose(actor=None, session=session, employees=[second]),
    )

    refused = [result for result in results if isinstance(result, DomainError)]
    booked = [result for result in results if isinstance(result, list)]
    assert len(booked) == 1, results
    assert len(refused) == 1, results
    assert refused[0].message == "The session is full."
    assert Enrolment.objects.filter(session=session).count() == 2
    assert connection.vendor in {"postgresql", "sqlite"}


def test_two_moves_to_the_last_seat_at_once_never_overbook(setting, make_user) -> None:
    coordinator = make_user("coordinator")
    target = last_seat_session(setting)
    enrolment_propose(actor=None, session=target, employees=setting.people[:1])
    elsewhere = SessionFactory(
        campaign=setting.campaign,
        date=setting.day,
        half_day=HalfDay.AFTERNOON,
        room=RoomFactory(site=setting.site, capacity=5),
        instructors=[InstructorFactory(regions=[setting.region])],
    )
    first, second = enrolment_propose(actor=None, session=elsewhere, employees=setting.people[1:3])

    results = at_once(
        lambda: enrolment_move(actor=coordinator, enrolment=first, session=target),
        lambda: enrolment_move(actor=coordinator, enrolment=second, session=target),
    )

    assert sum(isinstance(result, Enrolment) for result in results) == 1, results
    assert sum(isinstance(result, DomainError) for result in results) == 1, results
    assert Enrolment.objects.filter(session=target, status=EnrolmentStatus.PROPOSED).count() == 2
    assert Enrolment.objects.filter(session=elsewhere).count() == 1
