"""UK postcodes, as residents type them: one way to write them and one way to compare them."""


def postcode_formatted(value: str) -> str:
    """A postcode written the usual way: upper case, one space before the last three characters
    ("pc11aa" -> "PC1 1AA"). What forms keep."""
    compact = postcode_key(value)
    return f"{compact[:-3]} {compact[-3:]}" if len(compact) > 3 else compact


def postcode_key(value: str) -> str:
    """A postcode in one form for comparison: upper case without spaces ("PC1 1AA" -> "PC11AA")."""
    return "".join(value.split()).upper()
