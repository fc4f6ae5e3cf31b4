"""The head of the integrity service decides which categories the classifier's false-alarm allowance goes to:
the admin page shows what the settings in force catch, shows it again for new settings without saving them,
then saves them; axe-core in Dutch and French."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from browser_tests.helpers import accessible_in_dutch_and_french, confirm_second_factor, log_in
from conftest import PASSWORD
from deonto.accounts.roles import Role
from deonto.postcheck.models import ClassifierSensitivity

pytestmark = pytest.mark.django_db(transaction=True)

ADD = "/admin/postcheck/classifiersensitivity/add/"


def test_the_head_of_service_previews_then_sets_the_classifiers_sensitivity(
    page: Page, live_server: Any, make_user: Callable[..., Any], assert_accessible: Callable[..., None]
) -> None:
    make_user(Role.HEAD_OF_SERVICE, username="hilde")
    log_in(page, live_server.url, "hilde", PASSWORD)
    confirm_second_factor(page)
    accessible_in_dutch_and_french(
        page,
        live_server.url,
        ADD,
        {"nl": "Prioriteit per categorie", "fr": "Priorité par catégorie"},
        assert_accessible,
    )

    political = page.get_by_label("Prise de position politique")
    expect(political).to_have_value("1")
    political.select_option("3")
    page.get_by_label("pourquoi").fill("Élections en mai")
    page.get_by_role("button", name="Montrer ce que cela détecterait").click()
    page.wait_for_load_state()
    expect(page.get_by_role("status")).to_contain_text("Pas encore enregistré")
    expect(political).to_have_value("3")
    expect(page.locator("table.sensitivity-figures")).to_contain_text("Trois fois plus importante")
    assert_accessible(page, "the preview (fr)")
    assert not ClassifierSensitivity.objects.exists()

    page.locator("input[name=_save]").click()
    page.wait_for_load_state()
    version = ClassifierSensitivity.objects.get()
    assert version.priorities["political"] == 3
    assert version.comment == "Élections en mai"
    page.goto(f"{live_server.url}/admin/postcheck/classifiersensitivity/{version.pk}/change/")
    expect(page.locator("table.sensitivity-figures")).to_contain_text("Trois fois plus importante")
    assert_accessible(page, "a version (fr)")
