"""App configuration for the scrutiny plugin."""

from django.apps import AppConfig


class ScrutinyConfig(AppConfig):
    """The scrutiny plugin: install with INSTALLED_APPS and one urls include."""

    name = "scrutiny"
    verbose_name = "Scrutiny"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import signals  # connects the review pages' workflow receivers

        signals.leave_scrutiny_workflows_to_the_product()

        from .admin_views.choosers import close_page_chooser_to_hidden_pages

        close_page_chooser_to_hidden_pages()
