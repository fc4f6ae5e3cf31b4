"""Demo cases for the integrity desk: six synthetic reports at every stage, so that the inspector and the head of
service find a case list, deadlines, a conversation, evidence and statistics in a demonstration.

Each step goes through the services, as a person would take it: assignment, the conflict-of-interest question,
acknowledgement, investigation, evidence (encrypted, with its custody chain), finding, measure, closing. The steps
run in the order of their dates, on a clock set back to each step's moment (`_clock`), so that the history,
the deadlines and the custody chain read as if the cases had come in over the last four months. Written only
by `seed_demo`, which refuses to run on a production database.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from unittest import mock

from django.apps import apps
from django.core.files.base import ContentFile
from django.db.models import Field
from django.test.utils import override_settings
from django.utils import timezone
from PIL import Image, ImageDraw

from deonto.accounts.models import User
from deonto.integrity.models import FindingOutcome, IntakeMode, Measure, MessageSide, Report, ReportCategory
from deonto.integrity.services_case import (
    case_evidence_add,
    case_message_send,
    case_note_add,
    conflict_confirm_none,
    finding_record,
    investigation_start,
    measure_record,
    person_concerned_set,
    report_acknowledge,
    report_assign,
    report_close,
)
from deonto.integrity.services_intake import report_message_add, report_submit
from deonto.knowledge.models import Article
from deonto.people.models import Employee

_REAL_NOW = timezone.now


@contextmanager
def _clock(moment: datetime.datetime) -> Iterator[None]:
    """Django's clock reads `moment`: `timezone.now()` and every field whose default is `timezone.now`."""
    fields: list[Field[Any, Any]] = [
        field
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if field.default is _REAL_NOW
    ]

    def frozen() -> datetime.datetime:
        return moment

    try:
        for field in fields:
            field.default = frozen
            field.__dict__.pop("_get_default", None)  # Django caches how to get the default
        with mock.patch("django.utils.timezone.now", frozen):
            yield
    finally:
        for field in fields:
            field.default = _REAL_NOW
            field.__dict__.pop("_get_default", None)


def _screenshot(lines: list[str]) -> ContentFile[bytes]:
    """A synthetic capture of a post: a grey card with its text, marked as demo data."""
    image = Image.new("RGB", (900, 520), "#f4f5f7")
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 40, 860, 480), fill="#ffffff", outline="#c9ced6", width=2)
    draw.text((70, 70), "DEMO — synthetic capture, no real person", fill="#a4361b")
    for index, line in enumerate(lines):
        draw.text((70, 130 + 34 * index), line, fill="#1b1f24")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return ContentFile(buffer.getvalue(), name="capture.png")


@dataclass(frozen=True)
class DemoCases:
    reports: int
    evidence: int


@dataclass
class _Cast:
    head: User
    inspector: User
    employee: User
    manager: User
    concerned_fr: Employee
    concerned_nl: Employee


def _cast() -> _Cast | None:
    users = {
        user.username: user
        for user in User.objects.filter(username__in=["head_of_service", "inspector", "employee", "manager"])
    }
    if len(users) < 4:
        return None
    logins = [user.pk for user in users.values()]
    people = Employee.objects.filter(is_active=True, is_armed=True).exclude(user_id__in=logins).order_by("pk")
    concerned_fr = people.filter(language="fr").first()
    concerned_nl = people.filter(language="nl").first()
    if concerned_fr is None or concerned_nl is None:
        return None
    return _Cast(
        head=users["head_of_service"],
        inspector=users["inspector"],
        employee=users["employee"],
        manager=users["manager"],
        concerned_fr=concerned_fr,
        concerned_nl=concerned_nl,
    )


class _Script:
    """The demo cases as steps on dates, each a call of a service by the person who would take it; `run` plays
    them in the order of their dates. Dates are days before `today`, at an hour of the day."""

    def __init__(self, today: datetime.date, cast: _Cast) -> None:
        self.today, self.cast = today, cast
        self.zone = timezone.get_current_timezone()
        self.cases: dict[str, Report] = {}
        self.steps: list[tuple[datetime.datetime, Callable[[], object]]] = []

    def at(self, days_ago: int, hour: int, minute: int = 0) -> datetime.datetime:
        day = self.today - datetime.timedelta(days=days_ago)
        return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=self.zone)

    def report(
        self,
        key: str,
        days_ago: int,
        hour: int,
        *,
        reporter: User | None,
        category: str,
        description: str,
        location: str,
        links: tuple[str, ...] = (),
        mode: str = IntakeMode.ANONYMOUS,
    ) -> None:
        def step() -> None:
            occurred = self.today - datetime.timedelta(days=days_ago + 1)
            self.cases[key], _receipt = report_submit(
                reporter=reporter,
                mode=mode,
                category=category,
                description=description,
                occurred_on=occurred,
                location=location,
                links=list(links),
                files=[],
            )

        self.steps.append((self.at(days_ago, hour, 17), step))

    def assign(self, key: str, days_ago: int) -> None:
        head, inspector = self.cast.head, self.cast.inspector
        self.steps.append(
            (
                self.at(days_ago, 9, 40),
                lambda: report_assign(actor=head, report=self.cases[key], inspector=inspector),
            )
        )

    def open(self, key: str, days_ago: int) -> None:
        """Assigned to the inspector, who has no conflict of interest."""
        self.assign(key, days_ago)
        self.by_inspector(
            key, days_ago, 11, lambda actor, report: conflict_confirm_none(actor=actor, report=report)
        )

    def by_inspector(
        self, key: str, days_ago: int, hour: int, action: Callable[[User, Report], object]
    ) -> None:
        inspector = self.cast.inspector
        self.steps.append((self.at(days_ago, hour), lambda: action(inspector, self.cases[key])))

    def acknowledge(self, key: str, days_ago: int, message: str) -> None:
        self.by_inspector(
            key,
            days_ago,
            10,
            lambda actor, report: report_acknowledge(actor=actor, report=report, message=message),
        )

    def investigate(self, key: str, days_ago: int, reason: str) -> None:
        self.by_inspector(
            key,
            days_ago,
            14,
            lambda actor, report: investigation_start(actor=actor, report=report, reason=reason),
        )

    def capture(self, key: str, days_ago: int, url: str, lines: list[str], description: str) -> None:
        captured = self.at(days_ago, 14, 50)
        self.by_inspector(
            key,
            days_ago,
            15,
            lambda actor, report: case_evidence_add(
                actor=actor,
                report=report,
                content=_screenshot([url, *lines]),
                description=description,
                captured_url=f"https://www.{url}",
                captured_at=captured,
            ),
        )

    def concerns(self, key: str, days_ago: int, employee: Employee) -> None:
        self.by_inspector(
            key,
            days_ago,
            9,
            lambda actor, report: person_concerned_set(actor=actor, report=report, employee=employee),
        )

    def note(self, key: str, days_ago: int, body: str) -> None:
        self.by_inspector(
            key, days_ago, 16, lambda actor, report: case_note_add(actor=actor, report=report, body=body)
        )

    def ask(self, key: str, days_ago: int, body: str) -> None:
        self.by_inspector(
            key, days_ago, 11, lambda actor, report: case_message_send(actor=actor, report=report, body=body)
        )

    def reply(self, key: str, days_ago: int, reporter: User, body: str) -> None:
        self.steps.append(
            (
                self.at(days_ago, 20, 12),
                lambda: report_message_add(
                    report=self.cases[key], side=MessageSide.REPORTER, author=reporter, body=body
                ),
            )
        )

    def find(self, key: str, days_ago: int, outcome: str, articles: list[str], summary: str) -> None:
        self.by_inspector(
            key,
            days_ago,
            11,
            lambda actor, report: finding_record(
                actor=actor, report=report, outcome=outcome, articles=articles, summary=summary
            ),
        )

    def measure(self, key: str, days_ago: int, measure: Measure, note: str) -> None:
        self.by_inspector(
            key,
            days_ago,
            10,
            lambda actor, report: measure_record(actor=actor, report=report, measure=measure, note=note),
        )

    def close(self, key: str, days_ago: int, reason: str) -> None:
        self.by_inspector(
            key, days_ago, 15, lambda actor, report: report_close(actor=actor, report=report, reason=reason)
        )

    def run(self) -> dict[str, Report]:
        # The reporters' e-mails stay in memory: a demonstration sends nothing.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            for moment, step in sorted(self.steps, key=lambda item: item[0]):
                with _clock(moment):
                    step()
        return self.cases


def integrity_demo_seed(*, today: datetime.date) -> DemoCases:
    """The six demo cases, unless there are reports already or the demo logins are missing."""
    cast = _cast()
    if cast is None or Report.objects.exists():
        return DemoCases(reports=0, evidence=0)
    script = _Script(today, cast)

    # 1. A uniform and a service weapon on Instagram: closed after a breach and a warning.
    script.report(
        "weapon",
        121,
        21,
        reporter=None,
        category=ReportCategory.SOCIAL_MEDIA,
        location="Instagram",
        links=("https://www.instagram.com/p/demo-0001/",),
        description="Un collègue de la brigade mobile publie sur Instagram une photo de lui en uniforme, arme de "
        "service à la ceinture, devant le bâtiment de la brigade. Son profil est public et son nom complet y figure.",
    )
    script.open("weapon", 120)
    script.acknowledge(
        "weapon",
        119,
        "Merci pour votre signalement. Le service intégrité l'examine et vous tiendra informé ici.",
    )
    script.investigate(
        "weapon",
        117,
        "Photo publique en uniforme avec arme de service : identification de l'agent et risque pour sa sécurité.",
    )
    script.capture(
        "weapon",
        117,
        "instagram.com/p/demo-0001/",
        [
            "Photo: officer in uniform, service weapon visible",
            "Caption: « Prêt pour la nuit #douane »",
            "Public profile, 1,284 followers",
        ],
        "Capture de la publication",
    )
    script.concerns("weapon", 116, cast.concerned_fr)
    script.note(
        "weapon",
        110,
        "Entretien avec l'agent : il ignorait que son profil était public. Publication retirée le jour même.",
    )
    breached = sorted(
        {"uniform-weapon-photos", "private-public-online"}
        & set(Article.objects.values_list("code", flat=True))
    )
    warning = Measure.objects.filter(code="warning", active=True).first()
    if breached and warning is not None:
        script.find(
            "weapon",
            84,
            FindingOutcome.BREACH,
            breached,
            "Photo publique en uniforme avec arme de service, nom complet visible : manquement aux règles sur les photos en uniforme.",
        )
        script.measure(
            "weapon", 80, warning, "Premier manquement, publication retirée aussitôt, agent coopératif."
        )
        script.close("weapon", 78, "Mesure notifiée à l'agent.")

    # 2. A remark in a team chat, reported by name: no breach found, closed.
    script.report(
        "chat",
        76,
        8,
        reporter=cast.employee,
        mode=IntakeMode.NAMED,
        category=ReportCategory.HARASSMENT,
        location="WhatsApp-groep van de ploeg",
        description="In de WhatsApp-groep van onze ploeg werd een meme over een nieuwe collega gedeeld. Ik vond dat "
        "kwetsend en wil weten of dit kan.",
    )
    script.open("chat", 75)
    script.acknowledge(
        "chat", 74, "Bedankt voor uw melding. We bekijken ze en laten u hier weten wat we doen."
    )
    script.investigate("chat", 72, "Mogelijke pesterij in een groepschat van de ploeg.")
    script.find(
        "chat",
        52,
        FindingOutcome.NO_BREACH,
        [],
        "Grap zonder kwetsende bedoeling; de collega in kwestie voelde zich niet geviseerd. De ploegchef heeft de "
        "groep aan de regels herinnerd.",
    )
    script.close("chat", 51, "Geen inbreuk; de melder werd op de hoogte gebracht.")

    # 3. Seizure figures in a Facebook post, reported in confidence: under investigation, with a conversation.
    script.report(
        "seizure",
        41,
        19,
        reporter=cast.manager,
        mode=IntakeMode.CONFIDENTIAL,
        category=ReportCategory.CONFIDENTIALITY,
        location="Facebook",
        links=("https://www.facebook.com/demo/posts/0003",),
        description="Sur Facebook, un agent commente une saisie de cocaïne au port en donnant la quantité, le terminal "
        "et l'heure du contrôle, avant tout communiqué officiel.",
    )
    script.open("seizure", 40)
    script.acknowledge(
        "seizure",
        39,
        "Merci. Votre signalement est confidentiel : seul le service intégrité connaît votre nom.",
    )
    script.investigate(
        "seizure",
        37,
        "Détails opérationnels d'une saisie en cours publiés avant la communication officielle.",
    )
    script.capture(
        "seizure",
        37,
        "facebook.com/demo/posts/0003",
        [
            "« Belle prise cette nuit au terminal 1700 »",
            "« 240 kg, contrôle à 4 h du matin »",
            "Shared with: friends of friends",
        ],
        "Capture de la publication",
    )
    script.concerns("seizure", 36, cast.concerned_nl)
    script.note(
        "seizure",
        30,
        "Le parquet n'avait pas encore communiqué. Vérifier avec la cellule communication si l'enquête a été gênée.",
    )
    script.ask("seizure", 21, "Avez-vous vu d'autres publications du même agent sur ce sujet ?")
    script.reply(
        "seizure",
        19,
        cast.manager,
        "Non, seulement celle-là. Elle a été supprimée le lendemain, mais des captures circulaient déjà.",
    )

    # 4. A party-political call, anonymous: acknowledged, waiting for the investigation.
    script.report(
        "politics",
        21,
        22,
        reporter=None,
        category=ReportCategory.SOCIAL_MEDIA,
        location="LinkedIn",
        description="Un agent appelle sur LinkedIn, avec sa fonction à la douane dans son profil, à voter pour un parti "
        "aux élections communales.",
    )
    script.open("politics", 20)
    script.acknowledge("politics", 19, "Merci pour votre signalement. Nous l'examinons.")

    # 5. A control list in a team chat, reported by name: the inspector has not answered the conflict question, so
    # the acknowledgement is overdue.
    script.report(
        "list",
        11,
        7,
        reporter=cast.employee,
        mode=IntakeMode.NAMED,
        category=ReportCategory.CONFIDENTIALITY,
        location="Privé WhatsApp-groep",
        description="Een collega deelde in een privégroep een foto van de controlelijst van vandaag, met nummerplaten "
        "en namen van reizigers.",
    )
    script.assign("list", 10)

    # 6. Just in: a photo of a scanner screen on TikTok, anonymous, not yet assigned.
    script.report(
        "scanner",
        1,
        23,
        reporter=None,
        category=ReportCategory.SOCIAL_MEDIA,
        location="TikTok",
        links=("https://www.tiktok.com/@demo/video/0006",),
        description="Op TikTok staat een filmpje van het scherm van de containerscanner, met het beeld van een lading "
        "en het containernummer.",
    )

    cases = script.run()
    return DemoCases(reports=len(cases), evidence=sum(report.evidence.count() for report in cases.values()))
