"""The call for scrutiny page: the pro-forma, its confirmation, tracking, the register and
appeals (`CallForScrutinyPage`'s routes)."""

from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import redirect

from scrutiny import forms, pipeline, ratelimit, selectors
from scrutiny.access_codes import format_access_code
from scrutiny.models import Appeal, CallForScrutiny
from scrutiny.models.handlers import provides

from .guard import FormGuard

# The signed cookie that lets only the browser that sent a call see its confirmation, for an
# hour.
SUBMITTED_CALL_COOKIE = "scrutiny_submitted_call"
SUBMITTED_CALL_SECONDS = 60 * 60
# The session key that lets only the browser that sent an appeal see its confirmation.
SUBMITTED_APPEAL_SESSION_KEY = "scrutiny_submitted_appeal"


def _guard(request, page, *, scope: str, route: str, looking_up: bool = False) -> FormGuard:
    return FormGuard(
        request,
        page,
        scope=scope,
        form_url=page.subpage_url(request, route),
        limit_setting="tracking_attempts_per_hour" if looking_up else "form_submissions_per_hour",
        looking_up=looking_up,
    )


@provides("CallForScrutinyPage.form")
def call_form(page, request):
    """Show the pro-forma; on POST check it and send the call, then redirect to confirmation.

    Every POST counts towards the address's hourly limit, whether or not the form is valid,
    so a robot cannot try endlessly by sending broken forms.
    """
    if request.method != "POST":
        return page.render(
            request, context_overrides={"form": forms.CallForScrutinyForm(page=page)}
        )
    guard = _guard(request, page, scope=ratelimit.CALL_FORM, route="form")
    # A call with files is counted first, so that files are never stored for an address over
    # its limit; one without is counted as it commits (FormGuard.accept).
    counted = bool(request.FILES)
    if counted and not guard.count():
        return guard.too_many()
    form = forms.CallForScrutinyForm(request.POST, request.FILES, page=page)
    if guard.robot() or not form.is_valid():
        if not counted and not guard.count():
            return guard.too_many()
        if guard.robot():
            return guard.refused()
        return page.render(request, context_overrides={"form": form})

    def submit():
        return pipeline.call_submit(
            fields=form.call_fields(),
            evidence=form.evidence_files(),
            extra_answers=form.extra_answers(),
        )

    if counted:
        call = submit()
    else:
        allowed, call = guard.accept(submit)
        if not allowed:
            return guard.too_many()
    response = redirect(page.subpage_url(request, "confirmation"))
    # A signed cookie rather than the session: no session row to write for a visitor who has
    # none, so the call and its emails are the request's only commit.
    response.set_signed_cookie(
        SUBMITTED_CALL_COOKIE,
        str(call.pk),
        salt=SUBMITTED_CALL_COOKIE,
        max_age=SUBMITTED_CALL_SECONDS,
        path=page.get_url(request),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response


@provides("CallForScrutinyPage.confirmation")
def call_confirmation(page, request):
    """The reference and what happens next, for the browser that has just sent a call."""
    pk = request.get_signed_cookie(
        SUBMITTED_CALL_COOKIE,
        default=None,
        salt=SUBMITTED_CALL_COOKIE,
        max_age=SUBMITTED_CALL_SECONDS,
    )
    call = None
    if pk is not None and pk.isdigit():
        call = CallForScrutiny.objects.select_related("business_area").filter(pk=pk).first()
    if call is None:
        return redirect(page.get_url(request))
    token = selectors.call_tracking_token(call)
    response = page.render(
        request,
        template="scrutiny/call_confirmation.html",
        context_overrides={
            "call": call,
            "access_code": format_access_code(call.access_code),
            "tracking_url": page.subpage_url(request, "track"),
            "tracking_link": page.get_url(request)
            + page.reverse_subpage("track_link", args=[token])
            if token
            else "",
        },
    )
    # The page shows the resident's secret: no shared cache may keep it.
    response["Cache-Control"] = "private, no-store"
    return response


@provides("CallForScrutinyPage.register")
def call_register(page, request):
    """The public register: calls that reached the panel and that their residents said may be
    listed, with the panel's decision and reasons, filtered by year, service and decision.
    Never a resident's name or contact details."""
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
    entries = paginator.get_page(request.GET.get("page"))
    entries.object_list = [selectors.register_entry(row) for row in entries.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    return page.render(
        request,
        template="scrutiny/call_register.html",
        context_overrides={
            "form": form,
            "entries": entries,
            "total": paginator.count,
            "filtered": bool(filters and any(filters.values())),
            "query": query.urlencode(),
        },
    )


@provides("CallForScrutinyPage.track")
def call_tracking(page, request):
    """Look a call up and show its progress: everything with the reference and the access
    code, only the bare stage with the reference and the email address or postcode.

    Each look-up (a POST) counts towards the address's hourly limit. An unknown reference, a
    wrong code and a wrong email address or postcode get the same answer, so none can be told
    from another.
    """
    context = {"form": forms.CallTrackingForm()}
    if request.method == "POST":
        guard = _guard(request, page, scope=ratelimit.CALL_TRACKING, route="track", looking_up=True)
        if not guard.count():
            return guard.too_many()
        form = forms.CallTrackingForm(request.POST)
        if not form.is_valid():
            context["form"] = form
        elif form.cleaned_data["access_code"].strip():
            call = selectors.call_find_for_resident(
                reference=form.cleaned_data["reference"],
                access_code=form.cleaned_data["access_code"],
            )
            if call is not None:
                return _full_tracking(page, request, call)
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
    return page.render(request, template="scrutiny/call_tracking.html", context_overrides=context)


@provides("CallForScrutinyPage.track_link")
def call_tracking_link(page, request, token):
    """Open a call's full tracking page from the link in the resident's email.

    The link carries an opaque token signed with the site's key, which no one can guess, so
    opening it is not counted against the address's limit."""
    call = selectors.call_from_tracking_token(token)
    if call is not None:
        return _full_tracking(page, request, call)
    response = page.render(
        request,
        template="scrutiny/call_tracking.html",
        context_overrides={"form": forms.CallTrackingForm(), "link_expired": True},
    )
    response.status_code = 404
    return response


def _full_tracking(page, request, call):
    """The full tracking page, for the resident who gave the access code or its link."""
    token = selectors.call_tracking_token(call)
    response = page.render(
        request,
        template="scrutiny/call_tracking.html",
        context_overrides={
            "call": call,
            "stage": selectors.call_stage_for_resident(call),
            "timeline": selectors.call_timeline(call),
            "decision": selectors.call_latest_decision(call),
            "appeal": selectors.call_latest_appeal(call),
            "appeal_url": (
                page.get_url(request) + page.reverse_subpage("appeal_link", args=[token])
                if token
                else page.subpage_url(request, "appeal")
            ),
        },
    )
    response["Cache-Control"] = "private, no-store"
    return response


@provides("CallForScrutinyPage.appeal")
def appeal_form(page, request):
    """A resident's written appeal against the panel's decision on their call.

    Every POST counts towards the address's hourly limit. Only the reference with the call's
    access code will do; an unknown reference and a wrong code get the same answer.
    """
    template = "scrutiny/appeal_form.html"
    if request.method != "POST":
        return page.render(
            request, template=template, context_overrides={"form": forms.AppealForm()}
        )
    guard = _guard(request, page, scope=ratelimit.APPEAL_FORM, route="appeal")
    if not guard.count():
        return guard.too_many()
    if guard.robot():
        return guard.refused(template=template)
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
            request.session[SUBMITTED_APPEAL_SESSION_KEY] = appeal.pk
            return redirect(page.subpage_url(request, "appeal_confirmation"))
    response = page.render(request, template=template, context_overrides={"form": form})
    response["Cache-Control"] = "private, no-store"
    return response


@provides("CallForScrutinyPage.appeal_confirmation")
def appeal_confirmation(page, request):
    """The appeal's reference and what happens next, for the browser that sent it."""
    pk = request.session.get(SUBMITTED_APPEAL_SESSION_KEY)
    appeal = None
    if pk is not None:
        appeal = Appeal.objects.select_related("call__business_area").filter(pk=pk).first()
    if appeal is None:
        return redirect(page.subpage_url(request, "appeal"))
    return page.render(
        request,
        template="scrutiny/appeal_confirmation.html",
        context_overrides={"appeal": appeal, "tracking_url": page.subpage_url(request, "track")},
    )


@provides("CallForScrutinyPage.appeal_link")
def appeal_link(page, request, token):
    """The appeal form with the reference and access code filled in, from a call's link."""
    call = selectors.call_from_tracking_token(token)
    if call is None:
        return redirect(page.subpage_url(request, "appeal"))
    form = forms.AppealForm(
        initial={"reference": call.reference, "access_code": format_access_code(call.access_code)}
    )
    response = page.render(
        request, template="scrutiny/appeal_form.html", context_overrides={"form": form}
    )
    response["Cache-Control"] = "private, no-store"
    return response
