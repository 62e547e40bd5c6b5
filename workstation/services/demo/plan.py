"""How the year's load is spread over the working days: monthly seasonality, weekdays, day-to-day noise."""

from collections import defaultdict
from datetime import date

import numpy as np

from workstation.services.demo import calibration as cal
from workstation.services.demo.context import DemoBuild


def day_weights(build: DemoBuild, days: list[date], rng: np.random.Generator) -> np.ndarray:
    """Relative load of each day: its month's share × its weekday factor, normalised per calendar month.

    Normalising over the whole calendar month (not only the part inside the window) gives a month cut by
    the window's edge its proportional share, so March stays the peak whatever "today" is.
    """
    calendar = build.calendar
    month_factor: dict[tuple[int, int], float] = defaultdict(float)
    for i, day in enumerate(calendar.dates):
        if calendar.working[i]:
            month_factor[(day.year, day.month)] += cal.WEEKDAY_FACTORS[day.weekday()]
    shares = cal.month_shares()
    weights = np.array([
        shares[d.month] * cal.WEEKDAY_FACTORS[d.weekday()] / month_factor[(d.year, d.month)] for d in days
    ])
    return weights * rng.lognormal(0.0, cal.DAY_NOISE_SIGMA, size=len(days))


def expand(counts: np.ndarray) -> np.ndarray:
    """Counts per slot → the slot index repeated that many times (one entry per generated record)."""
    return np.repeat(np.arange(len(counts)), counts)
