"""Reading records' history back: the versions of a record from its simple-history rows."""

from simple_history.models import DeletedObject


def _present(value):
    """A diffed value, with an empty foreign key as None rather than a "deleted" object."""
    if isinstance(value, DeletedObject) and value.pk is None:
        return None
    return value


def history_versions(model, rows) -> list[dict]:
    """Versions of records of one model from their history rows, newest first.

    `rows` are simple-history rows ordered oldest first; rows of several records may be mixed
    and each is compared with the one before it of the same record. A version is a dict of
    when, user, type, the record's id and its changes as (field, old, new), foreign keys as
    objects fetched once per model.
    """
    related = {
        field.name: field.related_model
        for field in model._meta.concrete_fields
        if field.is_relation
    }
    raw_versions = []
    wanted: dict[str, set] = {name: set() for name in related}
    previous_of: dict = {}
    for row in rows:
        changes = []
        previous = previous_of.get(row.id)
        if previous is not None:
            for change in row.diff_against(previous).changes:
                changes.append((change.field, change.old, change.new))
                if change.field in related:
                    wanted[change.field].update(v for v in (change.old, change.new) if v)
        raw_versions.append((row, changes))
        previous_of[row.id] = row
    objects = {
        name: model._default_manager.in_bulk(wanted[name]) if wanted[name] else {}
        for name, model in related.items()
    }

    def resolve(name, value):
        if name in related and value:
            return objects[name].get(value, value)
        return _present(value)

    versions = [
        {
            "id": row.id,
            "when": row.history_date,
            "user": row.history_user,
            "type": row.history_type,
            "changes": [
                (name, resolve(name, old), resolve(name, new)) for name, old, new in changes
            ],
        }
        for row, changes in raw_versions
    ]
    versions.reverse()
    return versions
