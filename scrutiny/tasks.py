"""django-q2 jobs: each takes primary keys, loads, and calls a service; safe to run twice."""

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import pgettext

from .access_codes import format_access_code
from .models import (
    CallForScrutiny,
    CallStatus,
    DecisionOutcome,
    PanelDecision,
    Petition,
    PetitionSignature,
    PetitionStatus,
)
from .notifications import absolute_url, send_email_once, send_to_resident_once
from .pipeline import petition_count
from .roles import OFFICERS
from .selectors import (
    call_appeal_url,
    call_tracking_link,
    call_tracking_token,
    call_tracking_url,
    petition_urls,
)


def resident_links(call: CallForScrutiny) -> dict:
    """What every letter to the resident that points at tracking or appeals carries: the
    tracking page, the access code, and the link that opens the call with it."""
    link = call_tracking_link(call)
    appeal_url = call_appeal_url()
    token = call_tracking_token(call)
    return {
        "tracking_url": absolute_url(call_tracking_url()),
        "tracking_link": absolute_url(link) if link else "",
        "access_code": format_access_code(call.access_code) if call.access_code else "",
        "appeal_url": absolute_url(appeal_url) if appeal_url else "",
        "appeal_link": absolute_url(f"{appeal_url}{token}/") if appeal_url and token else "",
    }


def send_call_received(call_pk: int) -> None:
    """The two emails a new call sends: the resident's acknowledgement and the officers' notice.

    One task for both (one row to write in the resident's request); each is sent once, so a
    retry after a failure sends only the one still to go."""
    send_call_acknowledgement(call_pk)
    send_call_officer_notification(call_pk)


def send_call_acknowledgement(call_pk: int) -> bool:
    """Tell the resident their call arrived, with its reference and what happens next."""
    call = CallForScrutiny.objects.select_related("business_area").filter(pk=call_pk).first()
    if call is None:
        return False
    return send_to_resident_once(
        key=f"call:{call.pk}:acknowledgement",
        resident=call,
        reference=call.reference,
        template="call_acknowledgement",
        context={"call": call, **resident_links(call)},
    )


def send_access_code(call_pk: int, issued_at: str) -> bool:
    """Send the resident the access code an officer has just issued (once per issue)."""
    call = CallForScrutiny.objects.select_related("business_area").filter(pk=call_pk).first()
    if call is None or not call.access_code:
        return False
    return send_to_resident_once(
        key=f"call:{call.pk}:access-code:{issued_at}",
        resident=call,
        reference=call.reference,
        template="access_code",
        context={"call": call, **resident_links(call)},
    )


def send_call_officer_notification(call_pk: int) -> bool:
    """Tell the scrutiny officers a new call has arrived."""
    call = CallForScrutiny.objects.select_related("business_area").filter(pk=call_pk).first()
    if call is None:
        return False
    officers = (
        get_user_model()
        .objects.filter(groups__name=OFFICERS, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    admin_path = reverse("wagtailsnippets_scrutiny_callforscrutiny:inspect", args=[call.pk])
    return send_email_once(
        key=f"call:{call.pk}:officer-notification",
        to=sorted(set(officers)),
        template="call_officer_notification",
        context={"call": call, "admin_url": absolute_url(admin_path)},
    )


def _officer_emails() -> list[str]:
    return sorted(
        set(
            get_user_model()
            .objects.filter(groups__name=OFFICERS, is_active=True)
            .exclude(email="")
            .values_list("email", flat=True)
        )
    )


def send_decision_to_resident(decision_pk: int) -> bool:
    """Tell the resident the panel's decision in plain English, with the last day to appeal."""
    decision = (
        PanelDecision.objects.select_related("call__business_area", "reason", "meeting")
        .filter(pk=decision_pk)
        .first()
    )
    if decision is None:
        return False
    return send_to_resident_once(
        key=f"decision:{decision.pk}:resident",
        resident=decision.call,
        reference=decision.call.reference,
        template="decision_to_resident",
        context={
            "decision": decision,
            "call": decision.call,
            **resident_links(decision.call),
        },
    )


def send_serious_failure_recommendations(decision_pk: int) -> bool:
    """Send the panel's immediate recommendations to the head of operations for the service."""
    decision = (
        PanelDecision.objects.select_related("call__business_area__head_of_operations")
        .filter(pk=decision_pk, outcome=DecisionOutcome.SERIOUS_FAILURE)
        .first()
    )
    if decision is None:
        return False
    area = decision.call.business_area
    return send_email_once(
        key=f"decision:{decision.pk}:serious-failure",
        to=[area.head_of_operations_email, *_officer_emails()],
        template="serious_failure",
        context={"decision": decision, "call": decision.call, "area": area},
    )


def send_signature_confirmation(signature_pk: int, token: str) -> bool:
    """Ask an online signer to confirm their signature; the link also lets them withdraw it."""
    signature = (
        PetitionSignature.objects.select_related("petition__call")
        .filter(pk=signature_pk, token=token)
        .first()
    )
    if signature is None or signature.confirmed_at:
        return False
    return send_email_once(
        key=f"signature:{signature.pk}:confirm:{token[:16]}",
        to=[signature.email],
        template="signature_confirmation",
        context=_signature_context(signature, token),
        reference=signature.petition.call.reference,
        resident_name=signature.name,
    )


def _signature_context(signature: PetitionSignature, token: str) -> dict:
    """A signature's petition and the addresses of its confirm and withdraw links."""
    urls = petition_urls(signature.petition)
    return {
        "signature": signature,
        "petition": signature.petition,
        "confirm_url": absolute_url(urls["confirm"].format(token=token)),
        "withdraw_url": absolute_url(urls["withdraw"].format(token=token)),
        "petition_url": absolute_url(urls["detail"]),
    }


def send_signature_tried_again(signature_pk: int, hour: int) -> bool:
    """Tell the owner of an address that someone signed again with it; nothing was changed.

    Sent once an hour at most (`hour` is the clock hour of the attempt), with the signature's
    own link to confirm it while it is waiting to be confirmed.
    """
    signature = (
        PetitionSignature.objects.select_related("petition__call")
        .filter(pk=signature_pk, anonymised_at__isnull=True)
        .first()
    )
    if signature is None or not signature.email:
        return False
    waiting = not (signature.confirmed_at or signature.withdrawn_at or signature.invalidated_at)
    return send_email_once(
        key=f"signature:{signature.pk}:tried-again:{hour}",
        to=[signature.email],
        template="signature_tried_again",
        context=_signature_context(signature, signature.token)
        | {"waiting": waiting and signature.petition.is_open},
        reference=signature.petition.call.reference,
        resident_name=signature.name,
    )


def _send_petition_news(petition, *, key: str, template: str, context: dict) -> bool:
    """One message to the resident who started the petition (greeted, with the petition's link)
    and one to the officer who opened it: never a resident and staff in one email."""
    context = context | {"petition_url": absolute_url(petition_urls(petition)["detail"])}
    sent = send_to_resident_once(
        key=f"{key}:resident",
        resident=petition.call,
        reference=petition.call.reference,
        template=template,
        context=context | {"resident": True},
    )
    officer = petition.opened_by.email if petition.opened_by else ""
    return (
        send_email_once(key=f"{key}:officer", to=[officer], template=template, context=context)
        or sent
    )


def send_petition_milestone(petition_pk: int, milestone: str) -> bool:
    """Tell the starter and the officer that a petition passed a third or two thirds."""
    petition = Petition.objects.select_related("call", "opened_by").filter(pk=petition_pk).first()
    if petition is None:
        return False
    return _send_petition_news(
        petition,
        key=f"petition:{petition.pk}:milestone:{milestone}",
        template="petition_milestone",
        context={
            "petition": petition,
            "milestone": {
                # Translators: as in "has passed a third of its target", "a third of the way".
                "1/3": pgettext("a petition's milestone", "a third"),
                "2/3": pgettext("a petition's milestone", "two thirds"),
            }.get(milestone, milestone),
            "fraction": milestone,
            "count": petition_count(petition),
        },
    )


def send_petition_target_reached(petition_pk: int) -> bool:
    """Tell the starter (greeted, with the petition's link) and, apart, the officers that a
    petition reached its target."""
    petition = Petition.objects.select_related("call", "opened_by").filter(pk=petition_pk).first()
    if petition is None:
        return False
    context = {"petition": petition, "count": petition_count(petition)}
    sent = _send_petition_news(
        petition,
        key=f"petition:{petition.pk}:target-reached",
        template="petition_target_reached",
        context=context,
    )
    officer = petition.opened_by.email if petition.opened_by else ""
    others = [email for email in _officer_emails() if email != officer]
    return (
        send_email_once(
            key=f"petition:{petition.pk}:target-reached:officers",
            to=others,
            template="petition_target_reached",
            context=context | {"petition_url": absolute_url(petition_urls(petition)["detail"])},
        )
        or sent
    )


def send_petition_closed(petition_pk: int) -> bool:
    """Tell the starter and the officer that a petition has closed, with its final count."""
    petition = Petition.objects.select_related("call", "opened_by").filter(pk=petition_pk).first()
    if petition is None:
        return False
    return _send_petition_news(
        petition,
        key=f"petition:{petition.pk}:closed",
        template="petition_closed",
        context={"petition": petition, "count": petition_count(petition)},
    )


def close_expired_petitions() -> int:
    """Close every open petition whose closing date has passed (run daily)."""
    from . import pipeline

    expired = Petition.objects.filter(
        status=PetitionStatus.OPEN, closes_on__lt=timezone.localdate()
    )
    closed = 0
    for petition in expired:
        try:
            pipeline.petition_close(petition=petition)
        except pipeline.TransitionNotAllowed:
            continue  # closed by an officer since the list was read
        closed += 1
    return closed


def apply_retention() -> dict[str, int]:
    """Anonymise personal data past the retention period (run daily); returns the counts."""
    from . import pipeline

    return pipeline.retention_apply()


def _appeal(appeal_pk: int):
    from .models import Appeal

    return (
        Appeal.objects.select_related("call__business_area", "decision")
        .filter(pk=appeal_pk)
        .first()
    )


def send_appeal_acknowledgement(appeal_pk: int) -> bool:
    """Tell the resident their appeal arrived, with its reference and what happens next."""
    appeal = _appeal(appeal_pk)
    if appeal is None:
        return False
    return send_to_resident_once(
        key=f"appeal:{appeal.pk}:acknowledgement",
        resident=appeal.call,
        reference=appeal.reference,
        template="appeal_acknowledgement",
        context={
            "appeal": appeal,
            "call": appeal.call,
            **resident_links(appeal.call),
        },
    )


def send_appeal_officer_notification(appeal_pk: int) -> bool:
    """Tell the scrutiny officers an appeal has arrived and needs a panel."""
    appeal = _appeal(appeal_pk)
    if appeal is None:
        return False
    admin_path = reverse("wagtailsnippets_scrutiny_appeal:inspect", args=[appeal.pk])
    return send_email_once(
        key=f"appeal:{appeal.pk}:officer-notification",
        to=_officer_emails(),
        template="appeal_officer_notification",
        context={"appeal": appeal, "call": appeal.call, "admin_url": absolute_url(admin_path)},
    )


def send_appeal_decision_to_resident(appeal_pk: int) -> bool:
    """Tell the resident the appeal panel's final decision and what it means for their call."""
    appeal = _appeal(appeal_pk)
    if appeal is None or not appeal.decided_at:
        return False
    return send_to_resident_once(
        key=f"appeal:{appeal.pk}:decision",
        resident=appeal.call,
        reference=appeal.reference,
        template="appeal_decision_to_resident",
        context={
            "appeal": appeal,
            "call": appeal.call,
            **resident_links(appeal.call),
        },
    )


def send_application_acknowledgement(application_pk: int) -> bool:
    """Thank an applicant to the panel and say what happens next."""
    from .models import PanelApplication

    application = PanelApplication.objects.filter(pk=application_pk).first()
    if application is None:
        return False
    # By email, or by letter to an applicant who applied on paper or by phone without one.
    return send_to_resident_once(
        key=f"application:{application.pk}:acknowledgement",
        resident=application,
        template="application_acknowledgement",
        context={"application": application},
        reference="",
    )


def send_application_officer_notification(application_pk: int) -> bool:
    """Tell the scrutiny officers someone has applied to join the panel."""
    from .models import PanelApplication

    application = PanelApplication.objects.filter(pk=application_pk).first()
    if application is None:
        return False
    admin_path = reverse("wagtailsnippets_scrutiny_panelapplication:inspect", args=[application.pk])
    return send_email_once(
        key=f"application:{application.pk}:officer-notification",
        to=_officer_emails(),
        template="application_officer_notification",
        context={"application": application, "admin_url": absolute_url(admin_path)},
    )


def send_member_welcome(member_pk: int) -> bool:
    """Welcome a newly appointed member with a link to set their password."""
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    from .models import PanelMember

    member = PanelMember.objects.select_related("user").filter(pk=member_pk).first()
    if member is None or member.user.has_usable_password():
        return False
    user = member.user
    set_password_path = reverse(
        "wagtailadmin_password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return send_email_once(
        key=f"member:{member.pk}:welcome",
        to=[user.email],
        template="member_welcome",
        context={
            "member": member,
            "username": user.get_username(),
            "set_password_url": absolute_url(set_password_path),
            "login_url": absolute_url(reverse("wagtailadmin_login")),
        },
    )


def send_action_reminder(item_pk: int, stage: str) -> bool:
    """Remind an action's owner that it is due soon or overdue (once per stage and due date)."""
    from .models import ActionItem
    from .pipeline import REMINDER_STAGES
    from .pipeline.action_plans import STILL_OVERDUE
    from .selectors.action_plans import action_plan_url

    item = (
        ActionItem.objects.open()
        .select_related(
            "owner",
            "recommendation__page__business_area",
            "decision__call__business_area",
        )
        .filter(pk=item_pk)
        .first()
    )
    if item is None or stage not in REMINDER_STAGES:
        return False
    recipients = [item.owner_email]
    if stage == STILL_OVERDUE:
        recipients += _officer_emails()
    today = timezone.localdate()
    return send_email_once(
        key=f"action:{item.pk}:{stage}:{item.due_on.isoformat()}",
        to=sorted(set(recipients), key=recipients.index),
        template="action_reminder",
        context={
            "item": item,
            "stage": stage,
            "recommendation": item.recommendation,
            "review": item.recommendation.page if item.recommendation_id else None,
            "decision": item.decision,
            "days_late": (today - item.due_on).days,
            "days_left": (item.due_on - today).days,
            "admin_url": absolute_url(action_plan_url(item)),
        },
    )


def send_action_reminders() -> int:
    """Send the reminders each unfinished action has reached today (run daily); safe to re-run."""
    from datetime import timedelta

    from .models import ActionItem, ScrutinySettings
    from .pipeline import action_reminder_stage

    config = ScrutinySettings.load()
    today = timezone.localdate()
    sent = 0
    due = ActionItem.objects.open().filter(
        due_on__lte=today + timedelta(days=config.action_reminder_days)
    )
    for pk, due_on in due.values_list("pk", "due_on"):
        stage = action_reminder_stage(
            due_on=due_on,
            today=today,
            reminder_days=config.action_reminder_days,
            overdue_days=config.action_overdue_days,
        )
        if stage and send_action_reminder(pk, stage):
            sent += 1
    return sent


def draft_outcomes_report() -> int | None:
    """Draft the outcomes report of the last closed financial year, once (run daily).

    Returns the page's id when it was drafted now, None when it already existed or there is
    no programme page to put it under. A draft or published page is never touched again.
    """
    from . import pipeline
    from .outcomes import last_closed_financial_year

    try:
        page, created = pipeline.outcomes_report_draft(year=last_closed_financial_year())
    except pipeline.TransitionNotAllowed:
        return None
    return page.pk if created else None


def send_outcomes_report_drafted(page_pk: int) -> bool:
    """Tell the officers and Communications that a year's outcomes report is ready to check."""
    from .models import OutcomesReportPage
    from .roles import COMMUNICATIONS

    page = OutcomesReportPage.objects.filter(pk=page_pk).first()
    if page is None:
        return False
    communications = (
        get_user_model()
        .objects.filter(groups__name=COMMUNICATIONS, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    return send_email_once(
        key=f"outcomes:{page.financial_year}:drafted",
        to=sorted({*_officer_emails(), *communications}),
        template="outcomes_report_drafted",
        context={
            "page": page,
            "outcomes": page.outcomes,
            "edit_url": absolute_url(reverse("wagtailadmin_pages:edit", args=[page.pk])),
            "figures_url": absolute_url(
                reverse("scrutiny_outcomes:index") + f"?year={page.financial_year}"
            ),
        },
    )


def send_call_closed(call_pk: int) -> bool:
    """Tell the resident their call is closed, why, and what (if anything) carries it on."""
    call = (
        CallForScrutiny.objects.select_related("business_area", "duplicate_of")
        .filter(pk=call_pk, status=CallStatus.CLOSED)
        .first()
    )
    if call is None:
        return False
    return send_to_resident_once(
        key=f"call:{call.pk}:closed",
        resident=call,
        reference=call.reference,
        template="call_closed",
        context={"call": call, **resident_links(call)},
    )


def send_monitoring_outcome(monitoring_pk: int, outcome: str, review_on: str) -> bool:
    """Tell the resident what the panel found when it looked again at what it monitored."""
    from .models import Monitoring

    monitoring = (
        Monitoring.objects.select_related("call__business_area").filter(pk=monitoring_pk).first()
    )
    if monitoring is None:
        return False
    return send_to_resident_once(
        key=f"monitoring:{monitoring.pk}:{outcome}:{review_on}",
        resident=monitoring.call,
        reference=monitoring.call.reference,
        template="monitoring_outcome",
        context={
            "monitoring": monitoring,
            "call": monitoring.call,
            "outcome": outcome,
            **resident_links(monitoring.call),
        },
    )


def send_monitoring_due(monitoring_pk: int) -> bool:
    """Remind the officers that the panel's review of a monitored call is due (once per date)."""
    from .models import Monitoring

    monitoring = (
        Monitoring.objects.select_related("call__business_area").filter(pk=monitoring_pk).first()
    )
    if monitoring is None or not monitoring.due:
        return False
    admin_path = reverse(
        "wagtailsnippets_scrutiny_callforscrutiny:inspect", args=[monitoring.call_id]
    )
    return send_email_once(
        key=f"monitoring:{monitoring.pk}:due:{monitoring.review_on.isoformat()}",
        to=_officer_emails(),
        template="monitoring_due",
        context={
            "monitoring": monitoring,
            "call": monitoring.call,
            "admin_url": absolute_url(admin_path + "#call-monitoring"),
        },
    )


def send_monitoring_reminders() -> int:
    """Remind the officers of every watch whose review date has come (run daily)."""
    from .pipeline import monitoring_due

    return sum(1 for pk in monitoring_due().values_list("pk", flat=True) if send_monitoring_due(pk))


def close_finished_calls() -> int:
    """Close the calls whose process has ended (run daily); safe to run twice.

    A call not accepted closes when the time to appeal has passed (or its appeal is decided);
    a serious-failure call when the actions answering the panel's recommendations are done.
    """
    from . import pipeline

    closed = 0
    for call in CallForScrutiny.objects.filter(status=CallStatus.NOT_ACCEPTED).order_by("pk"):
        try:
            pipeline.call_close_not_accepted(call=call)
        except pipeline.TransitionNotAllowed:
            continue
        closed += 1
    for call in CallForScrutiny.objects.filter(status=CallStatus.SERIOUS_FAILURE).order_by("pk"):
        if pipeline.serious_failure_sync(call=call, user=None).status == CallStatus.CLOSED:
            closed += 1
    return closed


def send_workflow_task_submitted(task_state_pk: int, submitter_pk: int | None = None) -> int:
    """Ask the groups of a scrutiny workflow task to act: the panel to decide on a call, or a
    sign-off group to approve a review's report. One email per person, each sent once; none
    once the task is no longer waiting. Returns how many were sent now."""
    from wagtail.models import Page, TaskState

    from .notifications import workflow_task_recipients

    task_state = (
        TaskState.objects.select_related("workflow_state", "task")
        .filter(pk=task_state_pk, status=TaskState.STATUS_IN_PROGRESS)
        .first()
    )
    if task_state is None:
        return 0
    workflow_state = task_state.workflow_state
    record = workflow_state.content_object
    if isinstance(record, Page):
        record = record.specific
    if isinstance(record, CallForScrutiny):
        template = "call_awaiting_decision"
        admin_path = reverse("wagtailsnippets_scrutiny_callforscrutiny:inspect", args=[record.pk])
        context = {"call": record, "meeting": record.agenda_meeting}
    elif record is not None:
        template = "report_awaiting_sign_off"
        admin_path = reverse("wagtailadmin_pages:edit", args=[record.pk])
        context = {"review": record}
    else:
        return 0
    exclude = {pk for pk in (submitter_pk, workflow_state.requested_by_id) if pk is not None}
    context |= {
        "task": task_state.task.specific,
        "submitted_by": workflow_state.requested_by,
        "admin_url": absolute_url(admin_path),
    }
    sent = 0
    for user in workflow_task_recipients(task_state, exclude=exclude):
        sent += send_email_once(
            key=f"workflow-task:{task_state.pk}:submitted:{user.pk}",
            to=[user.email],
            template=template,
            context=context | {"recipient": user},
        )
    return sent


def send_workflow_finished(
    workflow_state_pk: int, outcome: str, user_pk: int | None = None
) -> bool:
    """Tell whoever submitted to a scrutiny workflow how it ended, as Wagtail's own approval and
    rejection emails would have: the drafter of a report that was signed off or sent back, the
    officer whose call the panel decided on or returned. Not sent to the person who acted, nor
    to one who turned these emails off in their account settings. True if it was sent now."""
    from wagtail.models import Page, WorkflowState
    from wagtail.users.models import UserProfile

    state = (
        WorkflowState.objects.select_related("requested_by", "current_task_state__task")
        .filter(pk=workflow_state_pk)
        .first()
    )
    submitter = state.requested_by if state is not None else None
    if submitter is None or not submitter.email or submitter.pk == user_pk:
        return False
    profile = UserProfile.get_for_user(submitter)
    wanted = (
        profile.approved_notifications if outcome == "approved" else profile.rejected_notifications
    )
    if not wanted:
        return False
    record = state.content_object
    if isinstance(record, Page):
        record = record.specific
    if isinstance(record, CallForScrutiny):
        kind = "call"
        admin_path = reverse("wagtailsnippets_scrutiny_callforscrutiny:inspect", args=[record.pk])
    elif record is not None:
        kind = "report"
        admin_path = reverse("wagtailadmin_pages:edit", args=[record.pk])
    else:
        return False
    task_state = state.current_task_state
    User = get_user_model()
    return send_email_once(
        key=f"workflow:{state.pk}:{outcome}",
        to=[submitter.email],
        template=f"{kind}_workflow_{outcome}",
        context={
            "record": record,
            "recipient": submitter,
            "acted_by": User.objects.filter(pk=user_pk).first() if user_pk else None,
            "task": task_state.task.specific if task_state else None,
            "comment": task_state.get_comment() if task_state else "",
            "admin_url": absolute_url(admin_path),
        },
    )
