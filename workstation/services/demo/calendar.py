"""The office calendar for the demo: working days in Hesse and Berlin wall time → stored UTC, vectorised.

Timestamps are generated as Berlin wall-clock times (numpy datetime64) and converted to naive UTC with
one UTC offset per calendar day; generated times never fall into the night-time hour of a DST change.
"""

from datetime import UTC, date, datetime, timedelta

import holidays
import numpy as np

from workstation.clock import BERLIN

# Christmas Eve and New Year's Eve are not public holidays, but the office is closed.
_EXTRA_CLOSED = ((12, 24), (12, 31))


class OfficeCalendar:
    """Days from `first` to `last` (inclusive) with working-day flags and UTC offsets."""

    def __init__(self, first: date, last: date) -> None:
        self.first = first
        count = (last - first).days + 1
        self.dates = [first + timedelta(days=i) for i in range(count)]
        public = holidays.country_holidays("DE", subdiv="HE", years=range(first.year, last.year + 1))
        self.weekday = np.array([d.weekday() for d in self.dates])
        self.working = np.array(
            [d.weekday() < 5 and d not in public and (d.month, d.day) not in _EXTRA_CLOSED for d in self.dates]
        )
        self.offset_minutes = np.array(
            [int(datetime(d.year, d.month, d.day, 12, tzinfo=BERLIN).utcoffset().total_seconds() // 60)
             for d in self.dates]
        )
        # next_working[i] = index of the first working day on or after day i (last index if none left).
        nxt = np.full(count, count - 1)
        upcoming = count - 1
        for i in range(count - 1, -1, -1):
            if self.working[i]:
                upcoming = i
            nxt[i] = upcoming
        self.next_working = nxt
        self.first64 = np.datetime64(first, "D")

    def index(self, day: date) -> int:
        """Position of a date in this calendar."""
        return (day - self.first).days

    def working_days(self, start: date, end: date) -> list[date]:
        """Working days in [start, end)."""
        lo, hi = self.index(start), self.index(end)
        return [self.dates[i] for i in range(lo, hi) if self.working[i]]

    def day_start(self, index: np.ndarray) -> np.ndarray:
        """Local midnight (datetime64[s]) of the days at the given indices."""
        return (self.first64 + index.astype("timedelta64[D]")).astype("datetime64[s]")

    def day_index(self, local: np.ndarray) -> np.ndarray:
        """Calendar index of each local timestamp (NaT → 0, callers mask those)."""
        idx = (local.astype("datetime64[D]") - self.first64).astype("int64")
        return np.where(np.isnat(local), 0, np.clip(idx, 0, len(self.dates) - 1))

    def next_working_index(self, index: np.ndarray) -> np.ndarray:
        """First working day on or after each index."""
        return self.next_working[np.clip(index, 0, len(self.dates) - 1)]

    def to_utc(self, local: np.ndarray) -> np.ndarray:
        """Berlin wall-clock datetime64 → naive UTC datetime64[us] (NaT stays NaT)."""
        offsets = self.offset_minutes[self.day_index(local)].astype("timedelta64[m]")
        return (local.astype("datetime64[s]") - offsets).astype("datetime64[us]")


def local_minutes(calendar: OfficeCalendar, day_index: np.ndarray, minutes: np.ndarray) -> np.ndarray:
    """Day index + minutes after local midnight → local datetime64[s]."""
    seconds = np.round(minutes * 60).astype("int64").astype("timedelta64[s]")
    return calendar.day_start(day_index) + seconds


def utc_of(day: date, hour: int, minute: int = 0) -> datetime:
    """A Berlin wall-clock time on a day → stored naive UTC (for the hand-made rows)."""
    local = datetime(day.year, day.month, day.day, hour, minute, tzinfo=BERLIN)
    return local.astimezone(UTC).replace(tzinfo=None)
