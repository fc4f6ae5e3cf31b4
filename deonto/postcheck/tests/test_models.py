"""Rules as data: validation, the history of every change, the admin for the integrity service, counts."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import translation

from conftest import sign_in
from deonto.accounts.roles import Role
from deonto.core.models import AuditEntry
from deonto.postcheck.models import CategoryCount, Rule, RuleKind, RuleRevision
from deonto.postcheck.rules_db import shipped_rows
from deonto.postcheck.services import (
    MAX_PATTERN_LENGTH,
    categories_count,
    rule_delete,
    rule_save,
    rule_validate,
)
from deonto.postcheck.tests.rules import change_form_data, text_rule, validation_errors

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_a_valid_rule_passes(guidance) -> None:
    rule_validate(text_rule(patterns=[r"\d{1,2}u\d{2}"], context_terms=["haven"], context_severity="high"))


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"patterns": ["(unclosed"]}, "patterns", "not a valid regular expression"),
        ({"patterns": ["a" * (MAX_PATTERN_LENGTH + 1)]}, "patterns", "too long"),
        ({"patterns": [r"(\w+\s?)+$"]}, "patterns", "repeats a repetition"),
        ({"context_patterns": [r"(a*)*b"]}, "context_patterns", "repeats a repetition"),
        ({"terms": ["ge*heim"]}, "terms", "a * may only start or end a word"),
        ({"terms": [], "patterns": []}, "terms", "at least one term or one pattern"),
        ({"article": "no-such-article"}, "article", "no published guidance article"),
        ({"context_required": True}, "context_terms", "context terms or patterns"),
    ],
)
def test_unsafe_or_incomplete_rules_are_refused(guidance, fields, field, message) -> None:
    errors = validation_errors(text_rule(**fields))
    assert message in " ".join(errors[field])


def test_every_shipped_rule_passes_the_admins_checks_as_shipped(guidance) -> None:
    # Otherwise the integrity service could not save a shipped rule without rewriting what it did not touch.
    for row in shipped_rows():
        rule_validate(Rule(**row))


def test_identifier_and_photo_messages_must_name_a_known_finding_and_stay_on(guidance) -> None:
    errors = validation_errors(
        text_rule(kind=RuleKind.IDENTIFIER, code="passport", terms=[], is_active=False)
    )
    assert "iban" in errors["code"][0]
    assert errors["is_active"]


def test_saving_a_rule_keeps_a_revision_and_an_audit_entry(make_user, guidance) -> None:
    inspector = make_user(Role.INSPECTOR)
    rule = rule_save(actor=inspector, rule=text_rule(), comment="New rule for the summer campaign")
    rule.severity = "high"
    rule_save(actor=inspector, rule=rule, comment="More serious")
    revisions = list(RuleRevision.objects.filter(rule=rule).order_by("id"))
    assert [revision.snapshot["severity"] for revision in revisions] == ["warning", "high"]
    assert revisions[-1].changed_by == inspector
    assert revisions[-1].comment == "More serious"
    assert rule.is_customised
    assert AuditEntry.objects.filter(action="postcheck.rule_update", object_id=str(rule.pk)).exists()


def test_deleting_a_rule_keeps_its_last_state(make_user, guidance) -> None:
    head = make_user(Role.HEAD_OF_SERVICE)
    rule = rule_save(actor=head, rule=text_rule())
    rule_delete(actor=head, rule=rule, comment="Too many false alarms")
    revision = RuleRevision.objects.get(is_deletion=True)
    assert revision.code == "nl-test" and revision.snapshot["terms"] == ["geheime actie"]
    assert not Rule.objects.filter(code="nl-test").exists()


@pytest.mark.parametrize("role", [Role.EMPLOYEE, Role.COORDINATOR, Role.MANAGER, Role.ADMINISTRATOR])
def test_only_the_integrity_service_edits_rules(make_user, guidance, role) -> None:
    with pytest.raises(PermissionDenied):
        rule_save(actor=make_user(role), rule=text_rule())


@pytest.mark.parametrize(
    ("role", "is_staff"),
    [
        (Role.INSPECTOR, True),
        (Role.HEAD_OF_SERVICE, True),
        (Role.ADMINISTRATOR, True),
        (Role.EMPLOYEE, False),
        (Role.COORDINATOR, False),
        (Role.MANAGER, False),
        (Role.INSTRUCTOR, False),
    ],
)
def test_the_roles_that_edit_in_the_admin_reach_it(make_user, role, is_staff) -> None:
    user = make_user(role)
    assert user.is_staff is is_staff
    response = sign_in(Client(), user).get("/admin/postcheck/rule/")
    assert response.status_code == (
        200 if role in {Role.INSPECTOR, Role.HEAD_OF_SERVICE} else 302 if not is_staff else 403
    )


@pytest.mark.parametrize(
    ("language", "header"),
    [("nl", "Deonto-beheer"), ("fr", "Administration de Deonto"), ("en", "Deonto administration")],
)
def test_the_admin_is_named_after_deonto_in_the_readers_language(make_user, language, header) -> None:
    content = sign_in(Client(), make_user(Role.INSPECTOR, language=language)).get("/admin/").content.decode()
    assert f'<a href="/admin/">{header}</a>' in content
    assert "Django" not in content.split("<title>")[1].split("</title>")[0]


def test_an_inspector_edits_a_rule_in_the_admin_with_a_comment(make_user, guidance) -> None:
    inspector = make_user(Role.INSPECTOR)
    rule = rule_save(actor=make_user(Role.HEAD_OF_SERVICE), rule=text_rule())
    client = sign_in(Client(), inspector)
    page = client.get(f"/admin/postcheck/rule/{rule.pk}/change/")
    assert page.status_code == 200
    assert "geheime actie</textarea>" in page.content.decode()
    # Terms and patterns get a wide box, without the spell-checker underlining every pattern.
    assert re.search(
        r'<textarea name="terms" [^>]*class="vLargeTextField"[^>]*spellcheck="false"', page.content.decode()
    )
    data = change_form_data(page, terms="geheime actie\nstille actie", comment="Also the quiet actions")
    response = client.post(f"/admin/postcheck/rule/{rule.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    rule.refresh_from_db()
    assert rule.terms == ["geheime actie", "stille actie"]
    assert RuleRevision.objects.filter(
        rule=rule, comment="Also the quiet actions", changed_by=inspector
    ).exists()


def test_the_admin_refuses_a_catastrophic_pattern(make_user, guidance) -> None:
    client = sign_in(Client(), make_user(Role.INSPECTOR, language="en"))
    response = client.post(
        "/admin/postcheck/rule/add/",
        {
            "language": "nl",
            "kind": "text",
            "code": "nl-slow",
            "position": "0",
            "category": "operational",
            "severity": "warning",
            "patterns": r"(\w+\s?)+$",
            "context_window": "8",
            "unless_window": "8",
            "explanation": "x",
            "advice": "y",
            "is_active": "on",
            "revisions-TOTAL_FORMS": "0",
            "revisions-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "repeats a repetition" in response.content.decode()
    assert not Rule.objects.filter(code="nl-slow").exists()


def test_the_history_is_read_only_in_the_admin(make_user, guidance) -> None:
    head = make_user(Role.HEAD_OF_SERVICE)
    rule_save(actor=head, rule=text_rule())
    revision = RuleRevision.objects.get()
    client = sign_in(Client(), head)
    assert client.get("/admin/postcheck/rulerevision/").status_code == 200
    assert client.get("/admin/postcheck/rulerevision/add/").status_code == 403
    page = client.get(f"/admin/postcheck/rulerevision/{revision.pk}/change/")
    assert page.status_code == 200
    assert 'name="comment"' not in page.content.decode()
    assert (
        client.post(f"/admin/postcheck/rulerevision/{revision.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )


def test_counts_are_added_per_category_and_day() -> None:
    categories_count(categories=["operational", "location"])
    categories_count(categories=["operational", "operational"])
    counts = dict(CategoryCount.objects.values_list("category", "count"))
    assert counts == {"operational": 2, "location": 1}
