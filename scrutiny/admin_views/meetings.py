"""Admin for panel meetings (agendas, cancelling, printing) and the reasons for not accepting."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Case, Count, IntegerField, Value, When
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST
from django.views.defaults import permission_denied as file_refused
from wagtail.admin.ui.tables import BooleanColumn, Column, StatusTagColumn, TitleColumn
from wagtail.admin.widgets.button import Button
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet

from .. import permissions, pipeline
from ..models import (
    CallForScrutiny,
    CallStatus,
    MeetingStatus,
    NotAcceptedReason,
    PanelMeeting,
    ScrutinySettings,
)
from . import history as history_views
from .choosers import chooser_for

# What the agenda says about a call. The resident's name and contact details are never loaded.
AGENDA_FIELDS = [
    "reference",
    "status",
    "business_area__name",
    "concerns",
    "service_failures",
    "actions_taken",
    "complaint_stage",
    "complaint_finished",
    "households_affected",
    "others_affected",
    "awaiting_panel_since",
    "submitted_at",
]


def url_for(name: str, *args) -> str:
    """The address of one of the meeting viewset's views."""
    return reverse(PanelMeeting.snippet_viewset.get_url_name(name), args=args)


def agenda_calls(meeting: PanelMeeting) -> list[CallForScrutiny]:
    """The calls on a meeting's agenda, those still awaiting the panel first, without contacts."""
    return list(
        meeting.agenda_calls.select_related("business_area")
        .only(*AGENDA_FIELDS)
        .annotate(
            decided=Case(
                When(status=CallStatus.AWAITING_PANEL, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("decided", "awaiting_panel_since", "submitted_at", "pk")
    )


def agenda_notes(meeting: PanelMeeting) -> list[str]:
    """The other agenda items, one per non-empty line."""
    return [line.strip() for line in meeting.agenda_notes.splitlines() if line.strip()]


def when(meeting: PanelMeeting) -> str:
    """A meeting's date and time, for a listing."""
    return date_format(timezone.localtime(meeting.starts_at), "l j F Y, H:i")


class MeetingIndexView(snippet_views.IndexView):
    """The meetings listing; a meeting's title opens its agenda."""

    def _get_title_column(self, field_name, column_class=TitleColumn, **kwargs):
        column_class = self._get_title_column_class(column_class)
        return self._get_custom_column(
            field_name, column_class, get_url=self.get_inspect_url, **kwargs
        )


class MeetingSaveMixin:
    """Saves a meeting, then refreshes the agenda of the calls waiting for the panel.

    The status changes only through the cancel and held actions: the form never shows it, and
    a revision restored keeps the status the meeting has (StateOutsideRevisions).
    """

    def save_instance(self):
        meeting = super().save_instance()
        self.agenda_moved = pipeline.agenda_refresh(user=self.request.user)
        return meeting

    def get_success_message(self, instance=None):
        message = super().get_success_message(instance)
        moved = getattr(self, "agenda_moved", 0)
        if message and moved:
            on_agenda = ngettext(
                "%(count)s call awaiting the panel is now on the next formal meeting's agenda.",
                "%(count)s calls awaiting the panel are now on the next formal meeting's agenda.",
                moved,
            ) % {"count": moved}
            message = f"{message} {on_agenda}"
        return message


class MeetingCreateView(MeetingSaveMixin, snippet_views.CreateView):
    """Schedule a meeting, then put waiting calls on the next formal meeting."""


class MeetingEditView(MeetingSaveMixin, snippet_views.EditView):
    """Change a meeting's details, then check that waiting calls are on the right agenda."""


class MeetingInspectView(snippet_views.InspectView):
    """A meeting with its agenda (no residents' details) and the officers' actions on it."""

    def get_fields(self):
        # The template lays the meeting and its agenda out itself.
        return []

    @cached_property
    def header_more_buttons(self):
        return [
            *super().header_more_buttons,
            Button(
                _("Print agenda"),
                url=url_for("agenda", self.object.pk),
                icon_name="doc-full",
                priority=30,
            ),
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting = self.object
        user = self.request.user
        can_act = (
            permissions.may_change_meetings(user) and meeting.status == MeetingStatus.SCHEDULED
        )
        calls = agenda_calls(meeting)
        waiting = [call for call in calls if call.status == CallStatus.AWAITING_PANEL]
        replacement = None
        if can_act and waiting:
            replacement = pipeline.next_formal_meeting(
                after=max(meeting.starts_at, timezone.now()), excluding=meeting
            )
        context.update(
            {
                "meeting": meeting,
                "calls": calls,
                "waiting_count": len(waiting),
                "notes": agenda_notes(meeting),
                "attendees": meeting.attendees.order_by("first_name", "last_name", "username"),
                "can_act": can_act,
                "replacement": replacement,
                "show_call_links": permissions.may_view_calls(user),
                "cancel_url": url_for("cancel", meeting.pk),
                "held_url": url_for("held", meeting.pk),
                "print_url": url_for("agenda", meeting.pk),
            }
        )
        return context


def _viewable_meeting(request, pk: int) -> PanelMeeting:
    """The meeting, if this user may see meetings at all (Wagtail turns others away)."""
    if not permissions.may_view_meetings(request.user):
        raise PermissionDenied
    return get_object_or_404(PanelMeeting, pk=pk)


def _back(meeting: PanelMeeting):
    return redirect(url_for("inspect", meeting.pk))


@require_POST
def meeting_cancel(request, pk: int):
    """Cancel a scheduled meeting; the calls on its agenda move to the next formal meeting."""
    meeting = _viewable_meeting(request, pk)
    try:
        moved = pipeline.meeting_cancel(meeting=meeting, user=request.user)
    except (pipeline.TransitionNotAllowed, PermissionDenied) as error:
        messages.error(request, str(error))
        return _back(meeting)
    if not moved:
        messages.success(
            request,
            _("%(meeting)s is cancelled. It had no calls on its agenda.") % {"meeting": meeting},
        )
        return _back(meeting)
    replacement = pipeline.next_formal_meeting(after=max(meeting.starts_at, timezone.now()))
    if replacement is None:
        said = ngettext(
            "%(meeting)s is cancelled. %(count)s call will go on the next formal meeting once "
            "one is scheduled.",
            "%(meeting)s is cancelled. %(count)s calls will go on the next formal meeting once "
            "one is scheduled.",
            moved,
        )
    else:
        said = ngettext(
            "%(meeting)s is cancelled. %(count)s call moved to %(replacement)s.",
            "%(meeting)s is cancelled. %(count)s calls moved to %(replacement)s.",
            moved,
        )
    messages.success(
        request, said % {"meeting": meeting, "count": moved, "replacement": replacement}
    )
    return _back(meeting)


@require_POST
def meeting_mark_held(request, pk: int):
    """Record that a scheduled meeting took place."""
    meeting = _viewable_meeting(request, pk)
    try:
        meeting = pipeline.meeting_mark_held(meeting=meeting, user=request.user)
    except (pipeline.TransitionNotAllowed, PermissionDenied) as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("%(meeting)s is recorded as held.") % {"meeting": meeting})
    return _back(meeting)


def meeting_agenda_print(request, pk: int):
    """A meeting's agenda as a standalone page to print: no residents' names or contacts."""
    if not permissions.may_view_meetings(request.user):
        # A plain 403 rather than Wagtail's redirect to the dashboard: this page stands alone.
        return file_refused(request, PermissionDenied())
    meeting = get_object_or_404(PanelMeeting, pk=pk)
    config = ScrutinySettings.load()
    response = render(
        request,
        "scrutiny/admin/meeting_agenda_print.html",
        {
            "meeting": meeting,
            "calls": agenda_calls(meeting),
            "notes": agenda_notes(meeting),
            "organisation_name": config.organisation_name,
            "panel_name": config.panel_name,
            "back_url": url_for("inspect", meeting.pk),
        },
    )
    response["Cache-Control"] = "private, no-store"
    return response


class MeetingHistoryView(history_views.TimelineHistoryMixin, snippet_views.HistoryView):
    """The meeting's one timeline, in place of Wagtail's raw log."""


class PanelMeetingViewSet(SnippetViewSet):
    """Panel meetings, with their agendas; the status changes only through the actions."""

    model = PanelMeeting
    history_view_class = MeetingHistoryView
    icon = "date"
    menu_label = gettext_lazy("Panel meetings")
    chooser_viewset_class = chooser_for(permissions.VIEW_MEETINGS)
    index_view_class = MeetingIndexView
    add_view_class = MeetingCreateView
    edit_view_class = MeetingEditView
    inspect_view_class = MeetingInspectView
    inspect_view_enabled = True
    inspect_template_name = "scrutiny/admin/meeting_inspect.html"
    # A copy would carry the old meeting's status and skip the agenda check.
    copy_view_enabled = False
    # Newest first: the meetings to come at the top, then the most recent.
    ordering = "-starts_at"
    list_display = [
        "__str__",
        Column("starts_at", label=gettext_lazy("When"), accessor=when, sort_key="starts_at"),
        Column("kind", label=gettext_lazy("Kind"), accessor="get_kind_display", sort_key="kind"),
        StatusTagColumn(
            "get_status_display",
            label=gettext_lazy("Status"),
            sort_key="status",
            primary=lambda meeting: meeting.status == MeetingStatus.SCHEDULED,
        ),
        "place",
        Column("agenda_count", label=gettext_lazy("Calls on the agenda"), sort_key="agenda_count"),
    ]
    list_filter = ["kind", "status"]
    search_fields = ["title", "place", "minutes"]
    # Plain lookups: the search index cannot match part of a word in a title or place.
    search_backend_name = None

    def get_queryset(self, request):
        return PanelMeeting.objects.annotate(agenda_count=Count("agenda_calls"))

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("agenda/<int:pk>/", meeting_agenda_print, name="agenda"),
            path("cancel/<int:pk>/", meeting_cancel, name="cancel"),
            path("held/<int:pk>/", meeting_mark_held, name="held"),
        ]


class NotAcceptedReasonViewSet(SnippetViewSet):
    """The coded reasons the panel gives when it does not accept a call yet."""

    model = NotAcceptedReason
    icon = "list-ul"
    menu_label = gettext_lazy("Reasons for not accepting")
    chooser_viewset_class = chooser_for(permissions.VIEW_NOT_ACCEPTED_REASONS)
    # Officers drag the reasons into the order the panel sees them in.
    sort_order_field = "sort_order"
    ordering = "sort_order"
    list_display = ["label", "code", BooleanColumn("active", label=gettext_lazy("Active"))]
    list_filter = ["active"]
    search_fields = ["label", "code"]
    copy_view_enabled = False
