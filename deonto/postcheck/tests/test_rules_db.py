"""The rules in force: loaded from the shipped YAML into the database, edited there, cached per process."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command

from deonto.accounts.roles import Role
from deonto.postcheck.analyzers.rules import load_default_rules
from deonto.postcheck.analyzers.text import analyze_text
from deonto.postcheck.models import Rule, RuleKind, RuleRevision
from deonto.postcheck.rules_db import current_rules, shipped_rows
from deonto.postcheck.services import rule_save, rules_sync_shipped

pytestmark = pytest.mark.django_db

DRAFT = "Vandaag de stille actie op de kaai voorbereid."


def _rules_of(text: str, language: str = "nl") -> set[str]:
    return {finding.rule for finding in analyze_text(text, language=language, rules=current_rules()).findings}


def test_without_rows_the_shipped_rules_apply() -> None:
    assert current_rules() is load_default_rules()


def test_the_command_loads_every_shipped_rule_once() -> None:
    call_command("sync_postcheck_rules", verbosity=0)
    assert Rule.objects.count() == len(shipped_rows())
    assert Rule.objects.filter(kind=RuleKind.IDENTIFIER, code="iban").count() == 4
    revisions = RuleRevision.objects.count()
    report = rules_sync_shipped()
    assert not report.changed
    assert RuleRevision.objects.count() == revisions


def test_the_loaded_rules_find_what_the_shipped_rules_find() -> None:
    rules_sync_shipped()
    draft = "Mooie vangst vandaag: 200 kg coke in een container. Bel me op 0470 12 34 56."
    shipped = {f.rule for f in analyze_text(draft, language="nl", rules=load_default_rules()).findings}
    assert _rules_of(draft) == shipped


def test_a_newer_shipped_rule_updates_a_row_not_edited_in_deonto() -> None:
    rules_sync_shipped()
    Rule.objects.filter(code="nl-seizure").update(explanation="Old text.", shipped_fingerprint="older")
    report = rules_sync_shipped()
    assert report.updated == ["nl/nl-seizure"]
    assert Rule.objects.get(code="nl-seizure").explanation != "Old text."


# The informal Dutch "you"; the interface says "u" and "uw".
INFORMAL_DUTCH = re.compile(r"\b(?:je|jou|jouw|jij|jezelf|jullie)\b", re.IGNORECASE)


def test_the_dutch_messages_address_the_reader_formally() -> None:
    rules_sync_shipped()
    informal = [
        f"{rule.code}.{field}: {getattr(rule, field)}"
        for rule in Rule.objects.filter(language="nl")
        for field in ("explanation", "advice")
        if INFORMAL_DUTCH.search(getattr(rule, field))
    ]
    assert informal == []


def test_the_sync_replaces_informal_dutch_in_rules_not_edited_in_deonto(make_user, guidance) -> None:
    rules_sync_shipped()
    Rule.objects.filter(code="nl-house-empty").update(
        advice="Vermeld niet dat je weg bent of dat je huis leeg staat.", shipped_fingerprint="informal"
    )
    edited = Rule.objects.get(code="nl-workplace")
    edited.advice = "Laat je werkplaats weg."
    rule_save(actor=make_user(Role.INSPECTOR), rule=edited)
    rules_sync_shipped()
    assert Rule.objects.get(code="nl-house-empty").advice.startswith("Vermeld niet dat u weg bent")
    assert Rule.objects.get(code="nl-workplace").advice == "Laat je werkplaats weg."


def test_rules_edited_in_deonto_are_never_overwritten(make_user, guidance) -> None:
    rules_sync_shipped()
    rule = Rule.objects.get(code="nl-seizure")
    rule.explanation = "Our own explanation."
    rule_save(actor=make_user(Role.INSPECTOR), rule=rule)
    Rule.objects.filter(pk=rule.pk).update(shipped_fingerprint="older")
    report = rules_sync_shipped()
    assert report.kept == ["nl/nl-seizure"]
    assert Rule.objects.get(pk=rule.pk).explanation == "Our own explanation."


def test_a_rule_no_longer_shipped_is_switched_off() -> None:
    rules_sync_shipped()
    Rule.objects.create(
        language="nl",
        code="nl-old",
        category="operational",
        terms=["oud"],
        explanation="x",
        advice="y",
        shipped_fingerprint="old",
    )
    assert rules_sync_shipped().retired == ["nl/nl-old"]
    assert not Rule.objects.get(code="nl-old").is_active


def test_an_edit_is_used_from_the_next_check(make_user, guidance) -> None:
    rules_sync_shipped()
    assert "nl-quiet-action" not in _rules_of(DRAFT)
    rule_save(
        actor=make_user(Role.HEAD_OF_SERVICE),
        rule=Rule(
            language="nl",
            code="nl-quiet-action",
            category="operational",
            severity="high",
            terms=["stille actie"],
            explanation="Een geplande actie.",
            advice="Zwijg erover.",
            article="discretion",
        ),
    )
    assert "nl-quiet-action" in _rules_of(DRAFT)
    rule = Rule.objects.get(code="nl-quiet-action")
    rule.is_active = False
    rule_save(actor=make_user(Role.HEAD_OF_SERVICE), rule=rule)
    assert "nl-quiet-action" not in _rules_of(DRAFT)


def test_an_edited_message_is_what_the_user_reads(make_user, guidance) -> None:
    rules_sync_shipped()
    message = Rule.objects.get(language="nl", kind=RuleKind.IDENTIFIER, code="phone")
    message.advice = "Haal het nummer weg."
    rule_save(actor=make_user(Role.INSPECTOR), rule=message)
    findings = analyze_text("Bel me op 0470 12 34 56", language="nl", rules=current_rules()).findings
    assert [finding.advice for finding in findings if finding.rule == "identifier:phone"] == [
        "Haal het nummer weg."
    ]


def test_the_compiled_rules_are_reused_until_they_change(django_assert_num_queries) -> None:
    rules_sync_shipped()
    first = current_rules()
    with django_assert_num_queries(1):
        assert current_rules() is first


def test_a_message_missing_from_the_database_comes_from_the_shipped_rules() -> None:
    rules_sync_shipped()
    Rule.objects.filter(kind=RuleKind.PHOTO, code="gps").delete()
    RuleRevision.objects.create(language="nl", kind="photo", code="gps", snapshot={}, is_deletion=True)
    assert (
        current_rules().for_language("nl").photo["gps"]
        == load_default_rules().for_language("nl").photo["gps"]
    )


def test_rows_changed_behind_the_admins_back_that_do_not_compile_fall_back_to_the_shipped_rules(
    caplog,
) -> None:
    rules_sync_shipped()
    Rule.objects.filter(code="nl-seizure").update(patterns=["(unclosed"])
    RuleRevision.objects.create(language="nl", kind="text", code="nl-seizure", snapshot={})
    assert current_rules() is load_default_rules()
    assert "do not compile" in caplog.text
