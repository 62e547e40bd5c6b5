"""Booking codes and document serial numbers: random, unique within the demo and reproducible."""

import numpy as np

from workstation.services.common.serials import SERIAL_ALPHABET, SERIAL_LENGTH
from workstation.services.demo.context import DemoBuild

# No 0/O, 1/I/L, 2/Z, 5/S, 8/B: a code read out over the phone or typed from paper stays unambiguous.
BOOKING_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
BOOKING_CODE_LENGTH = 6
_PART_CODES = 4
_PART_SERIALS = 5


def _unique_strings(rng: np.random.Generator, alphabet: str, length: int, count: int, used: set[str]) -> list[str]:
    letters = np.array(list(alphabet))
    out: list[str] = []
    while len(out) < count:
        draw = letters[rng.integers(len(alphabet), size=(count - len(out), length))]
        for row in draw:
            code = "".join(row)
            if code not in used:
                used.add(code)
                out.append(code)
    return out


class CodeSource:
    """Hands out codes in a fixed order so that the same seed gives the same codes."""

    def __init__(self, build: DemoBuild) -> None:
        self._build = build
        self._booking_rng = build.rng(_PART_CODES)
        self._serial_rng = build.rng(_PART_SERIALS)

    def booking_codes(self, count: int) -> list[str]:
        """Unique six-character booking codes."""
        return _unique_strings(self._booking_rng, BOOKING_ALPHABET, BOOKING_CODE_LENGTH, count,
                               self._build.used_codes)

    def serials(self, count: int) -> list[str]:
        """Unique document serial numbers: office code followed by five characters of the serial alphabet."""
        prefix = self._build.office_code
        tails = _unique_strings(self._serial_rng, SERIAL_ALPHABET, SERIAL_LENGTH - len(prefix), count,
                                self._build.used_serials)
        return [prefix + tail for tail in tails]
