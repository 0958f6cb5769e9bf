"""Wagtail pages the plugin adds to the public site."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page

from .handlers import ask

TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul", "h2", "h3"]


class QuestionType(models.TextChoices):
    SINGLE_LINE = "single_line", _("A line of text")
    MULTI_LINE = "multi_line", _("A paragraph of text")
    YES_NO = "yes_no", _("Yes or no")
    CHOICE = "choice", _("One choice from a list")
    NUMBER = "number", _("A whole number")


class ExtraQuestion(models.Model):
    """A question editors add to a public form without a developer; answers are kept as text."""

    label = models.CharField(max_length=250, verbose_name=_("label"))
    help_text = models.CharField(max_length=500, blank=True, verbose_name=_("help text"))
    question_type = models.CharField(
        max_length=20,
        choices=QuestionType.choices,
        default=QuestionType.SINGLE_LINE,
        verbose_name=_("question type"),
    )
    choices = models.TextField(
        blank=True,
        help_text=_("For a choice from a list: one per line."),
        verbose_name=_("choices"),
    )
    required = models.BooleanField(default=False, verbose_name=_("required"))

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
    """The public pro-forma for a Community Call for Scrutiny, with track/ and appeal/ routes."""

    introduction = RichTextField(features=TEXT_FEATURES, blank=True, verbose_name=_("introduction"))
    guidance = RichTextField(
        features=TEXT_FEATURES,
        blank=True,
        help_text=_("Shown before the questions: what to have ready, and that help is available."),
        verbose_name=_("guidance"),
    )
    privacy_notice = RichTextField(
        features=TEXT_FEATURES,
        help_text=_("How residents' details are used and kept."),
        verbose_name=_("privacy notice"),
    )
    confirmation_text = RichTextField(
        features=TEXT_FEATURES,
        blank=True,
        help_text=_("Shown under the reference after a call is sent: what happens next."),
        verbose_name=_("confirmation text"),
    )
    complaints_advice = RichTextField(
        features=TEXT_FEATURES,
        blank=True,
        help_text=_(
            "Shown on the confirmation page and in the email when the resident's complaint "
            "could still go further."
        ),
        verbose_name=_("complaints advice"),
    )
    tracking_introduction = RichTextField(
        features=TEXT_FEATURES, blank=True, verbose_name=_("tracking introduction")
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("introduction"),
        FieldPanel("guidance"),
        InlinePanel("extra_questions", heading=_("Extra questions"), label=_("Question")),
        FieldPanel("privacy_notice"),
        MultiFieldPanel(
            [FieldPanel("confirmation_text"), FieldPanel("complaints_advice")],
            heading=_("After sending"),
        ),
        FieldPanel("tracking_introduction"),
    ]

    max_count = 1
    subpage_types: list[str] = []

    class Meta:
        verbose_name_plural = _("call for scrutiny forms")
        verbose_name = _("call for scrutiny form")

    def subpage_url(self, request, name: str) -> str:
        """The address of one of this page's routes."""
        return self.get_url(request) + self.reverse_subpage(name)

    # Each route is answered by scrutiny.page_views.calls.

    @path("", name="form")
    def form_view(self, request):
        return ask("CallForScrutinyPage.form", self, request)

    @path("confirmation/", name="confirmation")
    def confirmation_view(self, request):
        return ask("CallForScrutinyPage.confirmation", self, request)

    @path("register/", name="register")
    def register_view(self, request):
        return ask("CallForScrutinyPage.register", self, request)

    @path("track/", name="track")
    def tracking_view(self, request):
        return ask("CallForScrutinyPage.track", self, request)

    @path("track/<str:token>/", name="track_link")
    def tracking_link_view(self, request, token):
        return ask("CallForScrutinyPage.track_link", self, request, token)

    @path("appeal/", name="appeal")
    def appeal_view(self, request):
        return ask("CallForScrutinyPage.appeal", self, request)

    @path("appeal/sent/", name="appeal_confirmation")
    def appeal_confirmation_view(self, request):
        return ask("CallForScrutinyPage.appeal_confirmation", self, request)

    # After appeal/sent/, which would otherwise be read as a token.
    @path("appeal/<str:token>/", name="appeal_link")
    def appeal_link_view(self, request, token):
        return ask("CallForScrutinyPage.appeal_link", self, request, token)


class CallFormQuestion(Orderable, ExtraQuestion):
    """An extra question on the call for scrutiny form."""

    page = ParentalKey(
        CallForScrutinyPage,
        on_delete=models.CASCADE,
        related_name="extra_questions",
        verbose_name=_("page"),
    )

    class Meta(Orderable.Meta):
        verbose_name = _("call form question")
        verbose_name_plural = _("call form questions")


class PetitionIndexPage(RoutablePageMixin, Page):
    """The public petitions: a list of published ones, each with its page and signing form."""

    introduction = RichTextField(features=TEXT_FEATURES, blank=True, verbose_name=_("introduction"))
    privacy_notice = RichTextField(
        features=TEXT_FEATURES,
        help_text=_("How signers' details are used and kept."),
        verbose_name=_("privacy notice"),
    )
    signed_text = RichTextField(
        features=TEXT_FEATURES,
        blank=True,
        help_text=_("Shown after signing, while the signer checks their email."),
        verbose_name=_("signed text"),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("introduction"),
        FieldPanel("privacy_notice"),
        FieldPanel("signed_text"),
    ]

    max_count = 1
    subpage_types: list[str] = []

    class Meta:
        verbose_name_plural = _("petitions pages")
        verbose_name = _("petitions page")

    def subpage_url(self, request, name: str, *args) -> str:
        """The address of one of this page's routes."""
        return self.get_url(request) + self.reverse_subpage(name, args=args)

    # Each route is answered by scrutiny.page_views.petitions.

    @path("", name="index")
    def index_view(self, request):
        return ask("PetitionIndexPage.index", self, request)

    @path("<slug:slug>/", name="petition")
    def petition_view(self, request, slug):
        return ask("PetitionIndexPage.petition", self, request, slug)

    @path("<slug:slug>/signed/", name="signed")
    def signed_view(self, request, slug):
        return ask("PetitionIndexPage.signed", self, request, slug)

    # Tokens are URL-safe base64 (secrets.token_urlsafe), the slug converter's alphabet; anything
    # else is a 404 before the database is asked (PostgreSQL refuses text with a NUL in it).
    @path("confirm/<slug:token>/", name="confirm")
    def confirm_view(self, request, token):
        return ask("PetitionIndexPage.confirm", self, request, token)

    @path("withdraw/<slug:token>/", name="withdraw")
    def withdraw_view(self, request, token):
        return ask("PetitionIndexPage.withdraw", self, request, token)


class JoinThePanelPage(RoutablePageMixin, Page):
    """The public page about joining the panel, with the application form and its answers.

    Editors write the words; the commitments and the payment are shown from ScrutinySettings.
    """

    introduction = RichTextField(
        features=TEXT_FEATURES,
        blank=True,
        help_text=_("What the role involves."),
        verbose_name=_("introduction"),
    )
    skills_text = RichTextField(
        _("skills"),
        features=TEXT_FEATURES,
        blank=True,
        help_text=_("The skills the panel looks for."),
    )
    commitment_text = RichTextField(
        _("commitment and payment"),
        features=TEXT_FEATURES,
        blank=True,
        help_text=_(
            "Shown under the list of commitments and the payment, which come from the "
            "Scrutiny settings: do not type the numbers here."
        ),
    )
    privacy_notice = RichTextField(
        features=TEXT_FEATURES,
        help_text=_("How applicants' details are used and kept."),
        verbose_name=_("privacy notice"),
    )
    confirmation_text = RichTextField(
        features=TEXT_FEATURES,
        blank=True,
        help_text=_("Shown after an application is sent."),
        verbose_name=_("confirmation text"),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("introduction"),
        FieldPanel("skills_text"),
        FieldPanel("commitment_text"),
        FieldPanel("privacy_notice"),
        FieldPanel("confirmation_text"),
    ]

    max_count = 1
    subpage_types: list[str] = []

    class Meta:
        verbose_name_plural = _("join the panel pages")
        verbose_name = _("join the panel page")

    def subpage_url(self, request, name: str) -> str:
        """The address of one of this page's routes."""
        return self.get_url(request) + self.reverse_subpage(name)

    # Each route is answered by scrutiny.page_views.membership.

    @path("", name="form")
    def form_view(self, request):
        return ask("JoinThePanelPage.form", self, request)

    @path("confirmation/", name="confirmation")
    def confirmation_view(self, request):
        return ask("JoinThePanelPage.confirmation", self, request)
