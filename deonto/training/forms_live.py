"""Forms of the live classroom: the instructor's start form and the participants' join code."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from deonto.accounts.models import User
from deonto.training.models import ContentLanguage, Course, LivePhase, LiveRun, Module
from deonto.training.selectors_live import (
    courses_for_live,
    join_code_is_wellformed,
    join_code_normalise,
    live_run_by_code,
    modules_for_live,
)

CASES = "cases"
QUESTIONS = "questions"
LIVE_LANGUAGES = [
    (language.value, language.label)
    for language in (ContentLanguage.DUTCH, ContentLanguage.FRENCH, ContentLanguage.ENGLISH)
]


class LabelledModelChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def __init__(self, labels: dict[int, str], **kwargs: Any) -> None:
        self.labels = labels
        super().__init__(**kwargs)

    def label_from_instance(self, obj: Any) -> str:
        return self.labels.get(obj.pk, str(obj))


class LabelledModelMultipleChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def __init__(self, labels: dict[int, str], **kwargs: Any) -> None:
        self.labels = labels
        super().__init__(**kwargs)

    def label_from_instance(self, obj: Any) -> str:
        return self.labels.get(obj.pk, str(obj))


class LiveStartForm(forms.Form):
    def __init__(self, *args: Any, viewer: User, language: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        courses = courses_for_live(viewer=viewer, language=language)
        modules = modules_for_live(viewer=viewer, language=language)
        self.fields["course"] = LabelledModelChoiceField(
            {course.pk: title for course, title in courses},
            queryset=Course.objects.filter(pk__in=[course.pk for course, _title in courses]),
            label=_("Course"),
            empty_label=None,
        )
        self.fields["language"] = forms.ChoiceField(
            label=_("Language of the content"),
            choices=LIVE_LANGUAGES,
            initial=language if language in dict(LIVE_LANGUAGES) else ContentLanguage.DUTCH.value,
            widget=forms.RadioSelect,
        )
        self.fields["kinds"] = forms.MultipleChoiceField(
            label=_("What to run"),
            choices=[(CASES, _("Practice cases")), (QUESTIONS, _("Quiz questions"))],
            initial=[CASES],
            widget=forms.CheckboxSelectMultiple,
        )
        self.fields["modules"] = LabelledModelMultipleChoiceField(
            {module.pk: label for module, label in modules},
            queryset=Module.objects.filter(pk__in=[module.pk for module, _label in modules]),
            label=_("Modules"),
            help_text=_("Leave all unticked to run every module."),
            required=False,
            initial=[module.pk for module, _label in modules],
            widget=forms.CheckboxSelectMultiple,
        )


class JoinForm(forms.Form):
    code = forms.CharField(
        label=_("Join code"),
        max_length=12,
        help_text=_("The six characters shown on the screen in the classroom."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )

    def clean_code(self) -> str:
        code = join_code_normalise(self.cleaned_data["code"])
        if not join_code_is_wellformed(code):
            raise forms.ValidationError(
                _("A join code has six letters and digits. Check the code on the screen.")
            )
        return code

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        code = cleaned.get("code")
        if code:
            run: LiveRun | None = live_run_by_code(code=code)
            if run is None:
                self.add_error("code", _("No live session has this code. Check the code on the screen."))
            elif run.phase == LivePhase.ENDED:
                self.add_error("code", _("This live session has ended."))
            else:
                cleaned["run"] = run
        return cleaned
