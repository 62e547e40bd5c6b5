"""Serial numbers of German identity documents and their ICAO 9303 check digit."""

SERIAL_ALPHABET = "0123456789CFGHJKLMNPRTVWXYZ"
SERIAL_LENGTH = 9
_WEIGHTS = (7, 3, 1)


# Character values of ICAO 9303: digits 0–9, A=10 … Z=35, filler '<' = 0 (a table: the feed checks 100,000s).
_VALUES = {**{str(d): d for d in range(10)}, **{chr(ord("A") + i): 10 + i for i in range(26)}, "<": 0}


def check_digit(serial: str) -> int:
    """ICAO 9303 check digit: values 0–9 / A=10…Z=35, weights 7,3,1 repeating, sum mod 10."""
    try:
        return sum(_VALUES[c] * _WEIGHTS[i % 3] for i, c in enumerate(serial)) % 10
    except KeyError as exc:
        raise ValueError(f"invalid character {exc.args[0]!r}") from None


def is_well_formed(serial: str) -> bool:
    """Nine characters from the document alphabet."""
    return len(serial) == SERIAL_LENGTH and all(c in SERIAL_ALPHABET for c in serial)


def normalize(raw: str) -> str:
    """What a scanner or a person typed → upper case without spaces."""
    return "".join(raw.split()).upper()


def split_with_check_digit(raw: str) -> tuple[str, int] | None:
    """"L6F3R7T2K8" (serial + check digit, as printed on the document) → ("L6F3R7T2K", 8)."""
    text = normalize(raw)
    if len(text) != SERIAL_LENGTH + 1 or not text[-1].isdigit():
        return None
    return text[:-1], int(text[-1])


def is_valid(serial: str, digit: int) -> bool:
    """Well-formed and the check digit matches."""
    return is_well_formed(serial) and check_digit(serial) == digit
