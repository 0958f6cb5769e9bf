"""Admin for measures (with their import), the scoring matrix, and the ranking and programme.

Officers keep measures and the matrix; officers and panel members score and schedule;
managers see everything here without changing it.
"""

import base64

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin.auth import permission_denied
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.widgets.button import HeaderButton
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet

from .. import permissions, pipeline, selectors
from ..financial_years import current_financial_year, financial_year_bounds, financial_year_label
from ..models import (
    Measure,
    Score,
    ScoringCriterion,
    ScrutinySettings,
)
from .choosers import chooser_for

IMPORT_MAX_BYTES = 2 * 1024 * 1024
IMPORT_SESSION_KEY = "scrutiny_measure_import"


# Measures.


def measure_year(measure: Measure) -> str:
    return measure.financial_year_label


def _figure(name):
    def accessor(measure):
        value = getattr(measure, name)
        return (
            "—"
            if value is None
            else f"{value.normalize():f}"
            if hasattr(value, "normalize")
            else value
        )

    return accessor


class MeasureIndexView(snippet_views.IndexView):
    """The measures listing, with a button to import a file."""

    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if permissions.may_import_measures(self.request.user):
            buttons.append(
                HeaderButton(
                    _("Import measures"),
                    url=reverse(Measure.snippet_viewset.get_url_name("import")),
                    icon_name="upload",
                )
            )
        return buttons


class MeasureSaveMixin:
    """Records who entered a measure's figures."""

    def save_instance(self):
        self.form.instance.entered_by = self.request.user
        return super().save_instance()


class MeasureCreateView(MeasureSaveMixin, snippet_views.CreateView):
    """Enter a business area's figures for a period."""


class MeasureEditView(MeasureSaveMixin, snippet_views.EditView):
    """Correct a business area's figures for a period."""


class MeasureUploadForm(forms.Form):
    """A CSV or XLSX file of measures."""

    file = forms.FileField(
        label=gettext_lazy("CSV or Excel file"),
        help_text=gettext_lazy(
            "The first row names the columns: business_area, financial_year, period, "
            "tsm_code, performance_percent, satisfaction_percent, complaints_count, "
            "complaints_per_1000_homes, business_critical. You see a preview before anything "
            "is saved."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )


class MeasureImportView(WagtailAdminTemplateMixin, TemplateView):
    """Upload a file, see every row with its errors, then confirm: all rows or none are saved."""

    template_name = "scrutiny/admin/measure_import.html"
    page_title = gettext_lazy("Import measures")
    header_icon = "upload"

    def dispatch(self, request, *args, **kwargs):
        if not permissions.may_import_measures(request.user):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            *super().get_breadcrumbs_items(),
            {
                "url": reverse(Measure.snippet_viewset.get_url_name("list")),
                "label": _("Measures"),
            },
            {"url": "", "label": self.page_title},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", MeasureUploadForm())
        context["action_url"] = self.request.path
        return context

    def post(self, request):
        if "confirm" in request.POST:
            return self.confirm(request)
        form = MeasureUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        upload = form.cleaned_data["file"]
        if upload.size > IMPORT_MAX_BYTES:
            form.add_error("file", _("The file is too large: split it into files under 2 MB."))
            return self.render_to_response(self.get_context_data(form=form))
        data = upload.read()
        result = pipeline.measures_parse(data=data, filename=upload.name)
        if result.valid:
            request.session[IMPORT_SESSION_KEY] = {
                "name": upload.name,
                "data": base64.b64encode(data).decode("ascii"),
            }
        else:
            request.session.pop(IMPORT_SESSION_KEY, None)
        return self.render_to_response(
            self.get_context_data(result=result, filename=upload.name, form=MeasureUploadForm())
        )

    def confirm(self, request):
        stored = request.session.pop(IMPORT_SESSION_KEY, None)
        if stored is None:
            messages.error(request, _("Upload the file again: the preview has expired."))
            return redirect(request.path)
        try:
            result = pipeline.measures_import(
                data=base64.b64decode(stored["data"]), filename=stored["name"], user=request.user
            )
        except PermissionDenied as error:
            messages.error(request, str(error))
            return redirect(request.path)
        if not result.valid:
            messages.error(request, _("Nothing was saved: the file has mistakes."))
            return self.render_to_response(
                self.get_context_data(result=result, filename=stored["name"])
            )
        messages.success(
            request,
            ngettext(
                "%(count)s measure saved from %(file)s; scores recalculated.",
                "%(count)s measures saved from %(file)s; scores recalculated.",
                result.saved,
            )
            % {"count": result.saved, "file": stored["name"]},
        )
        return redirect(reverse(Measure.snippet_viewset.get_url_name("list")))


class MeasureViewSet(SnippetViewSet):
    """Business areas' measures per period, entered by officers or imported from a file."""

    model = Measure
    icon = "table"
    menu_label = gettext_lazy("Measures")
    chooser_viewset_class = chooser_for(permissions.VIEW_MEASURES)
    index_view_class = MeasureIndexView
    add_view_class = MeasureCreateView
    edit_view_class = MeasureEditView
    copy_view_enabled = False
    list_display = [
        "business_area",
        Column(
            "financial_year",
            label=gettext_lazy("Year"),
            accessor=measure_year,
            sort_key="financial_year",
        ),
        Column(
            "period", label=gettext_lazy("Period"), accessor="get_period_display", sort_key="period"
        ),
        Column("tsm_code", label=gettext_lazy("TSM code")),
        Column(
            "performance_percent",
            label=gettext_lazy("Performance %"),
            accessor=_figure("performance_percent"),
        ),
        Column(
            "satisfaction_percent",
            label=gettext_lazy("Satisfaction %"),
            accessor=_figure("satisfaction_percent"),
        ),
        Column(
            "complaints_count",
            label=gettext_lazy("Complaints"),
            accessor=_figure("complaints_count"),
        ),
        Column(
            "complaints_per_1000_homes",
            label=gettext_lazy("Per 1,000 homes"),
            accessor=_figure("complaints_per_1000_homes"),
        ),
        BooleanColumn("business_critical", label=gettext_lazy("Business critical")),
    ]
    list_filter = ["business_area", "financial_year", "period"]
    search_fields = ["business_area__name", "tsm_code"]
    search_backend_name = None
    ordering = ["-financial_year", "business_area__name", "period"]

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("import/", MeasureImportView.as_view(), name="import"),
        ]


def criterion_bands(criterion: ScoringCriterion) -> str:
    return "; ".join(f"{band.describe()} = {band.points}" for band in criterion.bands.all())


class ScoringCriterionViewSet(SnippetViewSet):
    """The scoring matrix: each criterion's measure, bands and weight."""

    model = ScoringCriterion
    icon = "list-ol"
    menu_label = gettext_lazy("Scoring matrix")
    chooser_viewset_class = chooser_for(permissions.VIEW_CRITERIA)
    copy_view_enabled = False
    sort_order_field = "sort_order"
    ordering = "sort_order"
    list_display = [
        "name",
        Column(
            "measure_field", label=gettext_lazy("Measure"), accessor="get_measure_field_display"
        ),
        Column("weight", label=gettext_lazy("Weight")),
        Column("bands", label=gettext_lazy("Bands (points)"), accessor=criterion_bands),
        BooleanColumn("active", label=gettext_lazy("Active")),
    ]
    list_filter = ["active"]

    def get_queryset(self, request):
        return ScoringCriterion.objects.prefetch_related("bands")


# The ranking and the programme.


def programme_url(year: int | None = None) -> str:
    if year is None:
        return reverse("scrutiny_programme:index")
    return reverse("scrutiny_programme:year", args=[year])


class ProgrammeView(WagtailAdminTemplateMixin, TemplateView):
    """A year's ranking, highest score first, with each breakdown and the programme so far."""

    template_name = "scrutiny/admin/programme.html"
    header_icon = "tasks"

    def dispatch(self, request, year: int | None = None):
        if not permissions.may_view_scores(request.user):
            return permission_denied(request)
        self.year = year or current_financial_year()
        return super().dispatch(request)

    def get_page_title(self):
        return _("Ranking and programme %(year)s") % {"year": financial_year_label(self.year)}

    def get_breadcrumbs_items(self):
        return [*super().get_breadcrumbs_items(), {"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        config = ScrutinySettings.load()
        reviews = list(selectors.programme_reviews(self.year))
        shortfall = max(0, config.minimum_reviews_per_year - len(reviews))
        if shortfall:
            messages.warning(
                self.request,
                ngettext(
                    "The %(year)s programme has %(count)s review; at least %(minimum)s are "
                    "needed each year.",
                    "The %(year)s programme has %(count)s reviews; at least %(minimum)s are "
                    "needed each year.",
                    len(reviews),
                )
                % {
                    "year": financial_year_label(self.year),
                    "count": len(reviews),
                    "minimum": config.minimum_reviews_per_year,
                },
            )
        first, last = financial_year_bounds(self.year)
        context.update(
            {
                "year": self.year,
                "year_label": financial_year_label(self.year),
                "first_day": first,
                "last_day": last,
                "scores": selectors.programme_ranking(self.year),
                "reviews": reviews,
                "minimum": config.minimum_reviews_per_year,
                "shortfall": shortfall,
                "bonus": config.community_call_bonus,
                "can_schedule": permissions.may_schedule(self.request.user),
                "previous_url": programme_url(self.year - 1),
                "next_url": programme_url(self.year + 1),
                "rescore_url": reverse("scrutiny_programme:rescore", args=[self.year]),
                "schedule_url_name": "scrutiny_programme:schedule",
                "matrix_url": reverse(ScoringCriterion.snippet_viewset.get_url_name("list")),
            }
        )
        return context


@require_POST
def programme_rescore(request, year: int):
    """Score every area and accepted call for the year that is not yet scheduled."""
    if not permissions.may_view_scores(request.user):
        return permission_denied(request)
    try:
        count = pipeline.scores_refresh(year=year, user=request.user)
    except PermissionDenied as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            ngettext(
                "%(count)s item scored for %(year)s.", "%(count)s items scored for %(year)s.", count
            )
            % {"count": count, "year": financial_year_label(year)},
        )
    return redirect(programme_url(year))


@require_POST
def programme_schedule(request, pk: int):
    """Schedule a scored item into its year's programme as a draft review."""
    if not permissions.may_view_scores(request.user):
        return permission_denied(request)
    score = get_object_or_404(Score, pk=pk)
    try:
        review = pipeline.programme_schedule(score=score, user=request.user)
    except (pipeline.TransitionNotAllowed, PermissionDenied) as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _(
                "“%(title)s” is in the %(year)s programme. Its page is a draft until it is "
                "published."
            )
            % {"title": review.title, "year": score.financial_year_label},
        )
    return redirect(programme_url(score.financial_year))


class ProgrammeMenuItem(MenuItem):
    """Shown to those who may see the ranking."""

    def is_shown(self, request):
        return permissions.may_view_scores(request.user)


class ProgrammeViewSet(ViewSet):
    """The ranking and the programme, one screen per financial year."""

    name = "scrutiny_programme"
    url_prefix = "scrutiny/programme"
    icon = "tasks"
    menu_label = gettext_lazy("Ranking and programme")
    menu_item_class = ProgrammeMenuItem

    def get_urlpatterns(self):
        return [
            path("", ProgrammeView.as_view(), name="index"),
            path("<int:year>/", ProgrammeView.as_view(), name="year"),
            path("<int:year>/rescore/", programme_rescore, name="rescore"),
            path("schedule/<int:pk>/", programme_schedule, name="schedule"),
        ]
