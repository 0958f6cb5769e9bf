"""App configuration for the host site's own pages."""

from django.apps import AppConfig


class HomeConfig(AppConfig):
    """The demo site's home page and standard content pages."""

    name = "home"
    default_auto_field = "django.db.models.BigAutoField"
