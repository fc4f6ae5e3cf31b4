"""Operations of the post checker: checking a draft, cleaning a photo, editing and loading the rules, and
setting the classifier's sensitivity.

A check stores nothing of what was submitted and leaves no audit entry (that would record who checked
what): its only trace is one `CategoryCount` increment per category found.
"""

from __future__ import annotations

import re
import re._constants as sre_constants
import re._parser as sre_parse
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from deonto.accounts.models import User
from deonto.core.audit import audit_record
from deonto.knowledge.selectors import article_for
from deonto.postcheck.analyzers.analyze import analyze
from deonto.postcheck.analyzers.findings import Analysis
from deonto.postcheck.analyzers.photo import clean_photo, masked_photo
from deonto.postcheck.analyzers.rules import RuleError, RuleSet, terms_regex
from deonto.postcheck.analyzers.text import rule_warnings
from deonto.postcheck.models import (
    Allowance,
    CategoryCount,
    ClassifierSensitivity,
    Priority,
    Rule,
    RuleKind,
    RuleRevision,
)
from deonto.postcheck.rules_db import (
    EDITABLE_FIELDS,
    EXAMPLE_FIELDS,
    MESSAGE_KINDS,
    current_rules,
    fingerprint,
    rule_data,
    shipped_data,
    shipped_rows,
    snapshot,
)
from deonto.postcheck.sensitivity_db import DEFAULT_PRIORITIES, current_classifier

MAX_PATTERN_LENGTH = 500
MAX_TERM_LENGTH = 120
MAX_EXAMPLES = 50
MAX_EXAMPLE_LENGTH = 1_000
_REPEATS = (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT)


def post_check(
    *, actor: User, text: str | None, photo: bytes | None, language: str | None, photo_preview: bool = False
) -> Analysis:
    """Analyse a draft in memory with the rules in force, and count its categories (nothing else). With
    `photo_preview`, the analysis carries a small copy of the photo, for the page to show (never kept).

    Raises `InputRejected` for input that cannot be analysed. Messages are in the post's language; a post
    too short to tell is taken to be in the user's language.
    """
    analysis = analyze(
        text=text,
        photo=photo,
        language=language or None,
        default_language=actor.language or "nl",
        rules=current_rules(),
        classifier=current_classifier(),
        photo_preview=photo_preview,
    )
    categories_count(categories=analysis.categories)
    return analysis


def photo_clean(*, photo: bytes) -> tuple[bytes, str]:
    """A copy of the photo without any metadata, and its MIME type; kept in memory only."""
    return clean_photo(photo)


def photo_mask(*, photo: bytes, boxes: list[tuple[int, int, int, int]]) -> bytes:
    """A JPEG of the photo without metadata in which the places `boxes` (those the user chose among the ones
    its check boxed) are pixelated; kept in memory only. Raises `InputRejected` for a photo that cannot be
    read."""
    return masked_photo(photo, boxes)


def categories_count(*, categories: Iterable[str]) -> None:
    """Add one to today's count of each category: the day's rows are created if missing (a unique row per day
    and category), then incremented in the database (F()), so concurrent checks never lose a count."""
    day = timezone.localdate()
    wanted = sorted(set(map(str, categories)))
    if not wanted:
        return
    CategoryCount.objects.bulk_create(
        [CategoryCount(day=day, category=category, count=0) for category in wanted], ignore_conflicts=True
    )
    CategoryCount.objects.filter(day=day, category__in=wanted).update(count=F("count") + 1)


def _nested_repeat(items: Any, inside_repeat: bool = False) -> bool:
    """Whether a parsed pattern repeats, without bound, something that is itself repeated without bound.

    Such patterns ("(\\w+\\s?)+") take exponential time on some inputs; the cheap structural test catches
    the usual shapes of catastrophic backtracking.
    """
    for opcode, argument in items:
        if opcode in _REPEATS:
            _low, high, inner = argument
            unbounded = high == sre_constants.MAXREPEAT
            if inside_repeat and unbounded:
                return True
            if _nested_repeat(inner, inside_repeat or unbounded):
                return True
        elif opcode == sre_constants.SUBPATTERN:
            if _nested_repeat(argument[3], inside_repeat):
                return True
        elif opcode == sre_constants.BRANCH:
            if any(_nested_repeat(branch, inside_repeat) for branch in argument[1]):
                return True
        elif opcode in (sre_constants.ASSERT, sre_constants.ASSERT_NOT) and _nested_repeat(
            argument[1], inside_repeat
        ):
            return True
    return False


def _pattern_problems(patterns: Iterable[str]) -> list[str]:
    problems = []
    for pattern in patterns:
        if len(pattern) > MAX_PATTERN_LENGTH:
            problems.append(
                _("The pattern %(pattern)s is too long: at most %(limit)d characters.")
                % {"pattern": pattern[:40] + "…", "limit": MAX_PATTERN_LENGTH}
            )
            continue
        try:
            parsed = sre_parse.parse(pattern)
            re.compile(pattern)
        except (re.error, OverflowError, RecursionError) as error:
            problems.append(
                _("The pattern %(pattern)s is not a valid regular expression: %(error)s.")
                % {"pattern": pattern, "error": error}
            )
            continue
        if _nested_repeat(parsed):
            problems.append(
                _(
                    "The pattern %(pattern)s repeats a repetition, which can take very long on some texts: "
                    "repeat a single character class or a fixed group instead."
                )
                % {"pattern": pattern}
            )
    return problems


def _term_problems(terms: Iterable[str]) -> list[str]:
    problems = []
    for term in terms:
        if len(term) > MAX_TERM_LENGTH:
            problems.append(
                _("The term %(term)s is too long: at most %(limit)d characters.")
                % {"term": term[:40] + "…", "limit": MAX_TERM_LENGTH}
            )
            continue
        try:
            terms_regex([term])
        except RuleError:
            problems.append(
                _("The term %(term)s is not valid: a * may only start or end a word.") % {"term": term}
            )
    return problems


def rule_validate(rule: Rule) -> None:
    """Raise a `ValidationError` (per field) unless the rule compiles and is safe to run on every post."""
    errors: dict[str, list[str]] = {}

    def add(name: str, problems: list[str]) -> None:
        if problems:
            errors.setdefault(name, []).extend(problems)

    if rule.kind in MESSAGE_KINDS:
        if rule.code not in MESSAGE_KINDS[RuleKind(rule.kind)]:
            add(
                "code",
                [
                    _("There is no such finding; choose one of: %(codes)s.")
                    % {"codes": ", ".join(MESSAGE_KINDS[RuleKind(rule.kind)])}
                ],
            )
        if not rule.is_active:
            add("is_active", [_("This message cannot be switched off; set its severity to info instead.")])
    elif not rule.terms and not rule.patterns:
        add("terms", [_("A rule needs at least one term or one pattern.")])
    for name in ("terms", "context_terms", "unless_terms"):
        add(name, _term_problems(getattr(rule, name)))
    for name in ("patterns", "context_patterns", "unless_patterns"):
        add(name, _pattern_problems(getattr(rule, name)))
    if (rule.context_severity or rule.context_required) and not (rule.context_terms or rule.context_patterns):
        add("context_terms", [_("Give the context terms or patterns this rule looks for.")])
    if rule.article and article_for(code=rule.article, language=rule.language) is None:
        add(
            "article",
            [_("There is no published guidance article with the code %(code)s.") % {"code": rule.article}],
        )
    for name in EXAMPLE_FIELDS:
        if rule.kind != RuleKind.TEXT and getattr(rule, name):
            add(name, [_("Examples are checked for rules on the text only; leave this empty.")])
        add(name, _example_problems(getattr(rule, name)))
    if not errors and rule.kind == RuleKind.TEXT:
        shipped = shipped_data()[rule.language]
        try:
            compiled = RuleSet.from_data(
                {
                    rule.language: {
                        "rules": [rule_data(rule)],
                        "identifiers": shipped["identifiers"],
                        "photo": shipped["photo"],
                    }
                }
            )
        except RuleError as error:
            add("__all__", [str(error)])
        else:
            text_rule = compiled.for_language(rule.language).rules[0]
            silent = [example for example in rule.examples_warn if not rule_warnings(text_rule, example)]
            if silent:
                add(
                    "examples_warn",
                    [_("The rule gives no warning on: %(examples)s.") % {"examples": _quoted(silent)}],
                )
            warned = [
                _("%(post)s (because of %(words)s)")
                % {"post": _quoted([example]), "words": _quoted(list(dict.fromkeys(words)))}
                for example in rule.examples_pass
                if (words := rule_warnings(text_rule, example))
            ]
            if warned:
                add(
                    "examples_pass",
                    [_("The rule gives a warning on: %(examples)s.") % {"examples": "; ".join(warned)}],
                )
    if errors:
        raise ValidationError(errors)


def _example_problems(examples: list[str]) -> list[str]:
    problems = []
    if len(examples) > MAX_EXAMPLES:
        problems.append(_("At most %(limit)d examples, please.") % {"limit": MAX_EXAMPLES})
    problems.extend(
        _("The example %(example)s is too long: at most %(limit)d characters.")
        % {"example": _quoted([example]), "limit": MAX_EXAMPLE_LENGTH}
        for example in examples
        if len(example) > MAX_EXAMPLE_LENGTH
    )
    return problems


def _quoted(examples: list[str]) -> str:
    """The examples as the error names them: each in quotes, a long one shortened."""
    return "; ".join(
        "“" + (example if len(example) <= 80 else example[:79] + "…") + "”" for example in examples
    )


def _revision(*, rule: Rule, actor: User | None, comment: str, is_deletion: bool = False) -> RuleRevision:
    return RuleRevision.objects.create(
        rule=None if is_deletion else rule,
        language=rule.language,
        kind=rule.kind,
        code=rule.code,
        snapshot=snapshot(rule),
        is_deletion=is_deletion,
        changed_by=actor,
        comment=comment,
    )


@transaction.atomic
def rule_save(*, actor: User, rule: Rule, comment: str = "") -> Rule:
    """Save a rule edited in Deonto: validated, marked as edited (the shipped defaults never overwrite it),
    with a revision and an audit entry. The checkers of every process use it from their next check."""
    if not actor.has_perm("postcheck.change_rule" if rule.pk else "postcheck.add_rule"):
        raise PermissionDenied
    rule_validate(rule)
    created = rule.pk is None
    rule.is_customised = True
    rule.save()
    _revision(rule=rule, actor=actor, comment=comment)
    audit_record(
        actor=actor,
        action="postcheck.rule_create" if created else "postcheck.rule_update",
        target=rule,
        details={"code": rule.code, "language": rule.language, "comment": comment},
    )
    return rule


@transaction.atomic
def rule_delete(*, actor: User, rule: Rule, comment: str = "") -> None:
    """Delete a rule, keeping its last state in the history. A deleted message falls back to the shipped one."""
    if not actor.has_perm("postcheck.delete_rule"):
        raise PermissionDenied
    _revision(rule=rule, actor=actor, comment=comment, is_deletion=True)
    audit_record(
        actor=actor,
        action="postcheck.rule_delete",
        target=rule,
        details={"code": rule.code, "language": rule.language, "comment": comment},
    )
    rule.delete()


@dataclass
class SyncReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.retired)


@transaction.atomic
def rules_sync_shipped() -> SyncReport:
    """Load the rules shipped with Deonto: new ones are added, changed ones updated, and shipped rules no
    longer shipped switched off, except rules edited in Deonto, which are kept as they are."""
    report = SyncReport()
    existing = {(rule.language, rule.kind, rule.code): rule for rule in Rule.objects.all()}
    shipped_keys = set()
    for row in shipped_rows():
        key = (row["language"], row["kind"], row["code"])
        shipped_keys.add(key)
        label = f"{row['language']}/{row['code']}"
        fields = {name: row[name] for name in EDITABLE_FIELDS}
        shipped_print = fingerprint(fields)
        rule = existing.get(key)
        if rule is None:
            rule = Rule(language=row["language"], kind=row["kind"], code=row["code"])
            report.created.append(label)
        elif rule.is_customised:
            report.kept.append(label)
            continue
        elif (
            rule.shipped_fingerprint == shipped_print and rule.position == row["position"] and rule.is_active
        ):
            continue
        else:
            report.updated.append(label)
        for name, value in fields.items():
            setattr(rule, name, value)
        rule.position = row["position"]
        rule.is_active = True
        rule.shipped_fingerprint = shipped_print
        rule.save()
        _revision(rule=rule, actor=None, comment="Loaded from the rules shipped with Deonto.")
    for key, rule in existing.items():
        retire = rule.kind == RuleKind.TEXT and rule.shipped_fingerprint and not rule.is_customised
        if retire and rule.is_active and key not in shipped_keys:
            rule.is_active = False
            rule.save(update_fields=["is_active", "updated_at"])
            _revision(rule=rule, actor=None, comment="No longer shipped with Deonto: switched off.")
            report.retired.append(f"{rule.language}/{rule.code}")
    if report.changed:
        audit_record(
            actor=None,
            action="postcheck.rules_sync",
            details={
                "created": len(report.created),
                "updated": len(report.updated),
                "retired": len(report.retired),
            },
        )
    return report


@transaction.atomic
def sensitivity_save(
    *, actor: User, priorities: dict[str, int], allowance_per_mille: int, comment: str
) -> ClassifierSensitivity:
    """Set how sensitive the classifier is: a new version, in force from the next check in every process,
    with an audit entry. Every category needs a known priority, the allowance a known value, and the change a
    reason."""
    if not actor.has_perm("postcheck.add_classifiersensitivity"):
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    if set(priorities) != set(DEFAULT_PRIORITIES) or any(
        value not in Priority.values for value in priorities.values()
    ):
        errors["priorities"] = [_("Give every category one of the listed priorities.")]
    if allowance_per_mille not in Allowance.values:
        errors["allowance_per_mille"] = [_("Choose one of the listed shares of false alarms.")]
    if not comment.strip():
        errors["comment"] = [_("Say why the sensitivity changes: the history keeps it.")]
    if errors:
        raise ValidationError(errors)
    version = ClassifierSensitivity.objects.create(
        priorities={category: int(priorities[category]) for category in DEFAULT_PRIORITIES},
        allowance_per_mille=allowance_per_mille,
        changed_by=actor,
        comment=comment.strip(),
    )
    audit_record(
        actor=actor,
        action="postcheck.sensitivity_update",
        target=version,
        details={
            "priorities": version.priorities,
            "allowance_per_mille": allowance_per_mille,
            "comment": version.comment,
        },
    )
    return version
