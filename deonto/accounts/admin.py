from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from deonto.accounts.models import User


@admin.register(User)
class DeontoUserAdmin(UserAdmin[User]):
    list_display = ("username", "email", "first_name", "last_name", "language", "is_active")
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        (_("Preferences"), {"fields": ("language",)}),
    )
