"""What every record that moves through the process shares with Wagtail's revisions."""


class StateOutsideRevisions:
    """A revision carries content, never where the record is in the process.

    Publishing or restoring a revision keeps the record's current status, so that only the
    process engine (scrutiny.pipeline.machine) ever changes it.
    """

    state_field = "status"

    def with_content_json(self, content):
        restored = super().with_content_json(content)
        setattr(restored, self.state_field, getattr(self, self.state_field))
        return restored
