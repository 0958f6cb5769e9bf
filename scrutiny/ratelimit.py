"""How often one network address may use a public form, counted in the database.

Attempts are counted per address in fixed windows of one clock hour, so an address can make at
most `limit` attempts in any hour that starts on the hour (and at most twice that across the
turn of an hour). The address is REMOTE_ADDR: behind a proxy the deployment must make that the
visitor's address, because a header such as X-Forwarded-For can be made up by anyone.

An IPv4 address is counted on its own. An IPv6 address is counted by its network, the first
`SCRUTINY_RATELIMIT_IPV6_PREFIX` bits (64 unless set): one home or phone is given a whole /64
and can pick a new address in it for every request, so counting exact addresses would let it
through without limit.

The count is a row per address, form and hour (`FormAttempts`), added to in one UPDATE under
the row's lock, so requests sent at the same moment are each counted. (Django's database cache
adds by reading and writing back, which let simultaneous requests through uncounted.)
"""

import hashlib
import ipaddress
import time
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import F

from . import permissions
from .counters import add_one
from .models import FormAttempts

T = TypeVar("T")

WINDOW_SECONDS = 60 * 60

CALL_FORM = "call-form"
CALL_TRACKING = "call-tracking"
PETITION = "petition"
APPEAL_FORM = "appeal-form"
JOIN_PANEL = "join-panel"


def client_address(request) -> str:
    """The network address a request came from, as the web server saw it."""
    return request.META.get("REMOTE_ADDR") or "unknown"


def ipv6_prefix() -> int:
    """How many leading bits of an IPv6 address name one visitor's network (64 by default)."""
    prefix = int(getattr(settings, "SCRUTINY_RATELIMIT_IPV6_PREFIX", 64))
    if not 1 <= prefix <= 128:
        raise ImproperlyConfigured("SCRUTINY_RATELIMIT_IPV6_PREFIX must be from 1 to 128.")
    return prefix


def counted_address(address: str) -> str:
    """The address attempts are counted under: an IPv4 address itself, an IPv6 one's network.

    The network is written as its first address (`2001:db8:1:2::` for a /64), which is still an
    address, so it fits wherever one is stored. An IPv4 address written as IPv6 (`::ffff:a.b.c.d`)
    counts as that IPv4 address; anything that is not an address is counted as it is.
    """
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 4:
        return str(parsed)
    if parsed.ipv4_mapped is not None:
        return str(parsed.ipv4_mapped)
    return str(ipaddress.IPv6Network((parsed, ipv6_prefix()), strict=False).network_address)


def _key(scope: str, address: str) -> str:
    # Hashed so the table holds no readable addresses and every key is short and safe.
    digest = hashlib.sha256(address.encode()).hexdigest()[:32]
    return f"{scope}:{digest}"


def exempt(request) -> bool:
    """Signed-in staff are not counted: an officer typing in a pile of letters on the public
    forms, from the office's one address, is not a robot."""
    user = getattr(request, "user", None)
    return bool(user and user.is_authenticated and permissions.is_signed_in_staff(user))


def attempt_allowed(request, *, scope: str, limit: int) -> bool:
    """Count one attempt from this request's address or IPv6 network; False once over the limit.

    Staff signed in to the admin are never counted or refused (`exempt`)."""
    if exempt(request):
        return True
    hour = int(time.time() // WINDOW_SECONDS)
    key = _key(scope, counted_address(client_address(request)))
    attempts = _add_attempt(key, hour)
    if attempts is None:  # this hour's first attempt, unless another request made the row meanwhile
        rows = FormAttempts.objects.filter(key=key, hour=hour)
        with transaction.atomic():
            _, created = FormAttempts.objects.get_or_create(
                key=key, hour=hour, defaults={"attempts": 1}
            )
            if not created:
                rows.update(attempts=F("attempts") + 1)
            attempts = rows.values_list("attempts", flat=True).get()
        FormAttempts.objects.filter(hour__lt=hour).delete()  # past hours count no more
    return attempts <= limit


def _add_attempt(key: str, hour: int) -> int | None:
    return add_one(FormAttempts, "attempts", key=key, hour=hour)


def accept_within_limit(
    request, *, scope: str, limit: int, accept: Callable[[], T]
) -> tuple[bool, T]:
    """Take a valid submission and count its attempt in one transaction; undone if over the limit.

    The attempt is counted after `accept()` has written the records, just before the one commit,
    so the address's counter row is locked only for that moment and submissions from one
    address are not queued behind each other's work. Over the limit, the transaction is rolled
    back: nothing `accept()` wrote stays and no email it queued is sent. Returns whether the
    attempt was within the limit, and what `accept()` returned.
    """
    with transaction.atomic():
        result = accept()
        allowed = attempt_allowed(request, scope=scope, limit=limit)
        if not allowed:
            transaction.set_rollback(True)
    return allowed, result


def retry_after_seconds() -> int:
    """Seconds until the current window ends and the counts start again."""
    return int(WINDOW_SECONDS - time.time() % WINDOW_SECONDS) + 1
