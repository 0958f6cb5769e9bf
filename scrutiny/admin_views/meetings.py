"""Admin for panel meetings (agendas, cancelling) and the reasons for not accepting a call."""

from wagtail.snippets.views.snippets import SnippetViewSet

from ..models import NotAcceptedReason, PanelMeeting


class PanelMeetingViewSet(SnippetViewSet):
    """Panel meetings, with their agendas."""

    model = PanelMeeting
    icon = "date"
    menu_label = "Panel meetings"


class NotAcceptedReasonViewSet(SnippetViewSet):
    """The coded reasons the panel gives when it does not accept a call yet."""

    model = NotAcceptedReason
    icon = "list-ul"
    menu_label = "Reasons for not accepting"
