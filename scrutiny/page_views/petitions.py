"""The petitions page: the list, each petition with its signing form, and the pages behind the
emailed links (`PetitionIndexPage`'s routes)."""

from contextlib import suppress

from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from scrutiny import forms, pipeline, ratelimit, selectors
from scrutiny.models import PetitionSignature
from scrutiny.models.handlers import provides

from .guard import FormGuard


def signature_link_outcome(signature, action: str) -> tuple[bool, str]:
    """What an emailed link's page says: (done, problem); neither means "press the button"."""
    if signature is None:
        return False, ""
    if action == "withdraw":
        return signature.withdrawn_at is not None, ""
    if signature.withdrawn_at or signature.invalidated_at:
        return False, _("This signature can no longer be confirmed.")
    if signature.confirmed_at:
        return True, ""
    if not signature.petition.is_open:
        return False, _("This petition closed before the signature was confirmed.")
    return False, ""


def _published_petition(slug: str):
    petition = selectors.public_petition(slug)
    if petition is None:
        raise Http404
    return petition


@provides("PetitionIndexPage.index")
def petition_list(page, request):
    """Published petitions, open ones first, each with its progress."""
    return page.render(
        request, context_overrides={"petitions": selectors.petitions_for_public_list()}
    )


@provides("PetitionIndexPage.petition")
def petition(page, request, slug):
    """One petition with its progress; signing on POST, then the signer checks their email."""
    petition = _published_petition(slug)
    context = {
        "petition": petition,
        "progress": selectors.progress_of(petition.people_counted, petition.target),
        "form": forms.PetitionSignatureForm(),
    }
    if request.method == "POST" and petition.is_open:
        guard = FormGuard(
            request,
            page,
            scope=ratelimit.PETITION,
            form_url=page.subpage_url(request, "petition", petition.slug),
        )
        form = forms.PetitionSignatureForm(request.POST)
        if guard.robot() or not form.is_valid():
            if not guard.count():
                return guard.too_many()
            if guard.robot():
                return guard.refused(template="scrutiny/petition_page.html", context=context)
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
            allowed, refused = guard.accept(sign)
            if not allowed:
                return guard.too_many()
            if refused is None:
                return redirect(page.subpage_url(request, "signed", petition.slug))
            form.add_error(None, str(refused))
        context["form"] = form
    return page.render(request, template="scrutiny/petition_page.html", context_overrides=context)


@provides("PetitionIndexPage.signed")
def petition_signed(page, request, slug):
    """Check your email: the signature counts once confirmed."""
    return page.render(
        request,
        template="scrutiny/petition_signed.html",
        context_overrides={"petition": _published_petition(slug)},
    )


@provides("PetitionIndexPage.confirm")
def signature_confirm(page, request, token):
    """Confirm a signature from the emailed link: a page with one button, then counted."""
    return _signature_link(page, request, token, action="confirm")


@provides("PetitionIndexPage.withdraw")
def signature_withdraw(page, request, token):
    """Take a signature back from the emailed link."""
    return _signature_link(page, request, token, action="withdraw")


def _signature_link(page, request, token: str, *, action: str):
    """The signature as it stands, with a button while there is something to do.

    The button posts to `scrutiny.views.signature_link`, which sends the browser back here; a
    POST made here (from a page saved before the button moved) does the same work.
    """
    if request.method == "POST":
        # Refused only when the petition closed first, which the page shows from the state.
        with suppress(pipeline.SignatureRefused):
            if action == "confirm":
                pipeline.signature_confirm(token=token)
            else:
                pipeline.signature_withdraw(token=token)
    signature = PetitionSignature.objects.select_related("petition").filter(token=token).first()
    done, problem = signature_link_outcome(signature, action)
    response = page.render(
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
