"""Large files: checked and applied by the task worker, with progress on the page."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from deonto.people.models import Employee, RosterImport, RosterImportStatus
from deonto.people.services import roster_import_apply, roster_import_create, roster_import_validate
from deonto.people.tests.conftest import csv_bytes, row

ROWS = [row(str(1000 + n), f"Name{n}") for n in range(12)]


@pytest.mark.django_db
@override_settings(ROSTER_IMPORT_BACKGROUND_ROWS=5)
def test_large_file_is_checked_and_applied_by_the_task(
    units: Any, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for("coordinator", language="en")
    roster_import = roster_import_create(actor=None, upload=ContentFile(csv_bytes(ROWS), name="big.csv"))

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        roster_import = roster_import_validate(
            actor=None, roster_import=roster_import, mapping=roster_import.mapping
        )
    assert roster_import.status == RosterImportStatus.VALIDATING
    page = client.get(reverse("people:import_preview", args=[roster_import.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in page
    assert "<progress" in page
    partial = client.get(
        reverse("people:import_progress", args=[roster_import.pk]), headers={"HX-Request": "true"}
    )
    assert b"0 of 12 rows done (0%)." in partial.content

    for callback in callbacks:
        callback()
    roster_import.refresh_from_db()
    assert roster_import.status == RosterImportStatus.VALID
    assert roster_import.created_count == 12
    done = client.get(
        reverse("people:import_progress", args=[roster_import.pk]), headers={"HX-Request": "true"}
    )
    assert done.headers["HX-Refresh"] == "true"

    with django_capture_on_commit_callbacks(execute=True):
        roster_import = roster_import_apply(actor=None, roster_import=roster_import)
    roster_import.refresh_from_db()
    assert roster_import.status == RosterImportStatus.APPLIED
    assert Employee.objects.count() == 12


@pytest.mark.django_db(transaction=True)
@override_settings(
    ROSTER_IMPORT_BACKGROUND_ROWS=5,
    TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}},
)
def test_large_file_goes_through_the_database_queue_and_the_worker(units: Any) -> None:
    from django_tasks_db.models import DBTaskResult

    roster_import = roster_import_create(actor=None, upload=ContentFile(csv_bytes(ROWS), name="big.csv"))
    roster_import = roster_import_validate(
        actor=None, roster_import=roster_import, mapping=roster_import.mapping
    )
    assert DBTaskResult.objects.count() == 1
    assert RosterImport.objects.get().status == RosterImportStatus.VALIDATING

    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)

    roster_import.refresh_from_db()
    assert roster_import.status == RosterImportStatus.VALID
    roster_import_apply(actor=None, roster_import=roster_import)
    assert not Employee.objects.exists()

    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)

    roster_import.refresh_from_db()
    assert roster_import.status == RosterImportStatus.APPLIED
    assert Employee.objects.count() == 12
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
