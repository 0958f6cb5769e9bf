"""Admin for petitions and their signatures: officers only see signers' details."""

from wagtail.snippets.views.snippets import SnippetViewSet

from ..models import Petition


class PetitionViewSet(SnippetViewSet):
    """Petitions backing calls."""

    model = Petition
    icon = "group"
    menu_label = "Petitions"
