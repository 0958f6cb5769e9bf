"""StreamField blocks for the host site's content pages."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks


class FAQBlock(blocks.StructBlock):
    """One question and its answer, shown as a disclosure that works without JavaScript."""

    question = blocks.CharBlock(max_length=250)
    answer = blocks.RichTextBlock(features=["bold", "italic", "link", "ol", "ul"])

    class Meta:
        icon = "help"
        template = "home/blocks/faq.html"


class FAQListBlock(blocks.StructBlock):
    """A heading with a list of questions and answers."""

    heading = blocks.CharBlock(required=False)
    questions = blocks.ListBlock(FAQBlock())

    class Meta:
        icon = "list-ul"
        template = "home/blocks/faq_list.html"


class CallToActionBlock(blocks.StructBlock):
    """A short message with one prominent link, to a page or an address."""

    heading = blocks.CharBlock(max_length=120)
    text = blocks.TextBlock(required=False)
    link_text = blocks.CharBlock(max_length=80)
    page = blocks.PageChooserBlock(required=False)
    url = blocks.CharBlock(
        required=False,
        help_text=_("Used when no page is chosen, for example /call-for-scrutiny/."),
    )

    class Meta:
        icon = "pick"
        template = "home/blocks/call_to_action.html"


class ContentStreamBlock(blocks.StreamBlock):
    """What editors can put on a standard page."""

    heading = blocks.CharBlock(
        form_classname="title", icon="title", template="home/blocks/heading.html"
    )
    paragraph = blocks.RichTextBlock(
        features=["h2", "h3", "bold", "italic", "link", "ol", "ul", "document-link"]
    )
    faq = FAQListBlock()
    call_to_action = CallToActionBlock()
