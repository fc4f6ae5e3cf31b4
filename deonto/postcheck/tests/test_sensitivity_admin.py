"""The classifier's sensitivity set by the integrity service: versions, the check that uses the newest, and the
admin pages with their figures and preview."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import translation

from conftest import sign_in
from deonto.accounts.roles import Role
from deonto.core.models import AuditEntry
from deonto.postcheck.analyzers.classifier import load_default
from deonto.postcheck.analyzers.findings import Category
from deonto.postcheck.forms import priority_field_name
from deonto.postcheck.models import ClassifierSensitivity, Priority
from deonto.postcheck.sensitivity_db import DEFAULT_PRIORITIES, current_classifier
from deonto.postcheck.services import post_check, sensitivity_save

pytestmark = pytest.mark.django_db

# Written for these tests: no rule finds operational details in it, the classifier does.
OPERATIONAL_PARAPHRASE = "Wij controleren morgen alle vrachtwagens op de E17"
ADD = "/admin/postcheck/classifiersensitivity/add/"


def _priorities(**changed: int) -> dict[str, int]:
    return {**DEFAULT_PRIORITIES, **{name.replace("_", "-"): value for name, value in changed.items()}}


def _form(priorities: dict[str, int], allowance: int = 10, comment: str = "") -> dict[str, str]:
    data = {priority_field_name(Category(name)): str(value) for name, value in priorities.items()}
    return data | {"allowance_per_mille": str(allowance), "comment": comment}


def test_without_a_version_the_shipped_thresholds_apply() -> None:
    assert (current_classifier().thresholds == load_default().thresholds).all()


def test_a_category_switched_off_gets_no_classifier_warning_from_the_next_check(make_user) -> None:
    employee = make_user(Role.EMPLOYEE)

    def rules_found() -> set[str]:
        analysis = post_check(actor=employee, text=OPERATIONAL_PARAPHRASE, photo=None, language="nl")
        return {finding.rule for finding in analysis.findings}

    assert "classifier:operational" in rules_found()
    sensitivity_save(
        actor=make_user(Role.HEAD_OF_SERVICE),
        priorities=_priorities(operational=Priority.OFF),
        allowance_per_mille=10,
        comment="Operational hints are the rules' job",
    )
    assert "classifier:operational" not in rules_found()


def test_the_classifier_in_force_is_reused_until_the_sensitivity_changes(
    make_user, django_assert_num_queries
) -> None:
    sensitivity_save(
        actor=make_user(Role.HEAD_OF_SERVICE),
        priorities=_priorities(political=3),
        allowance_per_mille=20,
        comment="x",
    )
    first = current_classifier()
    with django_assert_num_queries(1):
        assert current_classifier() is first


def test_a_version_is_kept_with_who_why_and_an_audit_entry(make_user) -> None:
    head = make_user(Role.HEAD_OF_SERVICE)
    version = sensitivity_save(
        actor=head,
        priorities=_priorities(political=3),
        allowance_per_mille=20,
        comment="  Elections in May  ",
    )
    assert version.changed_by == head
    assert version.comment == "Elections in May"
    assert version.priorities["political"] == 3
    entry = AuditEntry.objects.get(action="postcheck.sensitivity_update")
    assert entry.actor == head
    assert entry.details["allowance_per_mille"] == 20


@pytest.mark.parametrize("role", [Role.INSPECTOR, Role.EMPLOYEE, Role.ADMINISTRATOR])
def test_only_the_head_of_the_integrity_service_sets_the_sensitivity(make_user, role) -> None:
    with pytest.raises(PermissionDenied):
        sensitivity_save(actor=make_user(role), priorities=_priorities(), allowance_per_mille=10, comment="x")
    assert not ClassifierSensitivity.objects.exists()


@pytest.mark.parametrize(
    ("priorities", "allowance", "comment", "field"),
    [
        ({"political": 1}, 10, "x", "priorities"),
        (_priorities(political=7), 10, "x", "priorities"),
        (_priorities(), 15, "x", "allowance_per_mille"),
        (_priorities(), 10, "   ", "comment"),
    ],
)
def test_a_sensitivity_that_is_incomplete_or_unknown_is_refused(
    make_user, priorities, allowance, comment, field
):
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        sensitivity_save(
            actor=make_user(Role.HEAD_OF_SERVICE),
            priorities=priorities,
            allowance_per_mille=allowance,
            comment=comment,
        )
    assert field in refused.value.message_dict
    assert not ClassifierSensitivity.objects.exists()


@pytest.mark.parametrize(
    ("language", "heading", "off"),
    [("nl", "Prioriteit per categorie", "uit"), ("fr", "Priorité par catégorie", "désactivé")],
)
def test_the_add_page_shows_the_settings_in_force_and_their_figures(
    make_user, language, heading, off
) -> None:
    sensitivity_save(
        actor=make_user(Role.HEAD_OF_SERVICE),
        priorities=_priorities(weapon=Priority.OFF),
        allowance_per_mille=5,
        comment="x",
    )
    client = sign_in(Client(), make_user(Role.HEAD_OF_SERVICE, language=language))
    page = client.get(ADD, headers={"accept-language": language})
    assert page.status_code == 200
    html = page.content.decode()
    assert heading in html
    assert f"<td>{off}</td>" in html
    form = page.context["adminform"].form
    assert form.initial[priority_field_name(Category.WEAPON)] == Priority.OFF
    assert form.initial["allowance_per_mille"] == 5


def test_showing_what_it_would_catch_saves_nothing_and_keeps_what_was_typed(make_user) -> None:
    client = sign_in(Client(), make_user(Role.HEAD_OF_SERVICE, language="en"))
    data = _form(_priorities(political=Priority.OFF), allowance=20, comment="Try it") | {"_preview": "1"}
    page = client.post(ADD, data)
    assert page.status_code == 200
    assert not ClassifierSensitivity.objects.exists()
    html = page.content.decode()
    assert "Not saved yet" in html
    assert "<td>off</td>" in html
    assert "2 % of harmless posts" in html
    form = page.context["adminform"].form
    assert form.data[priority_field_name(Category.POLITICAL)] == "0"
    assert form.data["comment"] == "Try it"


def test_saving_in_the_admin_puts_a_new_version_in_force(make_user) -> None:
    head = make_user(Role.HEAD_OF_SERVICE, language="en")
    client = sign_in(Client(), head)
    response = client.post(ADD, _form(_priorities(political=3), allowance=20, comment="Elections in May"))
    assert response.status_code == 302
    version = ClassifierSensitivity.objects.get()
    assert (version.priorities["political"], version.allowance_per_mille, version.changed_by) == (3, 20, head)
    page = client.get(f"/admin/postcheck/classifiersensitivity/{version.pk}/change/")
    assert page.status_code == 200
    assert "Three times as important" in page.content.decode()
    assert 'name="_save"' not in page.content.decode()


def test_the_admin_refuses_a_change_without_a_reason_and_keeps_the_choices(make_user) -> None:
    client = sign_in(Client(), make_user(Role.HEAD_OF_SERVICE, language="en"))
    page = client.post(ADD, _form(_priorities(political=3), comment=""))
    assert page.status_code == 200
    assert not ClassifierSensitivity.objects.exists()
    form = page.context["adminform"].form
    assert "comment" in form.errors
    assert form.data[priority_field_name(Category.POLITICAL)] == "3"


def test_inspectors_read_the_versions_and_cannot_add_one(make_user) -> None:
    sensitivity_save(
        actor=make_user(Role.HEAD_OF_SERVICE), priorities=_priorities(), allowance_per_mille=10, comment="x"
    )
    client = sign_in(Client(), make_user(Role.INSPECTOR, language="en"))
    assert client.get("/admin/postcheck/classifiersensitivity/").status_code == 200
    assert client.get(ADD).status_code == 403
    assert client.post(ADD, _form(_priorities(), comment="y") | {"_preview": "1"}).status_code == 403
    assert ClassifierSensitivity.objects.count() == 1
