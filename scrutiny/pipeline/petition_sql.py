"""The statements behind "Confirm my signature", written out once instead of built each time.

Confirming is the one step many residents take at the same moment (a petition shared on an
estate's group chat), and `benchmarks/load.py` asks for 250 a second. Through the
ORM, building each of its statements cost about a millisecond of Python and each was a round
trip to the database. Here the statements are put together once per process from the models'
own table and column names, and on PostgreSQL the first three are one statement, so a
confirmation is two statements between BEGIN and COMMIT (benchmarks/RESULTS.md has the
figures).

SQLite (3.35 or newer, for RETURNING) runs the same SQL as separate statements and needs no row
locks, as it lets one writer in at a time. Withdrawing and paper signatures use the lock and
count statements too; everything else in the pipeline uses the ORM.
"""

# The SQL is put together from the models' quoted table and column names only; every value is
# a parameter.
# ruff: noqa: S608

from functools import cache

from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from ..models import Petition, PetitionSignature

# What confirming, withdrawing and milestones read of a petition, so locking it reads no more.
COUNTING_FIELDS = (
    "call_id",
    "status",
    "closes_on",
    "target",
    "people_counted",
    "third_reached_at",
    "two_thirds_reached_at",
    "target_reached_at",
)

# A history row's own columns, beside its copy of the signature: when, why, how and by whom.
HISTORY_COLUMNS = ("history_date", "history_change_reason", "history_type", "history_user_id")


def _attnames(model, wanted=None) -> list[str]:
    """Fields' attribute names in the model's own order, which Model.from_db expects."""
    names = [field.attname for field in model._meta.concrete_fields]
    return [name for name in names if wanted is None or name in wanted]


def _names(model) -> tuple[str, dict[str, str]]:
    """A model's quoted table name and its fields' quoted column names, by attribute name."""
    quote = connection.ops.quote_name
    columns = {field.attname: quote(field.column) for field in model._meta.concrete_fields}
    return quote(model._meta.db_table), columns


@cache
def _statements(vendor: str) -> dict[str, str]:
    """Each statement's SQL for this database (the cache is per process; the models are fixed)."""
    signatures, signature = _names(PetitionSignature)
    petitions, petition = _names(Petition)
    history_model = PetitionSignature.history.model
    histories, history = _names(history_model)
    copied = [name for name in history if name != "history_id" and name not in HISTORY_COLUMNS]
    unknown = [name for name in copied if name not in signature]
    if unknown:
        raise ImproperlyConfigured(
            f"{history_model.__name__} has columns that are not the signature's own: {unknown}"
        )
    petition_columns = [petition[name] for name in _attnames(Petition, {"id", *COUNTING_FIELDS})]
    counted = (
        f"{signature['confirmed_at']} IS NOT NULL AND {signature['withdrawn_at']} IS NULL "
        f"AND {signature['invalidated_at']} IS NULL"
    )
    statements = {
        # Mark a signature confirmed if it is waiting to be (the row stays locked).
        "confirm": (
            f"UPDATE {signatures} SET {signature['confirmed_at']} = %s "
            f"WHERE {signature['token']} = %s AND {signature['confirmed_at']} IS NULL "
            f"AND {signature['withdrawn_at']} IS NULL AND {signature['invalidated_at']} IS NULL "
            f"RETURNING {', '.join(signature.values())}"
        ),
        # Add a signature's row as it now is to its history, as django-simple-history would.
        "history": (
            f"INSERT INTO {histories} "
            f"({', '.join(history[name] for name in [*copied, *HISTORY_COLUMNS])}) "
            f"SELECT {', '.join(signature[name] for name in copied)}, %s, %s, %s, %s "
            f"FROM {signatures} WHERE {signature['id']} = %s"
        ),
        "lock": (
            f"SELECT {', '.join(petition_columns)} FROM {petitions} WHERE {petition['id']} = %s"
            + (" FOR NO KEY UPDATE" if vendor == "postgresql" else "")
        ),
        # Change the count only when no other counted signature on the petition is the same
        # person; never below nought.
        "count": (
            f"UPDATE {petitions} SET {petition['people_counted']} = CASE "
            f"WHEN {petition['people_counted']} + %s > 0 THEN {petition['people_counted']} + %s "
            f"ELSE 0 END "
            f"WHERE {petition['id']} = %s AND NOT EXISTS (SELECT 1 FROM {signatures} "
            f"WHERE {signature['petition_id']} = %s AND {signature['person_key']} = %s "
            f"AND {signature['id']} <> %s AND {counted})"
        ),
    }
    if vendor == "postgresql":
        # The first three in one: confirm, record the history from what the update returned,
        # and lock the petition (after the signature, as everywhere).
        statements["confirm, history and lock"] = (
            f"WITH confirmed AS ({statements['confirm']}), recorded AS ("
            f"INSERT INTO {histories} "
            f"({', '.join(history[name] for name in [*copied, *HISTORY_COLUMNS])}) "
            f"SELECT {', '.join(f'confirmed.{signature[name]}' for name in copied)}, "
            f"%s, %s, %s, %s FROM confirmed) "
            f"SELECT {', '.join(f'confirmed.{column}' for column in signature.values())}, "
            f"{', '.join(f'{petitions}.{column}' for column in petition_columns)} "
            f"FROM confirmed JOIN {petitions} "
            f"ON {petitions}.{petition['id']} = confirmed.{signature['petition_id']} "
            f"FOR NO KEY UPDATE OF {petitions}"
        )
    return statements


def _run(name: str, params: list):
    cursor = connection.cursor()
    cursor.execute(_statements(connection.vendor)[name], params)
    return cursor


def _instance(model, names: list[str], values):
    """A model instance from a row of these fields, converted as the ORM would convert them."""
    fields = {field.attname: field for field in model._meta.concrete_fields}
    converted = []
    for name, value in zip(names, values, strict=True):
        column = fields[name].cached_col
        for convert in connection.ops.get_db_converters(column) + column.get_db_converters(
            connection
        ):
            value = convert(value, column, connection)
        converted.append(value)
    return model.from_db(connection.alias, names, converted)


def confirm_signature(token: str, when) -> tuple[PetitionSignature, Petition] | None:
    """Mark the signature with this token confirmed at `when`, if it is waiting to be.

    Also adds the confirmed signature to its history (by no user: the signer has no account)
    and locks its petition (see `lock_petition`), whose counting fields come back with it. None
    when there is no such signature, or it was already confirmed, taken back or found invalid.
    The signature's row stays locked until the transaction ends, so a second press of the same
    button waits and then finds it confirmed. Call it inside a transaction.
    """
    signature_names = _attnames(PetitionSignature)
    history = [when, None, "~", None]
    if connection.vendor == "postgresql":
        with _run("confirm, history and lock", [when, token, *history]) as cursor:
            row = cursor.fetchone()
        if row is None:
            return None
        signature_values, petition_values = row[: len(signature_names)], row[len(signature_names) :]
        signature = _instance(PetitionSignature, signature_names, signature_values)
        petition_names = _attnames(Petition, {"id", *COUNTING_FIELDS})
        return signature, _instance(Petition, petition_names, petition_values)
    with _run("confirm", [when, token]) as cursor:
        row = cursor.fetchone()
    if row is None:
        return None
    signature = _instance(PetitionSignature, signature_names, row)
    _run("history", [*history, signature.pk]).close()
    return signature, lock_petition(signature.petition_id)


def lock_petition(petition_id: int) -> Petition:
    """A petition's counting fields, its row locked until the transaction ends.

    FOR NO KEY UPDATE, so people signing (whose new rows only share-lock the petition's key) are
    not held up, while changes to one petition's count take turns: each sees the others'
    signatures once they are committed. Rows are always locked signatures first, then the
    petition, so these never deadlock.
    """
    with _run("lock", [petition_id]) as cursor:
        row = cursor.fetchone()
    if row is None:
        raise Petition.DoesNotExist(f"No petition {petition_id}.")
    return _instance(Petition, _attnames(Petition, {"id", *COUNTING_FIELDS}), row)


def count_person(petition_id: int, signature: PetitionSignature, change: int) -> bool:
    """Add (+1) or take away (-1) the signature's person from the petition's running count.

    Only when no other counted signature on the petition is the same person. The caller holds
    the petition's row lock, so this statement, which starts after it was taken, sees every
    earlier change. True when the count changed.
    """
    params = [change, change, petition_id, petition_id, signature.person_key, signature.pk]
    with _run("count", params) as cursor:
        return cursor.rowcount > 0
