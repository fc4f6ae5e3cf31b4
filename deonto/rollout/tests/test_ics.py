"""The calendar files, read back with the icalendar package as a calendar program would."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from icalendar import Calendar

from deonto.rollout.ics import CalendarEntry, ics_cancel, ics_request

BRUSSELS = ZoneInfo("Europe/Brussels")


def entry(**changes: object) -> CalendarEntry:
    values: dict[str, object] = {
        "uid": "0b6f7c1e-4d1a-4e39-9a63-2f1a7e5c9d10@deonto",
        "sequence": 0,
        "start": datetime.datetime(2026, 12, 1, 9, 0, tzinfo=BRUSSELS),
        "end": datetime.datetime(2026, 12, 1, 12, 30, tzinfo=BRUSSELS),
        "summary": "Formation : médias sociaux",
        "description": "Sociale media, déontologie; règles, exemples",
        "location": "Zaal 1, Liège, Rue Côté 3",
        "organizer": "Deonto <deonto@douane.example>",
        "attendee_email": "jan.peeters@douane.example",
        "attendee_name": "Jan Peeters",
        "stamp": datetime.datetime(2026, 11, 20, 8, 0, tzinfo=datetime.UTC),
    }
    values.update(changes)
    return CalendarEntry(**values)  # type: ignore[arg-type]


def only_event(calendar: Calendar) -> object:
    (event,) = calendar.walk("VEVENT")
    return event


def test_request_is_an_itip_request_with_uid_sequence_and_brussels_times() -> None:
    calendar = Calendar.from_ical(ics_request(entry(sequence=2)))
    event = only_event(calendar)

    assert calendar["METHOD"] == "REQUEST"
    assert calendar["VERSION"] == "2.0"
    assert str(event["UID"]) == "0b6f7c1e-4d1a-4e39-9a63-2f1a7e5c9d10@deonto"
    assert event["SEQUENCE"] == 2
    assert event["STATUS"] == "CONFIRMED"
    assert event["DTSTART"].dt == datetime.datetime(2026, 12, 1, 9, 0, tzinfo=BRUSSELS)
    assert event["DTSTART"].params["TZID"] == "Europe/Brussels"
    assert event["DTEND"].dt == datetime.datetime(2026, 12, 1, 12, 30, tzinfo=BRUSSELS)
    assert event["DTSTART"].dt.utcoffset() == datetime.timedelta(hours=1)


def test_the_time_zone_is_described_in_the_file_itself() -> None:
    calendar = Calendar.from_ical(ics_request(entry()))

    (zone,) = calendar.walk("VTIMEZONE")
    assert zone["TZID"] == "Europe/Brussels"
    assert {part.name for part in zone.subcomponents} == {"STANDARD", "DAYLIGHT"}


def test_a_summer_session_is_in_brussels_summer_time() -> None:
    start = datetime.datetime(2027, 6, 15, 13, 30, tzinfo=BRUSSELS)
    end = datetime.datetime(2027, 6, 15, 17, 0, tzinfo=BRUSSELS)
    event = only_event(Calendar.from_ical(ics_request(entry(start=start, end=end))))

    assert event["DTSTART"].dt.utcoffset() == datetime.timedelta(hours=2)
    assert event["DTSTART"].dt.astimezone(datetime.UTC).hour == 11


def test_texts_keep_their_accents_and_punctuation() -> None:
    event = only_event(Calendar.from_ical(ics_request(entry())))

    assert str(event["SUMMARY"]) == "Formation : médias sociaux"
    assert str(event["DESCRIPTION"]) == "Sociale media, déontologie; règles, exemples"
    assert str(event["LOCATION"]) == "Zaal 1, Liège, Rue Côté 3"


def test_organizer_and_attendee_are_mail_addresses_with_names() -> None:
    event = only_event(Calendar.from_ical(ics_request(entry())))

    assert str(event["ORGANIZER"]) == "mailto:deonto@douane.example"
    assert event["ORGANIZER"].params["CN"] == "Deonto"
    assert str(event["ATTENDEE"]) == "mailto:jan.peeters@douane.example"
    assert event["ATTENDEE"].params["CN"] == "Jan Peeters"
    assert event["ATTENDEE"].params["PARTSTAT"] == "NEEDS-ACTION"


def test_cancellation_is_an_itip_cancel_of_the_same_uid() -> None:
    request = only_event(Calendar.from_ical(ics_request(entry(sequence=1))))
    calendar = Calendar.from_ical(ics_cancel(entry(sequence=2)))
    cancel = only_event(calendar)

    assert calendar["METHOD"] == "CANCEL"
    assert cancel["STATUS"] == "CANCELLED"
    assert cancel["UID"] == request["UID"]
    assert cancel["SEQUENCE"] > request["SEQUENCE"]


def test_without_an_address_the_entry_has_no_attendee() -> None:
    event = only_event(Calendar.from_ical(ics_request(entry(attendee_email=""))))

    assert "ATTENDEE" not in event
