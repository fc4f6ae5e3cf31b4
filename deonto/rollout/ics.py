"""Calendar files (RFC 5545, iTIP RFC 5546) for invitations: one event per enrolment.

The event's UID belongs to the enrolment, not to the session, so moving to another session updates
the entry in the employee's calendar instead of adding a second one; SEQUENCE tells the calendar
which version is newest. The functions take plain values and know nothing of Django.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parseaddr

from icalendar import Calendar, Event, Timezone, vCalAddress

PRODID = "-//Deonto//Training rollout//EN"
TIME_ZONE = "Europe/Brussels"


@dataclass(frozen=True)
class CalendarEntry:
    uid: str
    sequence: int
    start: datetime
    end: datetime
    summary: str
    description: str
    location: str
    organizer: str
    attendee_email: str
    attendee_name: str
    stamp: datetime


def ics_request(entry: CalendarEntry) -> bytes:
    """The invitation, or its newest version: METHOD:REQUEST."""
    return _calendar(entry, method="REQUEST", status="CONFIRMED")


def ics_cancel(entry: CalendarEntry) -> bytes:
    """The cancellation of the entry with the same UID: METHOD:CANCEL, STATUS:CANCELLED."""
    return _calendar(entry, method="CANCEL", status="CANCELLED")


def _calendar(entry: CalendarEntry, *, method: str, status: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", method)
    calendar.add_component(
        Timezone.from_tzid(
            TIME_ZONE,
            first_date=entry.start.date() - timedelta(days=366),
            last_date=entry.end.date() + timedelta(days=366),
        )
    )
    event = Event()
    event.add("uid", entry.uid)
    event.add("sequence", entry.sequence)
    event.add("dtstamp", entry.stamp)
    event.add("dtstart", entry.start)
    event.add("dtend", entry.end)
    event.add("summary", entry.summary)
    event.add("description", entry.description)
    event.add("location", entry.location)
    event.add("status", status)
    event.add("transp", "OPAQUE")
    organizer_name, organizer_address = parseaddr(entry.organizer)
    organizer = vCalAddress(f"mailto:{organizer_address}")
    if organizer_name:
        organizer.params["CN"] = organizer_name
    event.add("organizer", organizer)
    if entry.attendee_email:
        attendee = vCalAddress(f"mailto:{entry.attendee_email}")
        attendee.params["CN"] = entry.attendee_name
        attendee.params["ROLE"] = "REQ-PARTICIPANT"
        attendee.params["PARTSTAT"] = "NEEDS-ACTION"
        # Answers are given in Deonto, not by replying to the calendar's organizer address.
        attendee.params["RSVP"] = "FALSE"
        event.add("attendee", attendee)
    calendar.add_component(event)
    return bytes(calendar.to_ical())
