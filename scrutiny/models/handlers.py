"""What the models hand to the layers above them, without importing those layers.

Models are the bottom layer: forms, pipeline, selectors, permissions, reports and views import
them, and they import none of those. Where a model must pass work upward (a public page's
route serves its form, a page's context is read, the panel's decision task records the
decision, a review page asks who may draft it, Wagtail's site history asks which log entries
a user may see), the layer above registers its function here under a name, with `provides`,
when the app is ready (`ScrutinyConfig.ready`), and the model calls it by that name with
`ask`. tests/scrutiny/test_layers.py checks both: that the models import nothing above them,
and that every name a model asks for is provided.
"""

from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured

_provided: dict[str, Callable] = {}


def provides(name: str) -> Callable[[Callable], Callable]:
    """Register the decorated function as the one that answers `name`."""

    def register(function: Callable) -> Callable:
        if _provided.setdefault(name, function) is not function:
            raise ImproperlyConfigured(f"Two functions provide {name!r}.")
        return function

    return register


def ask(name: str, *args, **kwargs):
    """Call the function registered for `name`."""
    try:
        function = _provided[name]
    except KeyError:
        raise ImproperlyConfigured(
            f"Nothing provides {name!r}. The scrutiny app registers it when it is ready: is "
            "'scrutiny' in INSTALLED_APPS?"
        ) from None
    return function(*args, **kwargs)


def provided() -> frozenset[str]:
    """Every name registered so far."""
    return frozenset(_provided)
