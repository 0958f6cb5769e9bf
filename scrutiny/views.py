"""Views outside Wagtail's page tree: the buttons behind the emailed signature links.

The confirm and withdraw pages are routes of the petitions page (`PetitionIndexPage`). Their
buttons post here, to a plain Django view that does the one thing asked and sends the browser
back to that page (303 See Other), which then shows the signature as it now stands. Taking the
POST without finding and rendering a Wagtail page makes a confirmation a few statements in one
transaction and nothing more (`benchmarks/load.py` measures it).
"""

from contextlib import suppress

from django.http import HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from . import pipeline, selectors


@require_POST
def signature_link(request, token: str, action: str):
    """Confirm or take back the signature with this token, then show its page."""
    if action == "confirm":
        # Refused only when the petition closed first, which the page then explains.
        with suppress(pipeline.SignatureRefused):
            pipeline.signature_confirm(token=token)
    else:
        pipeline.signature_withdraw(token=token)
    back = request.POST.get("next", "")
    if not (
        back.startswith("/")
        and back.isprintable()
        and url_has_allowed_host_and_scheme(
            back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        back = _link_page_url(request, token, action)
    return HttpResponseRedirect(back, status=303)


def _link_page_url(request, token: str, action: str) -> str:
    page = selectors.petition_index_page()
    if page is None:
        return "/"
    return page.subpage_url(request, action, token)
