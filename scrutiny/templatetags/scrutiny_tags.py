"""Template helpers for the scrutiny plugin's pages and emails."""

from django import template
from django.conf import settings
from django.utils.translation import get_language, to_locale
from django.utils.translation import gettext_lazy as _

from ..selectors import decision_in_plain_english

register = template.Library()


@register.simple_tag
def html_lang() -> str:
    """The active language as HTML's lang attribute writes it: "en-gb" is "en-GB"."""
    return to_locale(get_language() or settings.LANGUAGE_CODE).replace("_", "-")


@register.simple_tag
def decision_sentence(decision) -> str:
    """The panel's decision told to the resident in one plain sentence."""
    return decision_in_plain_english(decision)


def _live_page(model, request):
    """The first live page of a kind on the request's site, or None."""
    from wagtail.models import Site

    site = Site.find_for_request(request) if request else None
    pages = model.objects.live().order_by("path")
    if site is not None:
        pages = pages.descendant_of(site.root_page, inclusive=True)
    return pages.first()


def resident_links(request) -> dict:
    """The addresses of what a resident can do, from the live pages that offer it: the call
    form (and its tracking and appeal routes), the petitions and the application to join.

    Every public page's navigation asks, and the home page asks again: found once a request."""
    cached = getattr(request, "_scrutiny_resident_links", None)
    if cached is None:
        cached = _resident_links(request)
        if request is not None:
            request._scrutiny_resident_links = cached
    return cached


def _resident_links(request) -> dict:
    from ..models import CallForScrutinyPage, JoinThePanelPage, PetitionIndexPage

    links = {}
    call_page = _live_page(CallForScrutinyPage, request)
    if call_page is not None:
        base = call_page.get_url(request)
        links |= {
            "call": base,
            "track": base + "track/",
            "appeal": base + "appeal/",
            "register": base + "register/",
        }
    petitions = _live_page(PetitionIndexPage, request)
    if petitions is not None:
        links["petitions"] = petitions.get_url(request)
    join = _live_page(JoinThePanelPage, request)
    if join is not None:
        links["join"] = join.get_url(request)
    return links


RESIDENT_TASKS = [
    (
        "call",
        _("Raise a Community Call for Scrutiny"),
        _(
            "Ask the resident panel to look into a service that keeps letting you and your "
            "neighbours down."
        ),
        _("Start your call"),
    ),
    (
        "petitions",
        _("Sign a petition"),
        _("Show the panel that a problem raised by a neighbour affects you too."),
        _("See the petitions"),
    ),
    (
        "track",
        _("Track your call"),
        _("See what is happening to a call you raised, with your reference and access code."),
        _("Track your call"),
    ),
    (
        "appeal",
        _("Appeal against the panel's decision"),
        _("Ask an independent panel to look again if you think the panel got it wrong."),
        _("Start your appeal"),
    ),
    (
        "join",
        _("Join the panel"),
        _("Check whether you can apply, and tell us what you would bring."),
        _("Check if you can apply"),
    ),
]


@register.inclusion_tag("scrutiny/includes/resident_tasks.html", takes_context=True)
def resident_tasks(context):
    """The start of a resident's tasks, each with its button; a task whose page is not
    published is left out."""
    links = resident_links(context.get("request"))
    return {
        "tasks": [
            {"title": title, "text": text, "button": button, "url": links[key]}
            for key, title, text, button in RESIDENT_TASKS
            if key in links
        ]
    }


@register.simple_tag(takes_context=True)
def resident_shortcuts(context) -> list[tuple[str, str]]:
    """(label, address) for the navigation: tracking a call, appealing and the register of
    calls, which are routes of the call form rather than pages of their own."""
    links = resident_links(context.get("request"))
    return [
        (label, links[key])
        for key, label in (
            ("track", _("Track your call")),
            ("appeal", _("Appeal a decision")),
            ("register", _("Register of calls")),
        )
        if key in links
    ]
