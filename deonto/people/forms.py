"""Forms of the roster pages: the import's upload and column mapping, and the employee filters."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from deonto.people.importing import DELIMITER_CHOICES, ENCODING_CHOICES, FIELDS, FIELDS_BY_NAME
from deonto.people.models import OrgUnit, StaffLanguage
from deonto.people.services import file_too_large_message


class RosterUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Roster file"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.tsv,.xlsx"}),
    )
    encoding = forms.ChoiceField(
        label=_("Encoding"),
        choices=ENCODING_CHOICES,
        required=False,
        help_text=_("Only for CSV files. Leave it on automatic unless accented letters come out wrong."),
    )
    delimiter = forms.ChoiceField(
        label=_("Column separator"),
        choices=DELIMITER_CHOICES,
        required=False,
        help_text=_("Only for CSV files."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit = settings.ROSTER_IMPORT_MAX_BYTES / (1024 * 1024)
        self.fields["file"].help_text = _(
            "A CSV file or an Excel workbook (.xlsx) of at most %(limit)s MB, with the column headers "
            "in the first row and one employee per row."
        ) % {"limit": f"{limit:g}"}

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > settings.ROSTER_IMPORT_MAX_BYTES:
            raise forms.ValidationError(file_too_large_message())
        return upload


class ColumnMappingForm(forms.Form):
    """One select per employee field, listing the columns of the file."""

    def __init__(self, *args: Any, headers: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.headers = headers
        choices: list[tuple[str, str]] = [("", str(_("— Not in the file —")))]
        for index, header in enumerate(headers):
            label = header or str(_("Column %(number)s without a header") % {"number": index + 1})
            choices.append((str(index), label))
        for spec in FIELDS:
            self.fields[spec.name] = forms.TypedChoiceField(
                label=capfirst(spec.label),
                choices=choices,
                coerce=int,
                empty_value=None,
                required=spec.required,
                error_messages={
                    "required": _("This information is required: choose the column that holds it.")
                },
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        chosen: dict[int, str] = {}
        for spec in FIELDS:
            index = cleaned.get(spec.name)
            if index is None:
                continue
            if index in chosen:
                self.add_error(
                    spec.name,
                    _("This column is already chosen for “%(field)s”.")
                    % {"field": capfirst(FIELDS_BY_NAME[chosen[index]].label)},
                )
            else:
                chosen[index] = spec.name
        return cleaned

    def mapping(self) -> dict[str, int]:
        return {name: index for name, index in self.cleaned_data.items() if index is not None}

    def required_fields(self) -> list[forms.BoundField]:
        return [self[spec.name] for spec in FIELDS if spec.required]

    def optional_fields(self) -> list[forms.BoundField]:
        return [self[spec.name] for spec in FIELDS if not spec.required]


class EmployeeFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        help_text=_("A name, personnel number or e-mail address."),
    )
    unit = forms.ModelChoiceField(
        label=_("Unit"),
        queryset=OrgUnit.objects.none(),
        required=False,
        empty_label=_("All units"),
        help_text=_("Includes the units under it."),
    )
    language = forms.ChoiceField(
        label=_("Language"),
        choices=[("", _("All languages")), *StaffLanguage.choices],
        required=False,
    )
    armed = forms.ChoiceField(
        label=_("Armed officers"),
        choices=[("", _("Armed or not")), ("yes", _("Armed officers only")), ("no", _("Unarmed staff only"))],
        required=False,
    )
    inactive = forms.BooleanField(label=_("Include employees who have left"), required=False)

    def __init__(self, *args: Any, units: QuerySet[OrgUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units.only("id", "code", "name", "path")  # type: ignore[attr-defined]

    def armed_filter(self) -> bool | None:
        return {"yes": True, "no": False}.get(self.cleaned_data.get("armed") or "")
