"""Vectorised pieces shared by the year's visits and today's appointments: concerns, slots, bookings."""

import numpy as np

from workstation.models.enums import Area
from workstation.services.demo import calibration as cal
from workstation.services.demo.calendar import OfficeCalendar
from workstation.services.demo.office import OPENING_MINUTES, SERVICES

AREAS: tuple[Area, ...] = tuple(Area)
AREA_SHARES = np.array([cal.AREA_CONTACTS[a] for a in AREAS], dtype=float) / cal.YEAR_CONTACTS
SERVICE_CODES = np.array([s.code for s in SERVICES])
PLANNED = np.array([s.planned_minutes for s in SERVICES], dtype=float)
_AREA_SERVICES = [np.array([k for k, s in enumerate(SERVICES) if s.area == a]) for a in AREAS]
_AREA_WEIGHTS = [np.array([SERVICES[k].weight for k in idx]) / sum(SERVICES[k].weight for k in idx)
                 for idx in _AREA_SERVICES]
_DEALER_SERVICES = np.array([k for k, s in enumerate(SERVICES) if s.code in ("NZL", "UMS")])
_OPEN = np.array([OPENING_MINUTES.get(wd, OPENING_MINUTES[0])[0] for wd in range(7)])
_CLOSE = np.array([OPENING_MINUTES.get(wd, OPENING_MINUTES[0])[1] for wd in range(7)])
SLOT_GRID_MINUTES = 5


def services_for_areas(rng: np.random.Generator, area_idx: np.ndarray) -> np.ndarray:
    """A service (index into SERVICES) per entry, drawn by the area's service weights."""
    out = np.empty(len(area_idx), dtype=np.int64)
    for a, candidates in enumerate(_AREA_SERVICES):
        mask = area_idx == a
        out[mask] = rng.choice(candidates, size=int(mask.sum()), p=_AREA_WEIGHTS[a])
    return out


def draw_concerns(rng: np.random.Generator, area_idx: np.ndarray, dealer: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Concerns of visits: (visit position, service index), the first concern of a visit in its own area.

    Dealer batches carry one vehicle concern; citizens bring one to three, extra ones mostly of the same area.
    """
    n = len(area_idx)
    count = rng.choice(3, size=n, p=cal.CONCERNS_PER_VISIT_P) + 1
    count[dealer] = 1
    primary = services_for_areas(rng, area_idx)
    primary[dealer] = rng.choice(_DEALER_SERVICES, size=int(dealer.sum()))
    extra_visit = np.repeat(np.arange(n), count - 1)
    same = rng.random(len(extra_visit)) < cal.EXTRA_CONCERN_SAME_AREA
    other = rng.choice(len(AREAS), size=len(extra_visit), p=AREA_SHARES)
    extra_service = services_for_areas(rng, np.where(same, area_idx[extra_visit], other))
    visit_pos = np.concatenate([np.arange(n), extra_visit])
    service = np.concatenate([primary, extra_service])
    order = np.argsort(visit_pos, kind="stable")
    return visit_pos[order], service[order]


def planned_minutes(n: int, visit_pos: np.ndarray, service: np.ndarray) -> np.ndarray:
    """Planned duration of each visit: the sum over its concerns."""
    return np.bincount(visit_pos, weights=PLANNED[service], minlength=n)


def opening(calendar: OfficeCalendar, day_idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Opening and closing minute of each day (a weekend day gets Monday's hours)."""
    weekday = calendar.weekday[day_idx]
    return _OPEN[weekday], _CLOSE[weekday]


def slot_starts(rng: np.random.Generator, open_min: np.ndarray, close_min: np.ndarray,
                length: np.ndarray) -> np.ndarray:
    """Slot start (minutes after midnight) on the booking grid, so that the slot ends by closing time."""
    span = np.maximum(close_min - length - open_min, 0) // SLOT_GRID_MINUTES + 1
    return open_min + np.floor(rng.random(len(open_min)) * span) * SLOT_GRID_MINUTES


def slot_length(planned: np.ndarray) -> np.ndarray:
    """Booked slot length: the planned minutes rounded up to the grid."""
    return np.ceil(planned / SLOT_GRID_MINUTES) * SLOT_GRID_MINUTES


def booking_lead_minutes(rng: np.random.Generator, n: int) -> np.ndarray:
    """How long before the slot an appointment was booked (mean about four days, at most 90)."""
    shape = 1.3
    days = np.minimum(rng.gamma(shape, cal.LEAD_DAYS_MEAN / shape, size=n), cal.LEAD_DAYS_MAX)
    return days * 1440 + 30 + rng.random(n) * 600


def channels(rng: np.random.Generator, n: int) -> np.ndarray:
    """Booking channel of each appointment."""
    names = np.array(list(cal.CHANNEL_P))
    return names[rng.choice(len(names), size=n, p=np.array(list(cal.CHANNEL_P.values())))]
