"""The methods a review uses, as StreamField blocks: who, when, what was found, and the evidence."""

from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock

FINDING_FEATURES = ["bold", "italic", "link", "ol", "ul"]


class MethodBlock(blocks.StructBlock):
    """What every method records; each kind below adds what is particular to it."""

    who = blocks.CharBlock(
        label="Who took part",
        help_text="Panel members, staff and residents involved, by role rather than by name.",
    )
    when = blocks.DateBlock(label="When", required=False)
    what = blocks.TextBlock(label="What was done", required=False)
    findings = blocks.RichTextBlock(
        label="What was found", features=FINDING_FEATURES, required=False
    )
    evidence = blocks.ListBlock(
        DocumentChooserBlock(label="Document"),
        label="Evidence attached",
        default=[],
        required=False,
    )

    class Meta:
        icon = "doc-full"
        template = "scrutiny/blocks/method.html"


class InterviewBlock(MethodBlock):
    class Meta:
        label = "Interviews"
        icon = "user"


class SurveyBlock(MethodBlock):
    responses = blocks.IntegerBlock(label="Responses received", required=False, min_value=0)

    class Meta:
        label = "Survey"
        icon = "list-ul"


class ShadowingBlock(MethodBlock):
    class Meta:
        label = "Shadowing"
        icon = "view"


class MysteryShoppingBlock(MethodBlock):
    contacts = blocks.IntegerBlock(label="Contacts made", required=False, min_value=0)

    class Meta:
        label = "Mystery shopping"
        icon = "search"


class PolicyReviewBlock(MethodBlock):
    class Meta:
        label = "Policy and performance review"
        icon = "doc-full-inverse"


class BenchmarkingBlock(MethodBlock):
    compared_with = blocks.TextBlock(
        label="Compared with", required=False, help_text="The other landlords or standards."
    )

    class Meta:
        label = "Benchmarking"
        icon = "table"


class MethodsBlock(blocks.StreamBlock):
    interview = InterviewBlock()
    survey = SurveyBlock()
    shadowing = ShadowingBlock()
    mystery_shopping = MysteryShoppingBlock()
    policy_review = PolicyReviewBlock()
    benchmarking = BenchmarkingBlock()
