"""Admin for members' time beyond meetings: training sessions and places, and logged time.

Officers add sessions, offer places, and record who attended; a member books or declines their
own place and logs their own time. Each change is a move of the process engine.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST
from wagtail.admin.auth import permission_denied
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.admin.ui.tables import Column, StatusTagColumn
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet

from .. import permissions, pipeline, selectors
from ..models import TimeEntry, TimeStatus, TrainingSession
from ..time_forms import TimeEntryForm, TrainingOfferForm
from .choosers import chooser_for
from .forms import AdminFormView
from .membership import InspectTitleIndexMixin


def session_url(name: str, *args) -> str:
    return reverse(TrainingSession.snippet_viewset.get_url_name(name), args=args)


def time_url(name: str, *args) -> str:
    return reverse(TimeEntry.snippet_viewset.get_url_name(name), args=args)


def _refused(request, error) -> None:
    messages.error(request, str(error))


def _moves_now(place, user) -> list:
    """The buttons this user may press on a place today: attendance only after the session,
    booking only before it."""
    allowed = []
    for move in pipeline.machine.available(place, user):
        try:
            pipeline.machine.check(place, move.name, user=user)
        except (pipeline.TransitionNotAllowed, PermissionDenied):
            continue
        allowed.append(move)
    return allowed


# Training.


class SessionIndexView(InspectTitleIndexMixin, snippet_views.IndexView):
    """Sessions, each opening its places; officers add them."""

    def get_add_url(self):
        if permissions.may_add_training(self.request.user):
            return session_url("add")
        return None


class SessionInspectView(snippet_views.InspectView):
    """A session, its places with the moves this user may make, and the offer form."""

    def get_fields(self):
        return []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        session = self.object
        user = self.request.user
        places = selectors.places_visible_to(user).filter(session=session)
        context.update(
            {
                "session": session,
                "places": [(place, _moves_now(place, user)) for place in places],
                "move_url_name": TrainingSession.snippet_viewset.get_url_name("place"),
                "offer_form": (
                    TrainingOfferForm(session=session)
                    if permissions.may_offer_training(user)
                    else None
                ),
                "offer_url": session_url("offer", session.pk),
            }
        )
        return context


@require_POST
def training_offer(request, pk: int):
    """Offer a session to the members chosen."""
    if not permissions.may_offer_training(request.user):
        return permission_denied(request)
    session = get_object_or_404(TrainingSession, pk=pk)
    form = TrainingOfferForm(request.POST, session=session)
    if not form.is_valid():
        messages.error(request, _("Choose at least one member to offer a place to."))
    else:
        places = pipeline.training_offer(
            session=session, members=form.cleaned_data["members"], user=request.user
        )
        messages.success(
            request,
            ngettext("%(count)s place offered.", "%(count)s places offered.", len(places))
            % {"count": len(places)},
        )
    return redirect(session_url("inspect", session.pk))


@require_POST
def training_place_move(request, pk: int):
    """Book, decline, or record attendance at a place: whoever the engine allows."""
    place = get_object_or_404(selectors.places_visible_to(request.user), pk=pk)
    move = request.POST.get("move", "")
    try:
        place = pipeline.training_place_move(place=place, move=move, user=request.user)
    except (pipeline.TransitionNotAllowed, PermissionDenied) as error:
        _refused(request, error)
    else:
        messages.success(
            request,
            _("%(member)s: %(status)s.")
            % {"member": place.member, "status": place.get_status_display().lower()},
        )
    return redirect(session_url("inspect", place.session_id))


class TrainingSessionViewSet(SnippetViewSet):
    """Training sessions: officers add them and offer places; members book their own."""

    model = TrainingSession
    icon = "doc-full"
    menu_label = gettext_lazy("Training")
    chooser_viewset_class = chooser_for(permissions.VIEW_TRAINING)
    index_view_class = SessionIndexView
    inspect_view_class = SessionInspectView
    inspect_view_enabled = True
    inspect_template_name = "scrutiny/admin/training_session_inspect.html"
    copy_view_enabled = False
    panels = [
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("held_on"), FieldPanel("hours")]),
        FieldRowPanel([FieldPanel("provider"), FieldPanel("cost")]),
        FieldPanel("description"),
    ]
    list_display = [
        "title",
        Column("held_on", label=gettext_lazy("Date"), sort_key="held_on"),
        Column("provider", label=gettext_lazy("Provider")),
        Column("hours", label=gettext_lazy("Hours")),
    ]

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("offer/<int:pk>/", training_offer, name="offer"),
            path("place/<int:pk>/", training_place_move, name="place"),
        ]


# Logged time.


class OwnTimeMixin:
    """Only time this user may see: any view of one entry answers 404 for another's."""

    def get_base_object_queryset(self):
        return selectors.time_visible_to(self.request.user)

    def get_object(self, queryset=None):
        return get_object_or_404(selectors.time_visible_to(self.request.user), pk=self.pk)


class TimeIndexView(InspectTitleIndexMixin, snippet_views.IndexView):
    """Logged time: everyone's for officers, one's own for a member."""

    def get_base_queryset(self):
        return selectors.time_visible_to(self.request.user)

    def get_add_url(self):
        user = self.request.user
        if permissions.may_log_time_for_others(user) or (
            permissions.may_log_time(user) and hasattr(user, "panel_member")
        ):
            return time_url("add")
        return None


class TimeInspectView(OwnTimeMixin, snippet_views.InspectView):
    def get_fields(self):
        return []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            {
                "entry": self.object,
                "moves": pipeline.machine.available(self.object, self.request.user),
                "withdraw_url": time_url("withdraw", self.object.pk),
            }
        )
        return context


class TimeHistoryView(OwnTimeMixin, snippet_views.HistoryView):
    pass


class TimeUsageView(OwnTimeMixin, snippet_views.UsageView):
    pass


class TimeCreateView(AdminFormView):
    """A member logs their time; an officer logs it for a member who asks."""

    header_icon = "time"
    page_title = gettext_lazy("Log time")
    submit_button_label = gettext_lazy("Log the time")
    invalid_message = gettext_lazy("The time could not be logged. Check the messages below.")
    date_fields = ("worked_on",)

    def may_open(self, user) -> bool:
        return permissions.may_log_time_for_others(user) or (
            permissions.may_log_time(user) and hasattr(user, "panel_member")
        )

    def get_form_class(self):
        return TimeEntryForm

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"user": self.request.user}

    def submit(self, data):
        entry = pipeline.time_log(user=self.request.user, **data)
        messages.success(
            self.request,
            _("%(hours)s hours logged for %(member)s.")
            % {"hours": entry.hours, "member": entry.member},
        )
        return redirect(time_url("inspect", entry.pk))


@require_POST
def time_withdraw(request, pk: int):
    """Take back time logged by mistake."""
    entry = get_object_or_404(selectors.time_visible_to(request.user), pk=pk)
    try:
        pipeline.time_withdraw(entry=entry, user=request.user)
    except (pipeline.TransitionNotAllowed, PermissionDenied) as error:
        _refused(request, error)
    else:
        messages.success(request, _("The time is withdrawn; it no longer counts."))
    return redirect(time_url("inspect", entry.pk))


def time_member_name(entry: TimeEntry) -> str:
    return str(entry.member)


class TimeEntryViewSet(SnippetViewSet):
    """Time given to scrutiny work outside meetings, counted towards the yearly days."""

    model = TimeEntry
    icon = "time"
    menu_label = gettext_lazy("Time given")
    chooser_viewset_class = chooser_for(permissions.LOG_TIME_FOR_OTHERS)
    index_view_class = TimeIndexView
    inspect_view_class = TimeInspectView
    history_view_class = TimeHistoryView
    usage_view_class = TimeUsageView
    inspect_view_enabled = True
    inspect_template_name = "scrutiny/admin/time_entry_inspect.html"
    copy_view_enabled = False
    list_display = [
        "__str__",
        Column("member", label=gettext_lazy("Member"), accessor=time_member_name),
        Column("worked_on", label=gettext_lazy("Date"), sort_key="worked_on"),
        StatusTagColumn(
            "get_status_display",
            label=gettext_lazy("Status"),
            sort_key="status",
            primary=lambda entry: entry.status == TimeStatus.LOGGED,
        ),
    ]
    list_filter = ["activity", "status"]

    @property
    def edit_view(self):
        return lambda request, pk: redirect(time_url("inspect", pk))

    @property
    def add_view(self):
        return TimeCreateView.as_view()

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("withdraw/<int:pk>/", time_withdraw, name="withdraw"),
        ]
