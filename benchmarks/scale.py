"""Time the busy screens with 10 records and with 10,000: the second must take at most 2x.

Builds a scratch test database with the test settings, the same data as
tests/performance/test_query_counts.py, and prints the median time of each screen over
--repeat requests at both sizes, with the ratio. Exits 1 if any ratio is above --limit.

    .venv/bin/python benchmarks/scale.py [--repeat 15] [--limit 2.0]
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--limit", type=float, default=2.0)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse
    from wagtail.rich_text import RichText

    setup_test_environment()
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from scrutiny import pipeline
        from scrutiny.models import PetitionIndexPage
        from tests.conftest import PASSWORD, make_business_area, make_home_page, make_user
        from tests.performance.test_query_counts import FEW, MANY, add_calls
        from tests.scrutiny.builders import make_call
        from tests.scrutiny.review_builders import make_programme, make_review, make_year

        officer = make_user("officer", group="Scrutiny officers")
        home = make_home_page()
        home.add_child(
            instance=PetitionIndexPage(
                title="Petitions", slug="petitions", privacy_notice=RichText("<p>Privacy.</p>")
            )
        )
        year_page = make_year(make_programme(home), 2026)
        first = make_call(households_affected=100)
        review = make_review(year_page, business_area=make_business_area("Estate services"))
        review.calls.add(first)
        review.save()
        pipeline.call_move(call=first, transition="start_triage", user=officer)
        petition = pipeline.petition_open(call=first, user=officer, title="T", summary="S")
        from tests.performance.test_query_counts import sign_petition

        client = Client()
        client.login(username="officer", password=PASSWORD)
        screens = {
            "admin calls listing": reverse("wagtailsnippets_scrutiny_callforscrutiny:list"),
            "a call's record": reverse(
                "wagtailsnippets_scrutiny_callforscrutiny:inspect", args=[first.pk]
            ),
            "petition page": f"/petitions/{petition.slug}/",
            "petitions list": "/petitions/",
            "programme page": "/scrutiny-programme/",
            "a year's programme": "/scrutiny-programme/2026-27/",
        }

        def timings() -> dict[str, float]:
            result = {}
            for name, url in screens.items():
                client.get(url)
                runs = []
                for _ in range(args.repeat):
                    start = time.perf_counter()
                    response = client.get(url)
                    runs.append(time.perf_counter() - start)
                    assert response.status_code == 200, (name, response.status_code)
                result[name] = statistics.median(runs) * 1000
            return result

        add_calls(first, FEW, officer)
        sign_petition(petition, 0, FEW)
        few = timings()
        add_calls(first, MANY, officer, start=FEW)
        sign_petition(petition, FEW, MANY)
        many = timings()
    finally:
        connection.creation.destroy_test_db(":memory:", verbosity=0)

    worst = 0.0
    print(f"| screen | {FEW} records (ms) | {MANY:,} records (ms) | ratio |")
    print("| --- | --- | --- | --- |")
    for name in screens:
        ratio = many[name] / few[name]
        worst = max(worst, ratio)
        print(f"| {name} | {few[name]:.1f} | {many[name]:.1f} | {ratio:.2f} |")
    print(f"\nWorst ratio {worst:.2f} (limit {args.limit}).")
    return 0 if worst <= args.limit else 1


if __name__ == "__main__":
    sys.exit(main())
