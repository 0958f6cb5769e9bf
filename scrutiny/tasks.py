"""django-q2 jobs: each takes primary keys, loads, and calls a service; safe to run twice."""

from django.contrib.auth import get_user_model
from django.urls import reverse

from .models import CallForScrutiny
from .notifications import absolute_url, send_email_once
from .roles import OFFICERS
from .selectors import call_tracking_url


def send_call_acknowledgement(call_pk: int) -> bool:
    """Tell the resident their call arrived, with its reference and what happens next."""
    call = CallForScrutiny.objects.select_related("business_area").filter(pk=call_pk).first()
    if call is None or not call.email:
        return False
    return send_email_once(
        key=f"call:{call.pk}:acknowledgement",
        to=[call.email],
        template="call_acknowledgement",
        context={"call": call, "tracking_url": absolute_url(call_tracking_url())},
    )


def send_call_officer_notification(call_pk: int) -> bool:
    """Tell the scrutiny officers a new call has arrived."""
    call = CallForScrutiny.objects.select_related("business_area").filter(pk=call_pk).first()
    if call is None:
        return False
    officers = (
        get_user_model()
        .objects.filter(groups__name=OFFICERS, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    admin_path = reverse("wagtailsnippets_scrutiny_callforscrutiny:inspect", args=[call.pk])
    return send_email_once(
        key=f"call:{call.pk}:officer-notification",
        to=sorted(set(officers)),
        template="call_officer_notification",
        context={"call": call, "admin_url": absolute_url(admin_path)},
    )
