"""The reporter's pages: how to report, the report form, its receipt, the follow-up with the
receipt code, and a signed-in reporter's own reports.

Nothing about an anonymous visitor is kept: the receipt code lives in the session only until the
receipt page shows it, and the follow-up remembers only which report the code opened.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from deonto.accounts.models import User
from deonto.core.auth import signed_in_user
from deonto.core.errors import DomainError
from deonto.integrity.forms import AnswerForm, ReceiptCodeForm, ReportForm
from deonto.integrity.models import IntakeMode, MessageSide, Report
from deonto.integrity.selectors import report_followup, report_of_reporter, reports_of
from deonto.integrity.services_intake import report_for_receipt_code, report_message_add, report_submit
from deonto.knowledge.selectors import article_for

RECEIPT_KEY = "integrity_receipt"
FOLLOWUP_KEY = "integrity_followup_report"


def _user(request: HttpRequest) -> User | None:
    user = request.user
    return user if isinstance(user, User) and user.is_authenticated else None


def report_start(request: HttpRequest) -> HttpResponse:
    guidance = article_for(code="reporting-breach", language=(get_language() or "nl")[:2])
    return TemplateResponse(request, "integrity/report_start.html", {"guidance": guidance})


@require_http_methods(["GET", "POST"])
def report_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if request.method == "POST":
        form = ReportForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            if data["mode"] != IntakeMode.ANONYMOUS and user is None:
                return redirect_to_login(request.get_full_path())
            try:
                report, code = report_submit(
                    reporter=user,
                    mode=data["mode"],
                    category=data["category"],
                    description=data["description"],
                    occurred_on=data["occurred_on"],
                    location=data["location"],
                    links=data["links"],
                    files=data["attachments"],
                )
            except DomainError as error:
                form.add_error("attachments" if data["attachments"] else None, error.message)
            else:
                request.session[RECEIPT_KEY] = {"reference": report.reference, "code": code}
                return redirect("integrity:report_receipt")
    else:
        mode = request.GET.get("mode", "")
        if mode not in IntakeMode.values:
            mode = IntakeMode.NAMED if user else IntakeMode.ANONYMOUS
        if mode != IntakeMode.ANONYMOUS and user is None:
            return redirect_to_login(request.get_full_path())
        form = ReportForm(initial={"mode": mode})
    return TemplateResponse(request, "integrity/report_form.html", {"form": form, "signed_in": bool(user)})


@never_cache
def report_receipt(request: HttpRequest) -> HttpResponse:
    receipt = request.session.pop(RECEIPT_KEY, None)
    if not isinstance(receipt, dict):
        return redirect("integrity:report_start")
    return TemplateResponse(
        request, "integrity/report_receipt.html", {"reference": receipt["reference"], "code": receipt["code"]}
    )


def _followup_page(request: HttpRequest, report: Report, answer_form: AnswerForm, sent: bool) -> HttpResponse:
    context = {"followup": report_followup(report=report), "form": answer_form, "sent": sent}
    return TemplateResponse(request, "integrity/followup_report.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def followup(request: HttpRequest) -> HttpResponse:
    report_id = request.session.get(FOLLOWUP_KEY)
    report = (
        Report.objects.filter(pk=report_id, intake_mode=IntakeMode.ANONYMOUS).first() if report_id else None
    )
    action = request.POST.get("action", "")
    if request.method == "POST" and action == "leave":
        request.session.pop(FOLLOWUP_KEY, None)
        return redirect("integrity:followup")
    if report is not None:
        if request.method == "POST" and action == "answer":
            form = AnswerForm(request.POST, request.FILES)
            if form.is_valid():
                try:
                    report_message_add(
                        report=report,
                        side=MessageSide.REPORTER,
                        author=None,
                        body=form.cleaned_data["body"],
                        files=form.cleaned_data["attachments"],
                    )
                except DomainError as error:
                    form.add_error(None, error.message)
                else:
                    return _followup_page(request, report, AnswerForm(), sent=True)
            return _followup_page(request, report, form, sent=False)
        return _followup_page(request, report, AnswerForm(), sent=False)
    code_form = ReceiptCodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and code_form.is_valid():
        found = report_for_receipt_code(code_form.cleaned_data["code"])
        if found is not None:
            request.session.cycle_key()
            request.session[FOLLOWUP_KEY] = found.pk
            return redirect("integrity:followup")
        code_form.add_error("code", ReceiptCodeForm.wrong_code_message)
    return TemplateResponse(request, "integrity/followup_code.html", {"form": code_form})


@login_required
def my_reports(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    return TemplateResponse(request, "integrity/my_reports.html", {"reports": reports_of(user=user)})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def my_report(request: HttpRequest, reference: str) -> HttpResponse:
    """A named or confidential reporter reads the service's messages on their report and answers;
    anyone else's report is not found."""
    user = signed_in_user(request)
    report = report_of_reporter(user=user, reference=reference)
    if report is None:
        raise Http404
    form = AnswerForm(request.POST or None, request.FILES or None)
    sent = False
    if request.method == "POST" and form.is_valid():
        try:
            report_message_add(
                report=report,
                side=MessageSide.REPORTER,
                author=user,
                body=form.cleaned_data["body"],
                files=form.cleaned_data["attachments"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            form, sent = AnswerForm(), True
    context = {"followup": report_followup(report=report), "form": form, "sent": sent}
    return TemplateResponse(request, "integrity/my_report.html", context)
