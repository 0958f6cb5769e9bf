"""Moving the demo's dates so that it keeps its shape on whichever day it is loaded.

A fixture records the day it was written. Loading it on a later day moves every date by the days
between the two, keeping local times of day, so a meeting twelve days ahead is still twelve days
ahead. Financial years move by the whole financial years between the two days instead, so this
year's programme is still this year's. What counts as a date or a year is read from the models'
fields, not from a list of the fixtures' keys:

- DateField and DateTimeField values, on every model (history models included), by days;
- integer fields and JSON keys named `year` or `..._year` (not `..._per_year`), by years;
- inside text, JSON and natural keys: ISO dates and times and dates in prose ("5 December 2026",
  "Saturday 5 Dec 2026") by days; a month and year without a day ("April 2026") by years, as
  such a phrase names a financial year's edge; financial-year labels ("2026/27", "2026-27" in
  slugs and url_paths) and the year in references ("CCS-2026-0007", "ccs-2026-0007" in a slug,
  for every prefix the fixture's reference counters hold) by years;
- a date that is the first or last day of the financial year its own record or JSON object
  names (an outcomes snapshot's `first_day` and `last_day`) moves with that year, by years.
"""

import datetime
import re
from dataclasses import dataclass
from functools import cached_property

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from wagtail.fields import StreamField

from .financial_years import financial_year_bounds, financial_year_of
from .models import ReferenceCounter, ScrutinySettings

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTH_NUMBERS = {name: number for number, name in enumerate(MONTHS, start=1)} | {
    name[:3]: number for number, name in enumerate(MONTHS, start=1)
}
MONTH_NUMBERS["Sept"] = 9
WEEKDAY_NAMES = [
    *WEEKDAYS,
    "Mon",
    "Tues",
    "Tue",
    "Wed",
    "Thurs",
    "Thur",
    "Thu",
    "Fri",
    "Sat",
    "Sun",
]

ISO = (
    r"(?P<iso_date>\d{4}-\d{2}-\d{2})"
    r"(?:(?P<iso_sep>[T ])(?P<iso_hour>\d{2}):(?P<iso_minute>\d{2})"
    r"(?::(?P<iso_second>\d{2})(?:\.(?P<iso_fraction>\d{1,6}))?)?"
    r"(?P<iso_zone>Z|[+-]\d{2}:\d{2})?)?"
)

ISO_VALUE = re.compile(ISO)
# "2026/27", "2026-27" or "2026-2027", but not the start of a date such as 2011-12-05.
FINANCIAL_YEAR = (
    r"(?<![A-Za-z0-9])(?P<fy_start>\d{4})(?P<fy_sep>[/-])(?P<fy_end>\d{4}|\d{2})"
    r"(?![A-Za-z0-9])(?![/-]\d)"
)
FINANCIAL_YEAR_VALUE = re.compile(FINANCIAL_YEAR)
PROSE = (
    r"\b(?:(?:(?P<weekday>{weekdays}),?\s+)?(?P<day>\d{{1,2}})\s+)?"
    r"(?P<month>{months})\s+(?P<year>\d{{4}})\b"
).format(
    weekdays="|".join(sorted(WEEKDAY_NAMES, key=len, reverse=True)),
    months="|".join(sorted(MONTH_NUMBERS, key=len, reverse=True)),
)


def is_year_name(name: str) -> bool:
    """Whether a field or JSON key of this name holds a year (`financial_year`, `year`)."""
    return name == "year" or (name.endswith("_year") and not name.endswith("_per_year"))


def _is_year(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 1000 <= value <= 9999


def _financial_year_in_label(text: str) -> int | None:
    """The start year of a label such as 2026/27 or 2026-2027, or None if it is not one."""
    match = FINANCIAL_YEAR_VALUE.fullmatch(text)
    if match is None:
        return None
    start, end = int(match["fy_start"]), match["fy_end"]
    following = f"{(start + 1) % 100:02d}" if len(end) == 2 else str(start + 1)
    return start if end == following else None


def _zone(text: str) -> datetime.tzinfo:
    """The fixed offset an ISO zone such as Z or +01:00 names."""
    if text == "Z":
        return datetime.UTC
    offset = datetime.timedelta(hours=int(text[1:3]), minutes=int(text[4:6]))
    return datetime.timezone(-offset if text.startswith("-") else offset)


@dataclass(frozen=True)
class DemoMove:
    """How far to move a demo written on one day so that it reads true on another."""

    days: int
    years: int
    start_month: int
    reference_prefixes: tuple[str, ...] = ()

    @cached_property
    def _text_pattern(self) -> re.Pattern:
        # One pass, references first: each piece of text is read as one thing only, so the
        # year in CCS-2026-2027 moves once and is not also taken for a financial-year label.
        parts = []
        if self.reference_prefixes:
            prefixes = "|".join(re.escape(prefix) for prefix in self.reference_prefixes)
            parts.append(
                rf"(?<![A-Za-z0-9])(?P<ref_prefix>(?i:{prefixes}))-(?P<ref_year>\d{{4}})"
                r"-(?P<ref_number>\d+)(?![A-Za-z0-9])"
            )
        parts += [rf"(?<!\d){ISO}(?!\d)", FINANCIAL_YEAR, PROSE]
        return re.compile("|".join(f"(?:{part})" for part in parts))

    def day(self, day: datetime.date, *, financial_year: int | None = None) -> datetime.date:
        """A date moved by the days, or by the years if it is an edge of `financial_year`."""
        if financial_year is not None:
            first, last = financial_year_bounds(financial_year, start_month=self.start_month)
            moved_first, moved_last = financial_year_bounds(
                financial_year + self.years, start_month=self.start_month
            )
            if day == first:
                return moved_first
            if day == last:
                return moved_last
        return day + datetime.timedelta(days=self.days)

    def moment(self, moment: datetime.datetime) -> datetime.datetime:
        """An aware date and time moved by the days, at the same local time of day.

        In the hour the clocks go back, which comes twice, the moment keeps its place (the first
        time or the second), so a demo loaded on the day it was written is unchanged."""
        local = timezone.localtime(moment)
        wall = local.replace(tzinfo=None) + datetime.timedelta(days=self.days)
        return timezone.make_aware(wall.replace(fold=local.fold)).astimezone(moment.tzinfo)

    def record(self, record: dict) -> dict:
        """A fixture record with its dates, years and references moved."""
        model = apps.get_model(record["model"])
        fields = record["fields"]
        financial_year = next(
            (value for name, value in fields.items() if is_year_name(name) and _is_year(value)),
            None,
        )
        moved = {
            name: self._field(model, name, value, financial_year) for name, value in fields.items()
        }
        return {**record, "fields": moved}

    def _field(self, model, name: str, value, financial_year: int | None):
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            return value
        if value is None or isinstance(field, models.FileField):
            return value
        if isinstance(field, models.DateTimeField):
            match = ISO_VALUE.fullmatch(value)
            return self._iso(match) if match else value
        if isinstance(field, models.DateField):
            day = datetime.date.fromisoformat(value)
            return self.day(day, financial_year=financial_year).isoformat()
        if isinstance(field, models.IntegerField) and is_year_name(name) and _is_year(value):
            return value + self.years
        text_like = (models.CharField, models.TextField, models.JSONField, StreamField)
        if field.is_relation or isinstance(field, text_like):
            return self.json(value)
        return value

    def json(self, value):
        """A JSON value (or a natural key) with the dates, years and references in it moved."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list):
            return [self.json(item) for item in value]
        if not isinstance(value, dict):
            return value
        financial_year = None
        for key, item in value.items():
            if is_year_name(key):
                if _is_year(item):
                    financial_year = item
                elif isinstance(item, str):
                    financial_year = _financial_year_in_label(item)
                if financial_year is not None:
                    break
        return {key: self._json_item(key, item, financial_year) for key, item in value.items()}

    def _json_item(self, key: str, item, financial_year: int | None):
        if is_year_name(key) and _is_year(item):
            return item + self.years
        if isinstance(item, str) and financial_year is not None:
            match = ISO_VALUE.fullmatch(item)
            if match and match["iso_hour"] is None:
                return self._iso(match, financial_year=financial_year)
        return self.json(item)

    def text(self, text: str) -> str:
        """Text with its dates, financial-year labels and references moved."""
        return self._text_pattern.sub(self._replace, text)

    def _replace(self, match: re.Match) -> str:
        groups = match.groupdict()
        if groups.get("ref_prefix"):
            year = int(match["ref_year"]) + self.years
            return f"{match['ref_prefix']}-{year}-{match['ref_number']}"
        if groups["iso_date"]:
            return self._iso(match)
        if groups["fy_start"]:
            start = _financial_year_in_label(match.group(0))
            if start is None:
                return match.group(0)
            end = match["fy_end"]
            following = start + self.years + 1
            end = f"{following % 100:02d}" if len(end) == 2 else str(following)
            return f"{start + self.years}{match['fy_sep']}{end}"
        return self._prose(match)

    def _iso(self, match: re.Match, *, financial_year: int | None = None) -> str:
        try:
            day = datetime.date.fromisoformat(match["iso_date"])
        except ValueError:
            return match.group(0)
        if match["iso_hour"] is None:
            return self.day(day, financial_year=financial_year).isoformat()
        fraction = match["iso_fraction"] or ""
        try:
            moment = datetime.datetime.combine(
                day,
                datetime.time(
                    int(match["iso_hour"]),
                    int(match["iso_minute"]),
                    int(match["iso_second"] or 0),
                    int(fraction.ljust(6, "0")),
                ),
            )
        except ValueError:
            return match.group(0)
        zone = match["iso_zone"]
        if zone:
            moved = self.moment(moment.replace(tzinfo=_zone(zone)))
        else:
            moved = moment + datetime.timedelta(days=self.days)
        text = f"{moved:%Y-%m-%d}{match['iso_sep']}{moved:%H:%M}"
        if match["iso_second"] is not None:
            text += f":{moved:%S}"
        if fraction:
            text += "." + f"{moved.microsecond:06d}"[: len(fraction)]
        return text + (zone or "")

    def _prose(self, match: re.Match) -> str:
        month_name = match["month"]
        month, year = MONTH_NUMBERS[month_name], int(match["year"])
        if match["day"] is None:
            return f"{month_name} {year + self.years}"
        try:
            moved = self.day(datetime.date(year, month, int(match["day"])))
        except ValueError:
            return match.group(0)
        if month_name in MONTHS:
            month_text = MONTHS[moved.month - 1]
        elif month_name == "Sept" and moved.month == 9:
            month_text = "Sept"
        else:
            month_text = MONTHS[moved.month - 1][:3]
        day_text = f"{moved.day:02d}" if match["day"].startswith("0") else str(moved.day)
        text = f"{day_text} {month_text} {moved.year}"
        weekday = match["weekday"]
        if weekday:
            name = WEEKDAYS[moved.weekday()]
            separator = match.group(0)[len(weekday) : match.start("day") - match.start()]
            text = f"{name if weekday in WEEKDAYS else name[:3]}{separator}{text}"
        return text


def demo_move_between(
    *,
    written_on: datetime.date,
    today: datetime.date,
    start_month: int,
    reference_prefixes: tuple[str, ...] = (),
) -> DemoMove:
    """The move that brings a demo written on one day to another, financial years whole."""
    years = financial_year_of(today, start_month=start_month) - financial_year_of(
        written_on, start_month=start_month
    )
    return DemoMove(
        days=(today - written_on).days,
        years=years,
        start_month=start_month,
        reference_prefixes=reference_prefixes,
    )


def demo_records_move(
    *, records: list[dict], written_on: datetime.date, today: datetime.date
) -> list[dict]:
    """The fixture's records as if they had been written today.

    The financial year's first month comes from the settings in the fixture (else the
    database's), the reference prefixes from its reference counters.
    """
    settings_label = ScrutinySettings._meta.label_lower
    start_month = (
        next(
            (
                record["fields"]["financial_year_start_month"]
                for record in records
                if record["model"] == settings_label
            ),
            None,
        )
        or ScrutinySettings.load().financial_year_start_month
    )
    counter_label = ReferenceCounter._meta.label_lower
    prefixes = tuple(
        sorted(
            {record["fields"]["prefix"] for record in records if record["model"] == counter_label}
        )
    )
    move = demo_move_between(
        written_on=written_on, today=today, start_month=start_month, reference_prefixes=prefixes
    )
    return [move.record(record) for record in records]
