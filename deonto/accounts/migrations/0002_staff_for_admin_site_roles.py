"""Inspectors and heads of service edit the post checker's rules in the admin site: accounts that
already hold those roles become staff, as `_roles_set` does for every change of roles since."""

from django.db import migrations


def staff_for_admin_site_roles(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    User.objects.filter(groups__name__in=["inspector", "head_of_service", "administrator"]).update(is_staff=True)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [migrations.RunPython(staff_for_admin_site_roles, migrations.RunPython.noop)]
