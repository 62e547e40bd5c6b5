"""State shared by the demo generators: the reference day, random streams, ids and the rows to insert."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

import numpy as np
import polars as pl
from sqlmodel import SQLModel

from workstation.services.demo.calendar import OfficeCalendar, utc_of

if TYPE_CHECKING:
    from workstation.services.demo.codes import CodeSource

HISTORY_DAYS = 365
# The generated world is frozen at this Berlin time of "today": before the doors open, after the
# night's jobs. Everything later than this is simply not yet in the data.
REFERENCE_HOUR = 7


@dataclass
class DemoBuild:
    """Everything one seeding run produces, kept in memory and inserted in one transaction.

    Ids are assigned here (not by the database) so that rows can refer to each other without a round trip
    and the same seed and day give the same ids.
    """

    seed: int
    today: date
    office_code: str
    scale: float = 1.0  # a smaller office of a demo city: visits, cases, citizens, desks and staff scaled down
    calendar: OfficeCalendar = field(init=False)
    now: datetime = field(init=False)
    rows: dict[type[SQLModel], list[list[dict] | pl.DataFrame]] = field(default_factory=lambda: defaultdict(list))
    _next_id: dict[type[SQLModel], int] = field(default_factory=lambda: defaultdict(lambda: 1))
    # Filled by the generators as they go, read by later ones.
    office_id: int = 0
    counters: dict[str, list[int]] = field(default_factory=dict)
    counter_by_name: dict[str, int] = field(default_factory=dict)
    service_ids: dict[str, int] = field(default_factory=dict)
    staff_ids: dict[str, int] = field(default_factory=dict)
    staff_by_role: dict[str, list[int]] = field(default_factory=dict)
    dealer_ids: list[int] = field(default_factory=list)
    citizen_ids: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    citizen_email: list[str | None] = field(default_factory=list)
    citizen_phone: list[str | None] = field(default_factory=list)
    codes: "CodeSource | None" = None
    used_codes: set[str] = field(default_factory=set)
    used_serials: set[str] = field(default_factory=set)
    # counter id → the advisor sitting there, per calendar index of a working day
    seating: dict[int, dict[int, int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.window_start = self.today - timedelta(days=HISTORY_DAYS)
        self.calendar = OfficeCalendar(self.window_start - timedelta(days=150), self.today + timedelta(days=400))
        self.now = utc_of(self.today, REFERENCE_HOUR)

    def scaled(self, count: int) -> int:
        """`count` for this office's size (at least 1)."""
        return max(1, round(count * self.scale))

    def rng(self, part: int) -> np.random.Generator:
        """An independent random stream per part, so that changing one part leaves the others as they were."""
        return np.random.default_rng([self.seed, part])

    def ids(self, model: type[SQLModel], count: int) -> np.ndarray:
        """Reserve `count` consecutive ids of a table."""
        first = self._next_id[model]
        self._next_id[model] = first + count
        return np.arange(first, first + count, dtype=np.int64)

    def add(self, model: type[SQLModel], rows: list[dict] | pl.DataFrame) -> None:
        """Queue rows (with their ids, every column of the table) for insertion, in this order."""
        self.rows[model].append(rows)

    def history_days(self) -> list[date]:
        """The office's working days in the year before today."""
        return self.calendar.working_days(self.window_start, self.today)
