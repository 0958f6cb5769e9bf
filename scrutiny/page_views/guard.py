"""The one guard in front of every public form."""

from functools import cached_property

from scrutiny import ratelimit
from scrutiny.forms import honeypot_filled
from scrutiny.models import ScrutinySettings


class FormGuard:
    """What every public form answers alike, for one request to one page's form.

    Each POST is counted towards the address's hourly limit for the form's `scope` (`count`,
    or `accept`, which counts in the same commit as what the form keeps); past the limit the
    answer is the 429 page, leading back to `form_url`. A POST whose field only robots fill
    was filled is refused with a 400 page and nothing is kept. `limit_setting` names the
    ScrutinySettings field holding the limit.
    """

    def __init__(
        self,
        request,
        page,
        *,
        scope: str,
        form_url: str,
        limit_setting: str = "form_submissions_per_hour",
        looking_up: bool = False,
    ):
        self.request = request
        self.page = page
        self.scope = scope
        self.form_url = form_url
        self.limit_setting = limit_setting
        self.looking_up = looking_up

    @cached_property
    def limit(self) -> int:
        settings = ScrutinySettings.load(request_or_site=self.request)
        return getattr(settings, self.limit_setting)

    def robot(self) -> bool:
        """Whether the field people never see was filled in."""
        return honeypot_filled(self.request.POST)

    def count(self) -> bool:
        """Count this attempt; False once the address is over its limit."""
        return ratelimit.attempt_allowed(self.request, scope=self.scope, limit=self.limit)

    def accept(self, keep):
        """Run `keep` and count the attempt in the same commit: (allowed, what keep returned)."""
        return ratelimit.accept_within_limit(
            self.request, scope=self.scope, limit=self.limit, accept=keep
        )

    def too_many(self):
        """The 429 page: how long to wait, and the way back to the form."""
        response = self.page.render(
            self.request,
            template="scrutiny/rate_limited.html",
            context_overrides={"looking_up": self.looking_up, "form_url": self.form_url},
        )
        response.status_code = 429
        response["Retry-After"] = str(ratelimit.retry_after_seconds())
        return response

    def refused(self, *, template: str | None = None, context: dict | None = None):
        """The 400 page for a robot's POST: the form again, saying nothing was kept."""
        response = self.page.render(
            self.request,
            template=template,
            context_overrides=(context or {}) | {"refused": True},
        )
        response.status_code = 400
        return response
