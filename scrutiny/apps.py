"""App configuration for the scrutiny plugin."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScrutinyConfig(AppConfig):
    """The scrutiny plugin; docs/install.md says what a host site adds, checks.py what it lacks."""

    name = "scrutiny"
    verbose_name = _("Scrutiny")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # What the models ask of the layers above them (scrutiny.models.handlers): each
        # module registers its part when imported.
        from . import checks, outcomes, page_views, permissions, pipeline, signals  # noqa: F401  (checks registers the host-site checks)  # noqa: F401

        signals.leave_scrutiny_workflows_to_the_product()

        from .admin_views.choosers import close_page_chooser_to_hidden_pages

        close_page_chooser_to_hidden_pages()
