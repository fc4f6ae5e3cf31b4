from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PostcheckConfig(AppConfig):
    name = "deonto.postcheck"
    label = "postcheck"
    verbose_name = _("Check before you post")
