"""The shape every plain admin form page shares: a permission check, one form, an operation.

A page that records something through the process engine (a referral, an expense claim, time
given) says who may open it, builds its form, and calls its operation in `submit`; a refusal from
the engine becomes the form's message, bad input a message on the page, and nothing is saved.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView
from wagtail.admin.auth import permission_denied
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets import AdminDateInput

from .. import pipeline


class AdminFormView(WagtailAdminTemplateMixin, FormView):
    """One form in the admin whose valid answer is handed to a pipeline operation."""

    template_name = "scrutiny/admin/expense_claim_add.html"
    submit_button_label = _("Save")
    # Shown above the form when it comes back with errors.
    invalid_message = _("Nothing was saved. Check the messages below.")
    # Fields that take a date, given Wagtail's date picker.
    date_fields: tuple[str, ...] = ()

    def may_open(self, user) -> bool:
        raise NotImplementedError

    def submit(self, data: dict):
        """Make the change; return the response (usually a redirect) to send."""
        raise NotImplementedError

    def dispatch(self, request, *args, **kwargs):
        if not self.may_open(request.user):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        for name in self.date_fields:
            if name in form.fields:
                form.fields[name].widget = AdminDateInput()
        return form

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            {
                "action_url": self.request.path,
                "media": context["form"].media,
                "submit_button_label": self.submit_button_label,
            }
        )
        return context

    def form_valid(self, form):
        try:
            return self.submit(dict(form.cleaned_data))
        except (pipeline.TransitionNotAllowed, PermissionDenied) as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)

    def form_invalid(self, form):
        messages.error(self.request, self.invalid_message)
        return super().form_invalid(form)
