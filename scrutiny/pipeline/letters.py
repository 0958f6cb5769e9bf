"""Letters to residents who gave no email address: an officer posts them and says so."""

import re

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.log_actions import log

from .. import permissions
from ..models import MessageChannel, MessageState, SentEmail
from .machine import TransitionNotAllowed

# A resident's access code as letters print it ("E84C9-8DSYF"), and what the kept copy says
# (written into the copy in the language of the officer who posts it).
ACCESS_CODE = re.compile(r"\b[0-9A-Z]{5}-[0-9A-Z]{5}\b")
CODE_SENT = gettext_lazy("(the access code printed on the letter that was posted)")


@transaction.atomic
def letter_mark_posted(*, letter: SentEmail, user) -> SentEmail:
    """Record that a letter waiting in the outbox was posted today, and by whom."""
    if not permissions.can_post_letters(user):
        raise PermissionDenied(_("Only scrutiny officers may mark letters posted."))
    letter = SentEmail.objects.select_for_update().get(pk=letter.pk)
    if letter.channel != MessageChannel.LETTER:
        raise TransitionNotAllowed(_("This message is an email: only letters are posted."))
    if letter.state != MessageState.TO_POST:
        if letter.posted_at is None:
            raise TransitionNotAllowed(_("This letter was already marked posted."))
        posted = date_format(timezone.localtime(letter.posted_at), "j F Y")
        raise TransitionNotAllowed(
            _("This letter was already marked posted on %(date)s.") % {"date": posted}
        )
    letter.state = MessageState.POSTED
    letter.posted_at = timezone.now()
    letter.posted_by = user
    # The access code was for the resident alone: once the letter is in the post, the copy
    # kept here no longer shows it (as an officer sees a new code once, and never again).
    sent = str(CODE_SENT)
    letter.body = ACCESS_CODE.sub(lambda match: sent, letter.body)
    letter.save(update_fields=["state", "posted_at", "posted_by", "body"])
    log(
        instance=letter,
        action="scrutiny.letter.posted",
        user=user,
        data={"reference": letter.reference, "posted_on": timezone.localdate().isoformat()},
    )
    return letter
