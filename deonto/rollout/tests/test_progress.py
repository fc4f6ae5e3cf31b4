"""The dashboard's figures on a small campaign whose numbers are known (see progress_data)."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone, translation

from conftest import sign_in
from deonto.accounts.roles import Role
from deonto.rollout.models import Enrolment, EnrolmentStatus, Session, SessionStatus
from deonto.rollout.progress import (
    audience,
    campaign_progress,
    campaign_waves,
    not_scheduled,
    trained_so_far,
    wave_forecast,
)
from deonto.rollout.tests.progress_data import build_known_campaign, shares_by_label
from deonto.training.models import Completion, CompletionMethod

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 24)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def known():
    return build_known_campaign(TODAY)


@pytest.fixture
def coordinator(make_user):
    return make_user(Role.COORDINATOR, language="en")


def test_wave_membership_puts_everyone_in_the_first_wave_whose_rule_they_match(known):
    people = audience(campaign=known.campaign, waves=campaign_waves(known.campaign))
    waves = dict(people.values_list("personnel_number", "wave_id"))
    assert waves == {
        "P-a1": known.wave1.pk,
        "P-a2": known.wave1.pk,
        "P-a3": known.wave1.pk,
        "P-a4": known.wave1.pk,
        "P-e1": known.wave2.pk,
        "P-e2": known.wave2.pk,
        "P-e3": known.wave2.pk,
        "P-e4": known.wave2.pk,
        "P-e5": known.wave2.pk,
    }


def test_headline_figures_count_the_known_campaign_exactly(known, coordinator):
    progress = campaign_progress(campaign=known.campaign, viewer=coordinator, today=TODAY)
    assert (progress.total.audience, progress.total.trained) == (9, 3)
    assert progress.not_scheduled == 4
    assert progress.no_shows == 1
    assert progress.past_due == 2
    assert progress.sessions_held == 2
    assert progress.sessions_ahead == 2
    assert progress.sessions_draft == 1
    assert (progress.seats_filled, progress.seats_ahead) == (2, 10)
    assert progress.fill_rate == 0.5
    assert progress.fill_rate_observed
    assert not progress.scoped


def test_share_trained_per_wave_region_unit_and_language(known, coordinator):
    progress = campaign_progress(campaign=known.campaign, viewer=coordinator, today=TODAY)
    assert [(w.share.label, w.share.audience, w.share.trained, w.share.percent) for w in progress.waves] == [
        ("Armed officers", 4, 2, 50),
        ("Everyone else", 5, 1, 20),
    ]
    assert [(w.not_scheduled, w.past_due) for w in progress.waves] == [(1, 2), (3, 0)]
    assert shares_by_label(progress.regions) == {"Region One": (5, 2), "Region Two": (4, 1)}
    assert shares_by_label(progress.units) == {
        "A · Alpha": (3, 2),
        "B · Bravo": (2, 0),
        "C · Charlie": (4, 1),
    }
    assert shares_by_label(progress.languages) == {"Dutch": (5, 2), "French": (3, 1), "German": (1, 0)}


def test_forecast_completes_a_wave_when_expected_trainees_cover_it_and_never_when_they_cannot(
    known, coordinator
):
    progress = campaign_progress(campaign=known.campaign, viewer=coordinator, today=TODAY)
    first, second = progress.waves
    # Half the seats fill: 2 Dutch trainees a week ahead, 3 French two weeks ahead.
    assert first.forecast_on == TODAY + datetime.timedelta(days=14)
    assert not first.is_never
    assert first.is_late  # its deadline was yesterday
    # Wave 2 still has 2 Dutch people after wave 1's one (2 expected) and a German speaker without sessions.
    assert second.forecast_on is None
    assert second.is_never
    assert second.short_languages == ["German", "Dutch"]
    assert first.short_languages == []


def test_forecast_serves_the_waves_in_order_per_language():
    class FakeWave:
        def __init__(self, pk):
            self.pk = pk

    first, second = FakeWave(1), FakeWave(2)
    day = datetime.date(2027, 1, 4)
    sessions = [(day, "nl", 10), (day + datetime.timedelta(days=7), "nl", 10), (day, "fr", 4)]
    forecast = wave_forecast(
        waves=[first, second],
        remaining={(1, "nl"): 8, (2, "nl"): 8, (2, "fr"): 3},
        sessions=sessions,
        fill_rate=0.8,
    )
    # 8 expected per Dutch session: wave 1 fills the first, wave 2 the second; French 3.2 ≥ 3.
    assert forecast == {(1, "nl"): day, (2, "nl"): day + datetime.timedelta(days=7), (2, "fr"): day}
    assert wave_forecast(waves=[first], remaining={(1, "nl"): 17}, sessions=sessions, fill_rate=0.8) == {
        (1, "nl"): None
    }


def test_a_wave_with_everyone_trained_is_complete(known, coordinator):
    Enrolment.objects.filter(employee=known.people["a2"]).update(status=EnrolmentStatus.ATTENDED)
    Enrolment.objects.filter(employee=known.people["a4"]).update(
        status=EnrolmentStatus.ATTENDED, session=known.sessions["held_fr"]
    )
    first = campaign_progress(campaign=known.campaign, viewer=coordinator, today=TODAY).waves[0]
    assert first.is_complete
    assert first.past_due == 0
    assert not first.is_never


def test_fill_rate_is_the_default_before_any_session_is_held(known, coordinator):
    for offset, session in enumerate(Session.objects.filter(status=SessionStatus.HELD)):
        session.status, session.date = SessionStatus.PUBLISHED, TODAY + datetime.timedelta(days=60 + offset)
        session.save()
    progress = campaign_progress(campaign=known.campaign, viewer=coordinator, today=TODAY)
    assert progress.fill_rate == 0.8
    assert not progress.fill_rate_observed


def test_burnup_counts_trained_people_cumulatively_per_week_and_wave(known, coordinator):
    burnup = campaign_progress(campaign=known.campaign, viewer=coordinator, today=TODAY).burnup
    rows = dict(burnup.rows())
    monday = TODAY - datetime.timedelta(days=TODAY.weekday())
    assert burnup.weeks[0] == monday - datetime.timedelta(weeks=8)
    assert burnup.weeks[-1] == monday
    assert rows[monday - datetime.timedelta(weeks=3)] == [0, 0]
    assert rows[monday - datetime.timedelta(weeks=2)] == [1, 1]
    assert rows[monday - datetime.timedelta(weeks=1)] == [2, 1]
    assert rows[monday] == [2, 1]
    assert [audience for _wave, audience, _counts in burnup.series] == [4, 5]


def test_a_manager_sees_the_people_of_their_units_and_below_only(known, make_user):
    manager = make_user(Role.MANAGER, language="en")
    known.units["A"].managers.add(manager)
    progress = campaign_progress(campaign=known.campaign, viewer=manager, today=TODAY)
    assert progress.scoped
    assert (progress.total.audience, progress.total.trained) == (5, 2)
    assert shares_by_label(progress.units) == {"A · Alpha": (3, 2), "B · Bravo": (2, 0)}
    assert progress.no_shows == 1
    assert progress.not_scheduled == 2  # a2 (absent) and e5 (excused)
    # The forecast is the whole wave's, as the coordinator sees it.
    assert progress.waves[0].forecast_on == TODAY + datetime.timedelta(days=14)


def test_a_manager_of_no_unit_sees_nobody(known, make_user):
    progress = campaign_progress(campaign=known.campaign, viewer=make_user(Role.MANAGER), today=TODAY)
    assert progress.total.audience == 0


def test_elearning_counts_when_the_campaign_says_it_completes_the_training(known, coordinator, make_user):
    learner = make_user(Role.EMPLOYEE)
    known.people["e4"].user = learner
    known.people["e4"].save()
    start = datetime.datetime.combine(known.campaign.starts_on, datetime.time(12), tzinfo=datetime.UTC)
    Completion.objects.create(
        user=learner,
        course=known.campaign.course,
        course_version=1,
        method=CompletionMethod.ELEARNING,
        completed_at=start + datetime.timedelta(days=3),
    )
    assert campaign_progress(campaign=known.campaign, viewer=coordinator, today=TODAY).total.trained == 3

    known.campaign.elearning_completes = True
    known.campaign.save()
    progress = campaign_progress(campaign=known.campaign, viewer=coordinator, today=TODAY)
    assert progress.total.trained == 4
    assert progress.not_scheduled == 3
    week = known.campaign.starts_on + datetime.timedelta(days=3)
    week -= datetime.timedelta(days=week.weekday())
    assert dict(progress.burnup.rows())[week] == [0, 1]


def test_elearning_before_the_campaign_started_does_not_count(known, coordinator, make_user):
    learner = make_user(Role.EMPLOYEE)
    known.people["e4"].user = learner
    known.people["e4"].save()
    known.campaign.elearning_completes = True
    known.campaign.save()
    Completion.objects.create(
        user=learner,
        course=known.campaign.course,
        course_version=1,
        method=CompletionMethod.ELEARNING,
        completed_at=timezone.now() - datetime.timedelta(days=400),
    )
    assert campaign_progress(campaign=known.campaign, viewer=coordinator, today=TODAY).total.trained == 3


def test_people_who_join_the_roster_later_fall_into_their_wave(known, coordinator):
    from deonto.people.models import Employee

    Employee.objects.create(
        personnel_number="P-new",
        first_name="New",
        last_name="Comer",
        language="nl",
        unit=known.units["A"],
        is_armed=True,
    )
    progress = campaign_progress(campaign=known.campaign, viewer=coordinator, today=TODAY)
    assert progress.waves[0].share.audience == 5


def test_not_scheduled_lists_the_people_without_a_session_and_filters_them(known, coordinator):
    names = lambda people: sorted(p.personnel_number for p in people)  # noqa: E731
    everyone = not_scheduled(campaign=known.campaign, viewer=coordinator)
    assert names(everyone) == ["P-a2", "P-e3", "P-e4", "P-e5"]
    assert names(not_scheduled(campaign=known.campaign, viewer=coordinator, wave=known.wave1)) == ["P-a2"]
    assert names(not_scheduled(campaign=known.campaign, viewer=coordinator, region=known.regions["R2"])) == [
        "P-e3",
        "P-e4",
    ]
    assert names(not_scheduled(campaign=known.campaign, viewer=coordinator, unit=known.units["A"])) == [
        "P-a2",
        "P-e5",
    ]
    assert names(not_scheduled(campaign=known.campaign, viewer=coordinator, language="de")) == ["P-e4"]
    assert names(not_scheduled(campaign=known.campaign, viewer=coordinator, query="e3")) == ["P-e3"]


def test_a_declined_or_re_proposed_enrolment_is_not_scheduled(known, coordinator):
    Enrolment.objects.filter(employee=known.people["e2"]).update(status=EnrolmentStatus.DECLINED)
    Enrolment.objects.filter(employee=known.people["a4"]).update(
        status=EnrolmentStatus.PROPOSED, session=None
    )
    progress = campaign_progress(campaign=known.campaign, viewer=coordinator, today=TODAY)
    assert progress.not_scheduled == 6
    assert progress.seats_filled == 0


def test_the_home_page_tells_a_manager_how_many_of_their_people_are_trained(known, make_user):
    manager = make_user(Role.MANAGER, language="en")
    known.units["A"].managers.add(manager)
    so_far = trained_so_far(viewer=manager)
    assert (so_far.campaign, so_far.trained, so_far.people, so_far.percent) == (known.campaign, 2, 5, 40)

    content = sign_in(Client(), manager).get("/").content.decode()
    assert f"Trained in {known.campaign.name}: 2 of 5 (40 %)." in content
    assert 'href="/rollout/progress/">See the rollout progress</a>' in content


def test_the_home_page_counts_everyone_for_a_coordinator_and_nothing_for_an_employee(
    known, coordinator, make_user
):
    so_far = trained_so_far(viewer=coordinator)
    assert (so_far.trained, so_far.people) == (3, 9)
    assert "Trained in" in sign_in(Client(), coordinator).get("/").content.decode()
    assert (
        "Trained in"
        not in sign_in(Client(), make_user(Role.EMPLOYEE, language="en")).get("/").content.decode()
    )
