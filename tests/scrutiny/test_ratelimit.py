"""The hourly limit on each public form, counted per network address in the database."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections
from django.test import RequestFactory

from scrutiny import ratelimit
from scrutiny.models import FormAttempts


def request_from(address: str):
    return RequestFactory().post("/", REMOTE_ADDR=address)


def attempts(address: str, scope=ratelimit.CALL_FORM, *, times: int, limit: int) -> list[bool]:
    return [
        ratelimit.attempt_allowed(request_from(address), scope=scope, limit=limit)
        for _ in range(times)
    ]


@pytest.mark.django_db
def test_each_address_and_form_has_its_own_count():
    assert attempts("10.0.0.1", times=4, limit=3) == [True, True, True, False]
    assert attempts("10.0.0.2", times=1, limit=3) == [True]
    assert attempts("10.0.0.1", ratelimit.PETITION, times=1, limit=3) == [True]
    assert FormAttempts.objects.count() == 3
    # The table holds no readable address.
    assert not FormAttempts.objects.filter(key__contains="10.0.0").exists()


@pytest.mark.django_db
def test_a_new_hour_starts_afresh_and_forgets_the_past_hours(monkeypatch):
    clock = [ratelimit.WINDOW_SECONDS * 500_000 + 10.0]
    monkeypatch.setattr(ratelimit.time, "time", lambda: clock[0])
    assert attempts("10.0.0.1", times=3, limit=2) == [True, True, False]
    clock[0] += ratelimit.WINDOW_SECONDS
    assert attempts("10.0.0.1", times=1, limit=2) == [True]
    assert list(FormAttempts.objects.values_list("hour", "attempts")) == [(500_001, 1)]


@pytest.mark.django_db(transaction=True)
def test_attempts_sent_at_the_same_moment_are_each_counted():
    if connection.vendor != "postgresql":
        pytest.skip("Concurrency is tested on PostgreSQL; SQLite serialises writers.")
    start = threading.Barrier(16)

    def attempt(_):
        try:
            start.wait()
            return ratelimit.attempt_allowed(
                request_from("10.9.9.9"), scope=ratelimit.PETITION, limit=10
            )
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=16) as pool:
        allowed = list(pool.map(attempt, range(48)))
    assert allowed.count(True) == 10
    assert FormAttempts.objects.get().attempts == 48


@pytest.mark.parametrize(
    ("address", "counted"),
    [
        ("192.0.2.7", "192.0.2.7"),
        ("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::"),
        ("2001:DB8:1:2::1", "2001:db8:1:2::"),
        ("::ffff:192.0.2.7", "192.0.2.7"),
        ("unknown", "unknown"),
    ],
)
def test_ipv4_counts_per_address_and_ipv6_per_64_network(address, counted):
    assert ratelimit.counted_address(address) == counted


@pytest.mark.django_db
def test_addresses_in_one_ipv6_network_share_a_count_and_the_prefix_is_a_setting(settings):
    network = [f"2001:db8:5:6::{n:x}" for n in range(1, 5)]
    assert [attempts(address, times=1, limit=3)[0] for address in network] == [
        True,
        True,
        True,
        False,
    ]
    assert attempts("2001:db8:5:7::1", times=1, limit=3) == [True]
    settings.SCRUTINY_RATELIMIT_IPV6_PREFIX = 48
    assert attempts("2001:db8:5:ffff::1", times=1, limit=3) == [True]
    assert ratelimit.counted_address("2001:db8:5:ffff::1") == "2001:db8:5::"


@pytest.mark.django_db
def test_signed_in_staff_are_not_limited_on_the_public_forms(client, staff):
    """Issue 19: "no public rate limit for signed-in staff" (an officer was refused after five
    calls typed in from the office). A resident at the same address is still counted."""
    from scrutiny.models import CallForScrutiny
    from tests.conftest import PASSWORD, make_business_area
    from tests.scrutiny.test_call_form import make_call_page, valid_answers

    make_call_page()
    area = make_business_area()
    assert client.login(username="officer", password=PASSWORD)
    for _ in range(7):
        assert client.post("/call-for-scrutiny/", valid_answers(area)).status_code == 302
    assert CallForScrutiny.objects.count() == 7
    assert not FormAttempts.objects.exists()
    # Someone signed in without access to the admin counts like anyone else.
    from django.contrib.auth.models import User

    request = request_from("10.0.0.9")
    request.user = User.objects.create_user("resident", password=PASSWORD)
    assert not ratelimit.exempt(request)
    assert [
        ratelimit.attempt_allowed(request, scope=ratelimit.CALL_FORM, limit=1) for _ in range(2)
    ] == [True, False]
