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


Step = tuple[datetime.datetime, Callable[[], object]]


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


def integrity_demo_seed(*, today: datetime.date) -> DemoCases:
    """The six demo cases, unless there are reports already or the demo logins are missing."""
    cast = _cast()
    if cast is None or Report.objects.exists():
        return DemoCases(reports=0, evidence=0)
    zone = timezone.get_current_timezone()

    def at(days_ago: int, hour: int, minute: int = 0) -> datetime.datetime:
        day = today - datetime.timedelta(days=days_ago)
        return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone)

    articles = set(Article.objects.values_list("code", flat=True))
    cases: dict[str, Report] = {}
    steps: list[Step] = []

    def submit(
        key: str, *, reporter: User | None, mode: str, category: str, description: str, **fields: Any
    ) -> Callable[[], None]:
        def step() -> None:
            cases[key], _code = report_submit(
                reporter=reporter,
                mode=mode,
                category=category,
                description=description,
                occurred_on=fields.get("occurred_on"),
                location=fields.get("location", ""),
                links=fields.get("links", []),
                files=[],
            )

        return step

    def opened(key: str, days_ago: int) -> None:
        """The head of service gives the case to the inspector, who answers the conflict question."""
        steps.append(
            (
                at(days_ago, 9, 40),
                lambda: report_assign(actor=cast.head, report=cases[key], inspector=cast.inspector),
            )
        )
        steps.append(
            (at(days_ago, 11, 5), lambda: conflict_confirm_none(actor=cast.inspector, report=cases[key]))
        )

    def by_inspector(days_ago: int, hour: int, action: Callable[[Report], object], key: str) -> None:
        steps.append((at(days_ago, hour), lambda: action(cases[key])))

    inspector = cast.inspector

    # 1. A uniform and a service weapon on Instagram: closed after a breach and a warning.
    steps.append(
        (
            at(121, 21, 14),
            submit(
                "weapon",
                reporter=None,
                mode=IntakeMode.ANONYMOUS,
                category=ReportCategory.SOCIAL_MEDIA,
                description="Un collègue de la brigade mobile publie sur Instagram une photo de lui en uniforme, arme de service à la ceinture, devant le bâtiment de la brigade. Son profil est public et son nom complet y figure.",
                location="Instagram",
                links=["https://www.instagram.com/p/demo-0001/"],
                occurred_on=today - datetime.timedelta(days=123),
            ),
        )
    )
    opened("weapon", 120)
    by_inspector(
        119,
        10,
        lambda r: report_acknowledge(
            actor=inspector,
            report=r,
            message="Merci pour votre signalement. Le service intégrité l'examine et vous tiendra informé ici.",
        ),
        "weapon",
    )
    by_inspector(
        117,
        14,
        lambda r: investigation_start(
            actor=inspector,
            report=r,
            reason="Photo publique en uniforme avec arme de service : identification de l'agent et risque pour sa sécurité.",
        ),
        "weapon",
    )
    by_inspector(
        117,
        15,
        lambda r: case_evidence_add(
            actor=inspector,
            report=r,
            content=_screenshot(
                [
                    "instagram.com/p/demo-0001",
                    "Photo: officer in uniform, service weapon visible",
                    "Caption: « Prêt pour la nuit 💪 #douane »",
                    "Public profile, 1,284 followers",
                ]
            ),
            description="Capture de la publication",
            captured_url="https://www.instagram.com/p/demo-0001/",
            captured_at=at(117, 14, 50),
        ),
        "weapon",
    )
    by_inspector(
        116,
        9,
        lambda r: person_concerned_set(actor=inspector, report=r, employee=cast.concerned_fr),
        "weapon",
    )
    by_inspector(
        110,
        16,
        lambda r: case_note_add(
            actor=inspector,
            report=r,
            body="Entretien avec l'agent : il ignorait que son profil était public. Publication retirée le jour même.",
        ),
        "weapon",
    )
    breached = sorted({"uniform-weapon-photos", "private-public-online"} & articles)
    if breached:
        by_inspector(
            84,
            11,
            lambda r: finding_record(
                actor=inspector,
                report=r,
                outcome=FindingOutcome.BREACH,
                articles=breached,
                summary="Photo publique en uniforme avec arme de service, nom complet visible : manquement aux règles sur les photos en uniforme.",
            ),
            "weapon",
        )
        warning = Measure.objects.filter(code="warning", active=True).first()
        if warning is not None:
            by_inspector(
                80,
                10,
                lambda r: measure_record(
                    actor=inspector,
                    report=r,
                    measure=warning,
                    note="Premier manquement, publication retirée aussitôt, agent coopératif.",
                ),
                "weapon",
            )
        by_inspector(
            78,
            15,
            lambda r: report_close(actor=inspector, report=r, reason="Mesure notifiée à l'agent."),
            "weapon",
        )

    # 2. A remark in a team chat, reported by name: no breach found, closed.
    steps.append(
        (
            at(76, 8, 32),
            submit(
                "chat",
                reporter=cast.employee,
                mode=IntakeMode.NAMED,
                category=ReportCategory.HARASSMENT,
                description="In de WhatsApp-groep van onze ploeg werd een meme over een nieuwe collega gedeeld. Ik vond dat kwetsend en wil weten of dit kan.",
                location="WhatsApp-groep van de ploeg",
                occurred_on=today - datetime.timedelta(days=77),
            ),
        )
    )
    opened("chat", 75)
    by_inspector(
        74,
        10,
        lambda r: report_acknowledge(
            actor=inspector,
            report=r,
            message="Bedankt voor uw melding. We bekijken ze en laten u hier weten wat we doen.",
        ),
        "chat",
    )
    by_inspector(
        72,
        14,
        lambda r: investigation_start(
            actor=inspector, report=r, reason="Mogelijke pesterij in een groepschat van de ploeg."
        ),
        "chat",
    )
    by_inspector(
        52,
        11,
        lambda r: finding_record(
            actor=inspector,
            report=r,
            outcome=FindingOutcome.NO_BREACH,
            articles=[],
            summary="Grap zonder kwetsende bedoeling; de collega in kwestie voelde zich niet geviseerd. De ploegchef heeft de groep aan de regels herinnerd.",
        ),
        "chat",
    )
    by_inspector(
        51,
        9,
        lambda r: report_close(
            actor=inspector, report=r, reason="Geen inbreuk; de melder werd op de hoogte gebracht."
        ),
        "chat",
    )

    # 3. Seizure figures in a Facebook post, reported in confidence: under investigation, with a conversation.
    steps.append(
        (
            at(41, 19, 3),
            submit(
                "seizure",
                reporter=cast.manager,
                mode=IntakeMode.CONFIDENTIAL,
                category=ReportCategory.CONFIDENTIALITY,
                description="Sur Facebook, un agent commente une saisie de cocaïne au port en donnant la quantité, le terminal et l'heure du contrôle, avant tout communiqué officiel.",
                location="Facebook",
                links=["https://www.facebook.com/demo/posts/0003"],
                occurred_on=today - datetime.timedelta(days=42),
            ),
        )
    )
    opened("seizure", 40)
    by_inspector(
        39,
        10,
        lambda r: report_acknowledge(
            actor=inspector,
            report=r,
            message="Merci. Votre signalement est confidentiel : seul le service intégrité connaît votre nom.",
        ),
        "seizure",
    )
    by_inspector(
        37,
        14,
        lambda r: investigation_start(
            actor=inspector,
            report=r,
            reason="Détails opérationnels d'une saisie en cours publiés avant la communication officielle.",
        ),
        "seizure",
    )
    by_inspector(
        37,
        15,
        lambda r: case_evidence_add(
            actor=inspector,
            report=r,
            content=_screenshot(
                [
                    "facebook.com/demo/posts/0003",
                    "« Belle prise cette nuit au terminal 1700 »",
                    "« 240 kg, contrôle à 4 h du matin »",
                    "Shared with: friends of friends",
                ]
            ),
            description="Capture de la publication",
            captured_url="https://www.facebook.com/demo/posts/0003",
            captured_at=at(37, 14, 40),
        ),
        "seizure",
    )
    by_inspector(
        36,
        9,
        lambda r: person_concerned_set(actor=inspector, report=r, employee=cast.concerned_nl),
        "seizure",
    )
    by_inspector(
        30,
        16,
        lambda r: case_note_add(
            actor=inspector,
            report=r,
            body="Le parquet n'avait pas encore communiqué. Vérifier avec la cellule communication si l'enquête a été gênée.",
        ),
        "seizure",
    )
    by_inspector(
        21,
        11,
        lambda r: case_message_send(
            actor=inspector, report=r, body="Avez-vous vu d'autres publications du même agent sur ce sujet ?"
        ),
        "seizure",
    )
    steps.append(
        (
            at(19, 20, 12),
            lambda: report_message_add(
                report=cases["seizure"],
                side=MessageSide.REPORTER,
                author=cast.manager,
                body="Non, seulement celle-là. Elle a été supprimée le lendemain, mais des captures circulaient déjà.",
            ),
        )
    )

    # 4. A party-political call, anonymous: acknowledged, waiting for the investigation.
    steps.append(
        (
            at(21, 22, 47),
            submit(
                "politics",
                reporter=None,
                mode=IntakeMode.ANONYMOUS,
                category=ReportCategory.SOCIAL_MEDIA,
                description="Un agent appelle sur LinkedIn, avec sa fonction à la douane dans son profil, à voter pour un parti aux élections communales.",
                location="LinkedIn",
            ),
        )
    )
    opened("politics", 20)
    by_inspector(
        19,
        10,
        lambda r: report_acknowledge(
            actor=inspector, report=r, message="Merci pour votre signalement. Nous l'examinons."
        ),
        "politics",
    )

    # 5. A control list in a team chat, reported by name: the inspector has not answered the conflict question,
    # so the acknowledgement is overdue.
    steps.append(
        (
            at(11, 7, 58),
            submit(
                "list",
                reporter=cast.employee,
                mode=IntakeMode.NAMED,
                category=ReportCategory.CONFIDENTIALITY,
                description="Een collega deelde in een privégroep een foto van de controlelijst van vandaag, met nummerplaten en namen van reizigers.",
                location="Privé WhatsApp-groep",
                occurred_on=today - datetime.timedelta(days=11),
            ),
        )
    )
    steps.append(
        (
            at(10, 9, 15),
            lambda: report_assign(actor=cast.head, report=cases["list"], inspector=cast.inspector),
        )
    )

    # 6. Just in: a photo of a scanner screen on TikTok, anonymous, not yet assigned.
    steps.append(
        (
            at(1, 23, 20),
            submit(
                "scanner",
                reporter=None,
                mode=IntakeMode.ANONYMOUS,
                category=ReportCategory.SOCIAL_MEDIA,
                description="Op TikTok staat een filmpje van het scherm van de containerscanner, met het beeld van een lading en het containernummer.",
                location="TikTok",
                links=["https://www.tiktok.com/@demo/video/0006"],
            ),
        )
    )

    # The reporters' e-mails stay in memory: a demonstration sends nothing.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        for moment, step in sorted(steps, key=lambda item: item[0]):
            with _clock(moment):
                step()
    return DemoCases(reports=len(cases), evidence=sum(report.evidence.count() for report in cases.values()))
