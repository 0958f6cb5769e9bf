"""The outbox (every message to a resident, and the letters to post) and the log of what was
done with personal data: read-only registers, shown with wagtail-modeladmin."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.auth import permission_denied
from wagtail_modeladmin.helpers import PermissionHelper
from wagtail_modeladmin.options import ModelAdmin

from .. import permissions, pipeline
from ..letters import letter_pdf
from ..models import MessageState, PrivacyAction, SentEmail
from .privacy import describe_counts

OUTBOX_INDEX = "scrutiny_sentemail_modeladmin_index"
LETTERS_TO_POST = f"?state__exact={MessageState.TO_POST}"


def admin_column(label: str, order_field: str = ""):
    """Name a column of a modeladmin listing (and what sorts it)."""

    def decorate(method):
        method.short_description = label
        if order_field:
            method.admin_order_field = order_field
        return method

    return decorate


class ReadOnlyPermissionHelper(PermissionHelper):
    """A register that is read, never added to, changed or deleted in the admin."""

    may_list = staticmethod(lambda user: False)

    def user_can_list(self, user):
        return self.may_list(user)

    def user_can_inspect_obj(self, user, obj):
        return False

    def user_can_create(self, user):
        return False

    def user_can_edit_obj(self, user, obj):
        return False

    def user_can_delete_obj(self, user, obj):
        return False


class OutboxPermissionHelper(ReadOnlyPermissionHelper):
    """Officers and managers read the outbox; it holds residents' names and addresses."""

    may_list = staticmethod(permissions.can_view_outbox)


class PrivacyLogPermissionHelper(ReadOnlyPermissionHelper):
    """Officers and managers read the log; it names no resident."""

    may_list = staticmethod(permissions.can_view_privacy_log)


class ReportsModelAdmin(ModelAdmin):
    """A modeladmin register listed in Wagtail's Reports menu."""

    add_to_admin_menu = False

    def register_with_wagtail(self):
        super().register_with_wagtail()
        hooks.register("register_reports_menu_item", self.get_menu_item)


class OutboxAdmin(ReportsModelAdmin):
    """Every message to a resident: who was told what, when, how, and where it stands."""

    model = SentEmail
    menu_label = gettext_lazy("Outbox")
    menu_icon = "mail"
    menu_order = 120
    permission_helper_class = OutboxPermissionHelper
    list_display = (
        "written",
        "recipient",
        "subject",
        "reference",
        "channel",
        "state",
        "letter_actions",
    )
    list_display_add_buttons = "subject"
    list_filter = ("state", "channel")
    search_fields = ("reference",)
    ordering = ["-sent_at", "-pk"]
    list_per_page = 50

    def get_queryset(self, request):
        return super().get_queryset(request).filter(to_resident=True).select_related("posted_by")

    def get_list_display_add_buttons(self, request):
        return None

    @admin_column(gettext_lazy("Written"), "sent_at")
    def written(self, obj):
        return date_format(timezone.localtime(obj.sent_at), "j M Y H:i")

    @admin_column(gettext_lazy("To"))
    def recipient(self, obj):
        where = obj.postal_address if obj.is_letter else obj.to
        return format_html(
            "{}<br><small>{}</small>",
            obj.recipient_name,
            format_html_join("", "{}<br>", ((line,) for line in where.splitlines())) or where,
        )

    @admin_column(gettext_lazy("What happened"))
    def letter_actions(self, obj):
        if obj.state == MessageState.POSTED and obj.posted_at:
            day = date_format(timezone.localtime(obj.posted_at), "j M Y")
            if obj.posted_by:
                by = obj.posted_by.get_full_name() or obj.posted_by.get_username()
                said = _("Posted %(day)s by %(name)s") % {"day": day, "name": by}
            else:
                said = _("Posted %(day)s") % {"day": day}
        elif obj.state == MessageState.FAILED and obj.failed_at:
            said = _("Failed %(moment)s; tried again") % {
                "moment": date_format(timezone.localtime(obj.failed_at), "j M Y H:i")
            }
        else:
            said = ""
        if not obj.is_letter:
            return said
        pdf = reverse("scrutiny_outbox_letter_pdf", args=[obj.pk])
        links = format_html('<a href="{}">{}</a>', pdf, _("Download the letter (PDF)"))
        if obj.state == MessageState.TO_POST:
            posted = reverse("scrutiny_outbox_letter_posted", args=[obj.pk])
            links = format_html('{}<br><a href="{}">{}</a>', links, posted, _("Mark posted"))
        return format_html("{}{}", f"{said}. " if said else "", links)

    def get_admin_urls_for_registration(self):
        return (
            *super().get_admin_urls_for_registration(),
            path(
                "scrutiny/outbox/letter/<int:pk>/pdf/",
                letter_pdf_view,
                name="scrutiny_outbox_letter_pdf",
            ),
            path(
                "scrutiny/outbox/letter/<int:pk>/posted/",
                letter_posted_view,
                name="scrutiny_outbox_letter_posted",
            ),
        )


class PrivacyLogAdmin(ReportsModelAdmin):
    """Every anonymisation run, erasure and export: when, by whom, what and how many."""

    model = PrivacyAction
    menu_label = gettext_lazy("Anonymisation log")
    menu_icon = "user"
    menu_order = 130
    permission_helper_class = PrivacyLogPermissionHelper
    list_display = ("happened", "kind", "by_whom", "what_changed")
    list_filter = ("kind",)
    ordering = ["-happened_at", "-pk"]
    list_per_page = 50

    def get_list_display_add_buttons(self, request):
        return None

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")

    @admin_column(gettext_lazy("When"), "happened_at")
    def happened(self, obj):
        return date_format(timezone.localtime(obj.happened_at), "j M Y H:i")

    @admin_column(gettext_lazy("By"))
    def by_whom(self, obj):
        if obj.user is None:
            return _("The retention task")
        return obj.user.get_full_name() or obj.user.get_username()

    @admin_column(gettext_lazy("Records changed"))
    def what_changed(self, obj):
        return describe_counts(obj.counts)


def _letter(request, pk: int) -> SentEmail:
    letter = get_object_or_404(SentEmail, pk=pk, to_resident=True)
    if not letter.is_letter:
        raise Http404(_("Only a letter can be printed."))
    return letter


def letter_pdf_view(request, pk: int):
    """Download a letter to a resident as an A4 PDF, to print and post."""
    if not permissions.can_view_outbox(request.user):
        return permission_denied(request)
    letter = _letter(request, pk)
    if letter.state == MessageState.TO_POST and not permissions.can_post_letters(request.user):
        # A letter not yet posted carries the resident's access code: only those who post it.
        return permission_denied(request)
    response = HttpResponse(letter_pdf(letter), content_type="application/pdf")
    name = f"letter-{letter.reference or letter.pk}-{timezone.localtime(letter.sent_at):%Y-%m-%d}"
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


def letter_posted_view(request, pk: int):
    """Ask, then record, that a letter was posted today (by the officer who says so)."""
    if not permissions.can_post_letters(request.user):
        return permission_denied(request)
    letter = _letter(request, pk)
    back = reverse(OUTBOX_INDEX) + LETTERS_TO_POST
    if request.method == "POST":
        try:
            pipeline.letter_mark_posted(letter=letter, user=request.user)
        except (pipeline.TransitionNotAllowed, PermissionDenied) as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(
                request,
                _("The letter to %(name)s about %(reference)s is marked posted on %(day)s.")
                % {
                    "name": letter.recipient_name,
                    "reference": letter.reference,
                    "day": date_format(timezone.localdate(), "j F Y"),
                },
            )
        return redirect(back)
    return TemplateResponse(
        request,
        "scrutiny/admin/letter_posted_confirm.html",
        {
            "letter": letter,
            "today": timezone.localdate(),
            "back_url": back,
            "pdf_url": reverse("scrutiny_outbox_letter_pdf", args=[letter.pk]),
            "page_title": _("Mark a letter posted"),
            "header_icon": "mail",
        },
    )
