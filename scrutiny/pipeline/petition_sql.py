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


# The petition's fields that locking it reads.
LOCKED_FIELDS = frozenset({"id", *COUNTING_FIELDS})


@cache
def _reader(model, wanted: frozenset | None = None) -> tuple[list[str], list[tuple]]:
    """The attribute names of these fields (all by default) in the model's order, which
    Model.from_db expects, each with the converters the ORM applies to its column's values.

    Worked out once per process, as the statements are.
    """
    names, converters = [], []
    for field in model._meta.concrete_fields:
        if wanted is None or field.attname in wanted:
            column = field.cached_col
            functions = connection.ops.get_db_converters(column)
            names.append(field.attname)
            converters.append((column, functions + column.get_db_converters(connection)))
    return names, converters


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
    petition_columns = [petition[name] for name in _reader(Petition, LOCKED_FIELDS)[0]]
    recorded = ", ".join(history[name] for name in [*copied, *HISTORY_COLUMNS])
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
            f"INSERT INTO {histories} ({recorded}) "
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
            f"INSERT INTO {histories} ({recorded}) "
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


def _instance(model, values, wanted: frozenset | None = None):
    """A model instance from a row of these fields, converted as the ORM would convert them."""
    names, converters = _reader(model, wanted)
    converted = []
    for value, (column, functions) in zip(values, converters, strict=True):
        for convert in functions:
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
    history = [when, None, "~", None]
    if connection.vendor == "postgresql":
        with _run("confirm, history and lock", [when, token, *history]) as cursor:
            row = cursor.fetchone()
        if row is None:
            return None
        split = len(_reader(PetitionSignature)[0])
        signature = _instance(PetitionSignature, row[:split])
        return signature, _instance(Petition, row[split:], LOCKED_FIELDS)
    with _run("confirm", [when, token]) as cursor:
        row = cursor.fetchone()
    if row is None:
        return None
    signature = _instance(PetitionSignature, row)
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
    return _instance(Petition, row, LOCKED_FIELDS)


def count_person(petition_id: int, signature: PetitionSignature, change: int) -> bool:
    """Add (+1) or take away (-1) the signature's person from the petition's running count.

    Only when no other counted signature on the petition is the same person. The caller holds
    the petition's row lock, so this statement, which starts after it was taken, sees every
    earlier change. True when the count changed.
    """
    params = [change, change, petition_id, petition_id, signature.person_key, signature.pk]
    with _run("count", params) as cursor:
        return cursor.rowcount > 0
