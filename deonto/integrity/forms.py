"""Forms of the reporter's side: the report itself, the receipt code, and an answer."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from deonto.integrity.models import IntakeMode, ReportCategory

MAX_LINKS = 20
MAX_FILES = 10


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; the service checks their size and type."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if len(files) > MAX_FILES:
            raise ValidationError(_("Add at most %(count)d files.") % {"count": MAX_FILES})
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


class ReportForm(forms.Form):
    mode = forms.ChoiceField(
        label=_("How do you want to report?"), choices=IntakeMode.choices, widget=forms.RadioSelect
    )
    category = forms.ChoiceField(label=_("What is it about?"), choices=ReportCategory.choices)
    description = forms.CharField(
        label=_("What happened?"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Describe the facts: who did what, and how you know it."),
    )
    occurred_on = forms.DateField(
        label=_("When did it happen?"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty if you do not know."),
    )
    location = forms.CharField(
        label=_("Where did it happen?"),
        max_length=255,
        required=False,
        help_text=_("For example: the name of a social network, a group chat, or a place."),
    )
    links = forms.CharField(
        label=_("Links to the posts"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One web address per line, starting with https:// or http://."),
    )
    attachments = MultipleFileField(
        label=_("Attachments"),
        help_text=_("Screenshots or documents: images (PNG, JPEG, WebP, GIF), PDF or plain text."),
    )

    def clean_links(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["links"].splitlines() if line.strip()]
        if len(lines) > MAX_LINKS:
            raise ValidationError(_("Give at most %(count)d links.") % {"count": MAX_LINKS})
        validate = URLValidator(schemes=["http", "https"])
        wrong = []
        for line in lines:
            try:
                validate(line)
            except ValidationError:
                wrong.append(line)
        if wrong:
            raise ValidationError(
                _("These lines are not web addresses: %(lines)s") % {"lines": ", ".join(wrong)}
            )
        return lines


class ReceiptCodeForm(forms.Form):
    wrong_code_message = _("This code does not open a report. Check the code and try again.")

    code = forms.CharField(
        label=_("Receipt code"),
        max_length=100,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}
        ),
        help_text=_("The code you received when you made your report."),
    )


class AnswerForm(forms.Form):
    body = forms.CharField(
        label=_("Your answer or new information"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    attachments = MultipleFileField(
        label=_("Attachments"),
        help_text=_("Optional: images (PNG, JPEG, WebP, GIF), PDF or plain text."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("body") or "").strip() and not data.get("attachments"):
            raise ValidationError(_("Write a message or add a file."))
        return data
