"""The participants' side of the live classroom: the short address /live/ and /live/<code>/."""

from django.urls import URLPattern, path

from deonto.training.views import live

app_name = "live"

urlpatterns: list[URLPattern] = [
    path("", live.join, name="join"),
    path("<str:code>/", live.participate, name="participate"),
    path("<str:code>/state/", live.participant_poll, name="state"),
    path("<str:code>/vote/", live.vote, name="vote"),
]
