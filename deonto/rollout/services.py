"""The rollout's writes, in one place to import from. Each service takes keyword arguments with
the acting user first, runs in one transaction, writes its audit entry and raises a
``DomainError`` with a translated message when it refuses.

They live in three modules: the plan's frame (``services_resources``), sessions
(``services_sessions``) and enrolments (``services_enrolments``).
"""

from deonto.rollout.services_enrolments import (
    attendance_record,
    enrolment_accept,
    enrolment_cancel,
    enrolment_decline,
    enrolment_invite,
    enrolment_move,
    enrolment_propose,
    enrolment_waitlist,
    waitlist_fill,
)
from deonto.rollout.services_resources import (
    absence_add,
    absence_delete,
    availability_set,
    campaign_create,
    campaign_update,
    closing_day_add,
    closing_day_delete,
    instructor_create,
    instructor_update,
    room_create,
    room_update,
    wave_create,
    wave_delete,
    wave_update,
)
from deonto.rollout.services_sessions import (
    session_cancel,
    session_close,
    session_create,
    session_publish,
    session_update,
)

__all__ = [
    "absence_add",
    "absence_delete",
    "attendance_record",
    "availability_set",
    "campaign_create",
    "campaign_update",
    "closing_day_add",
    "closing_day_delete",
    "enrolment_accept",
    "enrolment_cancel",
    "enrolment_decline",
    "enrolment_invite",
    "enrolment_move",
    "enrolment_propose",
    "enrolment_waitlist",
    "instructor_create",
    "instructor_update",
    "room_create",
    "room_update",
    "session_cancel",
    "session_close",
    "session_create",
    "session_publish",
    "session_update",
    "waitlist_fill",
    "wave_create",
    "wave_delete",
    "wave_update",
]
