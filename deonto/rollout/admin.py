"""The rollout in Django's admin, for administrators: resources can be looked up and corrected;
sessions, enrolments and their history only through the services, so read-only here."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from deonto.rollout.models import (
    Absence,
    Availability,
    Campaign,
    ClosingDay,
    Enrolment,
    EnrolmentEvent,
    Instructor,
    Message,
    Room,
    Session,
    SessionInstructor,
    Wave,
)


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    """Rows written only by the services, whose rules and history the admin would bypass."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class WaveInline(admin.TabularInline[Wave, Campaign]):
    model = Wave
    extra = 0
    fields = ["order", "name", "deadline", "armed_only", "languages", "functions"]


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin[Campaign]):
    list_display = ["name", "course", "starts_on", "target_on", "unit_share_max", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name"]
    inlines = [WaveInline]


@admin.register(Room)
class RoomAdmin(admin.ModelAdmin[Room]):
    list_display = ["name", "site", "capacity", "is_accessible", "is_active"]
    list_filter = ["is_accessible", "is_active", "site__region"]
    search_fields = ["name", "site__name"]


class AvailabilityInline(admin.TabularInline[Availability, Instructor]):
    model = Availability
    extra = 0


class AbsenceInline(admin.TabularInline[Absence, Instructor]):
    model = Absence
    extra = 0


@admin.register(Instructor)
class InstructorAdmin(admin.ModelAdmin[Instructor]):
    list_display = ["employee", "languages", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["employee__last_name", "employee__first_name", "employee__personnel_number"]
    raw_id_fields = ["employee"]
    filter_horizontal = ["regions"]
    inlines = [AvailabilityInline, AbsenceInline]


@admin.register(ClosingDay)
class ClosingDayAdmin(admin.ModelAdmin[ClosingDay]):
    list_display = ["date", "region", "reason"]
    list_filter = ["region"]
    date_hierarchy = "date"


class SessionInstructorInline(admin.TabularInline[SessionInstructor, Session]):
    model = SessionInstructor
    extra = 0
    can_delete = False
    readonly_fields = ["instructor", "date", "half_day", "is_active"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Session)
class SessionAdmin(ReadOnlyAdmin):
    list_display = ["date", "half_day", "room", "language", "capacity", "status", "campaign"]
    list_filter = ["status", "language", "half_day", "campaign"]
    date_hierarchy = "date"
    list_select_related = ["room__site", "campaign"]
    inlines = [SessionInstructorInline]


@admin.register(Enrolment)
class EnrolmentAdmin(ReadOnlyAdmin):
    list_display = ["employee", "campaign", "session", "status", "status_changed_at"]
    list_filter = ["status", "campaign"]
    search_fields = ["employee__last_name", "employee__personnel_number"]
    list_select_related = ["employee", "campaign", "session__room__site"]


@admin.register(EnrolmentEvent)
class EnrolmentEventAdmin(ReadOnlyAdmin):
    list_display = ["enrolment", "from_status", "to_status", "session", "actor", "at", "reason"]
    list_filter = ["to_status"]
    list_select_related = ["enrolment__employee", "enrolment__campaign", "session__room__site", "actor"]


@admin.register(Message)
class MessageAdmin(ReadOnlyAdmin):
    list_display = ["kind", "recipient", "language", "status", "sent_at", "ics_sequence"]
    list_filter = ["kind", "status", "language"]
    search_fields = ["recipient"]
