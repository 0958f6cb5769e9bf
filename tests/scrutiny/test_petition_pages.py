"""The public petition pages: the list, a petition with its signing form, and the emailed links."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from wagtail.rich_text import RichText

from scrutiny import pipeline
from scrutiny.models import (
    BusinessArea,
    Petition,
    PetitionIndexPage,
    PetitionSignature,
    ScrutinySettings,
)
from tests.conftest import make_business_area, make_home_page
from tests.scrutiny.builders import make_call

pytestmark = pytest.mark.django_db

INDEX_URL = "/petitions/"
SCRIPT = "<script>alert(1)</script>"
ESCAPED_SCRIPT = "&lt;script&gt;alert(1)&lt;/script&gt;"
CONFIRM_LINK = re.compile(r"http://testserver(/petitions/confirm/[\w-]+/)")
WITHDRAW_LINK = re.compile(r"http://testserver(/petitions/withdraw/[\w-]+/)")


def make_petition_page(**overrides) -> PetitionIndexPage:
    """A home page with the live petitions page at /petitions/ under it."""
    home = make_home_page()
    fields = {
        "title": "Petitions",
        "slug": "petitions",
        "introduction": RichText("<p>Sign a petition to show the panel a problem is shared.</p>"),
        "privacy_notice": RichText("<p>We use your details only for this petition.</p>"),
        "signed_text": RichText("<p>Thank you for adding your voice.</p>"),
    } | overrides
    return home.add_child(instance=PetitionIndexPage(**fields))


def open_petition(staff, *, area=None, title="Fix the lifts at Larch Court", **call_fields):
    """A petition opened by an officer for a new call, as the admin would open it."""
    area = area or BusinessArea.objects.first() or make_business_area()
    call = make_call(business_area=area, **call_fields)
    pipeline.call_move(call=call, transition="start_triage", user=staff["officer"])
    return pipeline.petition_open(
        call=call,
        user=staff["officer"],
        title=title,
        summary="The lifts have been broken for months.\n\nResidents on upper floors are stuck.",
    )


def petition_url(petition) -> str:
    return f"{INDEX_URL}{petition.slug}/"


def valid_signature(**overrides) -> dict:
    """A complete, valid POST of the signing form."""
    return {
        "name": "Sam Jones",
        "email": "sam.jones@example.org",
        "postcode": "pc1 1aa",
        "address": "4 Larch Court",
        "privacy_agreed": "on",
        "website": "",
    } | overrides


def sign_and_confirm(petition, n: int):
    signature = pipeline.petition_sign(
        petition=petition, name=f"Signer {n}", email=f"signer{n}@example.org", postcode="PC1 1AA"
    )
    return pipeline.signature_confirm(token=signature.token)


@pytest.fixture
def index_page(db) -> PetitionIndexPage:
    return make_petition_page()


@pytest.fixture
def petition(staff, index_page) -> Petition:
    return open_petition(staff)


def close(petition: Petition) -> Petition:
    pipeline.petition_close(petition=petition)
    petition.refresh_from_db()
    return petition


# The list


def test_the_list_shows_published_petitions_open_first_with_their_progress(
    client, staff, index_page
):
    closed = open_petition(staff, title="Answer our letters", email="a@example.org")
    close(closed)
    open_one = open_petition(
        staff, area=make_business_area("Lettings"), title="Mend the lifts", email="b@example.org"
    )
    hidden = open_petition(staff, title="Not for the public yet", email="c@example.org")
    Petition.objects.filter(pk=hidden.pk).update(published=False)
    for n in range(3):
        sign_and_confirm(open_one, n)

    response = client.get(INDEX_URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Sign a petition to show the panel a problem is shared." in html
    assert "Not for the public yet" not in html
    assert html.index("Mend the lifts") < html.index("Answer our letters")
    assert f'<a href="{petition_url(open_one)}">Mend the lifts</a>' in html
    assert f'<a href="{petition_url(closed)}">Answer our letters</a>' in html
    assert "3 of 10 signatures" in html
    assert "0 of 10 signatures" in html
    assert "Lettings" in html and "Repairs and maintenance" in html
    assert f"Closes on {open_one.closes_on:%-d %B %Y}" in html
    assert 'role="progressbar"' in html
    assert 'aria-valuenow="30"' in html
    assert 'aria-valuetext="3 of 10 signatures"' in html


def test_an_empty_list_says_so(client, index_page):
    html = client.get(INDEX_URL).content.decode()
    assert "There are no petitions at the moment." in html


# A petition's page


def test_a_petition_page_shows_progress_and_never_the_residents_details(client, petition):
    sign_and_confirm(petition, 1)
    response = client.get(petition_url(petition))
    html = response.content.decode()
    assert response.status_code == 200
    assert f"<title>{petition.title}" in html
    assert "<p>The lifts have been broken for months.</p>" in html
    assert "Repairs and maintenance" in html
    assert "1 of 10 signatures" in html
    assert 'aria-valuenow="10"' in html
    assert f"{petition.closes_on:%-d %B %Y}" in html
    assert '<strong class="tag">Open</strong>' in html
    assert "Aisha Khan" not in html
    assert "aisha.khan@example.org" not in html
    assert petition.call.concerns not in html


def test_the_signing_form_has_labels_autocomplete_privacy_and_the_honeypot(client, petition):
    html = client.get(petition_url(petition)).content.decode()
    assert 'name="csrfmiddlewaretoken"' in html
    for name, autocomplete in [
        ("name", "name"),
        ("email", "email"),
        ("postcode", "postal-code"),
        ("address", "street-address"),
    ]:
        assert f'<label for="id_{name}">' in html
        assert re.search(
            rf'<(input|textarea)[^>]*autocomplete="{autocomplete}"[^>]*id="id_{name}"', html
        )
    assert '<label for="id_privacy_agreed">' in html
    assert "We use your details only for this petition." in html
    assert re.search(r'<div class="form-extra" aria-hidden="true">.*?name="website"', html, re.S)
    assert " required" not in html


def test_an_unknown_petition_is_not_found(client, index_page):
    assert client.get(f"{INDEX_URL}no-such-petition/").status_code == 404


def test_an_unpublished_petition_is_not_found(client, petition):
    Petition.objects.filter(pk=petition.pk).update(published=False)
    assert client.get(petition_url(petition)).status_code == 404


# Signing


def test_signing_sends_a_link_that_confirms_the_signature_and_counts_it(
    client, petition, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(petition_url(petition), valid_signature())
    assert response.status_code == 302
    assert response["Location"] == f"{petition_url(petition)}signed/"
    signature = PetitionSignature.objects.get()
    assert signature.confirmed_at is None
    assert (signature.name, signature.email, signature.postcode) == (
        "Sam Jones",
        "sam.jones@example.org",
        "PC1 1AA",
    )
    assert signature.address == "4 Larch Court"
    assert pipeline.petition_count(petition) == 0

    html = client.get(response["Location"]).content.decode()
    assert "<h1>Check your email</h1>" in html
    assert "Your signature counts only after you follow the link in the email." in html
    assert "Thank you for adding your voice." in html

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["sam.jones@example.org"]
    confirm_path = CONFIRM_LINK.search(mail.outbox[0].body).group(1)

    html = client.get(confirm_path).content.decode()
    assert "Confirm my signature" in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert pipeline.petition_count(petition) == 0

    html = client.post(confirm_path).content.decode()
    assert "Your signature is confirmed and counted." in html
    assert f'href="{petition_url(petition)}"' in html
    assert pipeline.petition_count(petition) == 1
    assert "1 of 10 signatures" in client.get(petition_url(petition)).content.decode()


def test_the_withdraw_link_takes_the_signature_back(
    client, petition, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(petition_url(petition), valid_signature())
    body = mail.outbox[0].body
    client.post(CONFIRM_LINK.search(body).group(1))
    assert pipeline.petition_count(petition) == 1

    withdraw_path = WITHDRAW_LINK.search(body).group(1)
    html = client.get(withdraw_path).content.decode()
    assert "Take my signature back" in html
    assert pipeline.petition_count(petition) == 1

    html = client.post(withdraw_path).content.decode()
    assert "Your signature has been taken back." in html
    assert pipeline.petition_count(petition) == 0
    assert "0 of 10 signatures" in client.get(petition_url(petition)).content.decode()


# Signing with someone else's email address


SIGNATURE_FIELDS = ("name", "email", "postcode", "address", "person_key", "token", "ip_address")


def signature_as_it_is(signature) -> dict:
    signature.refresh_from_db()
    fields = {name: getattr(signature, name) for name in SIGNATURE_FIELDS}
    return fields | {"confirmed_at": signature.confirmed_at}


def test_signing_with_someone_elses_email_changes_nothing_and_tells_the_owner(
    client, petition, django_capture_on_commit_callbacks
):
    """The attack: a second signer gives an address that has signed but not yet confirmed."""
    owner = valid_signature(email="olu@example.org", name="Olu Owner", address="1 Larch Court")
    with django_capture_on_commit_callbacks(execute=True):
        owners_answer = client.post(petition_url(petition), owner, REMOTE_ADDR="10.0.0.1")
    signature = PetitionSignature.objects.get()
    before = signature_as_it_is(signature)
    owners_link = CONFIRM_LINK.search(mail.outbox[0].body).group(1)
    assert signature.token in owners_link
    mail.outbox.clear()

    attacker = valid_signature(
        email="OLU@example.org", name="Mal Icious", postcode="ZZ9 9ZZ", address="Elsewhere"
    )
    with django_capture_on_commit_callbacks(execute=True):
        attackers_answer = client.post(petition_url(petition), attacker, REMOTE_ADDR="10.0.0.2")

    # The first signature is untouched: name, postcode, address, token and all.
    assert PetitionSignature.objects.count() == 1
    assert signature_as_it_is(signature) == before
    assert signature.history.count() == 1
    # The page answers exactly as it answers anyone who signs: check your email.
    assert attackers_answer.status_code == owners_answer.status_code == 302
    assert attackers_answer["Location"] == owners_answer["Location"]
    newcomer = client.post(petition_url(petition), valid_signature(email="new@example.org"))
    assert newcomer["Location"] == attackers_answer["Location"]
    assert "<h1>Check your email</h1>" in client.get(attackers_answer["Location"]).content.decode()
    # The owner of the address is the one told, with their own link, which still works.
    assert len(mail.outbox) == 1
    told = mail.outbox[0]
    assert told.to == ["olu@example.org"]
    assert told.subject.startswith("Someone tried to sign again with your email address")
    assert "Dear Olu Owner," in told.body and "Mal Icious" not in told.body
    assert "nothing has been changed" in told.body
    assert CONFIRM_LINK.search(told.body).group(1) == owners_link
    html = client.post(owners_link).content.decode()
    assert "Your signature is confirmed and counted." in html
    assert pipeline.petition_count(petition) == 1
    assert Petition.objects.get(pk=petition.pk).people_counted == 1


def test_signing_again_over_a_confirmed_signature_changes_nothing_and_keeps_the_count(
    client, petition, django_capture_on_commit_callbacks
):
    signature = pipeline.petition_sign(
        petition=petition, name="Olu Owner", email="olu@example.org", postcode="PC1 1AA"
    )
    pipeline.signature_confirm(token=signature.token)
    before = signature_as_it_is(signature)
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(petition_url(petition), valid_signature(email="olu@example.org"))
        second = client.post(petition_url(petition), valid_signature(email="olu@example.org"))

    assert first["Location"] == second["Location"] == f"{petition_url(petition)}signed/"
    assert signature_as_it_is(signature) == before
    assert pipeline.petition_count(petition) == 1
    assert Petition.objects.get(pk=petition.pk).people_counted == 1
    # Told once in the hour, however often the address is tried: no flood of emails.
    assert [message.to for message in mail.outbox] == [["olu@example.org"]]
    assert "and counts" in mail.outbox[0].body
    assert CONFIRM_LINK.search(mail.outbox[0].body) is None


FORM_ACTION = re.compile(r'<form method="post" action="([^"]+)">')
NEXT_FIELD = re.compile(r'<input type="hidden" name="next" value="([^"]+)">')


@pytest.mark.parametrize(
    ("action", "button", "outcome", "count"),
    [
        ("confirm", "Confirm my signature", "Your signature is confirmed and counted.", 1),
        ("withdraw", "Take my signature back", "Your signature has been taken back.", 0),
    ],
)
def test_each_links_button_posts_outside_the_page_tree_and_comes_back(
    client, petition, action, button, outcome, count
):
    signature = pipeline.petition_sign(
        petition=petition, name="Sam Jones", email="sam@example.org", postcode="PC1 1AA"
    )
    if action == "withdraw":
        pipeline.signature_confirm(token=signature.token)
    page_path = f"{INDEX_URL}{action}/{signature.token}/"
    html = client.get(page_path).content.decode()
    assert button in html
    form_action = FORM_ACTION.search(html).group(1)
    assert form_action == f"/petition-signatures/{signature.token}/{action}/"
    assert NEXT_FIELD.search(html).group(1) == page_path

    response = client.post(form_action, {"next": page_path})
    assert (response.status_code, response["Location"]) == (303, page_path)
    html = client.get(page_path).content.decode()
    assert outcome in html and button not in html
    assert pipeline.petition_count(petition) == count
    assert Petition.objects.get(pk=petition.pk).people_counted == count


@pytest.mark.parametrize(
    "elsewhere",
    [
        "https://evil.example/",
        "//evil.example/x",
        "/\\evil.example/",
        "",
        "x/y",
        "/a\nSet-Cookie: x=y",
    ],
)
def test_the_button_never_sends_the_browser_elsewhere(client, petition, elsewhere):
    signature = pipeline.petition_sign(
        petition=petition, name="Sam Jones", email="sam@example.org", postcode="PC1 1AA"
    )
    response = client.post(f"/petition-signatures/{signature.token}/confirm/", {"next": elsewhere})
    assert response.status_code == 303
    assert response["Location"] == f"{INDEX_URL}confirm/{signature.token}/"
    assert pipeline.petition_count(petition) == 1


def test_the_buttons_address_takes_only_a_post_with_its_csrf_token(petition):
    from django.test import Client

    signature = pipeline.petition_sign(
        petition=petition, name="Sam Jones", email="sam@example.org", postcode="PC1 1AA"
    )
    url = f"/petition-signatures/{signature.token}/confirm/"
    strict = Client(enforce_csrf_checks=True)
    assert strict.get(url).status_code == 405
    assert strict.post(url).status_code == 403
    assert pipeline.petition_count(petition) == 0
    assert strict.post("/petition-signatures/no%00such/confirm/").status_code == 404


def test_a_link_whose_petition_has_closed_says_so_without_a_button(client, petition):
    signature = pipeline.petition_sign(
        petition=petition, name="Late Signer", email="late@example.org", postcode="PC1 1AA"
    )
    close(petition)
    html = client.get(f"{INDEX_URL}confirm/{signature.token}/").content.decode()
    assert "This petition closed before the signature was confirmed." in html
    assert "Confirm my signature" not in html
    response = client.post(f"/petition-signatures/{signature.token}/confirm/")
    assert response.status_code == 303
    assert pipeline.petition_count(petition) == 0


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("name", "Enter your full name"),
        ("email", "Enter your email address"),
        ("postcode", "Enter your postcode"),
        ("privacy_agreed", "Confirm that you agree to the privacy notice"),
    ],
)
def test_each_missing_answer_is_explained_and_nothing_is_kept(
    client, petition, field, message, django_capture_on_commit_callbacks
):
    data = valid_signature()
    del data[field]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(petition_url(petition), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Error: " in html
    assert "There is a problem" in html
    assert f'<a href="#id_{field}">{message}</a>' in html
    assert f'<p class="error-message" id="id_{field}-error">' in html
    assert html.count('<p class="error-message"') == 1
    assert not PetitionSignature.objects.exists()
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("change", "anchor", "message"),
    [
        ({"email": "not-an-email"}, "id_email", "Enter an email address in the correct format"),
        ({"postcode": "PC1"}, "id_postcode", "Enter a real postcode, like SW1A 1AA"),
        ({"name": "x" * 201}, "id_name", "Your full name must be 200 characters or fewer"),
    ],
)
def test_answers_in_the_wrong_form_are_explained(client, petition, change, anchor, message):
    html = client.post(petition_url(petition), valid_signature(**change)).content.decode()
    assert re.search(rf'<a href="#{anchor}">[^<]*{re.escape(message)}', html)
    assert not PetitionSignature.objects.exists()


def test_the_address_is_optional(client, petition):
    response = client.post(petition_url(petition), valid_signature(address=""))
    assert response.status_code == 302
    assert PetitionSignature.objects.get().address == ""


def test_a_closed_petition_says_so_and_takes_no_signatures(
    client, petition, django_capture_on_commit_callbacks
):
    close(petition)
    mail.outbox.clear()
    closed_on = f"{timezone.localdate():%-d %B %Y}"
    message = f"This petition closed on {closed_on} and no longer takes signatures."

    html = client.get(petition_url(petition)).content.decode()
    assert message in html
    assert '<strong class="tag tag--closed">Closed</strong>' in html
    assert "<form" not in html

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(petition_url(petition), valid_signature())
    assert response.status_code in {200, 400}
    assert message in response.content.decode()
    assert not PetitionSignature.objects.exists()
    assert mail.outbox == []


def test_a_petition_past_its_closing_date_is_closed_on_that_date(client, petition):
    yesterday = timezone.localdate() - timedelta(days=1)
    Petition.objects.filter(pk=petition.pk).update(closes_on=yesterday)
    message = f"This petition closed on {yesterday:%-d %B %Y} and no longer takes signatures."
    assert message in client.get(petition_url(petition)).content.decode()
    response = client.post(petition_url(petition), valid_signature())
    assert message in response.content.decode()
    assert not PetitionSignature.objects.exists()


# Protection


def test_the_honeypot_creates_nothing(client, petition, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            petition_url(petition), valid_signature(website="http://spam.example")
        )
    assert response.status_code == 400
    assert "We could not accept this form" in response.content.decode()
    assert not PetitionSignature.objects.exists()
    assert mail.outbox == []


def test_too_many_signings_from_one_address_are_refused(client, petition):
    settings = ScrutinySettings.load()
    settings.form_submissions_per_hour = 2
    settings.save()
    address = {"REMOTE_ADDR": "203.0.113.7"}
    url = petition_url(petition)
    assert client.post(url, valid_signature(), **address).status_code == 302
    assert client.post(url, valid_signature(name=""), **address).status_code == 200

    response = client.post(url, valid_signature(email="other@example.org"), **address)
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    html = response.content.decode()
    assert "<title>Try again later" in html
    assert f'href="{url}"' in html
    assert PetitionSignature.objects.count() == 1

    assert client.get(url, **address).status_code == 200
    other_address = {"REMOTE_ADDR": "203.0.113.8"}
    response = client.post(url, valid_signature(email="other@example.org"), **other_address)
    assert response.status_code == 302


# The emailed links


@pytest.mark.parametrize("action", ["confirm", "withdraw"])
def test_an_unknown_token_is_not_found_with_a_plain_message(client, index_page, action):
    for response in [
        client.get(f"{INDEX_URL}{action}/not-a-real-token/"),
        client.post(f"{INDEX_URL}{action}/not-a-real-token/"),
    ]:
        assert response.status_code == 404
        assert "This link does not work" in response.content.decode()


def test_a_link_with_characters_no_token_has_is_not_found_not_a_server_error(client, index_page):
    """Found by the fuzz tests: a NUL in the link made PostgreSQL refuse the query (a 500)."""
    for odd in ["%00", "abc%00def", "a%20b", "%E2%80%AE", "a.b"]:
        for action in ["confirm", "withdraw"]:
            response = client.post(f"{INDEX_URL}{action}/{odd}/")
            assert response.status_code == 404, (action, odd)
            assert "Page not found" in response.content.decode()


def test_confirming_after_the_petition_closed_is_explained(client, petition):
    signature = pipeline.petition_sign(
        petition=petition, name="Late Signer", email="late@example.org", postcode="PC1 1AA"
    )
    close(petition)
    html = client.post(f"{INDEX_URL}confirm/{signature.token}/").content.decode()
    assert "We could not confirm your signature" in html
    assert "This petition closed before the signature was confirmed." in html
    assert pipeline.petition_count(petition) == 0


def test_confirming_twice_is_harmless(client, petition):
    signature = pipeline.petition_sign(
        petition=petition, name="Sam Jones", email="sam@example.org", postcode="PC1 1AA"
    )
    url = f"{INDEX_URL}confirm/{signature.token}/"
    client.post(url)
    html = client.post(url).content.decode()
    assert "Your signature is confirmed and counted." in html
    assert pipeline.petition_count(petition) == 1


# What people typed is never shown raw


def test_script_typed_into_the_form_is_shown_escaped(client, petition):
    html = client.post(
        petition_url(petition), valid_signature(name=SCRIPT, email="")
    ).content.decode()
    assert SCRIPT not in html
    assert ESCAPED_SCRIPT in html

    assert client.post(petition_url(petition), valid_signature(name=SCRIPT)).status_code == 302
    assert PetitionSignature.objects.get().name == SCRIPT


def test_an_officers_title_and_summary_are_escaped(client, staff, index_page):
    petition = open_petition(staff, title=SCRIPT)
    Petition.objects.filter(pk=petition.pk).update(summary=SCRIPT)
    for url in [INDEX_URL, petition_url(petition)]:
        html = client.get(url).content.decode()
        assert SCRIPT not in html
        assert ESCAPED_SCRIPT in html
