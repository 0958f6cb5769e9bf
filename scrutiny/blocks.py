"""The methods a review uses, as StreamField blocks: who, when, what was found, and the evidence."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock

FINDING_FEATURES = ["bold", "italic", "link", "ol", "ul"]


class MethodBlock(blocks.StructBlock):
    """What every method records; each kind below adds what is particular to it."""

    who = blocks.CharBlock(
        label=_("Who took part"),
        help_text=_("Panel members, staff and residents involved, by role rather than by name."),
    )
    when = blocks.DateBlock(label=_("When"), required=False)
    what = blocks.TextBlock(label=_("What was done"), required=False)
    findings = blocks.RichTextBlock(
        label=_("What was found"), features=FINDING_FEATURES, required=False
    )
    evidence = blocks.ListBlock(
        DocumentChooserBlock(label=_("Document")),
        label=_("Evidence attached"),
        default=[],
        required=False,
    )

    class Meta:
        icon = "doc-full"
        template = "scrutiny/blocks/method.html"


class InterviewBlock(MethodBlock):
    class Meta:
        label = _("Interviews")
        icon = "user"


class SurveyBlock(MethodBlock):
    responses = blocks.IntegerBlock(label=_("Responses received"), required=False, min_value=0)

    class Meta:
        label = _("Survey")
        icon = "list-ul"


class ShadowingBlock(MethodBlock):
    class Meta:
        label = _("Shadowing")
        icon = "view"


class MysteryShoppingBlock(MethodBlock):
    contacts = blocks.IntegerBlock(label=_("Contacts made"), required=False, min_value=0)

    class Meta:
        label = _("Mystery shopping")
        icon = "search"


class PolicyReviewBlock(MethodBlock):
    class Meta:
        label = _("Policy and performance review")
        icon = "doc-full-inverse"


class BenchmarkingBlock(MethodBlock):
    compared_with = blocks.TextBlock(
        label=_("Compared with"), required=False, help_text=_("The other landlords or standards.")
    )

    class Meta:
        label = _("Benchmarking")
        icon = "table"


class MethodsBlock(blocks.StreamBlock):
    interview = InterviewBlock()
    survey = SurveyBlock()
    shadowing = ShadowingBlock()
    mystery_shopping = MysteryShoppingBlock()
    policy_review = PolicyReviewBlock()
    benchmarking = BenchmarkingBlock()
