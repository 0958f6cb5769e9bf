"""Drafting the yearly outcomes report page and refreshing its figures before it is published."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from .. import permissions
from ..financial_years import financial_year_label
from ..history import acting_as
from ..models import OutcomesReportPage, ProgrammeIndexPage
from ..notifications import queue_task
from ..outcomes import Outcomes, outcomes_for_year
from .calls import TransitionNotAllowed


def _check(user) -> None:
    # None is the yearly task acting for the system.
    if user is not None and not permissions.may_refresh_outcomes(user):
        raise PermissionDenied(
            _("Only scrutiny officers may draft or refresh the outcomes report.")
        )


def _closed_year_outcomes(year: int, today: datetime.date | None) -> Outcomes:
    outcomes = outcomes_for_year(year, today=today)
    if not outcomes.closed:
        raise TransitionNotAllowed(
            _("%(year)s is not over yet: its report is drafted once it ends on %(date)s.")
            % {"year": outcomes.year_label, "date": date_format(outcomes.last_day, "j F Y")}
        )
    return outcomes


@transaction.atomic
def outcomes_report_draft(
    *, year: int, user=None, today: datetime.date | None = None
) -> tuple[OutcomesReportPage, bool]:
    """Draft the outcomes report page of a closed year, unless it exists; (page, created).

    The page is never published here: Communications publish it. A page that already exists,
    draft or live, is returned untouched, so the yearly task is safe to run again.
    """
    _check(user)
    index = ProgrammeIndexPage.objects.select_for_update().first()
    existing = OutcomesReportPage.objects.filter(financial_year=year).first()
    if existing is not None:
        return existing, False
    if index is None:
        raise TransitionNotAllowed(
            _("There is no programme page on the site yet: ask Communications to add one.")
        )
    outcomes = _closed_year_outcomes(year, today)
    label = financial_year_label(year)
    page = OutcomesReportPage(
        title=_("Scrutiny outcomes %(year)s") % {"year": label},
        slug=slugify(f"outcomes {label.replace('/', '-')}"),
        financial_year=year,
        figures=outcomes.to_json(),
        figures_taken_at=timezone.now(),
        live=False,
        owner=user,
    )
    with acting_as(user):
        index.add_child(instance=page)
        page.save_revision(user=user, log_action=False)
    log(
        instance=page,
        action="scrutiny.outcomes.draft",
        user=user,
        data={"year": label, "taken_on": outcomes.taken_on.isoformat()},
    )
    queue_task("scrutiny.tasks.send_outcomes_report_drafted", page.pk)
    return page, True


@transaction.atomic
def outcomes_report_refresh(
    *, page: OutcomesReportPage, user, today: datetime.date | None = None
) -> OutcomesReportPage:
    """Take the figures again for a report not yet live, keeping the editors' draft text."""
    _check(user)
    page = OutcomesReportPage.objects.select_for_update().get(pk=page.pk)
    if page.live:
        raise TransitionNotAllowed(
            _(
                "The %(year)s report is published, so its figures stay as they were. Unpublish "
                "it first to take them again."
            )
            % {"year": page.financial_year_label}
        )
    outcomes = _closed_year_outcomes(page.financial_year, today)
    taken_at = timezone.now()
    draft = page.get_latest_revision_as_object()
    draft.figures, draft.figures_taken_at = outcomes.to_json(), taken_at
    with acting_as(user):
        draft.save_revision(user=user, log_action=False)
    OutcomesReportPage.objects.filter(pk=page.pk).update(
        figures=draft.figures, figures_taken_at=taken_at
    )
    log(
        instance=page,
        action="scrutiny.outcomes.refresh",
        user=user,
        data={"year": page.financial_year_label, "taken_on": outcomes.taken_on.isoformat()},
    )
    page.refresh_from_db()
    return page
