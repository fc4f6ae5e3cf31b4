"""The instructor's side of the live classroom, under /training/live/ (namespace ``training``)."""

from django.urls import URLPattern, path

from deonto.training.views import live

urlpatterns: list[URLPattern] = [
    path("live/", live.live_start, name="live_start"),
    path("live/<int:run_id>/", live.live_screen, name="live_screen"),
    path("live/<int:run_id>/state/", live.live_screen_state, name="live_screen_state"),
    path("live/<int:run_id>/control/", live.live_control, name="live_control"),
]
