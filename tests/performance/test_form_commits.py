"""A viral petition is load and abuse at once: an accepted signature or call commits once.

Each commit waits for the database to write to disk, so an accepted submission is one
transaction: the record, its history, the email task (django-q2's ORM broker, the default) and
the attempt's count towards the address's hourly limit. benchmarks/RESULTS.md has the load run.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_q.conf import Conf
from django_q.models import OrmQ

from scrutiny.models import CallForScrutiny, FormAttempts, PetitionSignature, ScrutinySettings
from tests.conftest import make_business_area
from tests.scrutiny.test_call_form import FORM_URL, make_call_page, valid_answers
from tests.scrutiny.test_petition_pages import (
    make_petition_page,
    open_petition,
    petition_url,
    valid_signature,
)

pytestmark = pytest.mark.django_db(transaction=True)

WRITES = ("INSERT", "UPDATE", "DELETE")


class Commits:
    """Counts the commits on the default database: COMMITs, and writes made in autocommit."""

    def __init__(self, monkeypatch):
        self.count = 0
        commit = connection._commit

        def counted_commit():
            self.count += 1
            return commit()

        monkeypatch.setattr(connection, "_commit", counted_commit)

    def __call__(self, execute, sql, params, many, context):
        if not connection.in_atomic_block and sql.lstrip().upper().startswith(WRITES):
            self.count += 1
        return execute(sql, params, many, context)


@pytest.fixture
def petition(staff):
    make_petition_page()
    return open_petition(staff)


@pytest.fixture
def area(db):
    make_call_page()
    return make_business_area()


@pytest.fixture
def queued(monkeypatch):
    """Tasks go to the ORM broker as in production, not run at once as in the other tests."""
    monkeypatch.setattr(Conf, "SYNC", False)


def submit(client, monkeypatch, url, data):
    commits = Commits(monkeypatch)
    with connection.execute_wrapper(commits), CaptureQueriesContext(connection) as queries:
        response = client.post(url, data)
    return response, commits.count, len(queries)


def test_an_accepted_signature_commits_once_with_its_email_and_its_count(
    client, petition, queued, monkeypatch
):
    client.post(petition_url(petition), valid_signature(email="first@example.org"))
    tasks = OrmQ.objects.count()

    response, commits, queries = submit(
        client, monkeypatch, petition_url(petition), valid_signature()
    )

    assert response.status_code == 302
    assert commits == 1
    assert queries <= 18, queries
    assert PetitionSignature.objects.filter(email="sam.jones@example.org").count() == 1
    assert OrmQ.objects.count() == tasks + 1
    assert FormAttempts.objects.get().attempts == 2


def test_an_accepted_call_commits_once_with_both_emails_and_its_count(
    client, area, queued, monkeypatch
):
    client.post(FORM_URL, valid_answers(area, name="First Caller"))
    tasks = OrmQ.objects.count()

    response, commits, queries = submit(client, monkeypatch, FORM_URL, valid_answers(area))

    assert response.status_code == 302
    assert commits == 1
    assert queries <= 34, queries
    assert CallForScrutiny.objects.filter(name="Jo Bloggs").count() == 1
    # One task sends both emails, the resident's and the officers' (each once).
    assert OrmQ.objects.count() == tasks + 1
    assert OrmQ.objects.order_by("pk").last().func() == "scrutiny.tasks.send_call_received"
    assert FormAttempts.objects.get().attempts == 2
    confirmation = client.get(response["Location"])
    assert CallForScrutiny.objects.get(name="Jo Bloggs").reference in confirmation.content.decode()


def test_a_signature_over_the_limit_leaves_nothing_and_queues_no_email(
    client, petition, queued, monkeypatch
):
    config = ScrutinySettings.load()
    config.form_submissions_per_hour = 1
    config.save()
    client.post(petition_url(petition), valid_signature(email="first@example.org"))
    tasks = OrmQ.objects.count()

    response = client.post(petition_url(petition), valid_signature())

    assert response.status_code == 429
    assert not PetitionSignature.objects.filter(email="sam.jones@example.org").exists()
    assert OrmQ.objects.count() == tasks
