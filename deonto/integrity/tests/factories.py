"""Factories for integrity reports."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

import factory
from factory.django import DjangoModelFactory

from deonto.integrity.models import IntakeMode, Report, ReportCategory


class ReportFactory(DjangoModelFactory[Report]):
    class Meta:
        model = Report

    reference = factory.Sequence(lambda n: f"R-2026-{n + 1:06d}")
    intake_mode = IntakeMode.ANONYMOUS
    receipt_code_hash = factory.Sequence(lambda n: hashlib.sha256(f"code-{n}".encode()).hexdigest())
    category = ReportCategory.SOCIAL_MEDIA
    description = "A post showing a colleague's badge number."
    acknowledge_due = factory.LazyFunction(lambda: date(2026, 1, 1) + timedelta(days=7))
    feedback_due = factory.LazyFunction(lambda: date(2026, 4, 1))
