"""Sign-in throttling on Wagtail's login form, and the superusers' list of lock-outs.

Written as the attack: someone guesses `officer`'s password at /admin/login/.
"""

import re

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.test import Client
from wagtail.models import ModelLogEntry

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN_URL = "/admin/login/"
LOCKOUTS_URL = "/admin/lockouts/"
LOCKED_OUT = (
    "Too many failed sign-ins. Signing in to this account, or from your network, is paused for "
    "15 minutes. Wait that long and try again, or ask an administrator to unlock it."
)


def sign_in(client: Client, username: str, password: str, address: str = "192.0.2.10"):
    return client.post(LOGIN_URL, {"username": username, "password": password}, REMOTE_ADDR=address)


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_the_defaults_are_five_failures_and_fifteen_minutes(settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 15 * 60


def test_twenty_wrong_passwords_then_the_right_one_is_refused_with_the_message(staff):
    client = Client()
    answers = [sign_in(client, "officer", f"guess-{n}").status_code for n in range(20)]
    # Four ordinary refusals, then the account is locked out.
    assert answers == [200] * 4 + [429] * 16

    response = sign_in(client, "officer", PASSWORD)
    assert response.status_code == 429
    assert not signed_in(client)
    html = response.content.decode()
    assert LOCKED_OUT in html
    assert "correct username and password" not in html
    assert int(response["Retry-After"]) == 15 * 60
    # Wagtail's own sign-in page, with the message where its errors go.
    assert 'class="login-form"' in html
    assert re.search(r'<li class="error">\s*' + re.escape(LOCKED_OUT), html)


def test_the_account_is_locked_from_any_address(staff):
    for n in range(5):
        sign_in(Client(), "officer", "wrong", address=f"198.51.100.{n}")
    response = sign_in(Client(), "officer", PASSWORD, address="203.0.113.9")
    assert response.status_code == 429 and LOCKED_OUT in response.content.decode()
    # Another account from elsewhere is not affected.
    assert sign_in(Client(), "panel", PASSWORD, address="203.0.113.9").status_code == 302


def test_an_address_is_locked_for_every_account_and_ipv6_counts_by_its_64(staff):
    for n, username in enumerate(["comms", "panel", "manager", "appeal", "nobody"]):
        sign_in(Client(), username, "wrong", address=f"2001:db8:7:8::{n + 1:x}")
    # Another address in the same /64, and an account nobody guessed at: still refused.
    response = sign_in(Client(), "officer", PASSWORD, address="2001:db8:7:8:ffff::1")
    assert response.status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"2001:db8:7:8::"}
    # The next network along signs in.
    client = Client()
    assert sign_in(client, "officer", PASSWORD, address="2001:db8:7:9::1").status_code == 302
    assert signed_in(client)


def test_the_superuser_sees_the_lockout_and_unlocks_the_account(staff):
    for n in range(20):
        sign_in(Client(), "officer", "wrong", address=f"198.51.100.{n}")
    assert sign_in(Client(), "officer", PASSWORD, address="203.0.113.9").status_code == 429

    admin = Client()
    admin.force_login(staff["admin"])
    html = admin.get(LOCKOUTS_URL).content.decode()
    assert "Sign-in lock-outs" in html
    # Tries while locked out are refused unrecorded, so the wait they were told holds.
    assert "<td>officer</td>" in html and "<td>5</td>" in html
    assert '<input type="hidden" name="username" value="officer">' in html

    response = admin.post(f"{LOCKOUTS_URL}unlock/", {"username": "officer"}, follow=True)
    assert "The account “officer” is unlocked and may sign in again." in response.content.decode()
    assert not AccessAttempt.objects.filter(username="officer").exists()

    client = Client()
    assert sign_in(client, "officer", PASSWORD, address="203.0.113.9").status_code == 302
    assert signed_in(client)


def test_an_address_is_unlocked_from_the_list(staff):
    for n in range(5):
        sign_in(Client(), f"user{n}", "wrong", address="192.0.2.77")
    admin = Client()
    admin.force_login(staff["admin"])
    assert '<input type="hidden" name="ip_address" value="192.0.2.77">' in (
        admin.get(LOCKOUTS_URL).content.decode()
    )
    admin.post(f"{LOCKOUTS_URL}unlock/", {"ip_address": "192.0.2.77"})
    assert sign_in(Client(), "officer", PASSWORD, address="192.0.2.77").status_code == 302


def test_unlocking_from_the_command_line(staff):
    for _ in range(5):
        sign_in(Client(), "officer", "wrong")
    assert sign_in(Client(), "officer", PASSWORD, address="203.0.113.9").status_code == 429
    call_command("axes_reset_username", "officer")
    assert sign_in(Client(), "officer", PASSWORD, address="203.0.113.9").status_code == 302


@pytest.mark.parametrize("user_key", ["officer", "comms", "panel", "manager"])
def test_only_superusers_see_or_unlock_lockouts(staff, user_key):
    for _ in range(5):
        sign_in(Client(), "officer", "wrong")
    client = Client()
    client.force_login(staff[user_key])
    # Wagtail answers "no permission" with a redirect to the dashboard.
    for response in [
        client.get(LOCKOUTS_URL),
        client.post(f"{LOCKOUTS_URL}unlock/", {"username": "officer"}),
    ]:
        assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert AccessAttempt.objects.filter(username="officer").exists()
    assert "Sign-in lock-outs" not in client.get("/admin/").content.decode()


def test_a_bad_unlock_is_explained_and_changes_nothing(staff):
    for _ in range(5):
        sign_in(Client(), "officer", "wrong")
    admin = Client()
    admin.force_login(staff["admin"])
    response = admin.post(f"{LOCKOUTS_URL}unlock/", {"ip_address": "not an address"}, follow=True)
    assert "Choose one account or one network address to unlock." in response.content.decode()
    assert AccessAttempt.objects.filter(username="officer").count() == 1


def test_the_test_clients_login_without_a_request_is_not_throttled(staff):
    for _ in range(5):
        sign_in(Client(), "officer", "wrong")
    assert Client().login(username="officer", password=PASSWORD)


def test_an_unlock_is_in_the_site_history_naming_who_unlocked_which_account(staff):
    for n in range(5):
        sign_in(Client(), "officer", "wrong", address=f"198.51.100.{n}")
    admin = Client()
    admin.force_login(staff["admin"])

    admin.post(f"{LOCKOUTS_URL}unlock/", {"username": "officer"})

    entry = ModelLogEntry.objects.get(action="scrutiny.lockout_unlocked")
    assert entry.user == staff["admin"]
    assert entry.object_id == str(staff["officer"].pk)
    assert entry.data["username"] == "officer"
    history = admin.get("/admin/reports/site-history/").content.decode()
    assert "Sign-in unlocked" in history
    assert "The account “officer” unlocked after failed sign-ins" in history


def test_an_address_unlock_is_in_the_site_history_under_who_unlocked_it(staff):
    for n in range(5):
        sign_in(Client(), f"user{n}", "wrong", address="192.0.2.77")
    admin = Client()
    admin.force_login(staff["admin"])

    admin.post(f"{LOCKOUTS_URL}unlock/", {"ip_address": "192.0.2.77"})

    entry = ModelLogEntry.objects.get(action="scrutiny.lockout_unlocked")
    assert entry.user == staff["admin"]
    assert entry.object_id == str(staff["admin"].pk)
    assert "The network address 192.0.2.77 unlocked after failed sign-ins" in (
        admin.get("/admin/reports/site-history/").content.decode()
    )
