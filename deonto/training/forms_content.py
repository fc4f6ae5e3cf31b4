"""Forms of the content pages: the bundle upload and the translator's side-by-side form."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from deonto.training.models import TranslationStatus
from deonto.training.services_content import BUNDLE_UPLOAD_MAX_BYTES, bundle_upload_problem
from deonto.training.texts import Passage

SAVABLE_STATUSES = [
    (TranslationStatus.DRAFT.value, _("Draft: still to be checked")),
    (TranslationStatus.REVIEWED.value, _("Reviewed: ready for learners")),
]


class BundleUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Course bundle"),
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,application/zip"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "A ZIP file of at most %(limit)d MB, as exported from this page. It is checked completely "
            "first: when anything is wrong, nothing changes."
        ) % {"limit": BUNDLE_UPLOAD_MAX_BYTES // (1024 * 1024)}

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        problem = bundle_upload_problem(upload)
        if problem is not None:
            raise forms.ValidationError(problem)
        return upload


def field_name(path: str) -> str:
    """A form field name for a passage path (``choices.a.text`` → ``t-choices-a-text``)."""
    return "t-" + path.replace(".", "-")


class TranslationForm(forms.Form):
    """One text area per passage of the source text, and the status of the translation."""

    status = forms.ChoiceField(
        label=_("Status of the translation"), choices=SAVABLE_STATUSES, widget=forms.RadioSelect
    )

    def __init__(
        self, *args: Any, passages: Sequence[Passage], language: str, language_name: str, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.passages = list(passages)
        for passage in self.passages:
            name = field_name(passage.path)
            self.fields[name] = forms.CharField(
                label=_("%(passage)s in %(language)s")
                % {"passage": passage.label, "language": language_name},
                required=False,
                strip=True,
                widget=forms.Textarea(
                    attrs={
                        "lang": language,
                        "rows": 6 if "\n" in passage.text or len(passage.text) > 200 else 2,
                        "aria-describedby": f"source-{name}",
                    }
                ),
            )

    def content(self) -> dict[str, Any]:
        """The typed passages as a text mapping, shaped like the source text (empty passages left out
        of lists and optional feedback, so the structure check says what is missing)."""
        content: dict[str, Any] = {}
        for passage in self.passages:
            value = self.cleaned_data.get(field_name(passage.path), "")
            parts = passage.path.split(".")
            if parts[0] in ("answers", "discussion"):
                entries = content.setdefault(parts[0], [])
                if value:
                    entries.append(value)
            elif parts[0] in ("choices", "pairs"):
                entry = content.setdefault(parts[0], {}).setdefault(parts[1], {})
                if value or parts[2] != "feedback":
                    entry[parts[2]] = value
            elif value or parts[0] not in ("feedback", "image_alt"):
                content[parts[0]] = value
        return content
