"""Wagtail pages the plugin adds to the public site."""

from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page

TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul", "h2", "h3"]


class QuestionType(models.TextChoices):
    SINGLE_LINE = "single_line", "A line of text"
    MULTI_LINE = "multi_line", "A paragraph of text"
    YES_NO = "yes_no", "Yes or no"
    CHOICE = "choice", "One choice from a list"
    NUMBER = "number", "A whole number"


class ExtraQuestion(models.Model):
    """A question editors add to a public form without a developer; answers are kept as text."""

    label = models.CharField(max_length=250)
    help_text = models.CharField(max_length=500, blank=True)
    question_type = models.CharField(
        max_length=20, choices=QuestionType.choices, default=QuestionType.SINGLE_LINE
    )
    choices = models.TextField(blank=True, help_text="For a choice from a list: one per line.")
    required = models.BooleanField(default=False)

    panels = [
        FieldPanel("label"),
        FieldPanel("help_text"),
        FieldPanel("question_type"),
        FieldPanel("choices"),
        FieldPanel("required"),
    ]

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.label

    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]


class CallForScrutinyPage(RoutablePageMixin, Page):
    """The public pro-forma for a Community Call for Scrutiny, with tracking under track/."""

    introduction = RichTextField(features=TEXT_FEATURES, blank=True)
    guidance = RichTextField(
        features=TEXT_FEATURES,
        blank=True,
        help_text="Shown before the questions: what to have ready, and that help is available.",
    )
    privacy_notice = RichTextField(
        features=TEXT_FEATURES, help_text="How residents' details are used and kept."
    )
    confirmation_text = RichTextField(
        features=TEXT_FEATURES,
        blank=True,
        help_text="Shown under the reference after a call is sent: what happens next.",
    )
    complaints_advice = RichTextField(
        features=TEXT_FEATURES,
        blank=True,
        help_text=(
            "Shown on the confirmation page and in the email when the resident's complaint "
            "could still go further."
        ),
    )
    tracking_introduction = RichTextField(features=TEXT_FEATURES, blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("introduction"),
        FieldPanel("guidance"),
        InlinePanel("extra_questions", heading="Extra questions", label="Question"),
        FieldPanel("privacy_notice"),
        MultiFieldPanel(
            [FieldPanel("confirmation_text"), FieldPanel("complaints_advice")],
            heading="After sending",
        ),
        FieldPanel("tracking_introduction"),
    ]

    max_count = 1
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "call for scrutiny form"


class CallFormQuestion(Orderable, ExtraQuestion):
    """An extra question on the call for scrutiny form."""

    page = ParentalKey(
        CallForScrutinyPage, on_delete=models.CASCADE, related_name="extra_questions"
    )
