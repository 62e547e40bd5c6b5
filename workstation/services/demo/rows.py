"""Row shapes for bulk inserts: every row of a table must carry the same keys."""

import numpy as np
import polars as pl

VISIT_DEFAULTS: dict = {
    "kind": None, "status": None, "area": None, "citizen_id": None, "dealer_id": None, "batch_size": 0,
    "booking_code": None, "channel": None, "booked_at": None, "slot_start": None, "slot_end": None,
    "cancelled_at": None, "checked_in_at": None, "called_at": None, "call_count": 0, "started_at": None,
    "parked_at": None, "finished_at": None, "no_show_at": None, "counter_id": None, "advisor_id": None,
    "booking_note": "", "desk_note": "", "park_room": None, "redirected_from_counter_id": None, "ticket": None,
    "version": 0,
}


def visit_row(**values) -> dict:
    """A complete visit row: defaults plus the given values."""
    unknown = set(values) - set(VISIT_DEFAULTS) - {"id", "office_id"}
    if unknown:
        raise KeyError(f"unknown visit columns: {sorted(unknown)}")
    return {**VISIT_DEFAULTS, **values}


def frame(columns: dict[str, object], defaults: dict | None = None) -> pl.DataFrame:
    """Column arrays (numpy / lists / scalars) → a frame of rows (NaT → null); missing columns from defaults."""
    length = next(len(v) for v in columns.values() if isinstance(v, np.ndarray | list))
    data = {}
    for name, value in {**(defaults or {}), **columns}.items():
        if isinstance(value, np.ndarray | list):
            data[name] = value
        else:
            data[name] = pl.repeat(value, length, eager=True, dtype=pl.Null if value is None else None)
    return pl.DataFrame(data)
