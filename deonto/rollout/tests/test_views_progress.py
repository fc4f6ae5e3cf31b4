"""The progress pages: who may see them, what a manager sees, and how many queries they take."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import sign_in
from deonto.accounts.roles import Role
from deonto.rollout.tests.progress_data import build_known_campaign

pytestmark = pytest.mark.django_db

PROGRESS_PAGES = (
    "rollout:not_scheduled",
    "rollout:progress_export_csv",
    "rollout:progress_export_xlsx",
    "rollout:progress_report_pdf",
)


@pytest.fixture
def known():
    return build_known_campaign(timezone.localdate())


def _urls(known):
    return [reverse("rollout:progress")] + [
        reverse(name, args=[known.campaign.pk]) for name in PROGRESS_PAGES
    ]


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.MANAGER])
def test_coordinators_and_managers_reach_every_progress_page(known, client_for, role):
    client = client_for(role, language="en")
    for url in _urls(known):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("role", [Role.EMPLOYEE, Role.INSTRUCTOR, Role.ADMINISTRATOR, Role.INSPECTOR])
def test_other_roles_are_refused_every_progress_page(known, client_for, role):
    client = client_for(role, language="en")
    for url in _urls(known):
        assert client.get(url).status_code == 403, url


def test_anonymous_visitors_are_sent_to_log_in(known, client):
    for url in _urls(known):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_an_unknown_campaign_is_not_found(client_for):
    client = client_for(Role.COORDINATOR)
    assert client.get(reverse("rollout:not_scheduled", args=[999])).status_code == 404


def test_the_dashboard_shows_the_figures_the_chart_and_its_table(known, client_for):
    response = client_for(Role.COORDINATOR, language="en").get(reverse("rollout:progress"))
    page = response.content.decode()
    figures = response.context["progress"]
    assert (figures.total.audience, figures.total.trained) == (9, 3)
    assert 'role="img"' in page
    assert '<title id="burnup-title">Trained people per week and wave</title>' in page
    assert "Trained people per wave, cumulative, by week" in page
    assert "Armed officers" in page
    assert "Never, with the published sessions" in page
    assert "Too few seats in: German, Dutch" in page
    assert "<script" not in page.split("<body", 1)[1].replace('<script src="/static/vendor/htmx.min.js"', "")


def test_a_manager_sees_only_their_units_on_the_dashboard(known, make_user, client):
    manager = make_user(Role.MANAGER, language="en")
    known.units["C"].managers.add(manager)
    response = sign_in(client, manager).get(reverse("rollout:progress"))
    figures = response.context["progress"]
    assert figures.total.audience == 4
    assert [share.label for share in figures.units] == ["C · Charlie"]
    assert "Alpha" not in response.content.decode()
    listed = sign_in(client, manager).get(reverse("rollout:not_scheduled", args=[known.campaign.pk]))
    assert sorted(person.personnel_number for person in listed.context["page"].object_list) == [
        "P-e3",
        "P-e4",
    ]


def test_the_dashboard_says_when_there_is_no_campaign(client_for):
    response = client_for(Role.COORDINATOR, language="en").get(reverse("rollout:progress"))
    assert "There is no campaign yet." in response.content.decode()


def test_the_dashboard_takes_a_fixed_number_of_queries(known, client_for, django_assert_max_num_queries):
    client = client_for(Role.COORDINATOR, language="en")
    for index in range(30):
        known.people["e1"].pk = None
        known.people["e1"].personnel_number = f"X-{index}"
        known.people["e1"].save()
    # 20: one of them reads the no-shows who were proposed again from the enrolment events.
    with django_assert_max_num_queries(20):
        assert client.get(reverse("rollout:progress")).status_code == 200


def test_the_not_scheduled_list_takes_a_fixed_number_of_queries(
    known, client_for, django_assert_max_num_queries
):
    client = client_for(Role.COORDINATOR, language="en")
    for index in range(30):
        known.people["e3"].pk = None
        known.people["e3"].personnel_number = f"Y-{index}"
        known.people["e3"].save()
    with django_assert_max_num_queries(18):
        response = client.get(reverse("rollout:not_scheduled", args=[known.campaign.pk]))
    assert response.context["page"].paginator.count == 34


def test_the_not_scheduled_list_filters_and_keeps_what_was_typed(known, client_for):
    client = client_for(Role.COORDINATOR, language="en")
    url = reverse("rollout:not_scheduled", args=[known.campaign.pk])
    response = client.get(url, {"language": "de", "q": "e4"})
    page = response.content.decode()
    assert [person.personnel_number for person in response.context["page"].object_list] == ["P-e4"]
    assert 'value="e4"' in page
    assert "1 person is not yet scheduled." in page
