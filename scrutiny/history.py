"""Who a change is recorded against, for saves that happen out of our hands (Wagtail's own)."""

from contextlib import contextmanager
from types import SimpleNamespace

from simple_history.models import HistoricalRecords

_MISSING = object()


@contextmanager
def acting_as(user):
    """Record every history row written inside the block as made by this user.

    simple-history reads the user from the request the middleware stores; outside a request,
    or for objects Wagtail loads and saves itself (publishing a revision), this supplies one.
    """
    if user is None:
        yield
        return
    context = HistoricalRecords.context
    previous = getattr(context, "request", _MISSING)
    context.request = SimpleNamespace(user=user)
    try:
        yield
    finally:
        if previous is _MISSING:
            del context.request
        else:
            context.request = previous
