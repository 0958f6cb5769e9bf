"""The join the panel page: the eligibility check, the application and its confirmation
(`JoinThePanelPage`'s routes)."""

from django.shortcuts import redirect

from scrutiny import pipeline, ratelimit
from scrutiny.membership_forms import ELIGIBILITY_QUESTIONS, EligibilityForm, JoinThePanelForm
from scrutiny.models import PanelApplication
from scrutiny.models.handlers import provides

from .guard import FormGuard

SUBMITTED_SESSION_KEY = "scrutiny_submitted_application"


@provides("JoinThePanelPage.form")
def join_the_panel(page, request):
    """The page and the form; an ineligible answer is told why at once and nothing is kept."""
    if request.method != "POST":
        return page.render(request, context_overrides={"check_form": EligibilityForm()})
    guard = FormGuard(request, page, scope=ratelimit.JOIN_PANEL, form_url=page.get_url(request))
    checking = request.POST.get("step") == "check"
    check_form = EligibilityForm(request.POST) if checking else None
    # An eligible check writes nothing and costs no attempt; any other answer counts.
    eligible_check = checking and check_form.is_valid() and not check_form.ineligibility_reasons()
    if not eligible_check and not guard.count():
        return guard.too_many()
    if checking:
        return _checked(page, request, check_form)
    if guard.robot():
        return guard.refused()
    form = JoinThePanelForm(request.POST)
    reasons = form.ineligibility_reasons()
    if reasons:
        return _ineligible(page, request, reasons)
    if not form.is_valid():
        return page.render(request, context_overrides=_form_context(form))
    application = pipeline.application_submit(
        fields=form.application_fields(), equality=form.equality_answers()
    )
    request.session[SUBMITTED_SESSION_KEY] = application.pk
    return redirect(page.subpage_url(request, "confirmation"))


def _checked(page, request, check_form):
    """The answer to 'Check if you can apply': the questions again with what to put right, why
    not (and nothing kept but a count), or the application with the answers carried."""
    if not check_form.is_valid():
        return page.render(request, context_overrides={"check_form": check_form})
    reasons = check_form.ineligibility_reasons()
    if reasons:
        return _ineligible(page, request, reasons)
    form = JoinThePanelForm(initial=check_form.answers())
    return page.render(request, context_overrides=_form_context(form))


def _ineligible(page, request, reasons):
    """Why the answers rule an application out; nothing is kept but a count."""
    pipeline.application_record_ineligible()
    return page.render(
        request,
        template="scrutiny/join_the_panel_ineligible.html",
        context_overrides={"reasons": reasons},
    )


def _form_context(form) -> dict:
    """The application form; the eligibility answers ride along hidden once they are answered,
    and are asked again only where one is missing or not a real answer."""
    asked_again = not form.is_bound and not form.initial
    if form.is_bound:
        asked_again = any(name in form.errors for name in ELIGIBILITY_QUESTIONS)
    return {"form": form, "eligibility_hidden": not asked_again}


@provides("JoinThePanelPage.confirmation")
def application_confirmation(page, request):
    """Thank the applicant; only the browser that has just applied sees this."""
    pk = request.session.get(SUBMITTED_SESSION_KEY)
    application = PanelApplication.objects.filter(pk=pk).first() if pk else None
    if application is None:
        return redirect(page.get_url(request))
    return page.render(
        request,
        template="scrutiny/join_the_panel_confirmation.html",
        context_overrides={"application": application},
    )
