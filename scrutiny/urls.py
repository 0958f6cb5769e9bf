"""URLs the scrutiny plugin serves outside Wagtail's page tree."""

from django.urls import path

from . import views

app_name = "scrutiny"

urlpatterns = [
    path(
        "petition-signatures/<slug:token>/confirm/",
        views.signature_link,
        {"action": "confirm"},
        name="signature_confirm",
    ),
    path(
        "petition-signatures/<slug:token>/withdraw/",
        views.signature_link,
        {"action": "withdraw"},
        name="signature_withdraw",
    ),
]
