"""Every label the admin shows for the plugin's models is a message for translators.

Django makes a label from a field's or a model's name when none is given ("received at",
"petitions"), and such a label can never be translated: issue #20 asks for every user-facing
string to be marked, so each is given, lazily translated, with the same English.
"""

from django.apps import apps
from django.utils.functional import Promise


def plugin_models():
    for model in apps.get_app_config("scrutiny").get_models():
        if not model._meta.auto_created and not model.__name__.startswith("Historical"):
            yield model


def test_every_model_names_itself_in_both_numbers_for_translators():
    unmarked = [
        model.__name__
        for model in plugin_models()
        if not isinstance(model._meta.verbose_name, Promise)
        or not isinstance(model._meta.verbose_name_plural, Promise)
    ]
    assert unmarked == []


def test_every_field_has_a_label_for_translators():
    unmarked = [
        f"{model.__name__}.{field.name}"
        for model in plugin_models()
        for field in model._meta.get_fields()
        if getattr(field, "concrete", False)
        and not field.auto_created
        and field.model._meta.app_label == "scrutiny"  # not Wagtail's Page fields
        and field.name != "sort_order"  # Wagtail's Orderable's, never shown
        and not isinstance(field.verbose_name, Promise)
    ]
    assert unmarked == []
