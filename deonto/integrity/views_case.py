"""The pages of the integrity service: the case list, the deadlines, and each case with its
conflict-of-interest gate, status, notes, messages, person concerned, evidence and access log.

Need-to-know: whoever may not read a case gets the same 404 as for a case that does not exist.
An assigned inspector sees only the conflict-of-interest question until they answer it. Every
page of a case shown to anyone is recorded (``CaseRead``).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from deonto.accounts.models import User
from deonto.core.auth import signed_in_user
from deonto.core.errors import DomainError
from deonto.integrity import permissions, selectors
from deonto.integrity.forms_case import (
    AcknowledgeForm,
    AssignForm,
    CaseFilterForm,
    ConflictForm,
    EvidenceForm,
    FindingForm,
    MeasureForm,
    MessageForm,
    NoteForm,
    PersonSearchForm,
    ReasonForm,
)
from deonto.integrity.models import Report, ReportStatus
from deonto.integrity.services_case import (
    case_evidence_add,
    case_evidence_download,
    case_message_send,
    case_note_add,
    case_read_record,
    conflict_confirm_none,
    conflict_declare,
    finding_record,
    investigation_start,
    measure_record,
    person_concerned_set,
    report_acknowledge,
    report_assign,
    report_close,
)
from deonto.people.models import Employee


def _case_worker(request: HttpRequest) -> User:
    user = signed_in_user(request)
    if not permissions.works_on_cases(user):
        raise Http404
    return user


def _case(
    request: HttpRequest, reference: str, what: str, *, only: Callable[[User, Report], bool] | None = None
) -> tuple[User, Report]:
    """The case, if the viewer may read it (else 404, as for a case that does not exist) and, for
    a page of a few, passes ``only``; the read is recorded."""
    user = _case_worker(request)
    report = selectors.case_by_reference(reference=reference)
    if report is None or not permissions.can_view_report(user, report):
        raise Http404
    if only is not None and not only(user, report):
        raise Http404
    case_read_record(actor=user, report=report, what=what)
    return user, report


def _render(
    request: HttpRequest, template: str, user: User, report: Report, **context: object
) -> HttpResponse:
    context.update(
        {
            "report": report,
            "is_head": permissions.is_head_of_service(user),
            "can_see_reporter": permissions.can_see_reporter(user, report),
        }
    )
    return TemplateResponse(request, template, context)


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    user = _case_worker(request)
    form = CaseFilterForm(request.GET or None)
    status, overdue = "", False
    if form.is_valid():
        status, overdue = form.cleaned_data["status"], form.cleaned_data["overdue"]
    cases = selectors.cases_for(viewer=user, status=status, overdue=overdue)
    page = Paginator(cases, 50).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "awaiting": list(selectors.cases_awaiting_confirmation(viewer=user)),
        "is_head": permissions.is_head_of_service(user),
    }
    return TemplateResponse(request, "integrity/case_list.html", context)


@login_required
def deadlines(request: HttpRequest) -> HttpResponse:
    user = _case_worker(request)
    context = {
        "deadlines": selectors.deadlines_for(viewer=user),
        "acknowledge_days": settings.INTEGRITY_ACKNOWLEDGE_DAYS,
        "feedback_months": settings.INTEGRITY_FEEDBACK_MONTHS,
    }
    return TemplateResponse(request, "integrity/case_deadlines.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def case_conflict(request: HttpRequest, reference: str) -> HttpResponse:
    """The only page of a case an assigned inspector sees before saying they have no conflict."""
    user = _case_worker(request)
    report = selectors.case_by_reference(reference=reference)
    if report is None:
        raise Http404
    if not permissions.must_confirm_conflict(user, report):
        if permissions.can_view_report(user, report):
            return redirect("cases:case_detail", reference=reference)
        raise Http404
    case_read_record(actor=user, report=report, what="conflict")
    form = ConflictForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["answer"] == ConflictForm.NONE:
                conflict_confirm_none(actor=user, report=report)
                return redirect("cases:case_detail", reference=reference)
            conflict_declare(actor=user, report=report, reason=form.cleaned_data["reason"])
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            return redirect("cases:case_list")
    return TemplateResponse(request, "integrity/case_conflict.html", {"report": report, "form": form})


@never_cache
@login_required
def case_detail(request: HttpRequest, reference: str) -> HttpResponse:
    user = _case_worker(request)
    report = selectors.case_by_reference(reference=reference)
    if report is not None and permissions.must_confirm_conflict(user, report):
        return redirect("cases:case_conflict", reference=reference)
    user, report = _case(request, reference, "detail")
    return _render(
        request,
        "integrity/case_detail.html",
        user,
        report,
        assignments=selectors.case_assignments(report=report),
        transitions=selectors.case_transitions(report=report),
        articles=report.finding_articles,
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def case_assign(request: HttpRequest, reference: str) -> HttpResponse:
    user, report = _case(request, reference, "assign", only=permissions.can_assign)
    form = AssignForm(request.POST or None, inspectors=selectors.assignable_inspectors(report=report))
    if request.method == "POST" and form.is_valid():
        try:
            report_assign(actor=user, report=report, inspector=form.cleaned_data["inspector"])
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            return redirect("cases:case_detail", reference=reference)
    return _render(
        request,
        "integrity/case_assign.html",
        user,
        report,
        form=form,
        assignments=selectors.case_assignments(report=report),
    )


# The next step of the workflow for each status: its form, and the service that takes it.
STEPS = {
    ReportStatus.RECEIVED: "acknowledge",
    ReportStatus.ACKNOWLEDGED: "investigate",
    ReportStatus.INVESTIGATING: "finding",
    ReportStatus.FINDING: "measure",
    ReportStatus.MEASURE: "close",
}


def _step_form(step: str, data: object | None) -> AcknowledgeForm | ReasonForm | FindingForm | MeasureForm:
    if step == "acknowledge":
        return AcknowledgeForm(data)  # type: ignore[arg-type]
    if step == "finding":
        return FindingForm(data)  # type: ignore[arg-type]
    if step == "measure":
        return MeasureForm(data, measures=selectors.measures_active())
    return ReasonForm(data)  # type: ignore[arg-type]


def _step_take(step: str, user: User, report: Report, data: dict[str, object]) -> None:
    if step == "acknowledge":
        report_acknowledge(actor=user, report=report, message=str(data["message"]))
    elif step == "investigate":
        investigation_start(actor=user, report=report, reason=str(data["reason"]))
    elif step == "finding":
        finding_record(
            actor=user,
            report=report,
            outcome=str(data["outcome"]),
            articles=data["articles"],  # type: ignore[arg-type]
            summary=str(data["summary"]),
        )
    elif step == "measure":
        measure_record(actor=user, report=report, measure=data["measure"], note=str(data["note"]))  # type: ignore[arg-type]
    else:
        report_close(actor=user, report=report, reason=str(data["reason"]))


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def case_status(request: HttpRequest, reference: str) -> HttpResponse:
    """The next status change of the case; from a finding, the case can also be closed without a
    measure (``?step=close``)."""
    user, report = _case(request, reference, "status")
    step = STEPS.get(ReportStatus(report.status), "")
    wanted = request.POST.get("step") or request.GET.get("step") or step
    if wanted == "close" and report.status == ReportStatus.FINDING:
        step = "close"
    if not step:
        return _render(request, "integrity/case_status.html", user, report, step="", form=None)
    posted = request.method == "POST"
    # A form for a step the case has passed meanwhile (another tab, a colleague) changes nothing.
    stale = posted and request.POST.get("step") != step
    posted = posted and not stale
    form = _step_form(step, request.POST if posted else None)
    if posted and form.is_valid():
        try:
            _step_take(step, user, report, form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            return redirect("cases:case_detail", reference=reference)
    return _render(
        request,
        "integrity/case_status.html",
        user,
        report,
        step=step,
        form=form,
        stale=stale,
        can_close_now=report.status == ReportStatus.FINDING and step != "close",
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def case_notes(request: HttpRequest, reference: str) -> HttpResponse:
    user, report = _case(request, reference, "notes")
    form = NoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case_note_add(actor=user, report=report, body=form.cleaned_data["body"])
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            return redirect("cases:case_notes", reference=reference)
    return _render(
        request,
        "integrity/case_notes.html",
        user,
        report,
        form=form,
        notes=selectors.case_notes(report=report),
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def case_messages(request: HttpRequest, reference: str) -> HttpResponse:
    user, report = _case(request, reference, "messages")
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case_message_send(actor=user, report=report, body=form.cleaned_data["body"])
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            return redirect("cases:case_messages", reference=reference)
    return _render(
        request,
        "integrity/case_messages.html",
        user,
        report,
        form=form,
        messages_=selectors.case_messages(report=report),
        closed=report.status == ReportStatus.CLOSED,
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def case_person(request: HttpRequest, reference: str) -> HttpResponse:
    """Search the roster by personnel number or name, and choose the person concerned."""
    user, report = _case(request, reference, "person")
    search = PersonSearchForm(request.GET or None)
    matches: list[Employee] = []
    if search.is_valid():
        matches = selectors.employees_matching(query=search.cleaned_data["q"])
    error = ""
    if request.method == "POST":
        chosen = request.POST.get("employee", "")
        employee = (
            Employee.objects.filter(pk=int(chosen), is_active=True).first() if chosen.isdigit() else None
        )
        if chosen and employee is None:
            error = _("Choose an active employee from the roster.")
        else:
            try:
                person_concerned_set(actor=user, report=report, employee=employee)
            except DomainError as refused:
                error = refused.message
            else:
                return redirect("cases:case_detail", reference=reference)
    return _render(
        request,
        "integrity/case_person.html",
        user,
        report,
        search=search,
        matches=matches,
        searched=search.is_bound,
        error=error,
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def case_evidence(request: HttpRequest, reference: str) -> HttpResponse:
    user, report = _case(request, reference, "evidence")
    form = EvidenceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case_evidence_add(
                actor=user,
                report=report,
                content=data["file"],
                description=data["description"],
                captured_url=data["captured_url"],
                captured_at=data["captured_at"],
            )
        except DomainError as error:
            form.add_error("file", error.message)
        else:
            return redirect("cases:case_evidence", reference=reference)
    return _render(
        request,
        "integrity/case_evidence.html",
        user,
        report,
        form=form,
        evidence=selectors.case_evidence(report=report),
        closed=report.status == ReportStatus.CLOSED,
    )


@never_cache
@login_required
def case_evidence_file(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    """The file, only once its fingerprint matches; otherwise a page that says so, never the file."""
    user, report = _case(request, reference, "evidence-download")
    evidence = report.evidence.filter(pk=pk).first()
    if evidence is None:
        raise Http404
    try:
        content = case_evidence_download(actor=user, evidence=evidence)
    except DomainError as error:
        return TemplateResponse(
            request,
            "integrity/case_evidence_error.html",
            {"report": report, "evidence": evidence, "message": error.message},
            status=409,
        )
    response = HttpResponse(content, content_type=evidence.content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"evidence-{evidence.pk}-{evidence.original_name}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@never_cache
@login_required
def case_access_log(request: HttpRequest, reference: str) -> HttpResponse:
    user, report = _case(request, reference, "access-log", only=permissions.can_view_access_log)
    page = Paginator(selectors.case_reads(report=report), 100).get_page(request.GET.get("page"))
    return _render(request, "integrity/case_access_log.html", user, report, page=page)
