"""The e-learning pages: the course list, a course, the player (one item per page), the final quiz
and its results, and the certificates: the holder's PDF and the public check page.

Every signed-in user may take the e-learning; only the check page is open to anyone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import BoundField
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from deonto.accounts.models import User
from deonto.core.auth import signed_in_user
from deonto.core.errors import DomainError
from deonto.knowledge.text import render_markdown
from deonto.training import selectors_learning as selectors
from deonto.training import services_learning as services
from deonto.training.certificates import certificate_issue_date
from deonto.training.certificates import certificate_pdf as render_pdf
from deonto.training.models import Attempt, AttemptStatus, Course, ItemKind
from deonto.training.selectors_learning import PlayerItem

MAX_CODE_LENGTH = 40


def _interface_language() -> str:
    return (get_language() or "nl")[:2]


def _course(code: str) -> Course:
    course = selectors.course_published(code=code)
    if course is None:
        raise Http404
    return course


def _attempt(user: User, course: Course) -> Attempt | None:
    return selectors.attempt_current(viewer=user, course=course)


def _item_url(course: Course, position: int) -> str:
    return reverse("training:learn_item", kwargs={"code": course.code, "number": position + 1})


def _quiz_open(attempt: Attempt | None, count: int) -> bool:
    """The final quiz opens once the learner has reached the last item of the modules."""
    if attempt is None:
        return False
    return attempt.status != AttemptStatus.IN_PROGRESS or attempt.position >= count - 1


# Forms -----------------------------------------------------------------------------------------


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=gettext_lazy("Language of the course"))

    def __init__(self, *args: Any, languages: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = languages  # type: ignore[attr-defined]


class CaseForm(forms.Form):
    choice = forms.ChoiceField(widget=forms.RadioSelect)

    def __init__(self, *args: Any, entry: PlayerItem, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        texts = entry.text.content.get("choices", {})
        field = self.fields["choice"]
        field.label = entry.text.content.get("prompt", "")
        field.choices = [  # type: ignore[attr-defined]
            (str(choice["key"]), texts.get(str(choice["key"]), {}).get("text", choice["key"]))
            for choice in entry.item.structure.get("choices", [])
        ]
        field.error_messages["required"] = _("Choose one of the answers.")


class CheckForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Verification code"),
        max_length=MAX_CODE_LENGTH,
        help_text=gettext_lazy("As printed on the certificate, for example K7QH-3MZP-X9TD."),
    )


@dataclass(frozen=True)
class QuizQuestion:
    number: int
    entry: PlayerItem
    fields: list[BoundField]


class QuizForm(forms.Form):
    """One field per question (one per pair for matching questions), named after the item."""

    def __init__(self, *args: Any, questions: list[PlayerItem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        required = _("Answer this question.")
        for entry in questions:
            item, text = entry.item, entry.text.content
            name = f"q{item.pk}"
            choices = [
                (str(choice["key"]), text.get("choices", {}).get(str(choice["key"]), {}).get("text", ""))
                for choice in item.structure.get("choices", [])
            ]
            if item.kind in (ItemKind.SINGLE, ItemKind.TRUEFALSE):
                self.fields[name] = forms.ChoiceField(
                    label=text.get("prompt"), choices=choices, widget=forms.RadioSelect
                )
            elif item.kind == ItemKind.MULTIPLE:
                self.fields[name] = forms.MultipleChoiceField(
                    label=text.get("prompt"),
                    choices=choices,
                    widget=forms.CheckboxSelectMultiple,
                    help_text=_("Choose every answer that is right."),
                )
            elif item.kind == ItemKind.SHORT:
                self.fields[name] = forms.CharField(label=_("Your answer"), max_length=200)
            elif item.kind == ItemKind.MATCHING:
                pairs = text.get("pairs", {})
                rights = sorted(
                    ((key, pair["right"]) for key, pair in pairs.items()), key=lambda pair: pair[1]
                )
                for key, pair in pairs.items():
                    self.fields[f"{name}_{key}"] = forms.ChoiceField(
                        label=pair["left"], choices=[("", _("Choose…")), *rights]
                    )
            for field_name, field in self.fields.items():
                if field_name == name or field_name.startswith(f"{name}_"):
                    field.error_messages["required"] = required

    def grouped(self) -> list[QuizQuestion]:
        groups = []
        for number, entry in enumerate(self.questions, 1):
            name = f"q{entry.item.pk}"
            bound = [self[n] for n in self.fields if n == name or n.startswith(f"{name}_")]
            groups.append(QuizQuestion(number=number, entry=entry, fields=bound))
        return groups

    def answers(self) -> dict[int, dict[str, Any]]:
        data = self.cleaned_data
        answers: dict[int, dict[str, Any]] = {}
        for entry in self.questions:
            item, name = entry.item, f"q{entry.item.pk}"
            if item.kind in (ItemKind.SINGLE, ItemKind.TRUEFALSE):
                answers[item.pk] = {"choice": data[name]}
            elif item.kind == ItemKind.MULTIPLE:
                answers[item.pk] = {"choices": sorted(data[name])}
            elif item.kind == ItemKind.SHORT:
                answers[item.pk] = {"text": data[name]}
            elif item.kind == ItemKind.MATCHING:
                keys = [str(key) for key in item.structure.get("pairs", [])]
                answers[item.pk] = {"pairs": {key: data[f"{name}_{key}"] for key in keys}}
        return answers


# Pages -----------------------------------------------------------------------------------------


@login_required
def learn_index(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    entries = selectors.courses_available(viewer=user, interface_language=_interface_language())
    return TemplateResponse(request, "training/learning/index.html", {"entries": entries})


def _language_choices(course: Course) -> list[tuple[str, str]]:
    names = {"nl": "Nederlands", "fr": "Français", "en": "English"}
    return [(language, names[language]) for language in selectors.course_languages(course=course)]


@login_required
def learn_course(request: HttpRequest, code: str) -> HttpResponse:
    user = signed_in_user(request)
    course = _course(code)
    attempt = _attempt(user, course)
    language = (
        attempt.language
        if attempt
        else selectors.course_language_for(course=course, interface_language=_interface_language())
    )
    count = selectors.player_item_count(course=course)
    context = {
        "course": course,
        "attempt": attempt,
        "text": selectors.course_text(course=course, language=language),
        "modules": selectors.modules_for(course=course, language=language),
        "count": count,
        "current": (attempt.position + 1) if attempt else 0,
        "quiz_open": _quiz_open(attempt, count),
        "certificate": selectors.certificate_for_attempt(attempt=attempt) if attempt else None,
        "language_form": LanguageForm(initial={"language": language}, languages=_language_choices(course)),
    }
    return TemplateResponse(request, "training/learning/course.html", context)


@login_required
@require_POST
def learn_start(request: HttpRequest, code: str) -> HttpResponse:
    user = signed_in_user(request)
    course = _course(code)
    attempt = _attempt(user, course)
    language = (
        attempt.language
        if attempt
        else selectors.course_language_for(course=course, interface_language=_interface_language())
    )
    try:
        attempt = services.attempt_start(actor=user, course=course, language=language)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("training:learn_course", code=course.code)
    return HttpResponseRedirect(_item_url(course, attempt.position))


@login_required
@require_POST
def learn_language(request: HttpRequest, code: str) -> HttpResponse:
    user = signed_in_user(request)
    course = _course(code)
    form = LanguageForm(request.POST, languages=_language_choices(course))
    if form.is_valid():
        try:
            services.attempt_start(actor=user, course=course, language=form.cleaned_data["language"])
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The course is now shown in the language you chose."))
    else:
        messages.error(request, _("This course is not available in that language."))
    return redirect("training:learn_course", code=course.code)


@login_required
def learn_item(request: HttpRequest, code: str, number: int) -> HttpResponse:
    user = signed_in_user(request)
    course = _course(code)
    attempt = _attempt(user, course)
    if attempt is None:
        return redirect("training:learn_course", code=course.code)
    entries = selectors.player_items(course=course, language=attempt.language)
    if not 1 <= number <= len(entries):
        raise Http404
    entry = entries[number - 1]
    response = selectors.responses_for(attempt=attempt, quiz_round=0).get(entry.item.pk)
    form = None
    if entry.item.kind == ItemKind.CASE:
        form = CaseForm(request.POST if request.method == "POST" else None, entry=entry)
        if request.method == "POST" and form.is_valid():
            try:
                services.case_answer(
                    actor=user, attempt=attempt, item=entry.item, choice=form.cleaned_data["choice"]
                )
            except DomainError as error:
                form.add_error("choice", error.message)
            else:
                return HttpResponseRedirect(f"{_item_url(course, number - 1)}#feedback")
    services.attempt_move(actor=user, attempt=attempt, position=number - 1)
    context = {
        "course": course,
        "attempt": attempt,
        "entry": entry,
        "text": entry.text.content,
        "body_html": render_markdown(
            entry.text.content.get("body") or entry.text.content.get("situation") or ""
        ),
        "number": number,
        "count": len(entries),
        "previous_url": _item_url(course, number - 2) if number > 1 else None,
        "next_url": _item_url(course, number) if number < len(entries) else None,
        "quiz_url": reverse("training:learn_quiz", kwargs={"code": course.code})
        if number == len(entries)
        else None,
        "form": form,
        "response": response,
        "chosen": (response.response.get("choice") if response else None),
        "choices": _case_choices(entry) if entry.item.kind == ItemKind.CASE else [],
        "articles": selectors.articles_for(item=entry.item, language=attempt.language) if response else [],
        "course_title": selectors.course_text(course=course, language=attempt.language),
    }
    return TemplateResponse(request, "training/learning/item.html", context)


def _case_choices(entry: PlayerItem) -> list[dict[str, Any]]:
    texts = entry.text.content.get("choices", {})
    return [
        {
            "key": str(choice["key"]),
            "text": texts.get(str(choice["key"]), {}).get("text", ""),
            "feedback": texts.get(str(choice["key"]), {}).get("feedback", ""),
            "recommended": bool(choice.get("recommended")),
        }
        for choice in entry.item.structure.get("choices", [])
    ]


def _handed_in(attempt: Attempt) -> bool:
    if attempt.status == AttemptStatus.PASSED:
        return True
    return bool(selectors.responses_for(attempt=attempt, quiz_round=max(attempt.quiz_round, 1)))


@login_required
def learn_quiz(request: HttpRequest, code: str) -> HttpResponse:
    user = signed_in_user(request)
    course = _course(code)
    attempt = _attempt(user, course)
    if not _quiz_open(attempt, selectors.player_item_count(course=course)) or attempt is None:
        messages.info(request, _("Work through the modules first; the final quiz follows the last item."))
        return redirect("training:learn_course", code=course.code)
    if _handed_in(attempt):
        return redirect("training:learn_quiz_result", code=course.code)
    questions = selectors.quiz_items(course=course, language=attempt.language)
    form = QuizForm(request.POST if request.method == "POST" else None, questions=questions)
    if request.method == "POST" and form.is_valid():
        try:
            services.quiz_submit(actor=user, attempt=attempt, answers=form.answers())
        except DomainError as error:
            messages.error(request, error.message)
        return redirect("training:learn_quiz_result", code=course.code)
    context = {
        "course": course,
        "attempt": attempt,
        "form": form,
        "questions": form.grouped(),
        "quiz_round": max(attempt.quiz_round, 1),
        "course_title": selectors.course_text(course=course, language=attempt.language),
    }
    return TemplateResponse(request, "training/learning/quiz.html", context)


@login_required
def learn_quiz_result(request: HttpRequest, code: str) -> HttpResponse:
    user = signed_in_user(request)
    course = _course(code)
    attempt = _attempt(user, course)
    if attempt is None or not _handed_in(attempt):
        return redirect("training:learn_quiz", code=course.code)
    answers = selectors.quiz_review(attempt=attempt, quiz_round=max(attempt.quiz_round, 1))
    context = {
        "course": course,
        "attempt": attempt,
        "answers": answers,
        "passed": attempt.status == AttemptStatus.PASSED,
        "correct": sum(1 for answer in answers if answer.is_correct),
        "certificate": selectors.certificate_for_attempt(attempt=attempt),
        "course_title": selectors.course_text(course=course, language=attempt.language),
    }
    return TemplateResponse(request, "training/learning/result.html", context)


@login_required
@require_POST
def learn_quiz_retry(request: HttpRequest, code: str) -> HttpResponse:
    user = signed_in_user(request)
    course = _course(code)
    attempt = _attempt(user, course)
    if attempt is None:
        return redirect("training:learn_course", code=course.code)
    try:
        services.quiz_retry(actor=user, attempt=attempt)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("training:learn_quiz_result", code=course.code)
    return redirect("training:learn_quiz", code=course.code)


# Certificates ----------------------------------------------------------------------------------


@login_required
def certificate_pdf(request: HttpRequest, code: str) -> HttpResponse:
    user = signed_in_user(request)
    certificate = selectors.certificate_of(viewer=user, code=code)
    if certificate is None:
        raise Http404
    check_url = request.build_absolute_uri(reverse("training:certificate_check"))
    content = render_pdf(certificate, check_url=check_url)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{certificate.code}.pdf"'
    return response


def certificate_check(request: HttpRequest) -> HttpResponse:
    form = CheckForm(request.GET or None)
    certificate = None
    if form.is_valid():
        certificate = selectors.certificate_lookup(code=form.cleaned_data["code"])
    context = {
        "form": form,
        "checked": form.is_bound and form.is_valid(),
        "certificate": certificate,
        "issued": certificate_issue_date(certificate, language=_interface_language()) if certificate else "",
        "normalised": selectors.code_normalise(form.cleaned_data["code"])
        if form.is_bound and form.is_valid()
        else "",
    }
    return TemplateResponse(request, "training/learning/check.html", context)
