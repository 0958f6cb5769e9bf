"""Template tags for the host site's layout."""

from django import template
from django.conf import settings
from django.utils.translation import get_language, to_locale
from wagtail.models import Page, Site

register = template.Library()


@register.simple_tag(takes_context=True)
def main_menu(context) -> list[Page]:
    """The live pages under the site's root that editors marked "show in menus"."""
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    if site is None:
        return []
    return list(site.root_page.get_children().live().in_menu())


@register.simple_tag
def html_lang() -> str:
    """The active language as HTML's lang attribute writes it: "en-gb" -> "en-GB"."""
    return to_locale(get_language() or settings.LANGUAGE_CODE).replace("_", "-")
