"""How often one network address may use a public form, counted in Django's cache.

Attempts are counted per address in fixed windows of one clock hour, so an address can make at
most `limit` attempts in any hour that starts on the hour (and at most twice that across the
turn of an hour). The address is REMOTE_ADDR: behind a proxy the deployment must make that the
visitor's address, because a header such as X-Forwarded-For can be made up by anyone.
"""

import hashlib
import time

from django.core.cache import cache

WINDOW_SECONDS = 60 * 60

CALL_FORM = "call-form"
CALL_TRACKING = "call-tracking"
PETITION = "petition"
APPEAL_FORM = "appeal-form"
JOIN_PANEL = "join-panel"


def client_address(request) -> str:
    """The network address a request came from, as the web server saw it."""
    return request.META.get("REMOTE_ADDR") or "unknown"


def _key(scope: str, address: str, window: int) -> str:
    # Hashed so the cache holds no readable addresses and every key is short and safe.
    digest = hashlib.sha256(address.encode()).hexdigest()[:32]
    return f"scrutiny:ratelimit:{scope}:{window}:{digest}"


def attempt_allowed(request, *, scope: str, limit: int) -> bool:
    """Count one attempt from this request's address; False once it is over the hour's limit."""
    now = time.time()
    window = int(now // WINDOW_SECONDS)
    key = _key(scope, client_address(request), window)
    seconds_left = int((window + 1) * WINDOW_SECONDS - now) + 1
    cache.add(key, 0, timeout=seconds_left)
    try:
        count = cache.incr(key)
    except ValueError:
        # The key expired between add() and incr(): this is the first attempt of a new window.
        cache.set(key, 1, timeout=seconds_left)
        count = 1
    # Some backends (the database cache) reset the expiry on incr(); keep the window's end.
    cache.touch(key, timeout=seconds_left)
    return count <= limit


def retry_after_seconds() -> int:
    """Seconds until the current window ends and the counts start again."""
    return int(WINDOW_SECONDS - time.time() % WINDOW_SECONDS) + 1
