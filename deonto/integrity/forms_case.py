"""Forms of the case pages: assignment, the conflict-of-interest question, the status changes,
notes, messages, the person concerned and evidence."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from deonto.accounts.models import User
from deonto.integrity.models import FindingOutcome, Measure, ReportStatus

REASON_WIDGET = forms.Textarea(attrs={"rows": 3})


class InspectorChoiceField(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.username


class AssignForm(forms.Form):
    inspector = InspectorChoiceField(label=_("Inspector"), queryset=User.objects.none())

    def __init__(self, *args: Any, inspectors: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["inspector"].queryset = inspectors  # type: ignore[attr-defined]


class ConflictForm(forms.Form):
    NONE = "none"
    DECLARED = "declared"

    answer = forms.ChoiceField(
        label=_("Do you have a conflict of interest in this case?"),
        choices=[
            (NONE, _("No: I have no conflict of interest in this case")),
            (DECLARED, _("Yes: I have a conflict of interest and cannot handle this case")),
        ],
        widget=forms.RadioSelect,
        help_text=_(
            "For example: you know the reporter or the person concerned personally, or you are "
            "involved in the facts."
        ),
    )
    reason = forms.CharField(
        label=_("What is the conflict of interest?"),
        required=False,
        max_length=2000,
        widget=REASON_WIDGET,
        help_text=_("Only if you have a conflict: the head of service reads this."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("answer") == self.DECLARED and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Say briefly what the conflict of interest is."))
        return data


class AcknowledgeForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the reporter"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 5}),
        initial=_(
            "We have received your report and will assess it. We will keep you informed through "
            "these messages."
        ),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=5000, widget=REASON_WIDGET)


class FindingForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=FindingOutcome.choices, widget=forms.RadioSelect)
    articles = forms.CharField(
        label=_("Articles concerned"),
        required=False,
        max_length=1000,
        help_text=_("The codes of the guidance articles, separated by commas (for example: discretion)."),
    )
    summary = forms.CharField(label=_("Summary of the finding"), max_length=10_000, widget=REASON_WIDGET)

    def clean_articles(self) -> list[str]:
        return [code.strip() for code in self.cleaned_data["articles"].split(",") if code.strip()]


class MeasureForm(forms.Form):
    measure = forms.ModelChoiceField(label=_("Measure"), queryset=Measure.objects.none())
    note = forms.CharField(label=_("Why this measure"), max_length=5000, widget=REASON_WIDGET)

    def __init__(self, *args: Any, measures: QuerySet[Measure], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["measure"].queryset = measures  # type: ignore[attr-defined]


class NoteForm(forms.Form):
    body = forms.CharField(label=_("New note"), max_length=10_000, widget=forms.Textarea(attrs={"rows": 4}))


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Message to the reporter"), max_length=10_000, widget=forms.Textarea(attrs={"rows": 4})
    )


class PersonSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Personnel number or name"),
        max_length=100,
        required=False,
    )


class EvidenceForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("An image (PNG, JPEG, WebP, GIF), a PDF or plain text."),
    )
    description = forms.CharField(label=_("Description"), required=False, max_length=2000)
    captured_url = forms.URLField(
        label=_("Address of the online post"),
        required=False,
        max_length=2000,
        assume_scheme="https",
        help_text=_("Only for the capture of an online post: the file is its screenshot."),
    )
    captured_at = forms.DateTimeField(
        label=_("Time of capture"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Only for the capture of an online post."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("captured_url") and not data.get("captured_at"):
            self.add_error("captured_at", _("Give the time the post was captured."))
        if data.get("captured_at") and not data.get("captured_url"):
            self.add_error("captured_url", _("Give the address of the post that was captured."))
        return data


class CaseFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *ReportStatus.choices]
    )
    overdue = forms.BooleanField(label=_("Only overdue"), required=False)
