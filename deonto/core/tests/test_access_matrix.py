"""Every view against every role: allowed where it should be; 403 for the roles that may not;
the login page for anonymous visitors of private pages.

A view added without a row here fails `test_every_view_is_in_the_matrix`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from conftest import sign_in
from deonto.accounts.roles import Role
from deonto.people.models import RosterImport
from deonto.people.tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db

ANONYMOUS = "anonymous"
EVERYONE = frozenset({ANONYMOUS, *Role.values})
SIGNED_IN = frozenset(Role.values)
ROSTER_READERS = frozenset({Role.COORDINATOR, Role.MANAGER, Role.ADMINISTRATOR})
ROSTER_IMPORTERS = frozenset({Role.COORDINATOR, Role.ADMINISTRATOR})
ADMINISTRATORS = frozenset({Role.ADMINISTRATOR})
LIVE_INSTRUCTORS = frozenset({Role.INSTRUCTOR, Role.COORDINATOR})
CONTENT_READERS = frozenset({Role.INSTRUCTOR, Role.COORDINATOR, Role.ADMINISTRATOR})
CONTENT_MANAGERS = frozenset({Role.COORDINATOR, Role.ADMINISTRATOR})
NOBODY: frozenset[str] = frozenset()
PROGRESS_READERS = frozenset({Role.COORDINATOR, Role.MANAGER})
CASE_WORKERS = frozenset({Role.INSPECTOR, Role.HEAD_OF_SERVICE})
HEAD_OF_SERVICE = frozenset({Role.HEAD_OF_SERVICE})
STATISTICS_READERS = frozenset({Role.MANAGER, Role.HEAD_OF_SERVICE})
ROLLOUT_PLANNERS = frozenset({Role.COORDINATOR})
CHECK_STATISTICS_READERS = frozenset({Role.COORDINATOR, Role.MANAGER, Role.INSPECTOR, Role.HEAD_OF_SERVICE})


@dataclass(frozen=True)
class Row:
    url_name: str
    allowed: frozenset[str]
    method: str = "get"
    args: Callable[[dict[str, Any]], list[Any]] = lambda objects: []
    data: dict[str, Any] | None = None
    ends_on_login: bool = False
    denied: int = 403
    reached: tuple[int, ...] = (200, 302)
    # What an anonymous visitor gets when not allowed, if not the login page (the API answers 401).
    anonymous_status: int | None = None


MATRIX = [
    Row("core:home", SIGNED_IN),
    Row("core:audit_log", ADMINISTRATORS),
    Row("core:healthz", EVERYONE),
    Row("language_switch", EVERYONE, method="post", data={"language": "fr", "next": "/"}),
    Row("accounts:login", EVERYONE),
    Row("accounts:logout", EVERYONE, method="post", ends_on_login=True),
    Row("accounts:password_reset", EVERYONE),
    Row("accounts:password_reset_done", EVERYONE),
    Row("accounts:password_reset_confirm", EVERYONE, args=lambda o: ["MQ", "set-password"]),
    Row("accounts:password_reset_complete", EVERYONE),
    Row("accounts:password_change", SIGNED_IN),
    Row("accounts:two_factor_setup", SIGNED_IN),
    Row("accounts:two_factor_verify", SIGNED_IN),
    Row("accounts:profile", SIGNED_IN),
    Row("accounts:user_list", ADMINISTRATORS),
    Row("accounts:user_create", ADMINISTRATORS),
    Row("accounts:user_edit", ADMINISTRATORS, args=lambda o: [o["user"].pk]),
    Row("accounts:user_send_password_link", ADMINISTRATORS, method="post", args=lambda o: [o["user"].pk]),
    Row("accounts:user_two_factor_reset", ADMINISTRATORS, method="post", args=lambda o: [o["user"].pk]),
    Row("knowledge:index", EVERYONE),
    Row("knowledge:detail", EVERYONE, args=lambda o: ["discretion"]),
    Row("people:employee_list", ROSTER_READERS),
    # The manager manages the unit of this employee (see the `objects` fixture).
    Row("people:employee_detail", ROSTER_READERS, args=lambda o: [o["employee"].pk]),
    Row("people:import_start", ROSTER_IMPORTERS),
    Row("people:import_list", ROSTER_IMPORTERS),
    Row("people:import_mapping", ROSTER_IMPORTERS, args=lambda o: [o["import"].pk]),
    Row("people:import_preview", ROSTER_IMPORTERS, args=lambda o: [o["import"].pk]),
    Row("people:import_apply", ROSTER_IMPORTERS, method="post", args=lambda o: [o["import"].pk]),
    Row("people:import_result", ROSTER_IMPORTERS, args=lambda o: [o["import"].pk]),
    Row("people:import_progress", ROSTER_IMPORTERS, args=lambda o: [o["import"].pk]),
    Row("training:home", SIGNED_IN),
    Row("training:learn_index", SIGNED_IN),
    Row("training:learn_course", SIGNED_IN, args=lambda o: ["mini"]),
    Row("training:learn_start", SIGNED_IN, method="post", args=lambda o: ["mini"]),
    Row(
        "training:learn_language", SIGNED_IN, method="post", args=lambda o: ["mini"], data={"language": "fr"}
    ),
    Row("training:learn_item", SIGNED_IN, args=lambda o: ["mini", 1]),
    Row("training:learn_quiz", SIGNED_IN, args=lambda o: ["mini"]),
    Row("training:learn_quiz_result", SIGNED_IN, args=lambda o: ["mini"]),
    Row("training:learn_quiz_retry", SIGNED_IN, method="post", args=lambda o: ["mini"]),
    # Only the holder downloads a certificate; for anyone else it does not exist.
    Row("training:certificate_pdf", NOBODY, args=lambda o: [o["certificate"].code], denied=404),
    Row("training:certificate_check", EVERYONE),
    Row("training:item_image", EVERYONE, args=lambda o: [o["course"].items.exclude(image="").first().pk]),
    Row("training:live_start", LIVE_INSTRUCTORS),
    # The run belongs to the user being tested: only an instructor drives their own run.
    Row("training:live_screen", LIVE_INSTRUCTORS, args=lambda o: [o["own_run"].pk]),
    Row("training:live_screen_state", LIVE_INSTRUCTORS, args=lambda o: [o["own_run"].pk]),
    Row(
        "training:live_control",
        LIVE_INSTRUCTORS,
        method="post",
        args=lambda o: [o["own_run"].pk],
        data={"action": "open"},
    ),
    Row("live:join", EVERYONE),
    Row("live:participate", EVERYONE, args=lambda o: [o["run"].join_code]),
    Row("live:state", EVERYONE, args=lambda o: [o["run"].join_code]),
    # Nobody may vote before the instructor opens the vote: refused as such (400), not for access.
    Row(
        "live:vote",
        EVERYONE,
        method="post",
        args=lambda o: [o["run"].join_code],
        data={"choices": "a"},
        reached=(400,),
    ),
    Row("training:content_index", CONTENT_READERS),
    Row("training:content_course", CONTENT_READERS, args=lambda o: ["mini"]),
    Row("training:content_import", CONTENT_MANAGERS, method="post"),
    Row("training:content_export", CONTENT_MANAGERS, args=lambda o: ["mini"]),
    Row("training:translation_list", CONTENT_MANAGERS, args=lambda o: ["mini", "fr"]),
    Row("training:translation_edit", CONTENT_MANAGERS, args=lambda o: ["mini", "fr", "basics-intro"]),
    Row("training:translation_edit_module", CONTENT_MANAGERS, args=lambda o: ["mini", "fr", "basics"]),
    Row("training:translation_edit_course", CONTENT_MANAGERS, args=lambda o: ["mini", "fr"]),
    Row("training:results_csv", CONTENT_MANAGERS),
    Row("integrity:report_start", EVERYONE),
    # Without a mode, the form opens on anonymous for visitors and on named for signed-in users.
    Row("integrity:report_new", EVERYONE),
    # Nothing to show without a report just made: back to the start page, for everyone.
    Row("integrity:report_receipt", EVERYONE),
    Row("integrity:followup", EVERYONE),
    Row("integrity:followup", EVERYONE, method="post", data={"action": "code", "code": "WRONG"}),
    Row("integrity:my_reports", SIGNED_IN),
    # --- deonto.integrity case pages (i6a): need-to-know, "not allowed" is "not found" (404).
    # Only the reporter opens their report; the user tested here never made it.
    Row("integrity:my_report", NOBODY, args=lambda o: [o["case"].reference], denied=404),
    Row("cases:case_list", CASE_WORKERS, denied=404),
    Row("cases:deadlines", CASE_WORKERS, denied=404),
    # The case is assigned to nobody tested here: only the head of service reads it.
    Row("cases:case_detail", HEAD_OF_SERVICE, args=lambda o: [o["case"].reference], denied=404),
    Row("cases:case_conflict", HEAD_OF_SERVICE, args=lambda o: [o["case"].reference], denied=404),
    Row("cases:case_assign", HEAD_OF_SERVICE, args=lambda o: [o["case"].reference], denied=404),
    Row("cases:case_status", HEAD_OF_SERVICE, args=lambda o: [o["case"].reference], denied=404),
    Row("cases:case_notes", HEAD_OF_SERVICE, args=lambda o: [o["case"].reference], denied=404),
    Row("cases:case_messages", HEAD_OF_SERVICE, args=lambda o: [o["case"].reference], denied=404),
    Row("cases:case_person", HEAD_OF_SERVICE, args=lambda o: [o["case"].reference], denied=404),
    Row("cases:case_evidence", HEAD_OF_SERVICE, args=lambda o: [o["case"].reference], denied=404),
    Row(
        "cases:case_evidence_file",
        HEAD_OF_SERVICE,
        args=lambda o: [o["case"].reference, o["case_evidence"].pk],
        denied=404,
    ),
    Row("cases:case_access_log", HEAD_OF_SERVICE, args=lambda o: [o["case"].reference], denied=404),
    # --- deonto.integrity reports as a whole (i6b): the case file for whoever may read the case
    # (404 for anyone else), the anonymised statistics for management.
    Row("integrity_reports:case_file", HEAD_OF_SERVICE, args=lambda o: [o["case"].reference], denied=404),
    Row("integrity_reports:statistics", STATISTICS_READERS),
    Row("integrity_reports:statistics_csv", STATISTICS_READERS),
    # --- deonto.rollout progress (r4): coordinators see every unit, managers their own units.
    Row("rollout:progress", PROGRESS_READERS),
    Row("rollout:not_scheduled", PROGRESS_READERS, args=lambda o: [_progress_campaign(o).pk]),
    Row("rollout:progress_export_csv", PROGRESS_READERS, args=lambda o: [_progress_campaign(o).pk]),
    Row("rollout:progress_export_xlsx", PROGRESS_READERS, args=lambda o: [_progress_campaign(o).pk]),
    Row("rollout:progress_report_pdf", PROGRESS_READERS, args=lambda o: [_progress_campaign(o).pk]),
    # --- deonto.rollout pages (r3): planning for coordinators; the attendance list for the session's
    # instructors and coordinators (the instructor signed in here teaches another session); each
    # employee's own invitation (someone else's enrolment is not found).
    Row("rollout:campaign_list", ROLLOUT_PLANNERS),
    Row("rollout:campaign_create", ROLLOUT_PLANNERS),
    Row("rollout:campaign_detail", ROLLOUT_PLANNERS, args=lambda o: [_rollout(o)["campaign"].pk]),
    Row("rollout:campaign_edit", ROLLOUT_PLANNERS, args=lambda o: [_rollout(o)["campaign"].pk]),
    Row("rollout:wave_create", ROLLOUT_PLANNERS, args=lambda o: [_rollout(o)["campaign"].pk]),
    Row("rollout:wave_count", ROLLOUT_PLANNERS, args=lambda o: [_rollout(o)["campaign"].pk]),
    Row("rollout:wave_edit", ROLLOUT_PLANNERS, args=lambda o: [_rollout(o)["wave"].pk]),
    Row("rollout:room_list", ROLLOUT_PLANNERS),
    Row("rollout:room_create", ROLLOUT_PLANNERS),
    Row("rollout:room_edit", ROLLOUT_PLANNERS, args=lambda o: [_rollout(o)["session"].room_id]),
    Row("rollout:instructor_list", ROLLOUT_PLANNERS),
    Row("rollout:instructor_create", ROLLOUT_PLANNERS),
    Row("rollout:instructor_edit", ROLLOUT_PLANNERS, args=lambda o: [_rollout(o)["instructor"].pk]),
    Row("rollout:closing_day_list", ROLLOUT_PLANNERS),
    Row("rollout:session_list", ROLLOUT_PLANNERS),
    Row("rollout:session_create", ROLLOUT_PLANNERS),
    Row("rollout:session_detail", ROLLOUT_PLANNERS, args=lambda o: [_rollout(o)["session"].pk]),
    Row("rollout:session_edit", ROLLOUT_PLANNERS, args=lambda o: [_rollout(o)["session"].pk]),
    Row(
        "rollout:session_publish", ROLLOUT_PLANNERS, method="post", args=lambda o: [_rollout(o)["session"].pk]
    ),
    Row("rollout:session_cancel", ROLLOUT_PLANNERS, args=lambda o: [_rollout(o)["session"].pk]),
    Row("rollout:session_propose", ROLLOUT_PLANNERS, args=lambda o: [_rollout(o)["session"].pk]),
    Row(
        "rollout:session_invite", ROLLOUT_PLANNERS, method="post", args=lambda o: [_rollout(o)["session"].pk]
    ),
    Row(
        "rollout:session_fill_waitlist",
        ROLLOUT_PLANNERS,
        method="post",
        args=lambda o: [_rollout(o)["session"].pk],
    ),
    Row("rollout:enrolment_move", ROLLOUT_PLANNERS, args=lambda o: [_rollout(o)["enrolment"].pk]),
    Row("rollout:home", SIGNED_IN),
    Row("rollout:my_training", SIGNED_IN),
    Row("rollout:my_accept", NOBODY, method="post", args=lambda o: [_rollout(o)["enrolment"].pk], denied=404),
    Row(
        "rollout:my_decline", NOBODY, method="post", args=lambda o: [_rollout(o)["enrolment"].pk], denied=404
    ),
    Row("rollout:my_move", NOBODY, args=lambda o: [_rollout(o)["enrolment"].pk], denied=404),
    Row("rollout:my_calendar", NOBODY, args=lambda o: [_rollout(o)["enrolment"].pk], denied=404),
    Row("rollout:attendance", ROLLOUT_PLANNERS, args=lambda o: [_rollout(o)["session"].pk]),
    Row("rollout:attendance_close", ROLLOUT_PLANNERS, args=lambda o: [_rollout(o)["session"].pk]),
    # --- deonto.rollout planner (views_planner): coordinators start runs, follow and publish them.
    Row("rollout:planner_start", ROLLOUT_PLANNERS, args=lambda o: [_rollout(o)["campaign"].pk]),
    Row("rollout:plan_run_detail", ROLLOUT_PLANNERS, args=lambda o: [_plan_run(o).pk]),
    Row("rollout:plan_run_progress", ROLLOUT_PLANNERS, args=lambda o: [_plan_run(o).pk]),
    Row("rollout:plan_run_publish", ROLLOUT_PLANNERS, args=lambda o: [_plan_run(o).pk]),
    # --- deonto.postcheck (p3): every signed-in user checks a draft. Cleaning without a photo says
    # "choose the photo again" (200); the API refuses an empty draft as such (400), and anonymous
    # callers get 401 rather than the login page. The OpenAPI document is public.
    Row("postcheck:check", SIGNED_IN),
    Row("postcheck:clean", SIGNED_IN, method="post"),
    Row("postcheck:masked", SIGNED_IN, method="post"),
    Row("postcheck:statistics", CHECK_STATISTICS_READERS),
    Row("postcheck:statistics_csv", CHECK_STATISTICS_READERS),
    Row("api:postcheck", SIGNED_IN, method="post", reached=(400,), anonymous_status=401),
    Row("api:openapi-json", EVERYONE),
    # --- deonto.api (apidocs): the documentation page (our own, from the OpenAPI document) is for those
    # who may use the API.
    Row("api:openapi-view", SIGNED_IN),
    # django-ninja's root view only names the API's base path: not found for everyone.
    Row("api:api-root", NOBODY, denied=404, anonymous_status=404),
]


def _rollout(objects: dict[str, Any]) -> dict[str, Any]:
    """A campaign with a wave, and a published session with an instructor and one invited person,
    for the rollout pages (r3)."""
    from deonto.rollout.tests.factories import (
        CampaignFactory,
        EnrolmentFactory,
        InstructorFactory,
        SessionFactory,
        WaveFactory,
    )

    if "rollout" not in objects:
        campaign = CampaignFactory()
        instructor = InstructorFactory()
        session = SessionFactory(campaign=campaign, instructors=[instructor])
        objects["rollout"] = {
            "campaign": campaign,
            "wave": WaveFactory(campaign=campaign),
            "instructor": instructor,
            "session": session,
            "enrolment": EnrolmentFactory(session=session),
        }
    return objects["rollout"]


def _plan_run(objects: dict[str, Any]) -> Any:
    """A queued planner run of the rollout campaign, for the planner pages."""
    import datetime

    from deonto.rollout.models import PlanRun

    if "plan_run" not in objects:
        objects["plan_run"] = PlanRun.objects.create(
            campaign=_rollout(objects)["campaign"], starts_on=datetime.date(2030, 1, 7), session_capacity=8
        )
    return objects["plan_run"]


def _progress_campaign(objects: dict[str, Any]) -> Any:
    """A campaign with one wave for everyone, for the progress pages (r4)."""
    import datetime

    from deonto.rollout.models import Campaign, Wave
    from deonto.training.models import Course

    if "progress_campaign" not in objects:
        course, _created = Course.objects.get_or_create(code="progress-course")
        campaign = Campaign.objects.create(
            name="Progress",
            course=course,
            starts_on=datetime.date(2026, 9, 1),
            target_on=datetime.date(2027, 6, 30),
        )
        Wave.objects.create(campaign=campaign, order=1, name="Everyone")
        objects["progress_campaign"] = campaign
    return objects["progress_campaign"]


# Pages that a signed-in user who still owes a second factor is sent away from, and the
# pages only meaningful before signing in, are covered by the accounts tests.
NOT_OUR_VIEWS = ("admin:", "oidc")


def _our_url_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns: list[Any], namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.add(f"{namespace}{pattern.name}")

    walk(get_resolver().url_patterns, "")
    return {name for name in names if not name.startswith(NOT_OUR_VIEWS)}


def test_every_view_is_in_the_matrix() -> None:
    assert _our_url_names() == {row.url_name for row in MATRIX}


def common_objects(make_user) -> dict[str, Any]:
    """What every row's arguments may name: a user, an employee, a roster import."""
    return {
        "user": make_user(Role.EMPLOYEE),
        "employee": EmployeeFactory(),
        "import": RosterImport.objects.create(file_name="roster.csv", file_format="csv"),
    }


@pytest.fixture
def objects(make_user) -> dict[str, Any]:
    return common_objects(make_user)


def _course_objects(objects: dict[str, Any], make_user) -> None:
    """The small test course, published, with a certificate and a live run of someone else's."""
    from django.core.management import call_command
    from django.utils import timezone

    from deonto.training.models import Certificate, Completion, CompletionMethod, LiveRun
    from deonto.training.services import course_bundle_load
    from deonto.training.services_learning import course_publish
    from deonto.training.tests.conftest import MINI

    call_command("sync_guidance", verbosity=0)
    course = course_publish(actor=None, course=course_bundle_load(directory_or_zip=MINI))
    holder = make_user(Role.EMPLOYEE)
    completion = Completion.objects.create(
        user=holder,
        course=course,
        course_version=1,
        method=CompletionMethod.ELEARNING,
        completed_at=timezone.now(),
    )
    objects["certificate"] = Certificate.objects.create(
        code="ABCD-EFGH-JKMN",
        completion=completion,
        holder_name="Holder",
        course_title="Mini",
        language="nl",
        issued_at=timezone.now(),
    )
    objects["course"] = course
    objects["run"] = LiveRun.objects.create(
        course=course,
        language="nl",
        instructor=make_user(Role.INSTRUCTOR),
        join_code="QWERTY",
        items=list(course.items.filter(kind="case").values_list("pk", flat=True)),
    )


def _case_objects(objects: dict[str, Any], make_user, settings, tmp_path) -> None:
    """A confidential integrity report made by someone else, with one piece of evidence."""
    import os

    from deonto.integrity.models import IntakeMode
    from deonto.integrity.services import evidence_add
    from deonto.integrity.tests.factories import ReportFactory

    settings.DATA_DIR = tmp_path
    settings.EVIDENCE_KEYS = {"k1": os.urandom(32)}
    case = ReportFactory(
        intake_mode=IntakeMode.CONFIDENTIAL, reporter=make_user(Role.EMPLOYEE), receipt_code_hash=""
    )
    objects["case"] = case
    objects["case_evidence"] = evidence_add(
        actor=None, report=case, content=b"A plain text note.", file_name="note.txt"
    )


def _client(role: str, make_user, objects: dict[str, Any], language: str = "") -> Client:
    if role == ANONYMOUS:
        objects["own_run"] = objects.get("run")
        return Client()
    user = make_user(role, language=language)
    if role == Role.MANAGER:
        objects["employee"].unit.managers.add(user)
    if "course" in objects:
        from deonto.training.models import LiveRun

        objects["own_run"] = LiveRun.objects.create(
            course=objects["course"],
            language="nl",
            instructor=user,
            join_code="ZXCVBN",
            items=objects["run"].items,
        )
    return sign_in(Client(), user)


def _objects_for(row: Row, objects: dict[str, Any], make_user, request, settings, tmp_path) -> None:
    """What the row's view needs besides the common objects."""
    if row.url_name.startswith("knowledge:"):
        request.getfixturevalue("guidance")
    if row.url_name.startswith(("training:", "live:")):
        settings.MEDIA_ROOT = tmp_path / "media"
        _course_objects(objects, make_user)
    if row.url_name.startswith(("integrity:my_report", "cases:", "integrity_reports:case_file")):
        _case_objects(objects, make_user, settings, tmp_path)


@pytest.mark.parametrize("row", MATRIX, ids=lambda row: row.url_name)
@pytest.mark.parametrize("role", sorted(EVERYONE))
def test_view_access(row: Row, role: str, make_user, objects, request, settings, tmp_path) -> None:
    _objects_for(row, objects, make_user, request, settings, tmp_path)
    client = _client(role, make_user, objects)
    url = reverse(row.url_name, args=row.args(objects))
    response = getattr(client, row.method)(url, row.data or {})
    if role in row.allowed:
        assert response.status_code in row.reached, f"{role} should reach {url}, got {response.status_code}"
        if response.status_code == 302 and not row.ends_on_login:
            assert not response["Location"].startswith(reverse("accounts:login")), f"{role} sent to login"
    elif role == ANONYMOUS and row.anonymous_status is not None:
        assert response.status_code == row.anonymous_status
    elif role == ANONYMOUS or row.ends_on_login:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    else:
        assert response.status_code == row.denied, f"{role} must not reach {url}, got {response.status_code}"
