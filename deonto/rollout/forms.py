"""The forms of the rollout pages. They only parse what was typed; the rules (free rooms and
instructors, holidays, capacity, the unit rule) are the services', whose refusals the views show on
the form."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.text import format_lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from deonto.people.models import Employee, OrgUnit, Region, Site, StaffLanguage
from deonto.rollout.models import (
    Campaign,
    EnrolmentStatus,
    HalfDay,
    Instructor,
    Room,
    Session,
    SessionStatus,
    Wave,
    Weekday,
)
from deonto.training.models import Course
from deonto.training.selectors_learning import course_titles

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CampaignForm(forms.ModelForm[Campaign]):
    class Meta:
        model = Campaign
        fields = [
            "name",
            "course",
            "starts_on",
            "target_on",
            "unit_share_max",
            "reminder_days",
            "elearning_completes",
            "is_active",
        ]
        widgets = {"starts_on": DATE_INPUT, "target_on": DATE_INPUT}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        courses = self.fields["course"]
        courses.queryset = Course.objects.order_by("code")  # type: ignore[attr-defined]
        titles = course_titles(courses=Course.objects.all(), language=(get_language() or "nl")[:2])
        courses.label_from_instance = lambda course: titles.get(course.pk, course.code)  # type: ignore[attr-defined]
        if self.instance.pk is None:
            del self.fields["is_active"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts_on, target_on = data.get("starts_on"), data.get("target_on")
        if starts_on and target_on and target_on < starts_on:
            self.add_error("target_on", _("The target date cannot be before the start date."))
        return data

    def _post_clean(self) -> None:
        """The services save; the form does not write to the instance it was given."""


class WaveForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    order = forms.IntegerField(label=_("Order"), min_value=1, max_value=999)
    deadline = forms.DateField(label=_("Deadline"), required=False, widget=DATE_INPUT)
    armed_only = forms.BooleanField(label=_("Armed officers only"), required=False)
    regions = forms.ModelMultipleChoiceField(
        label=_("Regions"),
        queryset=Region.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every region."),
    )
    units = forms.ModelMultipleChoiceField(
        label=_("Units"),
        queryset=OrgUnit.objects.none(),
        required=False,
        help_text=_("A unit includes every unit below it. None chosen: every unit."),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=StaffLanguage.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every language."),
    )
    functions = forms.MultipleChoiceField(
        label=_("Functions"),
        choices=[],
        required=False,
        help_text=_("None chosen: every function."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["regions"].queryset = Region.objects.order_by("code")  # type: ignore[attr-defined]
        self.fields["units"].queryset = OrgUnit.objects.order_by("path")  # type: ignore[attr-defined]
        functions = (
            Employee.objects.filter(is_active=True)
            .exclude(function="")
            .order_by("function")
            .values_list("function", flat=True)
            .distinct()
        )
        self.fields["functions"].choices = [(name, name) for name in functions]  # type: ignore[attr-defined]

    @staticmethod
    def initial_for(wave: Wave) -> dict[str, Any]:
        return {
            "name": wave.name,
            "order": wave.order,
            "deadline": wave.deadline,
            "armed_only": wave.armed_only,
            "regions": list(wave.regions.all()),
            "units": list(wave.units.all()),
            "languages": wave.languages,
            "functions": wave.functions,
        }


class RoomForm(forms.ModelForm[Room]):
    class Meta:
        model = Room
        fields = ["site", "name", "capacity", "is_accessible", "is_active"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = Site.objects.select_related("region").order_by("name")  # type: ignore[attr-defined]
        if self.instance.pk is None:
            del self.fields["is_active"]

    def validate_unique(self) -> None:
        """Two rooms of one name on one site are refused by the service, with its message."""

    def _post_clean(self) -> None:
        """The services save; the form does not write to the instance it was given."""


SLOT_CHOICES = [
    (f"{weekday.value}-{half_day.value}", format_lazy("{} {}", weekday.label, half_day.label))
    for weekday in Weekday
    for half_day in HalfDay
]


class InstructorForm(forms.Form):
    employee = forms.ModelChoiceField(
        label=_("Personnel number of the employee"),
        queryset=Employee.objects.none(),
        to_field_name="personnel_number",
        widget=forms.TextInput,
        error_messages={
            "invalid_choice": _("No active employee who is not yet an instructor has this number.")
        },
    )
    languages = forms.MultipleChoiceField(
        label=_("Teaching languages"), choices=StaffLanguage.choices, widget=forms.CheckboxSelectMultiple
    )
    regions = forms.ModelMultipleChoiceField(
        label=_("Regions travelled to"), queryset=Region.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    slots = forms.MultipleChoiceField(
        label=_("Weekly availability"),
        choices=SLOT_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args: Any, instructor: Instructor | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instructor = instructor
        employees = Employee.objects.filter(is_active=True).order_by("last_name", "first_name")
        if instructor is None:
            employees = employees.filter(instructor__isnull=True)
            del self.fields["is_active"]
        else:
            employees = Employee.objects.filter(pk=instructor.employee_id)
            self.fields["employee"].disabled = True
        self.fields["employee"].queryset = employees  # type: ignore[attr-defined]
        self.fields["regions"].queryset = Region.objects.order_by("code")  # type: ignore[attr-defined]

    @staticmethod
    def initial_for(instructor: Instructor) -> dict[str, Any]:
        return {
            "employee": instructor.employee,
            "languages": instructor.languages,
            "regions": list(instructor.regions.all()),
            "slots": [f"{slot.weekday}-{slot.half_day}" for slot in instructor.availabilities.all()],
            "is_active": instructor.is_active,
        }

    def slot_set(self) -> set[tuple[int, str]]:
        slots: set[tuple[int, str]] = set()
        for value in self.cleaned_data["slots"]:
            weekday, half_day = value.split("-")
            slots.add((int(weekday), half_day))
        return slots

    def grid(self) -> list[dict[str, Any]]:
        """The availability as rows of weekdays, each with its morning and afternoon box."""
        boxes = {box.data["value"]: box for box in self["slots"]}
        return [
            {
                "weekday": weekday.label,
                "boxes": [boxes[f"{weekday.value}-{half_day.value}"] for half_day in HalfDay],
            }
            for weekday in Weekday
        ]


class AbsenceForm(forms.Form):
    starts_on = forms.DateField(label=_("From"), widget=DATE_INPUT)
    ends_on = forms.DateField(label=_("Until"), widget=DATE_INPUT)
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("The last day cannot be before the first day."))
        return data


class ClosingDayForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DATE_INPUT)
    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Region.objects.none(),
        required=False,
        empty_label=_("Every region"),
    )
    reason = forms.CharField(label=_("Reason"), max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.order_by("code")  # type: ignore[attr-defined]


def _instructor_choices() -> QuerySet[Instructor]:
    return (
        Instructor.objects.filter(is_active=True)
        .select_related("employee")
        .order_by("employee__last_name", "employee__first_name")
    )


class SessionForm(forms.Form):
    campaign = forms.ModelChoiceField(label=_("Campaign"), queryset=Campaign.objects.none())
    date = forms.DateField(label=_("Date"), widget=DATE_INPUT)
    half_day = forms.ChoiceField(label=_("Half-day"), choices=HalfDay.choices, widget=forms.RadioSelect)
    room = forms.ModelChoiceField(label=_("Room"), queryset=Room.objects.none())
    language = forms.ChoiceField(label=_("Language"), choices=StaffLanguage.choices)
    instructors = forms.ModelMultipleChoiceField(
        label=_("Instructors"),
        queryset=Instructor.objects.none(),
        help_text=_("One or two."),
    )
    capacity = forms.IntegerField(
        label=_("Capacity"),
        min_value=1,
        max_value=999,
        required=False,
        help_text=_("Empty: the capacity of the room."),
    )

    def __init__(self, *args: Any, session: Session | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = Campaign.objects.order_by("-starts_on", "name")  # type: ignore[attr-defined]
        if session is not None:
            self.fields["campaign"].disabled = True
        self.fields["room"].queryset = (  # type: ignore[attr-defined]
            Room.objects.filter(is_active=True).select_related("site").order_by("site__name", "name")
        )
        self.fields["instructors"].queryset = _instructor_choices()  # type: ignore[attr-defined]

    def clean_instructors(self) -> list[Instructor]:
        instructors = list(self.cleaned_data["instructors"])
        if len(instructors) > 2:
            raise forms.ValidationError(_("A session has one or two instructors."))
        return instructors

    @staticmethod
    def initial_for(session: Session) -> dict[str, Any]:
        return {
            "campaign": session.campaign,
            "date": session.date,
            "half_day": session.half_day,
            "room": session.room,
            "language": session.language,
            "instructors": [teaching.instructor for teaching in session.teaching.filter(is_active=True)],
            "capacity": session.capacity,
        }


class SessionFilterForm(forms.Form):
    campaign = forms.ModelChoiceField(
        label=_("Campaign"), queryset=Campaign.objects.none(), required=False, empty_label=_("All")
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All")), *SessionStatus.choices], required=False
    )
    region = forms.ModelChoiceField(
        label=_("Region"), queryset=Region.objects.none(), required=False, empty_label=_("All")
    )
    language = forms.ChoiceField(
        label=_("Language"), choices=[("", _("All")), *StaffLanguage.choices], required=False
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=DATE_INPUT)
    date_to = forms.DateField(label=_("Until"), required=False, widget=DATE_INPUT)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = Campaign.objects.order_by("-starts_on", "name")  # type: ignore[attr-defined]
        self.fields["region"].queryset = Region.objects.order_by("code")  # type: ignore[attr-defined]


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=255,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The people enrolled read it in their cancellation message."),
    )


class ProposeForm(forms.Form):
    employees = forms.ModelMultipleChoiceField(
        label=_("People to propose"),
        queryset=Employee.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, candidates: QuerySet[Employee], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["employees"].queryset = candidates  # type: ignore[attr-defined]


class MoveForm(forms.Form):
    session = forms.ModelChoiceField(label=_("New session"), queryset=Session.objects.none())

    def __init__(self, *args: Any, sessions: QuerySet[Session], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = sessions  # type: ignore[attr-defined]


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Why can you not come? (optional)"),
        max_length=255,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


ATTENDANCE_CHOICES = [
    (EnrolmentStatus.ATTENDED, _("Present")),
    (EnrolmentStatus.ABSENT, _("Absent")),
    (EnrolmentStatus.EXCUSED, _("Excused")),
]


def attendance_marks(data: Any, enrolment_ids: list[int]) -> dict[int, str]:
    """The marks posted for the session's enrolments (``mark-<id>``); anything else is ignored."""
    allowed = {value for value, _label in ATTENDANCE_CHOICES}
    marks: dict[int, str] = {}
    for enrolment_id in enrolment_ids:
        value = data.get(f"mark-{enrolment_id}", "")
        if value in allowed:
            marks[enrolment_id] = value
    return marks


def year_of(value: str | None, today: datetime.date) -> int:
    try:
        year = int(value or "")
    except ValueError:
        return today.year
    return year if 2000 <= year <= 2100 else today.year


def posted_id(request: Any, name: str) -> int:
    """The id of an object named in a form's button (0, which matches nothing, when it is not one)."""
    value = request.POST.get(name, "")
    return int(value) if value.isdigit() else 0
