from django.urls import path

from deonto.rollout import views_attendance, views_my, views_planning, views_sessions

app_name = "rollout"

urlpatterns = [
    # The section's own address leads where its reader works: the planning, or their own training.
    path("", views_my.rollout_home, name="home"),
    # Planning (coordinators).
    path("campaigns/", views_planning.campaign_list, name="campaign_list"),
    path("campaigns/new/", views_planning.campaign_create, name="campaign_create"),
    path("campaigns/<int:pk>/", views_planning.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/edit/", views_planning.campaign_edit, name="campaign_edit"),
    path("campaigns/<int:pk>/waves/new/", views_planning.wave_create, name="wave_create"),
    path("campaigns/<int:pk>/waves/count/", views_planning.wave_count, name="wave_count"),
    path("waves/<int:pk>/edit/", views_planning.wave_edit, name="wave_edit"),
    path("rooms/", views_planning.room_list, name="room_list"),
    path("rooms/new/", views_planning.room_create, name="room_create"),
    path("rooms/<int:pk>/edit/", views_planning.room_edit, name="room_edit"),
    path("instructors/", views_planning.instructor_list, name="instructor_list"),
    path("instructors/new/", views_planning.instructor_create, name="instructor_create"),
    path("instructors/<int:pk>/edit/", views_planning.instructor_edit, name="instructor_edit"),
    path("closing-days/", views_planning.closing_day_list, name="closing_day_list"),
    # Sessions (coordinators).
    path("sessions/", views_sessions.session_list, name="session_list"),
    path("sessions/new/", views_sessions.session_create, name="session_create"),
    path("sessions/<int:pk>/", views_sessions.session_detail, name="session_detail"),
    path("sessions/<int:pk>/edit/", views_sessions.session_edit, name="session_edit"),
    path("sessions/<int:pk>/publish/", views_sessions.session_publish, name="session_publish"),
    path("sessions/<int:pk>/cancel/", views_sessions.session_cancel, name="session_cancel"),
    path("sessions/<int:pk>/propose/", views_sessions.session_propose, name="session_propose"),
    path("sessions/<int:pk>/invite/", views_sessions.session_invite, name="session_invite"),
    path(
        "sessions/<int:pk>/waitlist/fill/", views_sessions.session_fill_waitlist, name="session_fill_waitlist"
    ),
    path("enrolments/<int:pk>/move/", views_sessions.enrolment_move, name="enrolment_move"),
    # The employee's own invitation.
    path("my/", views_my.my_training, name="my_training"),
    path("my/<int:pk>/accept/", views_my.my_accept, name="my_accept"),
    path("my/<int:pk>/decline/", views_my.my_decline, name="my_decline"),
    path("my/<int:pk>/move/", views_my.my_move, name="my_move"),
    path("my/<int:pk>/calendar.ics", views_my.my_calendar, name="my_calendar"),
    # The instructor's attendance list.
    path("sessions/<int:pk>/attendance/", views_attendance.attendance, name="attendance"),
    path("sessions/<int:pk>/attendance/close/", views_attendance.attendance_close, name="attendance_close"),
]

# Progress (r4) — appended below this line.
from deonto.rollout import views_progress  # noqa: E402

urlpatterns += [
    path("progress/", views_progress.progress_dashboard, name="progress"),
    path("progress/<int:campaign_id>/not-scheduled/", views_progress.not_scheduled, name="not_scheduled"),
    path(
        "progress/<int:campaign_id>/export.csv",
        views_progress.progress_export_csv,
        name="progress_export_csv",
    ),
    path(
        "progress/<int:campaign_id>/export.xlsx",
        views_progress.progress_export_xlsx,
        name="progress_export_xlsx",
    ),
    path(
        "progress/<int:campaign_id>/report.pdf",
        views_progress.progress_report_pdf,
        name="progress_report_pdf",
    ),
]

# Planner (app) — appended below this line.
from deonto.rollout import views_planner  # noqa: E402

urlpatterns += [
    path("campaigns/<int:pk>/planner/", views_planner.planner_start, name="planner_start"),
    path("planner/runs/<int:pk>/", views_planner.plan_run_detail, name="plan_run_detail"),
    path("planner/runs/<int:pk>/progress/", views_planner.plan_run_progress, name="plan_run_progress"),
    path("planner/runs/<int:pk>/publish/", views_planner.plan_run_publish, name="plan_run_publish"),
]
