"""The yearly outcomes report in the admin: a year's figures with charts, its CSV, and the
public report page drafted or its figures refreshed.

Officers, panel members and managers see the figures; officers draft and refresh the page.
"""

import csv

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Min
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin.auth import permission_denied
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet

from .. import permissions, pipeline
from ..financial_years import current_financial_year, financial_year_label, financial_year_of
from ..models import CallForScrutiny, OutcomesReportPage, ScrutinySettings
from ..outcomes import (
    YearNotStarted,
    last_closed_financial_year,
    outcome_charts,
    outcomes_for_year,
)
from .calls import _csv_safe


def outcomes_url(year: int | None = None) -> str:
    url = reverse("scrutiny_outcomes:index")
    return url if year is None else f"{url}?year={year}"


def available_years() -> list[int]:
    """The financial years that may be chosen, oldest first: from the first call to this year."""
    current = current_financial_year()
    first_call = CallForScrutiny.objects.aggregate(first=Min("submitted_at"))["first"]
    first = financial_year_of(timezone.localdate(first_call)) if first_call else current
    return list(range(min(first, current - 1), current + 1))


class OutcomesYearForm(forms.Form):
    """Which financial year to show."""

    year = forms.IntegerField(
        label=gettext_lazy("Financial year"),
        error_messages={
            "required": gettext_lazy("Choose a financial year."),
            "invalid": gettext_lazy("Choose a financial year from the list."),
        },
    )

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.years = years
        self.fields["year"].widget = forms.Select(
            choices=[(year, financial_year_label(year)) for year in reversed(years)]
        )

    def clean_year(self):
        year = self.cleaned_data["year"]
        first, last = self.years[0], self.years[-1]
        if year > last:
            raise ValidationError(
                _("%(year)s has not started yet: choose %(last)s or an earlier year.")
                % {"year": financial_year_label(year), "last": financial_year_label(last)}
            )
        if year < first:
            raise ValidationError(
                _("There are no figures before %(first)s: choose it or a later year.")
                % {"first": financial_year_label(first)}
            )
        return year


class OutcomesView(WagtailAdminTemplateMixin, TemplateView):
    """A year's outcome figures, with charts, the CSV and the public report page."""

    template_name = "scrutiny/admin/outcomes.html"
    page_title = gettext_lazy("Outcomes report")
    header_icon = "doc-full"

    def dispatch(self, request, *args, **kwargs):
        if not permissions.may_view_outcomes(request.user):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*super().get_breadcrumbs_items(), {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        years = available_years()
        default = last_closed_financial_year()
        if "year" in self.request.GET:
            form = OutcomesYearForm(self.request.GET, years=years)
        else:
            form = OutcomesYearForm({"year": default}, years=years)
        context["form"] = form
        if not form.is_valid():
            return context
        year = form.cleaned_data["year"]
        outcomes = outcomes_for_year(year)
        report = OutcomesReportPage.objects.filter(financial_year=year).first()
        context.update(
            {
                "outcomes": outcomes,
                "charts": outcome_charts(outcomes),
                "csv_url": reverse("scrutiny_outcomes:csv", args=[year]),
                "report": report,
                "report_outcomes": report.outcomes if report else None,
                "can_refresh": permissions.may_refresh_outcomes(self.request.user),
                "report_url": reverse("scrutiny_outcomes:report", args=[year]),
                "organisation": ScrutinySettings.load().organisation_name,
            }
        )
        return context


def _year_or_none(request, year: int) -> int | None:
    if year not in available_years():
        messages.error(
            request,
            _("There are no outcome figures for %(year)s: choose a year from the list.")
            % {"year": financial_year_label(year)},
        )
        return None
    return year


def outcomes_csv(request, year: int):
    """The figures of a year as a CSV file, for a spreadsheet."""
    if not permissions.may_view_outcomes(request.user):
        return permission_denied(request)
    if _year_or_none(request, year) is None:
        return redirect(outcomes_url())
    try:
        outcomes = outcomes_for_year(year)
    except YearNotStarted as error:
        messages.error(request, str(error))
        return redirect(outcomes_url())
    label = outcomes.year_label
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"scrutiny-outcomes-{label.replace('/', '-')}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    organisation = ScrutinySettings.load().organisation_name
    rows = [
        (_("Scrutiny outcomes"), organisation),
        (_("Financial year"), label),
        (_("First day"), outcomes.first_day.isoformat()),
        (_("Last day"), outcomes.last_day.isoformat()),
        (_("Figures taken on"), outcomes.taken_on.isoformat()),
        (_("Year closed"), _("yes") if outcomes.closed else _("no, figures so far")),
        (),
        (_("Figure"), _("Value")),
        *outcomes.rows(),
    ]
    for row in rows:
        writer.writerow([_csv_safe(cell) for cell in row])
    return response


@require_POST
def outcomes_report(request, year: int):
    """Draft the year's public report page, or take the figures of its draft again."""
    if not permissions.may_view_outcomes(request.user):
        return permission_denied(request)
    if _year_or_none(request, year) is None:
        return redirect(outcomes_url())
    report = OutcomesReportPage.objects.filter(financial_year=year).first()
    try:
        if report is None:
            report, _created = pipeline.outcomes_report_draft(year=year, user=request.user)
            done = _("“%(title)s” drafted with today's figures. Communications publish it.") % {
                "title": report.title
            }
        else:
            report = pipeline.outcomes_report_refresh(page=report, user=request.user)
            done = _("The figures in “%(title)s” were taken again.") % {"title": report.title}
    except (pipeline.TransitionNotAllowed, PermissionDenied, YearNotStarted) as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)
    return redirect(outcomes_url(year))


class OutcomesMenuItem(MenuItem):
    """Shown to those who may see the outcome figures."""

    def is_shown(self, request):
        return permissions.may_view_outcomes(request.user)


class OutcomesViewSet(ViewSet):
    """The yearly outcomes report: one screen, any financial year."""

    name = "scrutiny_outcomes"
    url_prefix = "scrutiny/outcomes"
    icon = "doc-full"
    menu_label = gettext_lazy("Outcomes report")
    menu_item_class = OutcomesMenuItem

    def get_urlpatterns(self):
        return [
            path("", OutcomesView.as_view(), name="index"),
            path("<int:year>/csv/", outcomes_csv, name="csv"),
            path("<int:year>/report/", outcomes_report, name="report"),
        ]
