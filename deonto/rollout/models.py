"""The training rollout: campaigns and their waves, rooms and instructors, classroom sessions,
enrolments with their append-only history, and the messages sent about them.

Wave membership is a rule over the roster, evaluated when asked (``Wave.rule_q``): someone who joins
the roster later falls into their wave without anyone doing anything. An employee belongs to the
first wave, in order, whose rule they match.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from deonto.core.models import AppendOnlyModel, TimeStampedModel
from deonto.people.models import Employee, OrgUnit, Region, Site, StaffLanguage


class Campaign(TimeStampedModel):
    """One rollout of one course to the roster. A refresher is a new campaign of the same course,
    so earlier results stay as they were."""

    name = models.CharField(_("name"), max_length=150)
    course = models.ForeignKey(
        "training.Course", verbose_name=_("course"), on_delete=models.PROTECT, related_name="campaigns"
    )
    starts_on = models.DateField(_("start date"))
    target_on = models.DateField(_("target date"))
    unit_share_max = models.PositiveSmallIntegerField(
        _("share of a unit away on the same day (%)"),
        default=20,
        help_text=_(
            "At most this share of a unit may attend sessions on the same day; at least one person always may."
        ),
    )
    reminder_days = models.PositiveSmallIntegerField(
        _("reminder (business days before the session)"), default=3
    )
    elearning_completes = models.BooleanField(
        _("e-learning alone completes the training"),
        default=False,
        help_text=_(
            "When set, people who passed the e-learning count as trained without a classroom session."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-starts_on", "name"]
        permissions = [
            ("manage_rollout", _("Can plan the rollout: campaigns, waves, resources, sessions, enrolments")),
            ("view_progress", _("Can see the rollout's progress")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(target_on__gte=models.F("starts_on")), name="campaign_target_after_start"
            ),
            models.CheckConstraint(
                condition=Q(unit_share_max__gte=1) & Q(unit_share_max__lte=100),
                name="campaign_unit_share_percentage",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Wave(TimeStampedModel):
    """An ordered slice of the campaign's audience, given by a rule over the roster. Empty criteria
    match everyone; the criteria that are set must all hold."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="waves"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("name"), max_length=150)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    armed_only = models.BooleanField(_("armed officers only"), default=False)
    regions = models.ManyToManyField(Region, verbose_name=_("regions"), blank=True, related_name="+")
    units = models.ManyToManyField(
        OrgUnit,
        verbose_name=_("units"),
        blank=True,
        related_name="+",
        help_text=_("A unit includes every unit below it."),
    )
    languages = models.JSONField(_("languages"), default=list, blank=True)
    functions = models.JSONField(_("functions"), default=list, blank=True)

    class Meta:
        verbose_name = _("wave")
        verbose_name_plural = _("waves")
        ordering = ["campaign", "order"]
        constraints = [models.UniqueConstraint(fields=["campaign", "order"], name="wave_unique_order")]

    def __str__(self) -> str:
        return f"{self.campaign} · {self.name}"

    def rule_q(self) -> Q:
        """The rule alone, over active employees (not yet excluding earlier waves)."""
        rule = Q(is_active=True)
        if self.armed_only:
            rule &= Q(is_armed=True)
        region_ids = [region.pk for region in self.regions.all()]
        if region_ids:
            rule &= Q(site__region_id__in=region_ids)
        unit_paths = [unit.path for unit in self.units.all()]
        if unit_paths:
            under = Q()
            for path in unit_paths:
                under |= Q(unit__path__startswith=path)
            rule &= under
        if self.languages:
            rule &= Q(language__in=self.languages)
        if self.functions:
            rule &= Q(function__in=self.functions)
        return rule


class HalfDay(models.TextChoices):
    MORNING = "am", _("Morning")
    AFTERNOON = "pm", _("Afternoon")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")


class Room(TimeStampedModel):
    site = models.ForeignKey(Site, verbose_name=_("site"), on_delete=models.PROTECT, related_name="rooms")
    name = models.CharField(_("name"), max_length=150)
    capacity = models.PositiveSmallIntegerField(_("capacity"))
    is_accessible = models.BooleanField(_("wheelchair accessible"), default=False)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        ordering = ["site", "name"]
        constraints = [
            models.UniqueConstraint(fields=["site", "name"], name="room_unique_name_per_site"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="room_capacity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.site} · {self.name}"


class Instructor(TimeStampedModel):
    employee = models.OneToOneField(
        Employee, verbose_name=_("employee"), on_delete=models.PROTECT, related_name="instructor"
    )
    languages = models.JSONField(_("teaching languages"), default=list)
    regions = models.ManyToManyField(Region, verbose_name=_("regions travelled to"), related_name="+")
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("instructor")
        verbose_name_plural = _("instructors")
        ordering = ["employee__last_name", "employee__first_name"]

    def __str__(self) -> str:
        return str(self.employee)


class Availability(models.Model):
    """A weekly half-day on which the instructor can teach."""

    instructor = models.ForeignKey(
        Instructor, verbose_name=_("instructor"), on_delete=models.CASCADE, related_name="availabilities"
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    half_day = models.CharField(_("half-day"), max_length=2, choices=HalfDay.choices)

    class Meta:
        verbose_name = _("availability")
        verbose_name_plural = _("availabilities")
        ordering = ["instructor", "weekday", "half_day"]
        constraints = [
            models.UniqueConstraint(fields=["instructor", "weekday", "half_day"], name="availability_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.instructor} · {self.get_weekday_display()} {self.get_half_day_display()}"


class Absence(TimeStampedModel):
    instructor = models.ForeignKey(
        Instructor, verbose_name=_("instructor"), on_delete=models.CASCADE, related_name="absences"
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("absence")
        verbose_name_plural = _("absences")
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="absence_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.instructor} {self.starts_on} - {self.ends_on}"


class ClosingDay(TimeStampedModel):
    """A day without sessions besides the Belgian public holidays: everywhere, or in one region."""

    date = models.DateField(_("date"))
    region = models.ForeignKey(
        Region, verbose_name=_("region"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=200)

    class Meta:
        verbose_name = _("closing day")
        verbose_name_plural = _("closing days")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.reason}"


class SessionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class Session(TimeStampedModel):
    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.PROTECT, related_name="sessions"
    )
    date = models.DateField(_("date"))
    half_day = models.CharField(_("half-day"), max_length=2, choices=HalfDay.choices)
    room = models.ForeignKey(Room, verbose_name=_("room"), on_delete=models.PROTECT, related_name="sessions")
    language = models.CharField(_("language"), max_length=2, choices=StaffLanguage.choices)
    instructors = models.ManyToManyField(
        Instructor, verbose_name=_("instructors"), through="SessionInstructor", related_name="sessions"
    )
    capacity = models.PositiveSmallIntegerField(_("capacity"))
    status = models.CharField(
        _("status"), max_length=16, choices=SessionStatus.choices, default=SessionStatus.DRAFT
    )
    closed_at = models.DateTimeField(_("attendance closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("attendance closed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["date", "half_day", "room"]
        indexes = [
            models.Index(fields=["campaign", "status", "date"], name="session_campaign_status_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gte=1), name="session_capacity_positive"),
            # A room holds one session per half-day; a cancelled session frees it.
            models.UniqueConstraint(
                fields=["room", "date", "half_day"],
                condition=~Q(status="cancelled"),
                name="session_room_unique_per_half_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.get_half_day_display()} · {self.room} ({self.language})"


class SessionInstructor(models.Model):
    """An instructor on a session. Date and half-day are copied from the session so the database
    itself refuses to put one instructor in two places at once."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="teaching")
    instructor = models.ForeignKey(Instructor, on_delete=models.PROTECT, related_name="teaching")
    date = models.DateField()
    half_day = models.CharField(max_length=2, choices=HalfDay.choices)
    is_active = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("session instructor")
        verbose_name_plural = _("session instructors")
        constraints = [
            models.UniqueConstraint(fields=["session", "instructor"], name="sessioninstructor_unique"),
            models.UniqueConstraint(
                fields=["instructor", "date", "half_day"],
                condition=Q(is_active=True),
                name="sessioninstructor_one_place_at_a_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.instructor} · {self.session}"


class EnrolmentStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    INVITED = "invited", _("Invited")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WAITLISTED = "waitlisted", _("On the waiting list")
    ATTENDED = "attended", _("Attended")
    ABSENT = "absent", _("Absent")
    EXCUSED = "excused", _("Excused")


# The statuses that hold a seat in the enrolment's session.
SEAT_HOLDING = (EnrolmentStatus.PROPOSED, EnrolmentStatus.INVITED, EnrolmentStatus.ACCEPTED)


class Enrolment(TimeStampedModel):
    """One employee's place in one campaign. Moving to another session keeps the enrolment, so the
    calendar invitation keeps its UID and raises its SEQUENCE.

    ``status`` is the newest ``EnrolmentEvent``'s; both are written together, only by the services."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.PROTECT, related_name="enrolments"
    )
    employee = models.ForeignKey(
        Employee, verbose_name=_("employee"), on_delete=models.PROTECT, related_name="enrolments"
    )
    session = models.ForeignKey(
        Session,
        verbose_name=_("session"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enrolments",
    )
    status = models.CharField(_("status"), max_length=16, choices=EnrolmentStatus.choices)
    status_changed_at = models.DateTimeField(_("status changed at"), default=timezone.now)
    ics_uid = models.UUIDField(_("calendar UID"), default=uuid.uuid4, unique=True, editable=False)
    ics_sequence = models.PositiveIntegerField(_("calendar sequence"), default=0)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["campaign", "employee"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "employee"], name="enrolment_one_per_campaign"),
        ]
        indexes = [
            models.Index(fields=["session", "status"], name="enrolment_session_status_idx"),
            models.Index(fields=["campaign", "status"], name="enrolment_campaign_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.employee} · {self.campaign} ({self.get_status_display()})"


class EnrolmentEvent(AppendOnlyModel):
    """One change of an enrolment: who, when, why. Append-only."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(_("from"), max_length=16, choices=EnrolmentStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=16, choices=EnrolmentStatus.choices)
    session = models.ForeignKey(
        Session, verbose_name=_("session"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    reason = models.CharField(_("reason"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("enrolment event")
        verbose_name_plural = _("enrolment events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.enrolment_id}: {self.from_status} → {self.to_status}"


class MessageKind(models.TextChoices):
    INVITATION = "invitation", _("Invitation")
    UPDATE = "update", _("Change")
    CANCELLATION = "cancellation", _("Cancellation")
    REMINDER = "reminder", _("Reminder")
    SEAT_OFFERED = "seat-offered", _("Seat from the waiting list")


class MessageStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("Not sent (no e-mail address)")


class Message(TimeStampedModel):
    """An e-mail about an enrolment, from the moment it is queued: the log of what was sent."""

    enrolment = models.ForeignKey(
        Enrolment, verbose_name=_("enrolment"), on_delete=models.CASCADE, related_name="messages"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=MessageKind.choices)
    session = models.ForeignKey(
        Session, verbose_name=_("session"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ics_sequence = models.PositiveIntegerField(_("calendar sequence"), default=0)
    recipient = models.EmailField(_("recipient"), blank=True)
    language = models.CharField(_("language"), max_length=2, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=MessageStatus.choices, default=MessageStatus.QUEUED
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.recipient or '-'} ({self.get_status_display()})"


class PlanRunStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")
    PUBLISHING = "publishing", _("Publishing")
    # The plan (masculine in French), not a session: its own context, so each gets its own word.
    PUBLISHED = "published", pgettext_lazy("plan", "Published")


class PlanRun(TimeStampedModel):
    """One run of the rollout planner for a campaign: the instance it was given (read from the
    database when it was started, with ``mapping`` to read the plan back), its progress while the
    task runs, and the plan it proposed, until it is published as sessions and invitations."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="plan_runs"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    starts_on = models.DateField(_("planning start"))
    session_capacity = models.PositiveSmallIntegerField(_("seats per session"))
    status = models.CharField(
        _("status"), max_length=16, choices=PlanRunStatus.choices, default=PlanRunStatus.QUEUED
    )
    progress_percent = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    progress_stage = models.CharField(_("stage"), max_length=100, blank=True)
    instance = models.JSONField(_("instance"), default=dict)
    mapping = models.JSONField(_("mapping"), default=dict)
    people_without_site = models.PositiveIntegerField(_("people without a site"), default=0)
    people_blocked = models.PositiveIntegerField(_("people the booking rules keep out"), default=0)
    result = models.JSONField(_("result"), null=True, blank=True)
    error_code = models.CharField(_("error code"), max_length=32, blank=True)
    error_message = models.TextField(_("error"), blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    publish_error = models.TextField(_("why publishing was refused"), blank=True)
    publish_conflicts = models.JSONField(_("publishing conflicts"), default=list, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    # When the task started publishing (its time cap counts from here); empty while it waits.
    publish_started_at = models.DateTimeField(_("publishing started at"), null=True, blank=True)
    # Who asked to publish: set when the publishing is queued, cleared again if it is refused.
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("planner run")
        verbose_name_plural = _("planner runs")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(session_capacity__gte=1), name="planrun_capacity_positive"),
            models.CheckConstraint(condition=Q(progress_percent__lte=100), name="planrun_progress_percent"),
        ]

    def __str__(self) -> str:
        return f"{self.campaign} · {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_running(self) -> bool:
        """The planner or the publishing is under way: the page follows its progress."""
        return self.status in (PlanRunStatus.QUEUED, PlanRunStatus.RUNNING, PlanRunStatus.PUBLISHING)
