"""The per-language texts of course content: what each kind of item carries, and in which order.

The same rules serve the bundle importer (which checks every language of every item) and the
services that save a translation edited by hand, so a text that could not be imported cannot be
saved either. ``content_passages`` flattens a text into passages for a side-by-side translator view.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from django.utils.translation import gettext as _

from deonto.training.models import ItemKind

COURSE = "course"
MODULE = "module"

# The fields of a text per kind, in the order they are written and shown.
TEXT_FIELDS: dict[str, tuple[str, ...]] = {
    COURSE: ("title", "description"),
    MODULE: ("title", "summary"),
    ItemKind.LESSON: ("title", "body", "image_alt"),
    ItemKind.CASE: ("title", "situation", "image_alt", "prompt", "choices", "discussion"),
    ItemKind.SINGLE: ("prompt", "image_alt", "choices", "feedback"),
    ItemKind.MULTIPLE: ("prompt", "image_alt", "choices", "feedback"),
    ItemKind.TRUEFALSE: ("prompt", "image_alt", "choices", "feedback"),
    ItemKind.SHORT: ("prompt", "image_alt", "answers", "feedback"),
    ItemKind.MATCHING: ("prompt", "image_alt", "pairs", "feedback"),
}
OPTIONAL_FIELDS = frozenset({"feedback", "image_alt"})
DISCUSSION_POINTS = (2, 4)


class Passage(NamedTuple):
    path: str
    label: str
    text: str


def _string(value: Any) -> str | None:
    """The value as a trimmed string, or None when it is not a non-empty string."""
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def _strings(value: Any) -> list[str] | None:
    if not isinstance(value, list) or not value:
        return None
    strings = [_string(entry) for entry in value]
    return None if any(entry is None for entry in strings) else [s for s in strings if s is not None]


def text_normalise(
    kind: str,
    raw: Any,
    *,
    choice_keys: Sequence[str] = (),
    pair_keys: Sequence[str] = (),
    has_image: bool = False,
) -> tuple[dict[str, Any], list[str]]:
    """The text in its canonical form (trimmed, fields and keys in order) and the problems found.

    ``choice_keys`` and ``pair_keys`` come from the item's structure: a text must give exactly
    those. Problems are whole translated sentences; the caller says which file and item.
    """
    if not isinstance(raw, Mapping):
        return {}, [_("The text must be a mapping of fields.")]
    fields = TEXT_FIELDS[kind]
    problems: list[str] = []
    unknown = sorted(str(key) for key in raw if key not in fields)
    if unknown:
        problems.append(_("Unknown fields: %(fields)s.") % {"fields": ", ".join(unknown)})
    text: dict[str, Any] = {}
    for name in fields:
        value = raw.get(name)
        if name == "image_alt":
            if has_image and _string(value) is None:
                problems.append(_("The image needs a description (image_alt)."))
            elif not has_image and value is not None:
                problems.append(_("There is a description of an image (image_alt) but no image."))
        if value is None and name in OPTIONAL_FIELDS:
            continue
        if name == "choices":
            optional = () if kind == ItemKind.CASE else ("feedback",)
            text[name] = _keyed(name, value, choice_keys, ("text", "feedback"), optional, problems)
        elif name == "pairs":
            text[name] = _keyed(name, value, pair_keys, ("left", "right"), (), problems)
        elif name in ("answers", "discussion"):
            strings = _strings(value)
            if strings is None:
                problems.append(_("%(field)s must be a list of non-empty texts.") % {"field": name})
            elif name == "discussion" and not DISCUSSION_POINTS[0] <= len(strings) <= DISCUSSION_POINTS[1]:
                problems.append(
                    _("A case needs between %(low)d and %(high)d discussion points, not %(count)d.")
                    % {"low": DISCUSSION_POINTS[0], "high": DISCUSSION_POINTS[1], "count": len(strings)}
                )
            text[name] = strings or []
        else:
            string = _string(value)
            if string is None:
                problems.append(_("%(field)s is missing or empty.") % {"field": name})
            text[name] = string or ""
    return text, problems


def _keyed(
    name: str,
    raw: Any,
    keys: Sequence[str],
    fields: tuple[str, ...],
    optional: tuple[str, ...],
    problems: list[str],
) -> dict[str, dict[str, str]]:
    """Texts by key (of choices or pairs), in the order of ``keys``; problems are appended."""
    if not isinstance(raw, Mapping):
        problems.append(_("%(field)s must be a mapping from key to texts.") % {"field": name})
        return {}
    given = {key_text(key): value for key, value in raw.items()}
    if set(given) != set(keys):
        problems.append(
            _("The keys of %(field)s (%(found)s) differ from the keys in the structure (%(expected)s).")
            % {"field": name, "found": ", ".join(sorted(given)) or "-", "expected": ", ".join(keys) or "-"}
        )
    result: dict[str, dict[str, str]] = {}
    for key in keys:
        value = given.get(key)
        if value is None:
            continue
        if not isinstance(value, Mapping) or set(value) - set(fields):
            problems.append(
                _("%(field)s %(key)s may hold only %(fields)s.")
                % {"field": name, "key": key, "fields": ", ".join(fields)}
            )
            continue
        entry: dict[str, str] = {}
        for part in fields:
            string = _string(value.get(part))
            if string is not None:
                entry[part] = string
            elif value.get(part) is not None or part not in optional:
                problems.append(
                    _("%(field)s %(key)s has no %(part)s.") % {"field": name, "key": key, "part": part}
                )
        result[key] = entry
    return result


def key_text(key: Any) -> str:
    """A key as written in YAML: ``true``/``false`` and numbers are read as such, and mean their text."""
    if isinstance(key, bool):
        return "true" if key else "false"
    return str(key)


def _field_label(name: str) -> str:
    labels = {
        "title": _("Title"),
        "description": _("Description"),
        "summary": _("Summary"),
        "body": _("Text"),
        "image_alt": _("Description of the image"),
        "situation": _("Situation"),
        "prompt": _("Question"),
        "feedback": _("General feedback"),
    }
    return labels.get(name, name)


def content_passages(kind: str, content: Mapping[str, Any]) -> list[Passage]:
    """The passages of a text in reading order, each with a path that is the same in every language.

    ``kind`` is an item kind, or ``"course"`` or ``"module"``.
    """
    passages: list[Passage] = []
    for name in TEXT_FIELDS[kind]:
        value = content.get(name)
        if value is None:
            continue
        if name == "choices":
            for key, entry in value.items():
                passages.append(
                    Passage(f"choices.{key}.text", _("Choice %(key)s") % {"key": key}, entry["text"])
                )
                if "feedback" in entry:
                    label = _("Feedback on choice %(key)s") % {"key": key}
                    passages.append(Passage(f"choices.{key}.feedback", label, entry["feedback"]))
        elif name == "pairs":
            for key, entry in value.items():
                passages.append(
                    Passage(f"pairs.{key}.left", _("Pair %(key)s, left") % {"key": key}, entry["left"])
                )
                passages.append(
                    Passage(f"pairs.{key}.right", _("Pair %(key)s, right") % {"key": key}, entry["right"])
                )
        elif name in ("answers", "discussion"):
            for index, entry in enumerate(value):
                if name == "answers":
                    label = _("Accepted answer %(number)d") % {"number": index + 1}
                else:
                    label = _("Discussion point %(number)d") % {"number": index + 1}
                passages.append(Passage(f"{name}.{index}", label, entry))
        else:
            passages.append(Passage(name, _field_label(name), value))
    return passages
