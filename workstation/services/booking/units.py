"""Time in 5-minute units counted from 1970-01-01 UTC: the grain of lanes, claims and the search."""

from datetime import datetime, timedelta

UNIT_MINUTES = 5
_EPOCH = datetime(1970, 1, 1)
_UNIT = timedelta(minutes=UNIT_MINUTES)


def to_unit(instant: datetime) -> int:
    """The unit that contains a naive-UTC instant."""
    return (instant - _EPOCH) // _UNIT


def to_unit_ceil(instant: datetime) -> int:
    """The first unit that starts at or after a naive-UTC instant."""
    unit = to_unit(instant)
    return unit if from_unit(unit) == instant else unit + 1


def from_unit(unit: int) -> datetime:
    """The naive-UTC start of a unit."""
    return _EPOCH + unit * _UNIT


def units_for(minutes: int) -> int:
    """How many units a duration takes (rounded up)."""
    return -(-minutes // UNIT_MINUTES)
