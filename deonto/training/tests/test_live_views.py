"""The live classroom pages: who reaches them, the join flow, voting from a phone, the polled partials."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from conftest import sign_in
from deonto.accounts.roles import Role
from deonto.training.models import Course, LivePhase, LiveRun, LiveVote
from deonto.training.services_live import (
    live_feedback_show,
    live_run_end,
    live_run_start,
    live_vote_close,
    live_vote_open,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(db: Any) -> Course:
    call_command("sync_guidance", verbosity=0)
    call_command("sync_course", verbosity=0)
    return Course.objects.get(code="social-media")


@pytest.fixture
def instructor(make_user):
    return make_user(Role.INSTRUCTOR, language="fr")


@pytest.fixture
def screen(instructor) -> Client:
    return sign_in(Client(), instructor)


@pytest.fixture
def run(course: Course, instructor) -> LiveRun:
    return live_run_start(actor=instructor, course=course, language="fr")


def _open(run: LiveRun, instructor) -> LiveRun:
    return live_vote_open(actor=instructor, run=run)


def _item_id(run: LiveRun) -> int:
    return int(run.items[run.current_index])


def _vote(client: Client, run: LiveRun, *choices: str) -> Any:
    client.get(reverse("live:participate", args=[run.join_code]))
    return client.post(
        reverse("live:vote", args=[run.join_code]), {"item": _item_id(run), "choice": list(choices)}
    )


# --- Instructor pages ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.INSTRUCTOR, Role.COORDINATOR])
def test_instructors_and_coordinators_reach_the_start_page(role: str, client_for, course: Course) -> None:
    response = client_for(role).get(reverse("training:live_start"))

    assert response.status_code == 200
    assert "social" in response.content.decode().lower()


@pytest.mark.parametrize("role", [Role.EMPLOYEE, Role.MANAGER, Role.INSPECTOR, Role.ADMINISTRATOR])
def test_other_roles_are_refused_the_instructor_pages(role: str, client_for, run: LiveRun) -> None:
    client = client_for(role)
    assert client.get(reverse("training:live_start")).status_code == 403
    assert client.get(reverse("training:live_screen", args=[run.pk])).status_code == 403
    assert client.get(reverse("training:live_screen_state", args=[run.pk])).status_code == 403
    response = client.post(reverse("training:live_control", args=[run.pk]), {"action": "open"})
    assert response.status_code == 403
    run.refresh_from_db()
    assert run.phase == LivePhase.WAITING


def test_anonymous_visitors_are_sent_to_log_in_from_the_instructor_pages(run: LiveRun) -> None:
    for url in (reverse("training:live_start"), reverse("training:live_screen", args=[run.pk])):
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_another_instructor_cannot_see_or_control_a_run(run: LiveRun, client_for) -> None:
    other = client_for(Role.INSTRUCTOR)
    assert other.get(reverse("training:live_screen", args=[run.pk])).status_code == 403
    assert other.post(reverse("training:live_control", args=[run.pk]), {"action": "end"}).status_code == 403
    run.refresh_from_db()
    assert run.phase == LivePhase.WAITING


def test_starting_a_run_leads_to_the_screen_with_the_code_the_address_and_the_qr_code(
    screen: Client, course: Course
) -> None:
    response = screen.post(
        reverse("training:live_start"), {"course": course.pk, "language": "fr", "kinds": ["cases"]}
    )

    run = LiveRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("training:live_screen", args=[run.pk])
    assert len(run.items) == 16
    page = screen.get(response["Location"]).content.decode()
    assert run.join_code in page
    assert f"http://testserver/live/{run.join_code}/" in page
    assert "<svg" in page and 'role="img"' in page
    assert 'name="action" value="open"' in page


def test_the_start_form_shows_what_was_chosen_when_nothing_can_be_run(screen: Client, course: Course) -> None:
    response = screen.post(
        reverse("training:live_start"), {"course": course.pk, "language": "en", "kinds": []}
    )

    assert response.status_code == 200
    assert not LiveRun.objects.exists()
    assert re.search(r'value="en"[^>]*checked', response.content.decode())


def test_the_controls_move_the_run_and_a_refused_step_is_explained(screen: Client, run: LiveRun) -> None:
    control = reverse("training:live_control", args=[run.pk])

    response = screen.post(control, {"action": "close"}, follow=True)
    assert 'role="status"' in response.content.decode()
    run.refresh_from_db()
    assert run.phase == LivePhase.WAITING

    for action, phase in (
        ("open", "voting"),
        ("close", "results"),
        ("feedback", "feedback"),
        ("next", "waiting"),
    ):
        assert screen.post(control, {"action": action}).status_code == 302
        run.refresh_from_db()
        assert run.phase == phase
    assert run.current_index == 1
    assert screen.get(control).status_code == 405
    assert screen.post(control, {"action": "explode"}).status_code == 400


def test_the_screen_shows_a_bar_chart_and_a_table_after_the_vote_then_the_feedback(
    screen: Client, run: LiveRun, instructor
) -> None:
    run = _open(run, instructor)
    for choice in ("a", "a", "b"):
        _vote(Client(), run, choice)
    run = live_vote_close(actor=instructor, run=run)

    page = screen.get(reverse("training:live_screen", args=[run.pk])).content.decode()
    assert 'role="img" aria-labelledby="live-chart-title live-chart-desc"' in page
    assert "2 (67%)" in page and "1 (33%)" in page
    assert "<caption" in page
    assert "Recommandé" not in page

    run = live_feedback_show(actor=instructor, run=run)
    page = screen.get(reverse("training:live_screen", args=[run.pk])).content.decode()
    assert "Réaction recommandée" in page or "Recommended reaction" in page
    assert "live-feedback" in page


def test_the_screen_partial_says_nothing_new_until_something_changes(
    screen: Client, run: LiveRun, instructor, django_assert_max_num_queries
) -> None:
    run = _open(run, instructor)
    url = reverse("training:live_screen_state", args=[run.pk])
    first = screen.get(url, headers={"HX-Request": "true"})
    assert first.status_code == 200
    assert "<html" not in first.content.decode()
    signature = first.context_data["state"].signature

    # session, user, roles and permissions (5), the run and its two counts (3), the session saved (3)
    with django_assert_max_num_queries(11):
        assert screen.get(url, {"seen": signature}).status_code == 204

    _vote(Client(), run, "a")
    changed = screen.get(url, {"seen": signature})
    assert changed.status_code == 200
    assert changed.context_data["state"].votes == 1


# --- Participants -------------------------------------------------------------------------------


def test_anyone_reaches_the_join_page_and_a_running_run_without_an_account(run: LiveRun) -> None:
    anonymous = Client()
    assert anonymous.get(reverse("live:join")).status_code == 200

    response = anonymous.get(reverse("live:participate", args=[run.join_code]))

    assert response.status_code == 200
    cookie = response.cookies[f"deonto_live_{run.pk}"]
    assert cookie["path"] == f"/live/{run.join_code}/"
    assert cookie["httponly"]


def test_the_join_form_leads_to_the_run_and_accepts_a_code_in_lower_case(run: LiveRun) -> None:
    response = Client().post(reverse("live:join"), {"code": f" {run.join_code.lower()} "})

    assert response.status_code == 302
    assert response["Location"] == f"/live/{run.join_code}/"


def test_a_wrong_code_gets_a_clear_message_and_is_shown_again(run: LiveRun) -> None:
    response = Client().post(reverse("live:join"), {"code": "ZZZZZZ"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "ZZZZZZ" in page
    assert 'role="alert"' in page

    response = Client().get(reverse("live:participate", args=["ZZZZZZ"]))
    assert response.status_code == 404
    assert "ZZZZZZ" in response.content.decode()


def test_an_ended_run_says_it_has_ended(run: LiveRun, instructor, settings) -> None:
    settings.LANGUAGE_CODE = "en"
    live_run_end(actor=instructor, run=run)

    response = Client(headers={"Accept-Language": "en"}).get(
        reverse("live:participate", args=[run.join_code])
    )
    assert response.status_code == 200
    assert "This live session has ended." in response.content.decode()

    response = Client(headers={"Accept-Language": "en"}).post(reverse("live:join"), {"code": run.join_code})
    assert "This live session has ended." in response.content.decode()

    poll = Client().get(reverse("live:state", args=[run.join_code]))
    assert poll.status_code == 200
    assert "hx-trigger" not in poll.content.decode()


def test_a_participant_votes_sees_it_recorded_after_a_reload_and_may_change_it(
    run: LiveRun, instructor
) -> None:
    run = _open(run, instructor)
    phone = Client(headers={"Accept-Language": "en"})

    response = _vote(phone, run, "a")

    assert response.status_code == 302
    page = phone.get(reverse("live:participate", args=[run.join_code])).content.decode()
    assert "Your answer is recorded" in page
    assert 'value="a" checked' in page
    _vote(phone, run, "b")
    assert [vote.choices for vote in LiveVote.objects.all()] == [["b"]]


def test_a_vote_after_the_vote_closed_is_refused_with_a_message(run: LiveRun, instructor) -> None:
    run = _open(run, instructor)
    phone = Client(headers={"Accept-Language": "en"})
    phone.get(reverse("live:participate", args=[run.join_code]))
    live_vote_close(actor=instructor, run=run)

    response = phone.post(reverse("live:vote", args=[run.join_code]), {"item": _item_id(run), "choice": "a"})

    assert response.status_code == 200
    assert "The vote on this question is closed." in response.content.decode()
    assert not LiveVote.objects.exists()


def test_two_browsers_are_two_participants_and_a_signed_in_one_stays_anonymous(
    run: LiveRun, instructor, make_user
) -> None:
    run = _open(run, instructor)
    person = make_user(Role.EMPLOYEE, username="identifiable-person")
    signed_in = sign_in(Client(), person)

    _vote(signed_in, run, "a")
    _vote(Client(), run, "b")

    votes = list(LiveVote.objects.values())
    assert len({vote["participant"] for vote in votes}) == 2
    mine = next(vote for vote in votes if vote["choices"] == ["a"])
    assert set(mine) == {"id", "created_at", "updated_at", "run_id", "item_id", "participant", "choices"}
    assert str(person.pk) != mine["participant"]
    assert "identifiable-person" not in repr(mine)
    assert len(mine["participant"]) == 64


def test_the_participant_partial_polls_cheaply_and_changes_when_the_vote_closes(
    run: LiveRun, instructor, django_assert_max_num_queries
) -> None:
    run = _open(run, instructor)
    phone = Client()
    phone.get(reverse("live:participate", args=[run.join_code]))
    url = reverse("live:state", args=[run.join_code])
    first = phone.get(url, headers={"HX-Request": "true"})
    assert first.status_code == 200
    assert 'hx-trigger="every 2s"' in first.content.decode()
    signature = first.context_data["state"].signature

    with django_assert_max_num_queries(3):
        assert phone.get(url, {"seen": signature}).status_code == 204

    live_vote_close(actor=instructor, run=run)
    closed = phone.get(url, {"seen": signature})
    assert closed.status_code == 200
    assert "live-chart" in closed.content.decode()
