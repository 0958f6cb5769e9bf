"""Importing measures from CSV or XLSX: a preview with row-by-row errors, then all or nothing."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook
from wagtail.models import ModelLogEntry

from scrutiny import pipeline
from scrutiny.financial_years import current_financial_year
from scrutiny.models import Measure
from tests.conftest import PASSWORD, make_business_area
from tests.scrutiny.builders import make_measure

pytestmark = pytest.mark.django_db

HEADER = (
    "business_area,financial_year,period,tsm_code,performance_percent,satisfaction_percent,"
    "complaints_count,complaints_per_1000_homes,business_critical\n"
)
GOOD = HEADER + (
    "Repairs and maintenance,2025/26,year,TP02,78.5,61,480,57.14,yes\n"
    "lettings,2025/26,q2,TP01,96,81%,30,3.57,no\n"
)
BAD = HEADER + (
    "Repairs and maintenance,2025/26,year,TP02,78.5,61,480,57.14,yes\n"
    "Lettings,2025/26,q5,TP01,lots,81,30,3.57,maybe\n"
    "Gardening,2025,year,,90,70,1,1,no\n"
)

URL = "wagtailsnippets_scrutiny_measure:import"


@pytest.fixture
def areas(db):
    return [make_business_area(), make_business_area("Lettings")]


def test_a_good_file_is_previewed_without_saving_then_saved(areas, staff):
    preview = pipeline.measures_parse(data=GOOD.encode(), filename="measures.csv")
    assert preview.valid
    assert [row.number for row in preview.rows] == [2, 3]
    assert not Measure.objects.exists()
    result = pipeline.measures_import(
        data=GOOD.encode(), filename="measures.csv", user=staff["officer"]
    )
    assert result.saved == 2
    repairs = Measure.objects.get(business_area=areas[0])
    assert repairs.financial_year == 2025
    assert repairs.performance_percent == Decimal("78.50")
    assert repairs.business_critical is True
    assert repairs.history.first().history_user == staff["officer"]
    lettings = Measure.objects.get(business_area=areas[1])
    assert (lettings.period, lettings.satisfaction_percent) == ("q2", Decimal("81.00"))
    assert ModelLogEntry.objects.filter(
        action="scrutiny.measure.import", user=staff["officer"]
    ).exists()


def test_a_malformed_row_is_reported_by_number_and_nothing_is_saved(areas, staff):
    result = pipeline.measures_import(
        data=BAD.encode(), filename="measures.csv", user=staff["officer"]
    )
    assert not result.valid
    assert result.saved == 0
    assert not Measure.objects.exists()
    assert result.rows[0].errors == []
    row3 = " ".join(result.rows[1].errors)
    assert row3.startswith("Row 3:")
    assert "q5" in row3 and "'lots' is not a number" in row3 and "'maybe'" in row3
    row4 = " ".join(result.rows[2].errors)
    assert "Row 4: there is no business area called 'Gardening'" in row4
    assert "Row 4: the financial year" not in row4  # 2025 alone is read as 2025/26


def test_an_import_replaces_the_same_period_and_says_so_in_the_preview(areas, staff):
    make_measure(areas[0], financial_year=2025, period="year", performance_percent=50)
    preview = pipeline.measures_parse(data=GOOD.encode(), filename="measures.csv")
    assert [row.replaces for row in preview.rows] == [True, False]
    pipeline.measures_import(data=GOOD.encode(), filename="measures.csv", user=staff["officer"])
    assert Measure.objects.count() == 2
    assert Measure.objects.get(business_area=areas[0]).performance_percent == Decimal("78.50")


def test_the_same_period_twice_in_a_file_is_refused(areas):
    data = GOOD + "Lettings,2025/26,q2,,90,70,1,1,no\n"
    result = pipeline.measures_parse(data=data.encode(), filename="m.csv")
    assert result.rows[2].errors == ["Row 4: the same area, year and period as row 3."]


def xlsx(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_an_excel_file_is_read_like_a_csv(areas, staff):
    data = xlsx(
        [
            [
                "Business area",
                "Financial year",
                "Period",
                "Satisfaction percent",
                "Complaints count",
            ],
            ["Lettings", "2026/27", "Q1", 72.5, 14],
        ]
    )
    result = pipeline.measures_import(data=data, filename="tsm.xlsx", user=staff["officer"])
    assert result.saved == 1
    measure = Measure.objects.get()
    assert (measure.financial_year, measure.period) == (2026, "q1")
    assert measure.satisfaction_percent == Decimal("72.50")
    assert measure.complaints_count == 14


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"\xff\xfe", "x.csv", "not a UTF-8 CSV"),
        (b"not a workbook", "x.xlsx", "not an Excel workbook"),
        (b"a,b\n", "x.txt", "Upload a CSV"),
        (b"period\nq1\n", "x.csv", "missing: business_area, financial_year"),
        (HEADER.encode(), "x.csv", "no measures"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_whole(areas, data, name, message):
    result = pipeline.measures_parse(data=data, filename=name)
    assert not result.valid
    assert message in " ".join(result.errors)


@pytest.mark.parametrize("role", ["panel", "manager", "comms"])
def test_only_officers_import(areas, staff, role):
    with pytest.raises(PermissionDenied):
        pipeline.measures_import(data=GOOD.encode(), filename="m.csv", user=staff[role])
    assert not Measure.objects.exists()


def test_the_admin_previews_errors_then_saves_nothing(client, areas, staff):
    assert client.login(username="officer", password=PASSWORD)
    response = client.post(
        reverse(URL), {"file": SimpleUploadedFile("measures.csv", BAD.encode(), "text/csv")}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Nothing will be saved" in html
    assert "Row 3:" in html and "Row 4:" in html
    assert "Save these measures" not in html
    # A confirm without a valid preview saves nothing.
    client.post(reverse(URL), {"confirm": "1"})
    assert not Measure.objects.exists()


def test_the_admin_previews_then_saves_on_confirm(client, areas, staff):
    assert client.login(username="officer", password=PASSWORD)
    response = client.post(
        reverse(URL), {"file": SimpleUploadedFile("measures.csv", GOOD.encode(), "text/csv")}
    )
    assert "Save these measures" in response.content.decode()
    assert not Measure.objects.exists()
    response = client.post(reverse(URL), {"confirm": "1"})
    assert response.status_code == 302
    assert Measure.objects.count() == 2
    assert Measure.objects.filter(entered_by=staff["officer"]).count() == 2


def test_an_officer_enters_a_measure_in_the_admin_and_it_is_scored(client, areas, staff):
    from scrutiny.models import Score

    year = current_financial_year()
    assert client.login(username="officer", password=PASSWORD)
    response = client.post(
        reverse("wagtailsnippets_scrutiny_measure:add"),
        {
            "business_area": areas[1].pk,
            "financial_year": year,
            "period": "year",
            "tsm_code": "TP01",
            "performance_percent": "70",
            "satisfaction_percent": "",
            "complaints_count": "",
            "complaints_per_1000_homes": "",
            "notes": "",
        },
    )
    assert response.status_code == 302
    measure = Measure.objects.get()
    assert measure.entered_by == staff["officer"]
    assert measure.history.first().history_user == staff["officer"]
    score = Score.objects.get(financial_year=year, business_area=areas[1])
    assert score.total == Decimal("9")  # below 80: 3 points x 3
    assert ModelLogEntry.objects.filter(
        action="scrutiny.matrix.rescore", user=staff["officer"], object_id=str(measure.pk)
    ).exists()
