"""Rules for the Django-side tests of the post checker: a valid text rule to vary, what validation says, and
what the admin's form of a rule posts."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.http import HttpResponse

from deonto.postcheck.models import Rule, RuleKind
from deonto.postcheck.services import rule_validate


def text_rule(**fields: Any) -> Rule:
    """A valid Dutch rule on "geheime actie" (unsaved), with `fields` changed."""
    values: dict[str, Any] = {
        "language": "nl",
        "kind": RuleKind.TEXT,
        "code": "nl-test",
        "category": "operational",
        "severity": "warning",
        "terms": ["geheime actie"],
        "explanation": "Uitleg.",
        "advice": "Advies.",
        "article": "discretion",
    }
    values.update(fields)
    return Rule(**values)


def validation_errors(rule: Rule) -> dict[str, list[str]]:
    """The messages per field with which validation refuses `rule` (the test fails if it does not)."""
    with pytest.raises(ValidationError) as caught:
        rule_validate(rule)
    return caught.value.message_dict


def change_form_data(page: HttpResponse, **typed: str) -> dict[str, Any]:
    """What the admin's change form of a rule posts back, as shown on `page`, with `typed` changed."""
    form = page.context["adminform"].form  # type: ignore[attr-defined]
    shown = {name: form[name].value() for name in form.fields}
    data = {name: value for name, value in shown.items() if value is not None}
    return {**data, "revisions-TOTAL_FORMS": "0", "revisions-INITIAL_FORMS": "0", **typed}
