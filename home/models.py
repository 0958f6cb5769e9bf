"""The host site's pages: a home page and standard content pages."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from .blocks import ContentStreamBlock


class ContentPage(Page):
    """A page made of an introduction and a stream of blocks."""

    introduction = RichTextField(features=["bold", "italic", "link"], blank=True)
    body = StreamField(ContentStreamBlock(), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("introduction", heading=_("Introduction")),
        FieldPanel("body", heading=_("Body")),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("introduction"),
        index.SearchField("body"),
    ]

    class Meta:
        abstract = True


class HomePage(ContentPage):
    """The site's front page: a welcome and the ways into scrutiny."""

    max_count = 1
    parent_page_types = ["wagtailcore.Page"]


class StandardPage(ContentPage):
    """A content page such as "How scrutiny works", built from text, FAQs and calls to action."""

    parent_page_types = ["home.HomePage", "home.StandardPage"]
