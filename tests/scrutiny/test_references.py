"""References are readable, per year, and unique even when residents submit at the same moment."""

import threading

import pytest
from django.db import connection, connections

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
            call_submit(
                fields={
                    "name": f"Resident {number}",
                    "email": f"resident{number}@example.org",
                    "tenure": "tenant",
                    "business_area": area,
                    "concerns": "Repairs are slow.",
                    "actions_taken": "Complained.",
                    "service_failures": "Missed appointments.",
                }
            )
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
