"""The rules the checker uses: the database rows turned into the analyzers' `RuleSet`, cached per process.

Rows have the shape of the shipped YAML, field for field (`rule_fields` / `rule_data` convert between the
two; a rule's `examples: {warn: [...], pass: [...]}` are checked when it is saved, the analyzers ignore them).
The compiled `RuleSet` is kept per process and rebuilt only when the rules changed: every change appends a
`RuleRevision`, so the newest revision is the version, read with one small query per check.
Without rows (before `sync_postcheck_rules` ran), the shipped rules apply.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import logging
from functools import cache
from importlib import resources
from typing import Any

import yaml

from deonto.postcheck.analyzers.rules import (
    IDENTIFIER_KINDS,
    LANGUAGES,
    PHOTO_KINDS,
    RuleError,
    RuleSet,
    load_default_rules,
)
from deonto.postcheck.models import Rule, RuleKind, RuleRevision
from deonto.postcheck.versioned import PerVersion

logger = logging.getLogger(__name__)

MESSAGE_KINDS = {RuleKind.IDENTIFIER: IDENTIFIER_KINDS, RuleKind.PHOTO: PHOTO_KINDS}
_SECTIONS = {RuleKind.IDENTIFIER: "identifiers", RuleKind.PHOTO: "photo"}


@cache
def shipped_data() -> dict[str, dict[str, Any]]:
    """The rules shipped with Deonto, as plain data per language (the YAML files of the analyzers)."""
    folder = resources.files("deonto.postcheck.analyzers").joinpath("data", "rules")
    return {
        language: yaml.safe_load(folder.joinpath(f"{language}.yaml").read_text(encoding="utf-8"))
        for language in LANGUAGES
    }


def _strings(values: Any) -> list[str]:
    return [str(value) for value in values or ()]


def rule_fields(data: dict[str, Any], *, kind: str) -> dict[str, Any]:
    """The model fields of a rule or message given as in the YAML (`kind` text, identifier or photo)."""
    context = data.get("context") or {}
    unless = data.get("unless") or {}
    examples = (data.get("examples") or {}) if kind == RuleKind.TEXT else {}
    return {
        "category": str(data["category"]),
        "severity": str(data.get("severity", "warning")),
        "terms": _strings(data.get("terms")) if kind == RuleKind.TEXT else [],
        "patterns": _strings(data.get("patterns")) if kind == RuleKind.TEXT else [],
        "context_terms": _strings(context.get("terms")),
        "context_patterns": _strings(context.get("patterns")),
        "context_window": int(context.get("window", 8)),
        "context_required": bool(context.get("required", False)),
        "context_severity": str(context.get("severity") or ""),
        "unless_terms": _strings(unless.get("terms")),
        "unless_patterns": _strings(unless.get("patterns")),
        "unless_window": int(unless.get("window", 8)),
        "explanation": " ".join(str(data["explanation"]).split()),
        "advice": " ".join(str(data["advice"]).split()),
        "article": str(data.get("article") or ""),
        "examples_warn": _strings(examples.get("warn")),
        "examples_pass": _strings(examples.get("pass")),
    }


EXAMPLE_FIELDS = ("examples_warn", "examples_pass")
EDITABLE_FIELDS = tuple(rule_fields({"category": "", "explanation": "", "advice": ""}, kind=RuleKind.TEXT))


def rule_data(rule: Rule) -> dict[str, Any]:
    """The rule or message as the analyzers read it (the YAML's shape)."""
    data: dict[str, Any] = {
        "category": rule.category,
        "severity": rule.severity,
        "explanation": rule.explanation,
        "advice": rule.advice,
        "article": rule.article or None,
    }
    if rule.kind != RuleKind.TEXT:
        return data
    data.update({"id": rule.code, "terms": list(rule.terms), "patterns": list(rule.patterns)})
    if rule.context_terms or rule.context_patterns:
        data["context"] = {
            "terms": list(rule.context_terms),
            "patterns": list(rule.context_patterns),
            "window": rule.context_window,
            "required": rule.context_required,
            "severity": rule.context_severity or None,
        }
    if rule.unless_terms or rule.unless_patterns:
        data["unless"] = {
            "terms": list(rule.unless_terms),
            "patterns": list(rule.unless_patterns),
            "window": rule.unless_window,
        }
    return data


def fingerprint(fields: dict[str, Any]) -> str:
    """A fingerprint of a rule's editable fields: a shipped rule changed when its fingerprint did.

    Examples came later than the other fields: a rule without any keeps the fingerprint it had before, so
    adding them did not make every shipped rule look changed."""
    fields = {name: value for name, value in fields.items() if value or name not in EXAMPLE_FIELDS}
    return hashlib.sha256(json.dumps(fields, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def snapshot(rule: Rule) -> dict[str, Any]:
    """Everything the integrity service can edit, as stored in a revision."""
    return {
        "language": rule.language,
        "kind": rule.kind,
        "code": rule.code,
        "position": rule.position,
        "is_active": rule.is_active,
        **{name: getattr(rule, name) for name in EDITABLE_FIELDS},
    }


def shipped_rows() -> list[dict[str, Any]]:
    """Every shipped rule and message as model fields, with its language, kind, code and position."""
    rows = []
    for language, data in shipped_data().items():
        for position, rule in enumerate(data.get("rules") or ()):
            rows.append(
                {
                    "language": language,
                    "kind": RuleKind.TEXT,
                    "code": str(rule["id"]),
                    "position": position,
                    **rule_fields(rule, kind=RuleKind.TEXT),
                }
            )
        for kind, section in _SECTIONS.items():
            for position, code in enumerate(MESSAGE_KINDS[kind]):
                message = (data.get(section) or {}).get(code)
                if message is not None:
                    rows.append(
                        {
                            "language": language,
                            "kind": kind,
                            "code": code,
                            "position": position,
                            **rule_fields(message, kind=kind),
                        }
                    )
    return rows


def rule_set_from_rows(rows: list[Rule]) -> RuleSet:
    """The `RuleSet` of these rows; a language without rows, or a message missing, is taken as shipped."""
    shipped = shipped_data()
    data: dict[str, dict[str, Any]] = {}
    for language in LANGUAGES:
        own = [row for row in rows if row.language == language]
        if not own:
            data[language] = shipped[language]
            continue
        language_data: dict[str, Any] = {
            "rules": [rule_data(row) for row in own if row.kind == RuleKind.TEXT and row.is_active]
        }
        for kind, section in _SECTIONS.items():
            messages = dict(shipped[language].get(section) or {})
            messages.update({row.code: rule_data(row) for row in own if row.kind == kind})
            language_data[section] = messages
        data[language] = language_data
    return RuleSet.from_data(data)


_compiled: PerVersion[RuleSet] = PerVersion()


def rules_version() -> tuple[int, datetime.datetime] | None:
    """The newest revision (id and time): changes whenever a rule is saved, loaded or deleted."""
    return RuleRevision.objects.order_by("-id").values_list("id", "changed_at").first()


def current_rules() -> RuleSet:
    """The rules in force: compiled once per process and version, shared read-only between threads."""
    return _compiled.get(rules_version(), _rules_from_database)


def _rules_from_database() -> RuleSet:
    rows = list(Rule.objects.order_by("language", "kind", "position", "code"))
    if not rows:
        return load_default_rules()
    try:
        return rule_set_from_rows(rows)
    except RuleError:
        # The admin validates every rule, so this means rows were changed behind its back.
        logger.exception("The post check rules in the database do not compile; using the shipped rules.")
        return load_default_rules()
