"""Forms of the post checker: the check form, the in-memory photo upload, and the admin's forms of a rule and of
the classifier's sensitivity."""

from __future__ import annotations

import copy
import re
from io import BytesIO
from typing import Any

from django import forms
from django.core.exceptions import SuspiciousOperation
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.forms.models import construct_instance
from django.http import HttpRequest
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from deonto.postcheck.analyzers.findings import Category
from deonto.postcheck.analyzers.photo import MAX_FILE_BYTES
from deonto.postcheck.analyzers.text import MAX_CHARACTERS
from deonto.postcheck.models import CATEGORY_LABELS, ClassifierSensitivity, Priority, Rule, RuleLanguage
from deonto.postcheck.sensitivity_db import current_settings
from deonto.postcheck.services import rule_validate

PHOTO_FIELD = "photo"
PHOTO_TYPES = "image/jpeg,image/png,image/webp,image/heic,image/heif,image/gif"

REJECTIONS: dict[str, Promise] = {
    "empty": _("There is nothing to check: paste the text of your post, add a photo, or both."),
    "too-long": _("The text is too long to check: a post of at most %(limit)s characters, please."),
    "not-an-image": _(
        "This file is not a photo that can be read. Choose a JPEG, PNG, WebP, HEIC or GIF photo."
    ),
    "unsupported-format": _(
        "This kind of image cannot be checked. Choose a JPEG, PNG, WebP, HEIC or GIF photo."
    ),
    "too-many-pixels": _("This photo has too many pixels to check. Send a smaller copy of it."),
    "decompression-bomb": _("This image is built to use up memory when opened; it cannot be checked."),
    "too-large-file": _("The photo is too large to check: at most %(megabytes)d MB, please."),
    "photo-needed": _("Choose the photo again to download a copy of it."),
    "mask-none": _("Tick at least one place to mask, or download the cleaned copy."),
}
MASK_FIELD = "mask"
MAX_MASKED_PLACES = 100
_MASK_VALUE = re.compile(r"\d{1,6},\d{1,6},\d{1,6},\d{1,6}")


def mask_boxes(values: list[str]) -> list[tuple[int, int, int, int]]:
    """The places ticked for masking, each sent as "x,y,width,height" by the page's check boxes. Anything
    else did not come from the page: SuspiciousOperation (a 400)."""
    if len(values) > MAX_MASKED_PLACES or not all(_MASK_VALUE.fullmatch(value) for value in values):
        raise SuspiciousOperation("Places to mask that the page did not send.")
    return [(x, y, w, h) for x, y, w, h in (map(int, value.split(",")) for value in values)]


def rejection_message(code: str) -> str:
    """The translated message for an `InputRejected` code (or this module's own codes)."""
    message = REJECTIONS.get(code, REJECTIONS["not-an-image"])
    return str(message) % {
        "limit": f"{MAX_CHARACTERS:,}".replace(",", " "),
        "megabytes": MAX_FILE_BYTES // 2**20,
    }


class PhotoUploadHandler(FileUploadHandler):
    """Keeps the one photo of a check in memory, never on disk, and refuses it once it passes the limit.

    Set per view, before the body is read (`request.upload_handlers = [PhotoUploadHandler(request)]`):
    it replaces Django's handlers, so no temporary file is ever written. A photo over the limit is
    skipped (the rest of the form still arrives) and `too_large` is set, for the view to say so.
    """

    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.buffer: BytesIO | None = None
        self.too_large = False

    def new_file(self, field_name: str, *args: Any, **kwargs: Any) -> None:
        super().new_file(field_name, *args, **kwargs)
        if field_name != PHOTO_FIELD or self.buffer is not None:
            raise SkipFile
        self.buffer = BytesIO()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        if self.buffer is None:
            return None
        if start + len(raw_data) > MAX_FILE_BYTES:
            self.too_large = True
            self.buffer = BytesIO()
            raise SkipFile
        self.buffer.write(raw_data)
        return None

    def file_complete(self, file_size: int) -> InMemoryUploadedFile | None:
        if self.buffer is None or self.too_large:
            return None
        self.buffer.seek(0)
        return InMemoryUploadedFile(
            file=self.buffer,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=file_size,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )


def photo_upload_handler(request: HttpRequest) -> PhotoUploadHandler:
    """Install the in-memory photo handler on a request whose body has not been read yet."""
    handler = PhotoUploadHandler(request)
    request.upload_handlers = [handler]
    return handler


class CheckForm(forms.Form):
    text = forms.CharField(
        label=_("Your draft post"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Paste the text exactly as you would post it. Nothing you enter here is stored."),
    )
    photo = forms.FileField(
        label=_("Photo (optional)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": PHOTO_TYPES}),
        help_text=lazy(
            lambda: (
                gettext("JPEG, PNG, WebP, HEIC or GIF, at most %(megabytes)d MB.")
                % {"megabytes": MAX_FILE_BYTES // 2**20}
            ),
            str,
        )(),
    )
    language = forms.ChoiceField(
        label=_("Language of the post"),
        required=False,
        choices=[("", _("Detect it for me")), *RuleLanguage.choices],
        help_text=_("The advice is given in this language."),
    )

    def photo_bytes(self) -> bytes | None:
        photo = self.cleaned_data.get("photo")
        return photo.read() if photo else None


def _lines(value: Any) -> str:
    return "\n".join(value or ())


class LinesField(forms.CharField):
    """A list of strings edited as one per line in a text area (terms, patterns): as wide as the admin's large
    text fields, so a pattern fits on its line, and not spell-checked."""

    widget = forms.Textarea(attrs={"rows": 4, "class": "vLargeTextField", "spellcheck": "false"})

    def __init__(self, **kwargs: Any) -> None:
        kwargs.pop("encoder", None)
        kwargs.pop("decoder", None)
        kwargs.setdefault("required", False)
        kwargs.setdefault("strip", False)
        kwargs.setdefault("help_text", _("One per line."))
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return _lines(value)
        return value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        if isinstance(value, list):
            return [str(line) for line in value]
        return [line.strip() for line in str(value or "").splitlines() if line.strip()]


LIST_FIELDS = (
    "terms",
    "patterns",
    "context_terms",
    "context_patterns",
    "unless_terms",
    "unless_patterns",
    "examples_warn",
    "examples_pass",
)


class RuleAdminForm(forms.ModelForm[Rule]):
    """The admin's form of a rule: lists as one per line, every rule compiled and its examples checked before it
    is saved."""

    comment = forms.CharField(
        label=_("Why this change"),
        max_length=255,
        required=False,
        help_text=_("Kept in the history of the rule."),
    )

    class Meta:
        model = Rule
        fields = [
            "language",
            "kind",
            "code",
            "position",
            "category",
            "severity",
            "terms",
            "patterns",
            "context_terms",
            "context_patterns",
            "context_window",
            "context_required",
            "context_severity",
            "unless_terms",
            "unless_patterns",
            "unless_window",
            "explanation",
            "advice",
            "article",
            "examples_warn",
            "examples_pass",
            "is_active",
        ]
        field_classes = dict.fromkeys(LIST_FIELDS, LinesField)

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        if not self.errors:
            rule_validate(construct_instance(self, copy.copy(self.instance)))
        return cleaned


def priority_field_name(category: Category) -> str:
    return "priority_" + str(category).replace("-", "_")


def _priority(category: Category) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=CATEGORY_LABELS[category], choices=Priority.choices, coerce=int, initial=Priority.NORMAL
    )


class SensitivityAdminForm(forms.ModelForm[ClassifierSensitivity]):
    """The admin's form of a new version of the classifier's sensitivity, filled in with the version in force."""

    priority_personal_data = _priority(Category.PERSONAL_DATA)
    priority_operational = _priority(Category.OPERATIONAL)
    priority_identifies_officer = _priority(Category.IDENTIFIES_OFFICER)
    priority_weapon = _priority(Category.WEAPON)
    priority_location = _priority(Category.LOCATION)
    priority_employer_criticism = _priority(Category.EMPLOYER_CRITICISM)
    priority_political = _priority(Category.POLITICAL)
    priority_harassment_or_hate = _priority(Category.HARASSMENT_OR_HATE)
    priority_internal_document = _priority(Category.INTERNAL_DOCUMENT)

    class Meta:
        model = ClassifierSensitivity
        fields = ["allowance_per_mille", "comment"]
        help_texts = {
            "allowance_per_mille": _(
                "The rules alone already warn about some harmless posts; this is how many more the classifier "
                "may add. More catches more risky posts, and annoys more people who did nothing wrong."
            ),
            "comment": _("Kept in the history."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is None and not self.is_bound:
            priorities, allowance = current_settings()
            self.initial.setdefault("allowance_per_mille", allowance)
            for category in Category:
                self.initial.setdefault(priority_field_name(category), priorities[str(category)])

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        if not self.errors:
            self.instance.priorities = self.priorities()
        return cleaned

    def priorities(self) -> dict[str, int]:
        return {str(category): int(self.cleaned_data[priority_field_name(category)]) for category in Category}
