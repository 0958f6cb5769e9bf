"""The History area: every change to the process's records, newest first, and each record's own."""

import csv

from django import forms
from django.core.paginator import Paginator
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, path, reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.auth import permission_denied
from wagtail.admin.menu import MenuItem
from wagtail.admin.utils import get_user_display_name
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.models import RevisionsCompareView
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.widgets import Button
from wagtail.models import Page

from .. import history, permissions, timeline

PAGE_SIZE = 50


def record_history_url(kind_slug: str, pk) -> str:
    """The address of one record's own history."""
    return reverse("scrutiny_history:record", args=(kind_slug, pk))


def history_url_for(instance, user) -> str:
    """The address of an object's history, for a user who may read it; else empty."""
    kind = history.kind_for_model(type(instance))
    if kind is None or instance.pk is None or not permissions.may_view_history(user):
        return ""
    return record_history_url(kind.slug, instance.pk)


def admin_url_for(obj) -> str:
    """The admin page that shows a record (its inspect or edit view, or its page editor)."""
    if obj is None:
        return ""
    viewset = getattr(type(obj), "snippet_viewset", None)
    try:
        if viewset is not None:
            view = "inspect" if viewset.inspect_view_enabled else "edit"
            return reverse(viewset.get_url_name(view), args=(obj.pk,))
        if obj._meta.label == "scrutiny.ScrutinySettings":
            return reverse("wagtailsettings:edit", args=("scrutiny", "scrutinysettings"))
    except NoReverseMatch:
        return ""
    return ""


class HistoryFilterForm(forms.Form):
    """The History area's filters: kind of record, person, dates and one record."""

    kind = forms.ChoiceField(label=gettext_lazy("Kind of record"), required=False)
    person = forms.ChoiceField(label=gettext_lazy("Who"), required=False)
    date_from = forms.DateField(
        label=gettext_lazy("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=gettext_lazy("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    record = forms.CharField(
        label=gettext_lazy("Record number or reference"),
        required=False,
        max_length=30,
        help_text=gettext_lazy(
            "A call's or an appeal's reference (CCS-2026-0013, APL-2026-0002), "
            "or a record's number with a kind of record chosen."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = history.history_kinds()
        self.fields["kind"].choices = [
            ("", _("Every kind")),
            *sorted(((slug, str(kind.name)) for slug, kind in kinds.items()), key=lambda c: c[1]),
            (history.PAGE_KIND, _("Programme and review pages")),
        ]
        self.fields["person"].choices = [
            ("", _("Anyone")),
            ("system", _("The system (tasks, commands, residents' forms)")),
            *((str(user.pk), get_user_display_name(user)) for user in history.history_people()),
        ]

    def clean_record(self):
        return self.cleaned_data["record"].strip()

    def clean(self):
        cleaned = super().clean()
        record = cleaned.get("record")
        if record and not record.isdigit():
            found = history.find_by_reference(record, kind=cleaned.get("kind") or None)
            if found is None:
                self.add_error(
                    "record",
                    _(
                        "No record has the reference “%(reference)s”. A reference looks like "
                        "CCS-2026-0013 (a call) or APL-2026-0002 (an appeal); other records "
                        "are found by their number, with a kind of record chosen."
                    )
                    % {"reference": record},
                )
            else:
                cleaned["kind"], cleaned["record"] = found
        elif record and not cleaned.get("kind"):
            self.add_error("record", _("Choose the kind of record as well as its number."))
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date cannot be before the start date."))
        return cleaned

    def filters(self) -> history.HistoryFilters:
        """The filters chosen, or none if the form is not valid."""
        if not self.is_valid():
            return history.HistoryFilters()
        data = self.cleaned_data
        return history.HistoryFilters(
            kinds=[data["kind"]] if data["kind"] else [],
            person=data["person"] or None,
            date_from=data["date_from"],
            date_to=data["date_to"],
            record=data["record"] or None,
        )


class HistoryView(WagtailAdminTemplateMixin, TemplateView):
    """Every change, newest first, filtered and paginated; or one record's versions."""

    template_name = "scrutiny/admin/history.html"
    header_icon = "history"
    page_title = gettext_lazy("History")

    def dispatch(self, request, kind: str | None = None, pk: str | None = None):
        if not permissions.may_view_history(request.user):
            return permission_denied(request)
        data = request.GET.copy()
        if kind is not None:
            known = {*history.history_kinds(), history.PAGE_KIND}
            if kind not in known:
                raise Http404(_("No such kind of record."))
            data["kind"], data["record"] = kind, pk
        self.record_kind, self.record_pk = kind, pk
        self.form = HistoryFilterForm(data)
        self.filters = self.form.filters()
        if request.GET.get("export") == "csv":
            return self.export()
        return super().dispatch(request)

    def get_page_subtitle(self):
        if self.record_kind:
            return self.record_title
        return ""

    def get_breadcrumbs_items(self):
        index = {"url": reverse("scrutiny_history:index"), "label": _("History")}
        items = [*super().get_breadcrumbs_items(), index]
        if self.record_kind:
            items.append({"url": "", "label": self.record_title})
        return items

    def _record(self):
        """The record's title and the live object, if this is one record's history."""
        if self.record_kind == history.PAGE_KIND:
            from wagtail.models import Page

            page = Page.objects.filter(pk=self.record_pk).first()
            return (page.title if page else _("Page #%(pk)s") % {"pk": self.record_pk}), page
        kind = history.history_kinds()[self.record_kind]
        obj = history.record_object(kind, self.record_pk)
        if obj is not None:
            latest = (
                kind.history_model.objects.filter(id=self.record_pk)
                .order_by("-history_date", "-history_id")
                .select_related(*kind.related)
                .first()
            )
            title = kind.record_title(latest) if latest else str(obj)
        else:
            latest = (
                kind.history_model.objects.filter(id=self.record_pk)
                .select_related(*kind.related)
                .first()
            )
            title = (
                kind.record_title(latest)
                if latest
                else _("%(kind)s #%(pk)s") % {"kind": kind.name, "pk": self.record_pk}
            )
        return _("%(kind)s: %(title)s") % {"kind": kind.name, "title": title}, obj

    def _timeline_object(self):
        """The live record whose timeline is asked for (one record, not a page), or None."""
        filters = self.filters
        if not filters.record or len(filters.kinds) != 1 or filters.kinds[0] == history.PAGE_KIND:
            return None
        kind = history.history_kinds().get(filters.kinds[0])
        return history.record_object(kind, filters.record) if kind else None

    def _timeline(self, obj) -> list:
        """One record's timeline (field history and Wagtail's log merged), as filtered."""
        filters = self.filters
        entries = timeline.record_timeline(obj, user=self.request.user)
        if filters.person == "system":
            entries = [entry for entry in entries if entry.user_id is None]
        elif filters.person:
            entries = [entry for entry in entries if str(entry.user_id) == str(filters.person)]
        if filters.date_from:
            entries = [e for e in entries if localtime(e.when).date() >= filters.date_from]
        if filters.date_to:
            entries = [e for e in entries if localtime(e.when).date() <= filters.date_to]
        return entries

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        obj = self._timeline_object()
        if obj is not None:
            paginator = Paginator(self._timeline(obj), PAGE_SIZE)
            page = paginator.get_page(self.request.GET.get("p"))
            entries = shown = list(page.object_list)
        else:
            paginator = Paginator(history.history_queryset(self.filters), PAGE_SIZE)
            page = paginator.get_page(self.request.GET.get("p"))
            entries = history.history_entries(page.object_list, user=self.request.user)
            shown = [entry for entry in entries if entry.shows_something]
        query = self.request.GET.copy()
        query.pop("p", None)
        query["export"] = "csv"
        context.update(
            {
                "form": self.form,
                "page_obj": page,
                "elided_page_range": paginator.get_elided_page_range(page.number),
                "entries": shown,
                "left_out": len(entries) - len(shown),
                "export_url": f"{self.request.path}?{query.urlencode()}",
                "record_kind": self.record_kind,
                "record_links": self.record_links() if self.record_kind else [],
                "timeline": obj is not None,
                "found_record": obj if obj is not None and not self.record_kind else None,
            }
        )
        return context

    @property
    def record_title(self) -> str:
        if not hasattr(self, "_record_cache"):
            self._record_cache = self._record()
        return self._record_cache[0]

    def record_links(self) -> list[tuple[str, str]]:
        """Links from one record's history to the record and to Wagtail's own history."""
        self.record_title  # noqa: B018 - loads the record once
        obj = self._record_cache[1]
        if obj is None:
            return []
        if self.record_kind == history.PAGE_KIND:
            return [
                (_("Edit the page"), reverse("wagtailadmin_pages:edit", args=(obj.pk,))),
            ]
        kind = history.history_kinds()[self.record_kind]
        links = []
        shown_on = history.parent_object(kind, obj)
        if url := admin_url_for(shown_on):
            links.append((_("Open the record"), url))
        viewset = getattr(type(obj), "snippet_viewset", None)
        if viewset is not None and hasattr(obj, "revisions"):
            try:
                url = reverse(viewset.get_url_name("history"), args=(obj.pk,))
            except NoReverseMatch:
                url = ""
            if url:
                links.append((_("Its Wagtail revisions and log, to compare"), url))
        return links

    def export(self):
        """The same entries as CSV, one line per field changed."""

        class Echo:
            def write(self, value):
                return value

        from .calls import _csv_safe

        writer = csv.writer(Echo())

        def lines():
            yield writer.writerow(
                [
                    _("When"),
                    _("Who"),
                    _("Kind"),
                    _("Record"),
                    _("Record number"),
                    _("Action"),
                    _("Field"),
                    _("Old"),
                    _("New"),
                ]
            )
            for entry in history.iter_history(self.filters, user=self.request.user):
                if not entry.shows_something:
                    continue
                start = [
                    localtime(entry.when).strftime("%Y-%m-%d %H:%M:%S"),
                    entry.who,
                    entry.kind_name,
                    entry.record_title,
                    entry.record_id,
                    entry.action,
                ]
                if not entry.changes:
                    yield writer.writerow([_csv_safe(value) for value in [*start, "", "", ""]])
                for change in entry.changes:
                    row = [*start, change.label, change.old, change.new]
                    yield writer.writerow([_csv_safe(value) for value in row])

        response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="history.csv"'
        response["Cache-Control"] = "private, no-store"
        return response


class PageRevisionsCompareView(RevisionsCompareView):
    """Two revisions of a page of the record side by side, field by field, for those who read
    the history (officers and managers; the panels and Communications do not).

    Wagtail's own compare view opens only to holders of a page permission in the tree, which
    managers do not hold: this is the same comparison, reached from the page's history. Each
    side is headed with when it was saved and by whom.
    """

    model = Page
    header_icon = "history"
    template_name = "scrutiny/admin/revisions_compare.html"

    def dispatch(self, request, *args, **kwargs):
        if not permissions.may_view_history(request.user):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)

    def get_object(self, queryset=None):
        return get_object_or_404(Page, pk=self.pk).specific

    def get_edit_handler(self):
        return self.object.get_edit_handler()

    def get_page_subtitle(self):
        return self.object.get_admin_display_title()

    def get_history_url(self):
        return record_history_url(history.PAGE_KIND, self.object.pk)

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("scrutiny_history:index"), "label": _("History")},
            {"url": self.get_history_url(), "label": self.get_page_subtitle()},
            {"url": "", "label": _("Compare"), "sublabel": self.get_page_subtitle()},
        ]

    @property
    def header_buttons(self):
        return []

    def _get_revision_and_heading(self, revision_id):
        revision = get_object_or_404(self.object.revisions, pk=revision_id)
        who = get_user_display_name(revision.user) if revision.user else history.SYSTEM
        saved = localtime(revision.created_at)
        heading = _("%(day)s at %(time)s, by %(who)s") % {
            "day": date_format(saved, "j F Y"),
            "time": date_format(saved, "H:i"),
            "who": who,
        }
        return revision.as_object(), heading


class TimelineHistoryMixin:
    """Wagtail's snippet History view showing the record's one timeline (the same entries as
    on a call's page and in the History area) instead of Wagtail's raw log."""

    template_name = "scrutiny/admin/record_timeline.html"
    results_template_name = "scrutiny/admin/record_timeline.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["timeline"] = timeline.record_timeline(self.object, user=user)
        context["history_url"] = history_url_for(self.object, user)
        return context


class HistoryMenuItem(MenuItem):
    """The History area's menu item, shown to those who may read the history."""

    def is_shown(self, request):
        return permissions.may_view_history(request.user)


class HistoryViewSet(ViewSet):
    """The History area: one listing of every change, and each record's own history."""

    name = "scrutiny_history"
    url_prefix = "scrutiny/history"
    icon = "history"
    menu_label = gettext_lazy("History")
    menu_item_class = HistoryMenuItem

    def get_urlpatterns(self):
        return [
            path("", HistoryView.as_view(), name="index"),
            path("<slug:kind>/<int:pk>/", HistoryView.as_view(), name="record"),
            path(
                "page/<int:pk>/compare/<int:revision_id_a>...<int:revision_id_b>/",
                PageRevisionsCompareView.as_view(),
                name="compare_page_revisions",
            ),
        ]


class ChangeHistoryButtonMixin:
    """Adds "Change history" to the header menu of a record's inspect and edit views."""

    def get_header_more_buttons(self):
        buttons = list(super().get_header_more_buttons())
        obj = getattr(self, "object", None)
        if obj is not None and (url := history_url_for(obj, self.request.user)):
            buttons.append(Button(_("Change history"), url=url, icon_name="history", priority=40))
        return buttons


def with_change_history_button(viewset) -> None:
    """Give a snippet viewset's inspect and edit views the "Change history" button."""
    if history.kind_for_model(viewset.model) is None:
        return
    for attribute in ("inspect_view_class", "edit_view_class"):
        view_class = getattr(viewset, attribute, None)
        if view_class is None or issubclass(view_class, ChangeHistoryButtonMixin):
            continue
        setattr(
            viewset,
            attribute,
            type(view_class.__name__, (ChangeHistoryButtonMixin, view_class), {}),
        )


def listing_button(instance, user) -> list:
    """A "Change history" item in the row menu of every listing of a record with history."""
    url = history_url_for(instance, user)
    if not url:
        return []
    # A plain Button goes in the row's "More" menu; a ListingButton would sit under the title.
    return [Button(_("Change history"), url=url, icon_name="history", priority=45)]
