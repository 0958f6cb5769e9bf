"""The dashboard's "Your work" panel, and which of Wagtail's page tools the dashboard offers."""

from wagtail.admin.ui.components import Component

from ..selectors.work import work_for


class YourWorkPanel(Component):
    """What waits for the person signed in, by role, each item dated from when it began waiting."""

    name = "scrutiny_your_work"
    order = 10
    template_name = "scrutiny/admin/your_work_panel.html"

    def __init__(self, work):
        self.work = work

    def get_context_data(self, parent_context=None):
        single_role = len(self.work) == 1
        return {
            "work": self.work,
            "single_role": single_role,
            # Under the panel's h2: sections are h3, or h4 under a heading per role.
            "section_tag": "h3" if single_role else "h4",
        }


def your_work_panel(request) -> YourWorkPanel | None:
    """The panel for this user, or None when no role of theirs has work listed here."""
    work = work_for(request.user)
    return YourWorkPanel(work) if work else None
