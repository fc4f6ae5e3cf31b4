"""The employee list and detail: who sees whom, filters, and a pinned number of queries."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import sign_in
from deonto.people.tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ["coordinator", "administrator"])
def test_coordinators_and_administrators_see_every_employee(client_for: Any, units: Any, role: str) -> None:
    EmployeeFactory(last_name="Antwerpenaar", unit=units["ANR-01"])
    EmployeeFactory(last_name="Liégeois", unit=units["LGG-01"])

    response = client_for(role, language="en").get(reverse("people:employee_list"))

    assert response.status_code == 200
    assert "Antwerpenaar" in response.content.decode()
    assert "Liégeois" in response.content.decode()


def test_a_manager_sees_only_the_employees_of_their_units(
    client_for: Any, make_user: Any, units: Any
) -> None:
    manager = make_user("manager", language="en")
    units["OPS"].managers.add(manager)
    mine = EmployeeFactory(last_name="Antwerpenaar", unit=units["ANR-01"])
    other = EmployeeFactory(last_name="Liégeois", unit=units["LGG-01"])
    client = sign_in(Client(), manager)

    content = client.get(reverse("people:employee_list")).content.decode()
    assert "Antwerpenaar" in content
    assert "Liégeois" not in content
    assert client.get(reverse("people:employee_detail", args=[mine.pk])).status_code == 200
    assert client.get(reverse("people:employee_detail", args=[other.pk])).status_code == 404


@pytest.mark.parametrize("role", ["employee", "instructor", "inspector"])
def test_other_roles_may_not_see_the_roster(client_for: Any, units: Any, role: str) -> None:
    employee = EmployeeFactory(unit=units["ANR-01"])
    client = client_for(role)

    assert client.get(reverse("people:employee_list")).status_code == 403
    assert client.get(reverse("people:employee_detail", args=[employee.pk])).status_code == 403


def test_filters_narrow_the_list_and_stay_filled_in(client_for: Any, units: Any) -> None:
    EmployeeFactory(last_name="Aerts", unit=units["ANR-01"], is_armed=True, language="fr")
    EmployeeFactory(last_name="Aertsen", unit=units["ANR-01"], is_armed=False, language="fr")
    EmployeeFactory(last_name="Aertselaer", unit=units["ANR-01"], is_armed=True, language="nl")
    EmployeeFactory(last_name="Aertsveld", unit=units["LGG-01"], is_armed=True, language="fr")
    client = client_for("coordinator", language="en")

    response = client.get(
        reverse("people:employee_list"),
        {"q": "aert", "language": "fr", "armed": "yes", "unit": units["OPS"].pk},
    )

    content = response.content.decode()
    assert ">Aerts, " in content
    assert "Aertsen" not in content
    assert "Aertselaer" not in content
    assert "Aertsveld" not in content
    assert 'value="aert"' in content
    assert f'<option value="{units["OPS"].pk}" selected>' in content


def test_employee_list_query_count_does_not_grow_with_the_page(
    client_for: Any, units: Any, django_assert_num_queries: Any
) -> None:
    client = client_for("coordinator", language="en")
    EmployeeFactory.create_batch(3, unit=units["ANR-01"])
    client.get(reverse("people:employee_list"))

    with django_assert_num_queries(11):
        client.get(reverse("people:employee_list"))
    EmployeeFactory.create_batch(60, unit=units["LGG-01"])
    with django_assert_num_queries(11):
        response = client.get(reverse("people:employee_list"))
    assert response.context["page"].paginator.count == 63
    assert len(response.context["page"].object_list) == 50
