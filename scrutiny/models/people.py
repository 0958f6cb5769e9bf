"""People the record names (heads of operations, responsible people, action owners): user
accounts chosen by staff, never an email address someone can edit."""

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import models
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# The permission that lets an account sign in to the Wagtail admin.
ADMIN_ACCESS = {"content_type__app_label": "wagtailadmin", "codename": "access_admin"}


def may_be_named_condition() -> Q:
    """Active accounts that can sign in to the admin: superusers, or holders of the admin
    access permission through a group or on their own (as `user.has_perm` counts it)."""
    User = get_user_model()
    access = Permission.objects.filter(**ADMIN_ACCESS)
    through_group = User.groups.through.objects.filter(
        user_id=OuterRef("pk"), group__permissions__in=access
    )
    directly = User.user_permissions.through.objects.filter(
        user_id=OuterRef("pk"), permission__in=access
    )
    return Q(is_active=True) & (Q(is_superuser=True) | Exists(through_group) | Exists(directly))


def eligible_people():
    """The accounts the record may name as responsible for something, by name."""
    return (
        get_user_model()
        .objects.filter(may_be_named_condition())
        .order_by("first_name", "last_name", "username")
    )


def person_name(user) -> str:
    """How a person is named on screens and in emails: their full name, else their username."""
    if user is None:
        return ""
    return user.get_full_name().strip() or user.get_username()


class PersonChoiceField(forms.ModelChoiceField):
    """A list of the people who may be named; someone already named stays on it.

    A person named before they lost their admin access can be kept (marked as such), so that
    saving other changes does not silently drop them; anyone newly chosen must be eligible.
    """

    default_error_messages = {
        "invalid_choice": _(
            "Choose someone from the list: only active staff who can sign in to "
            "the admin can be named on the record."
        ),
    }

    def __init__(self, queryset=None, **kwargs):
        super().__init__(queryset=eligible_people(), **kwargs)

    def keep(self, person_pk) -> None:
        """Offer the person already named as well as those who may be named now."""
        if person_pk in (None, ""):
            return
        may_be_named = ExpressionWrapper(may_be_named_condition(), output_field=BooleanField())
        self.queryset = (
            get_user_model()
            .objects.filter(may_be_named_condition() | Q(pk=person_pk))
            .annotate(may_be_named=may_be_named)
            .order_by("first_name", "last_name", "username")
        )

    def get_bound_field(self, form, field_name):
        self.keep(form.get_initial_for_field(self, field_name))
        return super().get_bound_field(form, field_name)

    def label_from_instance(self, obj) -> str:
        label = person_name(obj)
        if obj.email:
            label = f"{label} ({obj.email})"
        if getattr(obj, "may_be_named", True) is False:
            label = gettext("%(person)s: cannot sign in to the admin") % {"person": label}
        return label


class PersonField(models.ForeignKey):
    """A person named on the record: a user account, chosen from the people who may be named."""

    def formfield(self, **kwargs):
        kwargs.setdefault("form_class", PersonChoiceField)
        return super().formfield(**kwargs)
