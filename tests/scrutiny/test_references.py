"""References are readable, per year, and unique even when residents submit at the same moment."""

import threading

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone

from scrutiny.models import CallForScrutiny
from scrutiny.pipeline import issue_reference
from tests.conftest import make_business_area


@pytest.mark.django_db
def test_references_count_up_per_prefix_and_year():
    assert issue_reference(prefix="CCS", year=2026) == "CCS-2026-0001"
    assert issue_reference(prefix="CCS", year=2026) == "CCS-2026-0002"
    assert issue_reference(prefix="CCS", year=2027) == "CCS-2027-0001"
    assert issue_reference(prefix="PET", year=2026) == "PET-2026-0001"


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_get_distinct_references(migrated_data):
    if connection.vendor != "postgresql":
        pytest.skip("Row locking is what is tested here; SQLite serialises writers by itself.")
    from scrutiny.pipeline import call_submit

    area = make_business_area()
    workers = 20
    barrier = threading.Barrier(workers)
    errors: list[BaseException] = []

    def submit(number: int) -> None:
        try:
            barrier.wait()
            call_submit(fields=_call_fields(area, number))
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=(n,)) for n in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    references = list(CallForScrutiny.objects.values_list("reference", flat=True))
    assert len(references) == workers
    assert len(set(references)) == workers
    year = CallForScrutiny.objects.first().submitted_at.year
    assert sorted(references) == [f"CCS-{year}-{n:04d}" for n in range(1, workers + 1)]


def _call_fields(area, number: int) -> dict:
    return {
        "name": f"Resident {number}",
        "email": f"resident{number}@example.org",
        "tenure": "tenant",
        "business_area": area,
        "concerns": "Repairs are slow.",
        "actions_taken": "Complained.",
        "service_failures": "Missed appointments.",
    }


@pytest.mark.django_db
def test_a_submission_refused_after_numbering_leaves_no_gap():
    """A call refused at the last moment (over the hourly limit) gives its number back."""
    from scrutiny.pipeline import call_submit

    area = make_business_area()
    year = timezone.localdate().year
    with transaction.atomic():
        refused = call_submit(fields=_call_fields(area, 1))
        assert refused.reference == f"CCS-{year}-0001"
        transaction.set_rollback(True)
    call = call_submit(fields=_call_fields(area, 2))
    assert call.reference == f"CCS-{year}-0001"


@pytest.mark.django_db
def test_the_record_of_a_new_call_carries_its_reference():
    """The call's first history row and its log entry name the reference it was given."""
    from scrutiny.models import RecordLogEntry
    from scrutiny.pipeline import call_submit

    call = call_submit(fields=_call_fields(make_business_area(), 1))
    assert CallForScrutiny.objects.get().reference == call.reference
    assert call.history.get().reference == call.reference
    entry = RecordLogEntry.objects.for_instance(call).get()
    assert entry.label == f"{call.reference}: {call.business_area}"
