"""Pages that are part of the scrutiny record: nobody is offered Delete on them."""

from wagtail.models import PagePermissionTester


class RecordPagePermissionTester(PagePermissionTester):
    """A page of the record is retired by unpublishing it, never deleted; moving it is unchanged.

    Superusers are still offered Delete, so that the delete view can tell them what depends on
    the page: the before_delete_page and before_bulk_action hooks refuse every delete of it.
    """

    def can_delete(self, ignore_bulk=False):
        if not self.user.is_superuser:
            return False
        return super().can_delete(ignore_bulk=ignore_bulk)

    def can_move(self):
        # Wagtail asks whether a page may be deleted to decide whether it may be moved; a move
        # keeps the record whole, so it is decided as Wagtail would.
        return super().can_delete(ignore_bulk=True)


class RecordPageMixin:
    """A page type that is part of the record (reviews, the programme, outcomes reports)."""

    def permissions_for_user(self, user):
        return RecordPagePermissionTester(user, self)
