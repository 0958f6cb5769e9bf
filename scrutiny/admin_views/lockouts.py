"""Sign-in lock-outs: superusers see the accounts and addresses locked out, and unlock them."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet

from .. import lockouts, permissions


class UnlockForm(forms.Form):
    """One account or one network address to unlock."""

    username = forms.CharField(label=gettext_lazy("Username"), required=False, max_length=255)
    ip_address = forms.GenericIPAddressField(label=gettext_lazy("Network address"), required=False)

    def clean(self):
        data = super().clean()
        if bool(data.get("username")) == bool(data.get("ip_address")):
            raise forms.ValidationError(_("Choose one account or one network address to unlock."))
        return data


class LockoutIndexView(WagtailAdminTemplateMixin, TemplateView):
    """Accounts and network addresses with recent failed sign-ins, locked-out ones first."""

    template_name = "scrutiny/admin/lockouts.html"
    header_icon = "lock"
    page_title = gettext_lazy("Sign-in lock-outs")

    def dispatch(self, request, *args, **kwargs):
        if not permissions.may_unlock(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        current = lockouts.lockouts_current()
        return super().get_context_data(**kwargs) | {
            "accounts": current["username"],
            "addresses": current["ip_address"],
            "cool_off_minutes": int(lockouts.cool_off().total_seconds() // 60),
            "unlock_url": reverse("scrutiny_lockouts:unlock"),
        }


@require_POST
def lockout_unlock(request):
    """Forget one account's or one address's failed sign-ins, so it may sign in at once."""
    if not permissions.may_unlock(request.user):
        raise PermissionDenied
    form = UnlockForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("__all__", [_("Choose what to unlock.")])))
        return redirect("scrutiny_lockouts:index")
    username, address = form.cleaned_data["username"], form.cleaned_data["ip_address"]
    cleared = lockouts.lockout_clear(username=username, ip_address=address, user=request.user)
    if username and cleared:
        said = _("The account “%(name)s” is unlocked and may sign in again.")
    elif username:
        said = _("The account “%(name)s” had no failed sign-ins to forget.")
    elif cleared:
        said = _("The network address %(address)s is unlocked and may sign in again.")
    else:
        said = _("The network address %(address)s had no failed sign-ins to forget.")
    said %= {"name": username, "address": address}
    if cleared:
        messages.success(request, said)
    else:
        messages.warning(request, said)
    return redirect("scrutiny_lockouts:index")


class LockoutMenuItem(MenuItem):
    """Shown to superusers only."""

    def is_shown(self, request):
        return permissions.may_unlock(request.user)


class LockoutViewSet(ViewSet):
    """The list of sign-in lock-outs, under Settings."""

    name = "scrutiny_lockouts"
    url_prefix = "lockouts"
    icon = "lock"
    menu_label = gettext_lazy("Sign-in lock-outs")
    menu_item_class = LockoutMenuItem
    add_to_settings_menu = True

    def get_urlpatterns(self):
        return [
            path("", LockoutIndexView.as_view(), name="index"),
            path("unlock/", lockout_unlock, name="unlock"),
        ]
