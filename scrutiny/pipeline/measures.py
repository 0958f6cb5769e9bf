"""Importing business areas' measures from a CSV or XLSX file: preview first, then all or nothing.

The first row names the columns (any order, case ignored):
business_area, financial_year, period, tsm_code, performance_percent, satisfaction_percent,
complaints_count, complaints_per_1000_homes, business_critical. Only business_area and
financial_year are required; a row for an area, year and period already entered replaces it.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.log_actions import log

from .. import permissions
from ..models import BusinessArea, Measure, Period
from .machine import TransitionNotAllowed

COLUMNS = [
    "business_area",
    "financial_year",
    "period",
    "tsm_code",
    "performance_percent",
    "satisfaction_percent",
    "complaints_count",
    "complaints_per_1000_homes",
    "business_critical",
]
REQUIRED = ["business_area", "financial_year"]
MAX_ROWS = 2000
YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0", ""}
YEAR_PATTERN = re.compile(r"^(\d{4})(?:\s*[/-]\s*(\d{2}|\d{4}))?$")


# The engine's one refusal: the file cannot be read at all; the message says why.
ImportRefused = TransitionNotAllowed


class CellRefused(ValueError):
    """A cell that cannot be read: a message naming its row (%(row)s), and what fills it."""

    def __init__(self, message: str, **values):
        super().__init__(message)
        self.message = message
        self.values = values

    def in_row(self, number: int) -> str:
        return self.message % {"row": number, **self.values}


# What is wrong with a number in a row, for each column that holds one.
NUMBER_REFUSALS = {
    "performance": {
        "not_a_number": gettext_lazy("Row %(row)s: performance '%(value)s' is not a number."),
        "negative": gettext_lazy("Row %(row)s: performance cannot be negative."),
        "too_high": gettext_lazy("Row %(row)s: performance %(value)s is above %(maximum)s."),
    },
    "satisfaction": {
        "not_a_number": gettext_lazy("Row %(row)s: satisfaction '%(value)s' is not a number."),
        "negative": gettext_lazy("Row %(row)s: satisfaction cannot be negative."),
        "too_high": gettext_lazy("Row %(row)s: satisfaction %(value)s is above %(maximum)s."),
    },
    "complaints_per_1000_homes": {
        "not_a_number": gettext_lazy(
            "Row %(row)s: complaints per 1,000 homes '%(value)s' is not a number."
        ),
        "negative": gettext_lazy("Row %(row)s: complaints per 1,000 homes cannot be negative."),
        "too_high": gettext_lazy(
            "Row %(row)s: complaints per 1,000 homes %(value)s is above %(maximum)s."
        ),
    },
}


@dataclass
class MeasureRow:
    """One row of the file: its number, what it would save, and what is wrong with it."""

    number: int
    raw: dict
    values: dict = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    replaces: bool = False


@dataclass
class MeasureImport:
    """A parsed file: its rows, and errors about the whole file."""

    rows: list[MeasureRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    saved: int = 0

    @property
    def valid(self) -> bool:
        return bool(self.rows) and not self.errors and not any(row.errors for row in self.rows)

    @property
    def error_count(self) -> int:
        return len(self.errors) + sum(len(row.errors) for row in self.rows)


def _read_table(data: bytes, filename: str) -> list[list[str]]:
    """The file's cells as text, row by row."""
    if filename.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many kinds for a broken file
            raise ImportRefused(
                _("The file is not an Excel workbook (.xlsx) that can be read.")
            ) from error
        sheet = workbook.worksheets[0]
        table = [
            ["" if cell is None else str(cell).strip() for cell in row]
            for row in sheet.iter_rows(values_only=True)
        ]
        workbook.close()
        return table
    if filename.lower().endswith(".csv"):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise ImportRefused(_("The file is not a UTF-8 CSV file.")) from error
        return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text))]
    raise ImportRefused(_("Upload a CSV (.csv) or Excel (.xlsx) file."))


def _periods() -> dict[str, str]:
    """The periods a file may name, by code or by label (as labels read now: they may be
    translated, so they are not read when the module is imported)."""
    return {value: value for value in Period.values} | {
        str(label).lower(): value for value, label in Period.choices
    }


def _year(text: str) -> int:
    match = YEAR_PATTERN.match(text.replace(".0", "") if text.endswith(".0") else text)
    if not match:
        raise CellRefused(
            _("Row %(row)s: the financial year '%(value)s' should look like 2026/27."), value=text
        )
    start = int(match.group(1))
    if match.group(2):
        end = int(match.group(2))
        if end % 100 != (start + 1) % 100:
            raise CellRefused(
                _("Row %(row)s: the financial year '%(value)s' should be two years in a row."),
                value=text,
            )
    if not 2000 <= start <= 2100:
        raise CellRefused(
            _("Row %(row)s: the financial year '%(value)s' is out of range."), value=text
        )
    return start


def _decimal(text: str, refusals: dict, *, maximum: Decimal | None = None):
    """A number with two decimal places, or None for an empty cell; `refusals` say what is
    wrong with it (one of NUMBER_REFUSALS)."""
    if text == "":
        return None
    try:
        value = Decimal(text.rstrip("%").replace(",", ""))
    except InvalidOperation:
        raise CellRefused(str(refusals["not_a_number"]), value=text) from None
    if value < 0:
        raise CellRefused(str(refusals["negative"]), value=text)
    if maximum is not None and value > maximum:
        raise CellRefused(str(refusals["too_high"]), value=text, maximum=maximum)
    return value.quantize(Decimal("0.01"))


def _parse_row(number: int, row: dict, areas: dict) -> MeasureRow:
    parsed = MeasureRow(number=number, raw=row)
    values = parsed.values

    def check(name, convert):
        try:
            values[name] = convert(row.get(name, ""))
        except CellRefused as error:
            parsed.errors.append(error.in_row(number))

    area_text = row.get("business_area", "")
    area = areas.get(area_text.lower())
    if not area_text:
        parsed.errors.append(_("Row %(row)s: the business area is missing.") % {"row": number})
    elif area is None:
        parsed.errors.append(
            _("Row %(row)s: there is no business area called '%(value)s'.")
            % {"row": number, "value": area_text}
        )
    values["business_area"] = area
    if not row.get("financial_year"):
        parsed.errors.append(_("Row %(row)s: the financial year is missing.") % {"row": number})
    else:
        check("financial_year", _year)

    def period(text):
        if not text:
            return Period.YEAR
        periods = _periods()
        if text.lower() not in periods:
            raise CellRefused(
                _("Row %(row)s: the period '%(value)s' should be one of q1, q2, q3, q4 or year."),
                value=text,
            )
        return periods[text.lower()]

    check("period", period)
    values["tsm_code"] = row.get("tsm_code", "").upper()[:10]
    check(
        "performance_percent",
        lambda t: _decimal(t, NUMBER_REFUSALS["performance"], maximum=Decimal("1000")),
    )
    check(
        "satisfaction_percent",
        lambda t: _decimal(t, NUMBER_REFUSALS["satisfaction"], maximum=Decimal("100")),
    )

    def count(text):
        if text == "":
            return None
        not_whole = CellRefused(
            _("Row %(row)s: complaints '%(value)s' is not a whole number."), value=text
        )
        try:
            value = int(Decimal(text))
        except (InvalidOperation, ValueError):
            raise not_whole from None
        if value < 0 or Decimal(text) != value:
            raise not_whole
        return value

    check("complaints_count", count)
    check(
        "complaints_per_1000_homes",
        lambda t: _decimal(t, NUMBER_REFUSALS["complaints_per_1000_homes"]),
    )

    def critical(text):
        if text.lower() in YES:
            return True
        if text.lower() in NO:
            return False
        raise CellRefused(
            _("Row %(row)s: business critical '%(value)s' should be yes or no."), value=text
        )

    check("business_critical", critical)
    return parsed


def measures_parse(*, data: bytes, filename: str) -> MeasureImport:
    """Read a file of measures and check every row, saving nothing."""
    result = MeasureImport()
    try:
        table = _read_table(data, filename)
    except ImportRefused as error:
        result.errors.append(str(error))
        return result
    table = [row for row in table if any(cell for cell in row)]
    if not table:
        result.errors.append(_("The file is empty."))
        return result
    header = [cell.strip().lower().replace(" ", "_") for cell in table[0]]
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        # Translators: the columns are the names a file's first row gives, as they are written.
        refusal = _("The first row must name the columns; missing: %(columns)s.")
        result.errors.append(refusal % {"columns": ", ".join(missing)})
        return result
    unknown = [name for name in header if name and name not in COLUMNS]
    if unknown:
        result.errors.append(_("Unknown columns: %(columns)s.") % {"columns": ", ".join(unknown)})
    if len(table) - 1 > MAX_ROWS:
        result.errors.append(
            _("The file has more than %(rows)s rows: split it.") % {"rows": MAX_ROWS}
        )
        return result
    areas = {}
    for area in BusinessArea.objects.all():
        areas[area.name.lower()] = area
        areas[area.slug.lower()] = area
    seen = {}
    for number, cells in enumerate(table[1:], start=2):
        row = {name: (cells[i] if i < len(cells) else "") for i, name in enumerate(header) if name}
        parsed = _parse_row(number, row, areas)
        values = parsed.values
        if not parsed.errors:
            key = (values["business_area"].pk, values["financial_year"], values["period"])
            if key in seen:
                parsed.errors.append(
                    _("Row %(row)s: the same area, year and period as row %(other)s.")
                    % {"row": number, "other": seen[key]}
                )
            seen[key] = number
        result.rows.append(parsed)
    if not result.rows:
        result.errors.append(_("The file has no measures in it."))
    if not result.errors:
        _mark_replacements(result)
    return result


def _mark_replacements(result: MeasureImport) -> None:
    keys = Q(pk__in=[])
    for row in result.rows:
        if not row.errors:
            values = row.values
            keys |= Q(
                business_area=values["business_area"],
                financial_year=values["financial_year"],
                period=values["period"],
            )
    existing = set(
        Measure.objects.filter(keys).values_list("business_area", "financial_year", "period")
    )
    for row in result.rows:
        if not row.errors:
            values = row.values
            key = (values["business_area"].pk, values["financial_year"], values["period"])
            row.replaces = key in existing


def measures_import(*, data: bytes, filename: str, user) -> MeasureImport:
    """Save the measures in a file if every row is right; otherwise save nothing."""
    if not permissions.may_import_measures(user):
        raise PermissionDenied(_("Only scrutiny officers may import measures."))
    result = measures_parse(data=data, filename=filename)
    if not result.valid:
        return result
    from .scoring import matrix_rescore

    with transaction.atomic():
        last = None
        for row in result.rows:
            values = dict(row.values)
            key = {name: values.pop(name) for name in ("business_area", "financial_year", "period")}
            measure = Measure.objects.filter(**key).first() or Measure(**key)
            for name, value in values.items():
                setattr(measure, name, value)
            measure.entered_by = user
            measure._history_user = user
            measure.full_clean()
            measure.save()
            last = measure
            result.saved += 1
        log(
            instance=last,
            action="scrutiny.measure.import",
            user=user,
            data={"file": filename[:200], "rows": result.saved},
        )
        matrix_rescore(instance=None, user=user, change="measures imported")
    return result
