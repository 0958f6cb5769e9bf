"""People named on the record become user accounts instead of a name and an email.

Business areas' heads of operations, recommendations' responsible people and actions' owners
(their rows, their simple-history rows, and the drafts and revisions of business areas and
review pages) now point at a user. Each email is matched, ignoring case, to an existing account;
where several accounts share it, the one whose full name is the name recorded is taken. Where
no account matches (or several do and none by name), the migration creates one for the person:
the name and email recorded, a username from the email, an unusable password and no groups, so
it cannot sign in until a superuser gives it a password and a group. A recommendation's name
given without an email named nobody who could answer (the service's head answered for it), so
it becomes the service's head as before. Matching trusts the addresses as they stand: check the
heads of operations in Scrutiny › Business areas after migrating.
"""

import django.db.models.deletion
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import migrations, models

import scrutiny.models.people

# The old fields, by model: (the new field, the name field, the email field).
MOVES = {
    "BusinessArea": ("head_of_operations", "head_of_operations_name", "head_of_operations_email"),
    "Recommendation": ("responsible", "responsible_name", "responsible_email"),
    "ActionItem": ("owner", "owner_name", "owner_email"),
}
# Revisions keep a copy of their object: a business area, or a review page and its children.
REVISED = {"businessarea": None, "scrutinyreviewpage": "recommendations"}


class People:
    """Finds or creates the account for each name and email, once per email."""

    def __init__(self, apps):
        self.User = apps.get_model(settings.AUTH_USER_MODEL)
        self.found = {}

    def account(self, name: str, email: str, *, required: bool = False):
        name, email = (name or "").strip(), (email or "").strip()
        if not email and not required:
            return None
        key = email.lower() if email else f"name:{name.lower()}"
        if key not in self.found:
            self.found[key] = self._match(name, email) or self._create(name, email)
        return self.found[key]

    def _match(self, name: str, email: str):
        if not email:
            return None
        matches = list(self.User.objects.filter(email__iexact=email).order_by("pk"))
        if len(matches) == 1:
            return matches[0]
        named = [user for user in matches if _full_name(user).lower() == name.lower()]
        return named[0] if len(named) == 1 else None

    def _create(self, name: str, email: str):
        base = (email.split("@")[0] if email else "-".join(name.lower().split())) or "person"
        base = base.lower()[:140]
        username, number = base, 2
        while self.User.objects.filter(username__iexact=username).exists():
            username, number = f"{base}-{number}", number + 1
        first, _, last = (name or "Owner not recorded").partition(" ")
        return self.User.objects.create(
            username=username,
            email=email,
            first_name=first[:150],
            last_name=last.strip()[:150],
            password=make_password(None),
            is_active=True,
        )


def _full_name(user) -> str:
    return f"{user.first_name} {user.last_name}".strip()


def _move_rows(model, new, name, email, people, *, required: bool) -> None:
    rows = list(model.objects.all())
    for row in rows:
        person = people.account(getattr(row, name), getattr(row, email), required=required)
        setattr(row, f"{new}_id", person.pk if person else None)
    model.objects.bulk_update(rows, [new], batch_size=500)


def _revised_copies(apps):
    """Each revision of a business area or a review page, with the copies of records it holds."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Revision = apps.get_model("wagtailcore", "Revision")
    for model, children in REVISED.items():
        content_type = ContentType.objects.filter(app_label="scrutiny", model=model).first()
        if content_type is None:
            continue
        for revision in Revision.objects.filter(content_type=content_type).iterator():
            if children is None:
                copies = [(revision.content, "BusinessArea")]
            else:
                copies = [
                    (child, "Recommendation") for child in revision.content.get(children) or []
                ]
            yield revision, copies


def move_people(apps, schema_editor):
    """Point each record, history row and revision at the person's account."""
    people = People(apps)
    for model_name, (new, name, email) in MOVES.items():
        required = model_name == "ActionItem"
        _move_rows(
            apps.get_model("scrutiny", model_name), new, name, email, people, required=required
        )
        history = apps.get_model("scrutiny", f"Historical{model_name}")
        _move_rows(history, new, name, email, people, required=False)
    for revision, copies in _revised_copies(apps):
        for content, model_name in copies:
            new, name, email = MOVES[model_name]
            if name in content or email in content:
                person = people.account(content.pop(name, ""), content.pop(email, ""))
                content[new] = person.pk if person else None
        revision.save(update_fields=["content"])


def _named(person) -> tuple[str, str]:
    if person is None:
        return "", ""
    return _full_name(person) or person.username, person.email


def name_people_again(apps, schema_editor):
    """Copy each account's name and email back into the records (the accounts stay)."""
    User = apps.get_model(settings.AUTH_USER_MODEL)
    users = {user.pk: user for user in User.objects.all()}
    for model_name, (new, name, email) in MOVES.items():
        for model in [
            apps.get_model("scrutiny", model_name),
            apps.get_model("scrutiny", f"Historical{model_name}"),
        ]:
            rows = list(model.objects.all())
            for row in rows:
                named = _named(users.get(getattr(row, f"{new}_id")))
                setattr(row, name, named[0])
                setattr(row, email, named[1])
            model.objects.bulk_update(rows, [name, email], batch_size=500)
    for revision, copies in _revised_copies(apps):
        for content, model_name in copies:
            new, name, email = MOVES[model_name]
            if new in content:
                content[name], content[email] = _named(users.get(content.pop(new)))
        revision.save(update_fields=["content"])


class Migration(migrations.Migration):
    dependencies = [
        ("scrutiny", "0027_record_protected"),
        ("wagtailcore", "0098_apitoken"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="businessarea",
            name="head_of_operations",
            field=scrutiny.models.people.PersonField(
                blank=True,
                help_text=(
                    "Who answers for this service: a member of staff who can sign in to the admin."
                ),
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="business_areas_headed",
                to=settings.AUTH_USER_MODEL,
                verbose_name="head of operations",
            ),
        ),
        migrations.AddField(
            model_name="historicalbusinessarea",
            name="head_of_operations",
            field=scrutiny.models.people.PersonField(
                blank=True,
                db_constraint=False,
                help_text=(
                    "Who answers for this service: a member of staff who can sign in to the admin."
                ),
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="head of operations",
            ),
        ),
        migrations.AddField(
            model_name="recommendation",
            name="responsible",
            field=scrutiny.models.people.PersonField(
                blank=True,
                help_text="Left blank, the head of operations of the review's service.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="recommendations_answered",
                to=settings.AUTH_USER_MODEL,
                verbose_name="responsible head of operations",
            ),
        ),
        migrations.AddField(
            model_name="historicalrecommendation",
            name="responsible",
            field=scrutiny.models.people.PersonField(
                blank=True,
                db_constraint=False,
                help_text="Left blank, the head of operations of the review's service.",
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="responsible head of operations",
            ),
        ),
        migrations.AddField(
            model_name="actionitem",
            name="owner",
            field=scrutiny.models.people.PersonField(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="actions_owned",
                to=settings.AUTH_USER_MODEL,
                verbose_name="owner",
            ),
        ),
        migrations.AddField(
            model_name="historicalactionitem",
            name="owner",
            field=scrutiny.models.people.PersonField(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="owner",
            ),
        ),
        migrations.RunPython(move_people, name_people_again),
        migrations.AlterField(
            model_name="actionitem",
            name="owner",
            field=scrutiny.models.people.PersonField(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="actions_owned",
                to=settings.AUTH_USER_MODEL,
                verbose_name="owner",
            ),
        ),
        # Going back re-adds the old fields to rows that exist: give them a default first.
        *[
            migrations.AlterField(model_name=model, name=name, field=field)
            for model in ["businessarea", "historicalbusinessarea"]
            for name, field in [
                (
                    "head_of_operations_name",
                    models.CharField(
                        "head of operations",
                        max_length=120,
                        default="",
                        help_text="Who answers for this service.",
                    ),
                ),
                (
                    "head_of_operations_email",
                    models.EmailField("head of operations' email", default=""),
                ),
            ]
        ],
        *[
            migrations.AlterField(model_name=model, name=name, field=field)
            for model in ["actionitem", "historicalactionitem"]
            for name, field in [
                ("owner_name", models.CharField("owner", max_length=120, default="")),
                ("owner_email", models.EmailField("owner's email", default="")),
            ]
        ],
        migrations.RemoveField(model_name="businessarea", name="head_of_operations_name"),
        migrations.RemoveField(model_name="businessarea", name="head_of_operations_email"),
        migrations.RemoveField(model_name="historicalbusinessarea", name="head_of_operations_name"),
        migrations.RemoveField(
            model_name="historicalbusinessarea", name="head_of_operations_email"
        ),
        migrations.RemoveField(model_name="recommendation", name="responsible_name"),
        migrations.RemoveField(model_name="recommendation", name="responsible_email"),
        migrations.RemoveField(model_name="historicalrecommendation", name="responsible_name"),
        migrations.RemoveField(model_name="historicalrecommendation", name="responsible_email"),
        migrations.RemoveField(model_name="actionitem", name="owner_name"),
        migrations.RemoveField(model_name="actionitem", name="owner_email"),
        migrations.RemoveField(model_name="historicalactionitem", name="owner_name"),
        migrations.RemoveField(model_name="historicalactionitem", name="owner_email"),
    ]
