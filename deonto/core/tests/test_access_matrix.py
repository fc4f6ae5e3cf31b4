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
]

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


@pytest.fixture
def objects(make_user) -> dict[str, Any]:
    employee = EmployeeFactory()
    return {
        "user": make_user(Role.EMPLOYEE),
        "employee": employee,
        "import": RosterImport.objects.create(file_name="roster.csv", file_format="csv"),
    }


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


def _client(role: str, make_user, objects: dict[str, Any]) -> Client:
    if role == ANONYMOUS:
        objects["own_run"] = objects.get("run")
        return Client()
    user = make_user(role)
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


@pytest.mark.parametrize("row", MATRIX, ids=lambda row: row.url_name)
@pytest.mark.parametrize("role", sorted(EVERYONE))
def test_view_access(row: Row, role: str, make_user, objects, request, settings, tmp_path) -> None:
    if row.url_name.startswith("knowledge:"):
        request.getfixturevalue("guidance")
    if row.url_name.startswith(("training:", "live:")):
        settings.MEDIA_ROOT = tmp_path / "media"
        _course_objects(objects, make_user)
    client = _client(role, make_user, objects)
    url = reverse(row.url_name, args=row.args(objects))
    response = getattr(client, row.method)(url, row.data or {})
    if role in row.allowed:
        assert response.status_code in row.reached, f"{role} should reach {url}, got {response.status_code}"
        if response.status_code == 302 and not row.ends_on_login:
            assert not response["Location"].startswith(reverse("accounts:login")), f"{role} sent to login"
    elif role == ANONYMOUS or row.ends_on_login:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    else:
        assert response.status_code == row.denied, f"{role} must not reach {url}, got {response.status_code}"
