"""Sign-in throttling with django-axes: the address counted, the message, who is locked out.

django-axes counts failed sign-ins on the admin's login form and refuses an account, or an
address, after `AXES_FAILURE_LIMIT` failures within `AXES_COOLOFF_TIME`. This module is what the
host site's settings point it at: IPv6 addresses counted by network as the public forms count
them, the page a locked-out person sees, and the superusers' list of lock-outs and its unlock.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from axes.backends import AxesStandaloneBackend
from axes.helpers import get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from axes.utils import reset
from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS
from django.db import transaction
from django.db.models import Max, Sum
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import ngettext
from wagtail.log_actions import log

from .ratelimit import client_address, counted_address

UNLOCKED_ACTION = "scrutiny.lockout_unlocked"


def client_network(request) -> str:
    """The address a sign-in is counted under: IPv4 as it is, IPv6 by its /64 network."""
    return counted_address(client_address(request))


class SignInThrottleBackend(AxesStandaloneBackend):
    """Refuses sign-ins while an account or address is locked out; signs nobody in itself.

    Only a request can be locked out, so authenticating without one (the test client's
    `login()`, a script) is not throttled; every sign-in on the site comes through the login
    form, which passes its request.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def cool_off() -> timedelta:
    """How long an account or address stays locked out after its last failed sign-in."""
    return get_cool_off() or timedelta(0)


def _minutes(delta: timedelta) -> int:
    return max(1, round(delta.total_seconds() / 60))


def lockout_message() -> str:
    """What a locked-out person reads on the login page."""
    minutes = _minutes(cool_off())
    return ngettext(
        "Too many failed sign-ins. Signing in to this account, or from your network, is paused "
        "for %(minutes)s minute. Wait that long and try again, or ask an administrator to "
        "unlock it.",
        "Too many failed sign-ins. Signing in to this account, or from your network, is paused "
        "for %(minutes)s minutes. Wait that long and try again, or ask an administrator to "
        "unlock it.",
        minutes,
    ) % {"minutes": minutes}


def lockout_response(request, original_response=None, credentials=None):
    """The login page again with the lock-out message in place of its error (status 429).

    Wagtail's own login form is shown when the response being replaced is its page, so the
    person sees where they were; otherwise a page with the message alone.
    """
    message = lockout_message()
    context = getattr(original_response, "context_data", None) or {}
    form = context.get("form")
    if form is not None and getattr(form, "is_bound", False):
        # "Enter a correct username and password" would send them to try again at once.
        form.errors.pop(NON_FIELD_ERRORS, None)
        form.add_error(None, message)
        response = TemplateResponse(request, original_response.template_name, context, status=429)
    else:
        response = TemplateResponse(
            request, "scrutiny/admin/locked_out.html", {"message": message}, status=429
        )
    response["Retry-After"] = str(int(cool_off().total_seconds()))
    return response.render()


@dataclass(frozen=True)
class Lockout:
    """An account or a network address with failed sign-ins within the cool-off."""

    kind: str  # "username" or "ip_address"
    value: str
    failures: int
    last_failure: datetime
    locked: bool
    locked_until: datetime | None


def lockouts_current() -> dict[str, list[Lockout]]:
    """Accounts and addresses with recent failed sign-ins, the locked-out ones first."""
    limit = get_failure_limit(None, None)
    recent = AccessAttempt.objects.filter(attempt_time__gte=timezone.now() - cool_off())
    found = {}
    for kind in ("username", "ip_address"):
        rows = (
            recent.exclude(**{f"{kind}__isnull": True})
            .values(kind)
            .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        )
        items = [
            Lockout(
                kind=kind,
                value=row[kind],
                failures=row["failures"],
                last_failure=row["last"],
                locked=row["failures"] >= limit,
                locked_until=row["last"] + cool_off() if row["failures"] >= limit else None,
            )
            for row in rows
        ]
        found[kind] = sorted(items, key=lambda item: (not item.locked, -item.failures, item.value))
    return found


def lockout_clear(*, username: str = "", ip_address: str = "", user=None) -> int:
    """Forget the failed sign-ins of one account or one address, which unlocks it.

    With `user` (the superuser who unlocked it) the unlock goes into the site history, on the
    account unlocked, or on the superuser's own account for a network address or a name that
    is nobody's account.
    """
    with transaction.atomic():
        if username:
            cleared = reset(username=username)
        elif ip_address:
            cleared = reset(ip=ip_address)
        else:
            return 0
        if user is not None:
            account = (
                get_user_model().objects.filter(username=username).first() if username else None
            )
            log(
                instance=account or user,
                action=UNLOCKED_ACTION,
                user=user,
                data={"username": username, "ip_address": ip_address or "", "cleared": cleared},
            )
    return cleared
