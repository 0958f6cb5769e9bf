"""Financial years: the one place that says which year a day falls in, and where a year starts
and ends.

A financial year is named by the calendar year it starts in (an int, 2026 for 2026/27), written
for people as a label ("2026/27"), and runs from the first day of the start month set in Scrutiny
settings (April by default) to the last day before that month a year later, both included.
"""

import datetime

from django.utils import timezone


def configured_start_month() -> int:
    """The month financial years start in, from Scrutiny settings."""
    from .models.config import ScrutinySettings

    return ScrutinySettings.load().financial_year_start_month


def financial_year_of(day: datetime.date, *, start_month: int | None = None) -> int:
    """The financial year a day falls in.

    With the default start month of April, 31 March 2027 is in 2026 (2026/27) and 1 April 2027
    in 2027 (2027/28).
    """
    month = start_month or configured_start_month()
    return day.year if day.month >= month else day.year - 1


def financial_year_label(year: int) -> str:
    """A financial year as people write it: 2026 -> "2026/27"."""
    return f"{year}/{(year + 1) % 100:02d}"


def financial_year_bounds(
    year: int, *, start_month: int | None = None
) -> tuple[datetime.date, datetime.date]:
    """The first and the last day of a financial year, both in it."""
    month = start_month or configured_start_month()
    first = datetime.date(year, month, 1)
    return first, datetime.date(year + 1, month, 1) - datetime.timedelta(days=1)


def current_financial_year() -> int:
    """The financial year we are in today."""
    return financial_year_of(timezone.localdate())
