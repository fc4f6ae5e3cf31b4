"""An inspector closes a false alarm in the admin: the look-alike added to the rule's examples is refused until
the rule leaves it alone; axe-core on the rule's page in Dutch and French, and on the refused change."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from browser_tests.helpers import accessible_in_dutch_and_french, confirm_second_factor, log_in
from conftest import PASSWORD
from deonto.accounts.roles import Role
from deonto.postcheck.models import Rule
from deonto.postcheck.services import rules_sync_shipped

pytestmark = pytest.mark.django_db(transaction=True)

LOOK_ALIKE = "Saisie des notes terminée pour le conseil de classe, enfin les vacances"


def test_an_inspector_adds_a_look_alike_and_the_rule_must_leave_it_alone(
    page: Page,
    live_server: Any,
    make_user: Callable[..., Any],
    guidance: Any,
    assert_accessible: Callable[..., None],
) -> None:
    rules_sync_shipped()
    rule = Rule.objects.get(language="fr", code="fr-seizure")
    make_user(Role.INSPECTOR, username="ines")
    log_in(page, live_server.url, "ines", PASSWORD)
    confirm_second_factor(page)
    accessible_in_dutch_and_french(
        page,
        live_server.url,
        f"/admin/postcheck/rule/{rule.pk}/change/",
        {
            "nl": "Voorbeelden, gecontroleerd bij elke bewaring",
            "fr": "Exemples, vérifiés à chaque enregistrement",
        },
        assert_accessible,
    )

    look_alikes = page.get_by_label("publications qu’elle ne doit pas signaler")
    look_alikes.fill(f"{look_alikes.input_value()}\n{LOOK_ALIKE}")
    page.get_by_label("Raison de cette modification").fill("Les enseignants saisissent des notes")
    page.locator("input[name=_save]").click()
    page.wait_for_load_state()
    expect(page.locator(".errorlist")).to_contain_text(
        f"La règle donne un avertissement pour : “{LOOK_ALIKE}” (à cause de “Saisie”)"
    )
    expect(look_alikes).to_have_value(f"{chr(10).join(rule.examples_pass)}\n{LOOK_ALIKE}")
    assert_accessible(page, "the refused change (fr)")
    rule.refresh_from_db()
    assert LOOK_ALIKE not in rule.examples_pass

    unless = page.get_by_label("termes d’exception")
    unless.fill(f"{unless.input_value()}\nconseil de classe")
    page.locator("input[name=_save]").click()
    page.wait_for_load_state()
    rule.refresh_from_db()
    assert LOOK_ALIKE in rule.examples_pass
    assert "conseil de classe" in rule.unless_terms
