"""A rule's examples: posts it must warn about and harmless look-alikes it must not, checked at every save."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from conftest import sign_in
from deonto.accounts.roles import Role
from deonto.postcheck.models import Rule, RuleKind, RuleRevision
from deonto.postcheck.rules_db import EXAMPLE_FIELDS, fingerprint, rule_fields, shipped_rows
from deonto.postcheck.services import (
    MAX_EXAMPLE_LENGTH,
    MAX_EXAMPLES,
    rule_save,
    rule_validate,
    rules_sync_shipped,
)
from deonto.postcheck.tests.rules import change_form_data, text_rule, validation_errors

pytestmark = pytest.mark.django_db

RISKY = "Morgen de geheime actie op de kaai, niks zeggen"
LOOK_ALIKE = "De geheime actie voor mama haar verjaardag is gelukt"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _rule(**fields: Any) -> Rule:
    """A rule on "geheime actie" except near "verjaardag", with a post it warns about and a look-alike."""
    return text_rule(
        **{
            "code": "nl-secret-action",
            "unless_terms": ["verjaardag"],
            "examples_warn": [RISKY],
            "examples_pass": [LOOK_ALIKE],
            **fields,
        }
    )


def test_a_rule_that_keeps_its_examples_is_valid(guidance) -> None:
    rule_validate(_rule())


def test_a_change_that_no_longer_warns_about_an_example_is_refused_and_names_it(guidance) -> None:
    errors = validation_errors(_rule(terms=["stille actie"]))
    assert errors == {"examples_warn": [f"The rule gives no warning on: “{RISKY}”."]}


def test_a_change_that_warns_about_a_look_alike_is_refused_and_names_it(guidance) -> None:
    errors = validation_errors(_rule(unless_terms=[]))
    assert errors == {
        "examples_pass": [f"The rule gives a warning on: “{LOOK_ALIKE}” (because of “geheime actie”)."]
    }


def test_every_broken_example_is_named_and_a_long_one_shortened(guidance) -> None:
    long_example = "Ze zeggen dat " + "er iets komt " * 10 + "maar dat weet ik niet"
    errors = validation_errors(_rule(terms=["stille actie"], examples_warn=[RISKY, long_example]))
    message = errors["examples_warn"][0]
    assert f"“{RISKY}”; “{long_example[:79]}…”" in message


def test_a_note_that_is_only_good_to_know_leaves_a_look_alike_alone(guidance) -> None:
    # Info unless a harbour is near; then a warning.
    rule = _rule(
        severity="info",
        unless_terms=[],
        context_terms=["haven"],
        context_severity="warning",
        examples_warn=["Morgen de geheime actie in de haven"],
        examples_pass=["De geheime actie voor mama is gelukt"],
    )
    rule_validate(rule)
    rule.examples_warn = ["Morgen de geheime actie thuis"]
    assert "examples_warn" in validation_errors(rule)


def test_examples_are_for_rules_on_the_text_only(guidance) -> None:
    errors = validation_errors(_rule(kind=RuleKind.IDENTIFIER, code="iban", terms=[], unless_terms=[]))
    assert errors["examples_warn"] == ["Examples are checked for rules on the text only; leave this empty."]
    assert errors["examples_pass"] == ["Examples are checked for rules on the text only; leave this empty."]


def test_too_many_or_too_long_examples_are_refused(guidance) -> None:
    errors = validation_errors(_rule(examples_pass=[f"{LOOK_ALIKE} {n}" for n in range(MAX_EXAMPLES + 1)]))
    assert errors["examples_pass"] == [f"At most {MAX_EXAMPLES} examples, please."]
    errors = validation_errors(_rule(examples_warn=[RISKY + " x" * MAX_EXAMPLE_LENGTH]))
    assert "is too long: at most 1000 characters" in errors["examples_warn"][0]


def test_the_examples_are_kept_in_the_history(make_user, guidance) -> None:
    rule = rule_save(actor=make_user(Role.INSPECTOR), rule=_rule())
    snapshot = RuleRevision.objects.get(rule=rule).snapshot
    assert snapshot["examples_warn"] == [RISKY]
    assert snapshot["examples_pass"] == [LOOK_ALIKE]


def test_shipped_rules_may_carry_examples_and_those_without_keep_their_fingerprint() -> None:
    shipped = {
        "id": "nl-secret-action",
        "category": "operational",
        "terms": ["geheime actie"],
        "explanation": "Uitleg.",
        "advice": "Advies.",
        "examples": {"warn": [RISKY], "pass": [LOOK_ALIKE]},
    }
    fields = rule_fields(shipped, kind=RuleKind.TEXT)
    assert (fields["examples_warn"], fields["examples_pass"]) == ([RISKY], [LOOK_ALIKE])
    without = rule_fields({**shipped, "examples": None}, kind=RuleKind.TEXT)
    assert fingerprint(without) == fingerprint(
        {name: value for name, value in without.items() if name not in EXAMPLE_FIELDS}
    )
    assert fingerprint(fields) != fingerprint(without)


def test_the_admin_refuses_an_edit_that_breaks_an_example_and_keeps_what_was_typed(
    make_user, guidance
) -> None:
    rule = rule_save(actor=make_user(Role.HEAD_OF_SERVICE), rule=_rule())
    client = sign_in(Client(), make_user(Role.INSPECTOR, language="en"))
    page = client.get(f"/admin/postcheck/rule/{rule.pk}/change/")
    assert f"{LOOK_ALIKE}</textarea>" in page.content.decode()
    data = change_form_data(
        page,
        unless_terms="",
        examples_pass=f"{LOOK_ALIKE}\nEen geheime actie voor de verjaardag van de chef",
        comment="Without the birthday exception",
    )
    response = client.post(f"/admin/postcheck/rule/{rule.pk}/change/", data)
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        "The rule gives a warning on: “De geheime actie voor mama haar verjaardag is gelukt” (because of “geheime"
        " actie”); “Een geheime" in html
    )
    assert "Een geheime actie voor de verjaardag van de chef</textarea>" in html
    assert 'name="comment" value="Without the birthday exception"' in html
    rule.refresh_from_db()
    assert rule.unless_terms == ["verjaardag"]
    assert RuleRevision.objects.filter(rule=rule).count() == 1


def test_the_examples_error_is_in_the_inspectors_language(make_user, guidance) -> None:
    with translation.override("fr"):
        assert validation_errors(_rule(unless_terms=[]))["examples_pass"][0].startswith("La règle ")
    with translation.override("nl"):
        assert validation_errors(_rule(unless_terms=[]))["examples_pass"][0].startswith("De regel ")


def test_most_shipped_rules_carry_examples() -> None:
    # test_models checks that every shipped rule keeps its examples.
    rows = [row for row in shipped_rows() if row["kind"] == RuleKind.TEXT]
    assert sum(bool(row["examples_warn"]) for row in rows) > 150
    assert sum(bool(row["examples_pass"]) for row in rows) > 40


def test_the_shipped_examples_are_loaded_with_their_rules() -> None:
    rules_sync_shipped()
    seizure = Rule.objects.get(language="nl", code="nl-seizure")
    assert "Mooie vangst gisteravond aan het meer 🎣 een karper van 12 kilo" in seizure.examples_pass
    assert seizure.examples_warn
