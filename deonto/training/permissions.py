"""Who may do what with the course.

Every signed-in user may take the e-learning (and sees only their own attempts and certificates);
instructors and coordinators run the course live in class and read its content to prepare it;
coordinators and administrators import, export and translate it and see the results.
Participants of a live run need no account."""

from __future__ import annotations

from typing import Any

from deonto.training.models import LiveRun


def can_run_live(user: Any) -> bool:
    return bool(user.is_authenticated and user.has_perm("training.run_live"))


def can_control_run(user: Any, run: LiveRun) -> bool:
    """Only the instructor who started a run drives it."""
    return can_run_live(user) and run.instructor_id == user.pk


def can_manage_content(user: Any) -> bool:
    return bool(user.is_authenticated and user.has_perm("training.manage_content"))


def can_read_content(user: Any) -> bool:
    """Instructors read the courses to prepare their class; content managers read them too."""
    return can_run_live(user) or can_manage_content(user)


def can_view_results(user: Any) -> bool:
    return bool(user.is_authenticated and user.has_perm("training.view_results"))
