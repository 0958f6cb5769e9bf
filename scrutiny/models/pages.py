"""Wagtail pages the plugin adds to the public site."""

from contextlib import suppress

from django.conf import settings
from django.core.paginator import Paginator
from django.db import models
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page

TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul", "h2", "h3"]


class QuestionType(models.TextChoices):
    SINGLE_LINE = "single_line", _("A line of text")
    MULTI_LINE = "multi_line", _("A paragraph of text")
    YES_NO = "yes_no", _("Yes or no")
    CHOICE = "choice", _("One choice from a list")
    NUMBER = "number", _("A whole number")


class ExtraQuestion(models.Model):
    """A question editors add to a public form without a developer; answers are kept as text."""

    label = models.CharField(max_length=250)
    help_text = models.CharField(max_length=500, blank=True)
    question_type = models.CharField(
        max_length=20, choices=QuestionType.choices, default=QuestionType.SINGLE_LINE
    )
    choices = models.TextField(blank=True, help_text=_("For a choice from a list: one per line."))
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


class PublicFormPage:
    """What every page with a public form answers alike: the 429 page when an address has sent
    its forms too often this hour, and the 400 page when the field only a robot fills was
    filled (nothing is kept in either case)."""

    def too_many_attempts(self, request, *, form_url: str, looking_up: bool = False):
        from scrutiny import ratelimit

        response = self.render(
            request,
            template="scrutiny/rate_limited.html",
            context_overrides={"looking_up": looking_up, "form_url": form_url},
        )
        response.status_code = 429
        response["Retry-After"] = str(ratelimit.retry_after_seconds())
        return response

    def refused_as_automatic(self, request, *, template: str | None = None, context=None):
        response = self.render(
            request, template=template, context_overrides=(context or {}) | {"refused": True}
        )
        response.status_code = 400
        return response


class CallForScrutinyPage(PublicFormPage, RoutablePageMixin, Page):
    """The public pro-forma for a Community Call for Scrutiny, with track/ and appeal/ routes."""

    introduction = RichTextField(features=TEXT_FEATURES, blank=True)
    guidance = RichTextField(
        features=TEXT_FEATURES,
        blank=True,
        help_text=_("Shown before the questions: what to have ready, and that help is available."),
    )
    privacy_notice = RichTextField(
        features=TEXT_FEATURES, help_text=_("How residents' details are used and kept.")
    )
    confirmation_text = RichTextField(
        features=TEXT_FEATURES,
        blank=True,
        help_text=_("Shown under the reference after a call is sent: what happens next."),
    )
    complaints_advice = RichTextField(
        features=TEXT_FEATURES,
        blank=True,
        help_text=_(
            "Shown on the confirmation page and in the email when the resident's complaint "
            "could still go further."
        ),
    )
    tracking_introduction = RichTextField(features=TEXT_FEATURES, blank=True)

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

    # The signed cookie that lets only the browser that sent a call see its confirmation, for
    # an hour.
    SUBMITTED_CALL_COOKIE = "scrutiny_submitted_call"
    SUBMITTED_CALL_SECONDS = 60 * 60

    class Meta:
        verbose_name = _("call for scrutiny form")

    def subpage_url(self, request, name: str) -> str:
        """The address of one of this page's routes."""
        return self.get_url(request) + self.reverse_subpage(name)

    @path("", name="form")
    def form_view(self, request):
        """Show the pro-forma; on POST check it and send the call, then redirect to confirmation.

        Every POST counts towards the address's hourly limit, whether or not the form is valid,
        so a robot cannot try endlessly by sending broken forms.
        """
        from scrutiny import forms, pipeline, ratelimit

        from .config import ScrutinySettings

        if request.method != "POST":
            return self.render(
                request, context_overrides={"form": forms.CallForScrutinyForm(page=self)}
            )
        limit = ScrutinySettings.load(request_or_site=request).form_submissions_per_hour
        # A call with files is counted first, so that files are never stored for an address
        # over its limit; one without is counted as it commits (see accept_within_limit).
        if request.FILES and not ratelimit.attempt_allowed(
            request, scope=ratelimit.CALL_FORM, limit=limit
        ):
            return self.rate_limited(request, looking_up=False)
        counted = bool(request.FILES)
        form = forms.CallForScrutinyForm(request.POST, request.FILES, page=self)
        if forms.honeypot_filled(request.POST) or not form.is_valid():
            if not counted and not ratelimit.attempt_allowed(
                request, scope=ratelimit.CALL_FORM, limit=limit
            ):
                return self.rate_limited(request, looking_up=False)
            if forms.honeypot_filled(request.POST):
                return self.refused_as_automatic(request)
            return self.render(request, context_overrides={"form": form})

        def submit():
            return pipeline.call_submit(
                fields=form.call_fields(),
                evidence=form.evidence_files(),
                extra_answers=form.extra_answers(),
            )

        if counted:
            call = submit()
        else:
            allowed, call = ratelimit.accept_within_limit(
                request, scope=ratelimit.CALL_FORM, limit=limit, accept=submit
            )
            if not allowed:
                return self.rate_limited(request, looking_up=False)
        response = redirect(self.subpage_url(request, "confirmation"))
        # A signed cookie rather than the session: no session row to write for a visitor who
        # has none, so the call and its emails are the request's only commit.
        response.set_signed_cookie(
            self.SUBMITTED_CALL_COOKIE,
            str(call.pk),
            salt=self.SUBMITTED_CALL_COOKIE,
            max_age=self.SUBMITTED_CALL_SECONDS,
            path=self.get_url(request),
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
        return response

    @path("confirmation/", name="confirmation")
    def confirmation_view(self, request):
        """The reference and what happens next, for the browser that has just sent a call."""
        from .calls import CallForScrutiny

        pk = request.get_signed_cookie(
            self.SUBMITTED_CALL_COOKIE,
            default=None,
            salt=self.SUBMITTED_CALL_COOKIE,
            max_age=self.SUBMITTED_CALL_SECONDS,
        )
        call = None
        if pk is not None and pk.isdigit():
            call = CallForScrutiny.objects.select_related("business_area").filter(pk=pk).first()
        if call is None:
            return redirect(self.get_url(request))
        from scrutiny import selectors
        from scrutiny.access_codes import format_access_code

        token = selectors.call_tracking_token(call)
        response = self.render(
            request,
            template="scrutiny/call_confirmation.html",
            context_overrides={
                "call": call,
                "access_code": format_access_code(call.access_code),
                "tracking_url": self.subpage_url(request, "track"),
                "tracking_link": self.get_url(request)
                + self.reverse_subpage("track_link", args=[token])
                if token
                else "",
            },
        )
        # The page shows the resident's secret: no shared cache may keep it.
        response["Cache-Control"] = "private, no-store"
        return response

    @path("register/", name="register")
    def register_view(self, request):
        """The public register: calls that reached the panel and that their residents said
        may be listed, with the panel's decision and reasons, filtered by year, service and
        decision. Never a resident's name or contact details."""
        from scrutiny import forms, selectors

        form = forms.RegisterFilterForm(
            request.GET or None,
            years=selectors.register_years(),
            outcomes=selectors.OUTCOME_WORDS,
        )
        filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
        rows = selectors.register_calls(
            year=filters.get("year"),
            area=filters.get("service"),
            outcome=filters.get("outcome") or "",
        )
        paginator = Paginator(rows, 25)
        page = paginator.get_page(request.GET.get("page"))
        page.object_list = [selectors.register_entry(row) for row in page.object_list]
        query = request.GET.copy()
        query.pop("page", None)
        return self.render(
            request,
            template="scrutiny/call_register.html",
            context_overrides={
                "form": form,
                "entries": page,
                "total": paginator.count,
                "filtered": bool(filters and any(filters.values())),
                "query": query.urlencode(),
            },
        )

    @path("track/", name="track")
    def tracking_view(self, request):
        """Look a call up and show its progress: everything with the reference and the access
        code, only the bare stage with the reference and the email address or postcode.

        Each look-up (a POST) counts towards the address's hourly limit. An unknown reference, a
        wrong code and a wrong email address or postcode get the same answer, so none can be
        told from another.
        """
        from scrutiny import forms, ratelimit, selectors

        from .config import ScrutinySettings

        context = {"form": forms.CallTrackingForm()}
        if request.method == "POST":
            limit = ScrutinySettings.load(request_or_site=request).tracking_attempts_per_hour
            if not ratelimit.attempt_allowed(request, scope=ratelimit.CALL_TRACKING, limit=limit):
                return self.rate_limited(request, looking_up=True)
            form = forms.CallTrackingForm(request.POST)
            if not form.is_valid():
                context["form"] = form
            elif form.cleaned_data["access_code"].strip():
                call = selectors.call_find_for_resident(
                    reference=form.cleaned_data["reference"],
                    access_code=form.cleaned_data["access_code"],
                )
                if call is not None:
                    return self.render_tracking(request, call)
                context["not_found"] = True
            else:
                call = selectors.call_find_by_contact(
                    reference=form.cleaned_data["reference"],
                    email_or_postcode=form.cleaned_data["email_or_postcode"],
                )
                if call is not None:
                    context |= {"bare_call": call, "bare_stage": selectors.call_bare_stage(call)}
                else:
                    context["not_found"] = True
        return self.render(
            request, template="scrutiny/call_tracking.html", context_overrides=context
        )

    # The emailed link: an opaque token signed with the site's key, which no one can guess, so
    # opening it is not counted against the address's limit.
    @path("track/<str:token>/", name="track_link")
    def tracking_link_view(self, request, token):
        """Open a call's full tracking page from the link in the resident's email."""
        from scrutiny import forms, selectors

        call = selectors.call_from_tracking_token(token)
        if call is not None:
            return self.render_tracking(request, call)
        response = self.render(
            request,
            template="scrutiny/call_tracking.html",
            context_overrides={"form": forms.CallTrackingForm(), "link_expired": True},
        )
        response.status_code = 404
        return response

    def render_tracking(self, request, call):
        """The full tracking page, for the resident who gave the access code or its link."""
        from scrutiny import selectors

        token = selectors.call_tracking_token(call)
        response = self.render(
            request,
            template="scrutiny/call_tracking.html",
            context_overrides={
                "call": call,
                "stage": selectors.call_stage_for_resident(call),
                "timeline": selectors.call_timeline(call),
                "decision": selectors.call_latest_decision(call),
                "appeal": selectors.call_latest_appeal(call),
                "appeal_url": (
                    self.get_url(request) + self.reverse_subpage("appeal_link", args=[token])
                    if token
                    else self.subpage_url(request, "appeal")
                ),
            },
        )
        response["Cache-Control"] = "private, no-store"
        return response

    # The session key that lets only the browser that sent an appeal see its confirmation.
    SUBMITTED_APPEAL_SESSION_KEY = "scrutiny_submitted_appeal"

    @path("appeal/", name="appeal")
    def appeal_view(self, request):
        """A resident's written appeal against the panel's decision on their call.

        Every POST counts towards the address's hourly limit. Only the reference with the
        call's access code will do; an unknown reference and a wrong code get the same answer.
        """
        from scrutiny import forms, pipeline, ratelimit

        from .config import ScrutinySettings

        template = "scrutiny/appeal_form.html"
        if request.method != "POST":
            return self.render(
                request, template=template, context_overrides={"form": forms.AppealForm()}
            )
        limit = ScrutinySettings.load(request_or_site=request).form_submissions_per_hour
        if not ratelimit.attempt_allowed(request, scope=ratelimit.APPEAL_FORM, limit=limit):
            return self.rate_limited(request, looking_up=False, route="appeal")
        if forms.honeypot_filled(request.POST):
            return self.refused_as_automatic(request, template=template)
        form = forms.AppealForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                appeal = pipeline.appeal_submit(
                    reference=form.cleaned_data["reference"],
                    access_code=form.cleaned_data["access_code"],
                    grounds=form.cleaned_data["grounds"],
                    evidence=form.cleaned_data["evidence"],
                )
            except pipeline.AppealRefused as error:
                form.add_error(None, str(error))
            else:
                request.session[self.SUBMITTED_APPEAL_SESSION_KEY] = appeal.pk
                return redirect(self.subpage_url(request, "appeal_confirmation"))
        response = self.render(request, template=template, context_overrides={"form": form})
        response["Cache-Control"] = "private, no-store"
        return response

    @path("appeal/sent/", name="appeal_confirmation")
    def appeal_confirmation_view(self, request):
        """The appeal's reference and what happens next, for the browser that sent it."""
        from .appeals import Appeal

        pk = request.session.get(self.SUBMITTED_APPEAL_SESSION_KEY)
        appeal = None
        if pk is not None:
            appeal = Appeal.objects.select_related("call__business_area").filter(pk=pk).first()
        if appeal is None:
            return redirect(self.subpage_url(request, "appeal"))
        return self.render(
            request,
            template="scrutiny/appeal_confirmation.html",
            context_overrides={
                "appeal": appeal,
                "tracking_url": self.subpage_url(request, "track"),
            },
        )

    # After appeal/sent/, which would otherwise be read as a token.
    @path("appeal/<str:token>/", name="appeal_link")
    def appeal_link_view(self, request, token):
        """The appeal form with the reference and access code filled in, from a call's link."""
        from scrutiny import forms, selectors
        from scrutiny.access_codes import format_access_code

        call = selectors.call_from_tracking_token(token)
        if call is None:
            return redirect(self.subpage_url(request, "appeal"))
        form = forms.AppealForm(
            initial={
                "reference": call.reference,
                "access_code": format_access_code(call.access_code),
            }
        )
        response = self.render(
            request, template="scrutiny/appeal_form.html", context_overrides={"form": form}
        )
        response["Cache-Control"] = "private, no-store"
        return response

    def rate_limited(self, request, *, looking_up: bool, route: str = ""):
        """The 429 page, leading back to the form or the look-up that was used too often."""
        form_url = self.subpage_url(request, route or ("track" if looking_up else "form"))
        return self.too_many_attempts(request, form_url=form_url, looking_up=looking_up)


class CallFormQuestion(Orderable, ExtraQuestion):
    """An extra question on the call for scrutiny form."""

    page = ParentalKey(
        CallForScrutinyPage, on_delete=models.CASCADE, related_name="extra_questions"
    )


def signature_link_outcome(signature, action: str) -> tuple[bool, str]:
    """What an emailed link's page says: (done, problem); neither means "press the button"."""
    if signature is None:
        return False, ""
    if action == "withdraw":
        return signature.withdrawn_at is not None, ""
    if signature.withdrawn_at or signature.invalidated_at:
        return False, "This signature can no longer be confirmed."
    if signature.confirmed_at:
        return True, ""
    if not signature.petition.is_open:
        return False, "This petition closed before the signature was confirmed."
    return False, ""


class PetitionIndexPage(PublicFormPage, RoutablePageMixin, Page):
    """The public petitions: a list of published ones, each with its page and signing form."""

    introduction = RichTextField(features=TEXT_FEATURES, blank=True)
    privacy_notice = RichTextField(
        features=TEXT_FEATURES, help_text=_("How signers' details are used and kept.")
    )
    signed_text = RichTextField(
        features=TEXT_FEATURES,
        blank=True,
        help_text=_("Shown after signing, while the signer checks their email."),
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
        verbose_name = _("petitions page")

    def subpage_url(self, request, name: str, *args) -> str:
        """The address of one of this page's routes."""
        return self.get_url(request) + self.reverse_subpage(name, args=args)

    def published_petition(self, slug: str):
        from scrutiny import selectors

        return selectors.public_petition(slug)

    @path("", name="index")
    def index_view(self, request):
        """Published petitions, open ones first, each with its progress."""
        from scrutiny import selectors

        return self.render(
            request, context_overrides={"petitions": selectors.petitions_for_public_list()}
        )

    @path("<slug:slug>/", name="petition")
    def petition_view(self, request, slug):
        """One petition with its progress; signing on POST, then the signer checks their email."""
        from django.http import Http404

        from scrutiny import forms, pipeline, ratelimit, selectors

        from .config import ScrutinySettings

        petition = self.published_petition(slug)
        if petition is None:
            raise Http404
        context = {
            "petition": petition,
            "progress": selectors.progress_of(petition.people_counted, petition.target),
            "form": forms.PetitionSignatureForm(),
        }
        if request.method == "POST" and petition.is_open:
            limit = ScrutinySettings.load(request_or_site=request).form_submissions_per_hour
            form = forms.PetitionSignatureForm(request.POST)
            if forms.honeypot_filled(request.POST) or not form.is_valid():
                if not ratelimit.attempt_allowed(request, scope=ratelimit.PETITION, limit=limit):
                    return self.rate_limited(request, petition)
                if forms.honeypot_filled(request.POST):
                    return self.refused_as_automatic(
                        request, template="scrutiny/petition_page.html", context=context
                    )
            else:

                def sign():
                    try:
                        pipeline.petition_sign(
                            petition=petition,
                            ip_address=ratelimit.client_address(request),
                            **form.signature_fields(),
                        )
                    except pipeline.SignatureRefused as error:
                        return error
                    return None

                # The signature, its email and the attempt's count commit together, once.
                allowed, refused = ratelimit.accept_within_limit(
                    request, scope=ratelimit.PETITION, limit=limit, accept=sign
                )
                if not allowed:
                    return self.rate_limited(request, petition)
                if refused is None:
                    return redirect(self.subpage_url(request, "signed", petition.slug))
                form.add_error(None, str(refused))
            context["form"] = form
        return self.render(
            request, template="scrutiny/petition_page.html", context_overrides=context
        )

    @path("<slug:slug>/signed/", name="signed")
    def signed_view(self, request, slug):
        """Check your email: the signature counts once confirmed."""
        from django.http import Http404

        petition = self.published_petition(slug)
        if petition is None:
            raise Http404
        return self.render(
            request,
            template="scrutiny/petition_signed.html",
            context_overrides={"petition": petition},
        )

    # Tokens are URL-safe base64 (secrets.token_urlsafe), the slug converter's alphabet; anything
    # else is a 404 before the database is asked (PostgreSQL refuses text with a NUL in it).
    @path("confirm/<slug:token>/", name="confirm")
    def confirm_view(self, request, token):
        """Confirm a signature from the emailed link: a page with one button, then counted."""
        return self._token_view(request, token, action="confirm")

    @path("withdraw/<slug:token>/", name="withdraw")
    def withdraw_view(self, request, token):
        """Take a signature back from the emailed link."""
        return self._token_view(request, token, action="withdraw")

    def _token_view(self, request, token: str, *, action: str):
        """The signature as it stands, with a button while there is something to do.

        The button posts to `scrutiny.views.signature_link`, which sends the browser back here;
        a POST made here (from a page saved before the button moved) does the same work.
        """
        from scrutiny import pipeline

        from .petitions import PetitionSignature

        if request.method == "POST":
            # Refused only when the petition closed first, which the page shows from the state.
            with suppress(pipeline.SignatureRefused):
                if action == "confirm":
                    pipeline.signature_confirm(token=token)
                else:
                    pipeline.signature_withdraw(token=token)
        signature = PetitionSignature.objects.select_related("petition").filter(token=token).first()
        done, problem = signature_link_outcome(signature, action)
        response = self.render(
            request,
            template="scrutiny/petition_signature.html",
            context_overrides={
                "signature": signature,
                "action": action,
                "done": done,
                "problem": problem,
            },
        )
        if signature is None:
            response.status_code = 404
        return response

    def rate_limited(self, request, petition):
        form_url = self.subpage_url(request, "petition", petition.slug)
        return self.too_many_attempts(request, form_url=form_url)


class JoinThePanelPage(PublicFormPage, RoutablePageMixin, Page):
    """The public page about joining the panel, with the application form and its answers.

    Editors write the words; the commitments and the payment are shown from ScrutinySettings.
    """

    introduction = RichTextField(
        features=TEXT_FEATURES, blank=True, help_text=_("What the role involves.")
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
        features=TEXT_FEATURES, help_text=_("How applicants' details are used and kept.")
    )
    confirmation_text = RichTextField(
        features=TEXT_FEATURES, blank=True, help_text=_("Shown after an application is sent.")
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

    SUBMITTED_SESSION_KEY = "scrutiny_submitted_application"

    class Meta:
        verbose_name = _("join the panel page")

    def subpage_url(self, request, name: str) -> str:
        """The address of one of this page's routes."""
        return self.get_url(request) + self.reverse_subpage(name)

    @path("", name="form")
    def form_view(self, request):
        """The page and the form; an ineligible answer is told why at once and nothing is kept."""
        from scrutiny import forms, pipeline, ratelimit
        from scrutiny.membership_forms import EligibilityForm, JoinThePanelForm

        from .config import ScrutinySettings

        if request.method != "POST":
            return self.render(request, context_overrides={"check_form": EligibilityForm()})
        checking = request.POST.get("step") == "check"
        check_form = EligibilityForm(request.POST) if checking else None
        # An eligible check writes nothing and costs no attempt; any other answer counts.
        eligible_check = (
            checking and check_form.is_valid() and not check_form.ineligibility_reasons()
        )
        limit = ScrutinySettings.load(request_or_site=request).form_submissions_per_hour
        if not eligible_check and not ratelimit.attempt_allowed(
            request, scope=ratelimit.JOIN_PANEL, limit=limit
        ):
            return self.too_many_attempts(request, form_url=self.get_url(request))
        if checking:
            return self._checked(request, check_form)
        if forms.honeypot_filled(request.POST):
            return self.refused_as_automatic(request)
        form = JoinThePanelForm(request.POST)
        reasons = form.ineligibility_reasons()
        if reasons:
            pipeline.application_record_ineligible()
            return self.render(
                request,
                template="scrutiny/join_the_panel_ineligible.html",
                context_overrides={"reasons": reasons},
            )
        if not form.is_valid():
            return self.render(request, context_overrides=self._form_context(form))
        application = pipeline.application_submit(
            fields=form.application_fields(), equality=form.equality_answers()
        )
        request.session[self.SUBMITTED_SESSION_KEY] = application.pk
        return redirect(self.subpage_url(request, "confirmation"))

    def _checked(self, request, check_form):
        """The answer to 'Check if you can apply': the questions again with what to put right,
        why not (and nothing kept but a count), or the application with the answers carried."""
        from scrutiny import pipeline
        from scrutiny.membership_forms import JoinThePanelForm

        if not check_form.is_valid():
            return self.render(request, context_overrides={"check_form": check_form})
        reasons = check_form.ineligibility_reasons()
        if reasons:
            pipeline.application_record_ineligible()
            return self.render(
                request,
                template="scrutiny/join_the_panel_ineligible.html",
                context_overrides={"reasons": reasons},
            )
        return self.render(
            request,
            context_overrides=self._form_context(JoinThePanelForm(initial=check_form.answers())),
        )

    @staticmethod
    def _form_context(form) -> dict:
        """The application form; the eligibility answers ride along hidden once they are
        answered, and are asked again only where one is missing or not a real answer."""
        from scrutiny.membership_forms import ELIGIBILITY_QUESTIONS

        asked_again = not form.is_bound and not form.initial
        if form.is_bound:
            asked_again = any(name in form.errors for name in ELIGIBILITY_QUESTIONS)
        return {"form": form, "eligibility_hidden": not asked_again}

    @path("confirmation/", name="confirmation")
    def confirmation_view(self, request):
        """Thank the applicant; only the browser that has just applied sees this."""
        from .membership import PanelApplication

        pk = request.session.get(self.SUBMITTED_SESSION_KEY)
        application = PanelApplication.objects.filter(pk=pk).first() if pk else None
        if application is None:
            return redirect(self.get_url(request))
        return self.render(
            request,
            template="scrutiny/join_the_panel_confirmation.html",
            context_overrides={"application": application},
        )
