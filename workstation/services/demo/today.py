"""Today's appointments and dealer batches, all still booked, as the office finds them at 07:00."""

import numpy as np

from workstation.models import Concern, Visit
from workstation.models.enums import Area, ConcernStatus, VisitKind, VisitStatus
from workstation.services.demo import calibration as cal
from workstation.services.demo.base import pick
from workstation.services.demo.calendar import local_minutes
from workstation.services.demo.context import DemoBuild
from workstation.services.demo.rows import VISIT_DEFAULTS, frame
from workstation.services.demo.visitgen import (
    AREA_SHARES,
    AREAS,
    SERVICE_CODES,
    booking_lead_minutes,
    channels,
    draw_concerns,
    opening,
    planned_minutes,
    slot_length,
    slot_starts,
)

TODAY_APPOINTMENTS = 450
TODAY_DEALER_BATCHES = 16
DEALER_BATCH_SIZE = (3, 16)
_PART_TODAY = 10


def build_today(build: DemoBuild) -> None:
    """About 450 appointments (more on a Thursday) and the dealers' batches, with their concerns."""
    rng = build.rng(_PART_TODAY)
    weekday = build.today.weekday()
    factor = cal.WEEKDAY_FACTORS[weekday] / cal.WEEKDAY_FACTORS.mean() if weekday < 5 else 1.0
    n_citizen = int(np.rint(build.scaled(TODAY_APPOINTMENTS) * factor * rng.normal(1, 0.03)))
    n = n_citizen + build.scaled(TODAY_DEALER_BATCHES)
    dealer = np.arange(n) >= n_citizen
    area_idx = rng.choice(len(AREAS), size=n, p=AREA_SHARES)
    area_idx[dealer] = AREAS.index(Area.VEHICLES)
    batch = np.where(dealer, rng.integers(*DEALER_BATCH_SIZE, size=n), 0)
    visit_pos, service = draw_concerns(rng, area_idx, dealer)
    planned = np.where(dealer, batch * cal.DEALER_MINUTES_PER_VEHICLE, planned_minutes(n, visit_pos, service))
    day_idx = np.full(n, build.calendar.index(build.today))
    open_min, close_min = opening(build.calendar, day_idx)
    length = slot_length(planned)
    start = slot_starts(rng, open_min, close_min, length)
    lead = np.where(dealer, rng.integers(1, 8, size=n) * 1440 + rng.random(n) * 600, booking_lead_minutes(rng, n))
    slot_local = local_minutes(build.calendar, day_idx, start)
    booked_local = local_minutes(build.calendar, day_idx, start - lead)
    order = np.lexsort((np.arange(n), start))
    ids = build.ids(Visit, n)
    position = np.empty(n, dtype=np.int64)
    position[order] = np.arange(n)
    visit_ids = ids[position]
    cal_ = build.calendar
    channel = channels(rng, n).astype(object)
    channel[dealer] = "online"
    rows = frame({
        "id": visit_ids,
        "office_id": build.office_id,
        "kind": np.where(dealer, str(VisitKind.DEALER), str(VisitKind.APPOINTMENT)),
        "status": str(VisitStatus.BOOKED),
        "area": np.array([str(a) for a in AREAS])[area_idx],
        "citizen_id": [None if d else int(c) for d, c in zip(dealer, pick(rng, build.citizen_ids, n),
                                                               strict=True)],
        "dealer_id": [int(d) if is_dealer else None
                      for is_dealer, d in zip(dealer, pick(rng, build.dealer_ids, n), strict=True)],
        "batch_size": batch,
        "booking_code": build.codes.booking_codes(n),
        "channel": list(channel),
        "booked_at": cal_.to_utc(booked_local),
        "slot_start": cal_.to_utc(slot_local),
        "slot_end": cal_.to_utc(slot_local + (length * 60).astype("int64").astype("timedelta64[s]")),
    }, VISIT_DEFAULTS)
    build.add(Visit, rows.sort("id"))
    by_visit = np.argsort(visit_ids[visit_pos], kind="stable")
    concern_ids = build.ids(Concern, len(visit_pos))
    build.add(Concern, [
        {"id": int(cid), "visit_id": int(visit_ids[v]), "service_id": build.service_ids[SERVICE_CODES[s]],
         "status": str(ConcernStatus.PLANNED), "not_done_reason": ""}
        for cid, v, s in zip(concern_ids, visit_pos[by_visit], service[by_visit], strict=True)
    ])
