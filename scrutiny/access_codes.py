"""A resident's access code: the secret that opens their call's full tracking page and appeal.

The reference is sequential and the postcode is shared by a street, so neither proves a call is
someone's. The code is 10 characters from an alphabet without look-alikes (no 0/O, 1/I/L), made
with `secrets`: 31**10 is about 8 x 10**14 codes, behind the forms' hourly limits.

The code is kept readable in the call's row, not hashed, and compared in constant time
(`hmac.compare_digest`). A hash would be the better choice if the code were only typed back,
but every later letter (the decision, the appeal's outcome, a closure, monitoring) repeats it,
and those are written by background jobs weeks after the call was sent; with a hash each letter
would have to issue a new code and silently void the one on the resident's fridge. Whoever can
read the row can already read everything the code opens, so a hash would protect nothing more.
It is kept out of the history tables, the log, exports and the admin's pages (an officer sees a
code once, when issuing it), and anonymising a call clears it.

The emailed link carries an opaque token: the call's number and an HMAC (keyed with the site's
SECRET_KEY) of its current code, so a new code voids old links and the link reveals no code.
"""

import hmac
import secrets

from django.utils.crypto import salted_hmac

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
LENGTH = 10
LINK_SALT = "scrutiny.call.tracking-link"


def new_access_code() -> str:
    """A fresh random access code."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise_access_code(value: str) -> str:
    """A typed code in the stored form: upper case, without spaces or dashes."""
    return "".join(ch for ch in (value or "").upper() if ch.isalnum())


def format_access_code(code: str) -> str:
    """A code as it is printed for a resident: two groups of five, easy to read out."""
    return f"{code[:5]}-{code[5:]}" if len(code) == LENGTH else code


def access_code_matches(stored: str, given: str) -> bool:
    """Whether a typed code is the call's code, compared in constant time."""
    given = normalise_access_code(given)
    if not stored or not given:
        return False
    return hmac.compare_digest(stored.encode(), given.encode())


def _signature(call_pk: int, code: str) -> str:
    return salted_hmac(LINK_SALT, f"{call_pk}.{code}", algorithm="sha256").hexdigest()[:32]


def tracking_token(*, call_pk: int, code: str) -> str:
    """The opaque token in a call's tracking link, valid while the code is unchanged.

    Letters, digits and one dash only: Wagtail serves pages at paths of word characters and
    dashes, so a token with a colon (as django.core.signing makes) would never reach the page.
    """
    return f"{call_pk}-{_signature(call_pk, code)}"


def tracking_token_call_pk(token: str, *, code_of) -> int | None:
    """The call a token opens, if it is genuine and its code unchanged; `code_of(pk)` reads it."""
    number, _, signature = (token or "").partition("-")
    if not number.isdigit() or len(number) > 12 or not signature:
        return None
    call_pk = int(number)
    code = code_of(call_pk)
    if not code or not hmac.compare_digest(_signature(call_pk, code), signature):
        return None
    return call_pk
