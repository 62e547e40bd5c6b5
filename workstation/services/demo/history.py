"""A year of visits before today: every served contact with all its timestamps, no-shows and cancellations.

Served contacts per area are allocated to days exactly (see `calibration`); within a day each visit gets
a slot or an arrival, a log-normal wait (mean ≈ 9 minutes, long right tail), a service time around the
planned duration of its concerns, and the counter and advisor that were on duty. No-shows and
cancellations come on top of the served contacts, as in the office's statistics.
"""

import heapq
from dataclasses import dataclass

import numpy as np

from workstation.models import Concern, Visit
from workstation.models.enums import Area, ConcernStatus, CounterKind, VisitKind, VisitStatus
from workstation.services.demo import calibration as cal
from workstation.services.demo.calendar import local_minutes
from workstation.services.demo.context import DemoBuild
from workstation.services.demo.office import SERVICES
from workstation.services.demo.plan import day_weights, expand
from workstation.services.demo.rows import VISIT_DEFAULTS, frame
from workstation.services.demo.visitgen import (
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

_PART_HISTORY = 30
_BLOCKS: tuple[tuple[VisitKind, VisitStatus], ...] = (
    (VisitKind.APPOINTMENT, VisitStatus.FINISHED),
    (VisitKind.WALK_IN, VisitStatus.FINISHED),
    (VisitKind.EMERGENCY, VisitStatus.FINISHED),
    (VisitKind.DEALER, VisitStatus.FINISHED),
    (VisitKind.APPOINTMENT, VisitStatus.NO_SHOW),
    (VisitKind.APPOINTMENT, VisitStatus.CANCELLED),
)
_NOT_DONE_REASONS = np.array(["Unterlagen unvollständig", "Gebühr konnte nicht bezahlt werden",
                              "Termin reichte nicht aus, neuer Termin vereinbart"])
_NO_SHOW_AFTER_MINUTES = 15
_RECALL_SHARE = 0.04
_DEALER_BATCH = (3, 16)


@dataclass(frozen=True)
class DoneDocuments:
    """Concerns of served visits that ordered a document from the Bundesdruckerei."""

    citizen_id: np.ndarray
    doc_type: np.ndarray
    applied_at: np.ndarray  # naive UTC datetime64[us]


def _served_by_day_and_area(build: DemoBuild, rng: np.random.Generator, days: list) -> np.ndarray:
    base = day_weights(build, days, rng)
    return np.stack([
        cal.allocate(build.scaled(cal.AREA_CONTACTS[a]),
                     base * rng.lognormal(0, cal.AREA_DAY_NOISE_SIGMA, size=len(days)))
        for a in AREAS
    ], axis=1)


def _block_counts(rng: np.random.Generator, served: np.ndarray) -> list[np.ndarray]:
    vehicles = AREAS.index(Area.VEHICLES)
    dealer = np.zeros_like(served)
    dealer[:, vehicles] = rng.binomial(served[:, vehicles], cal.DEALER_SHARE_OF_VEHICLES)
    citizens = served - dealer
    emergency = rng.binomial(citizens, cal.EMERGENCY_SHARE)
    walk_in = rng.binomial(citizens - emergency, cal.WALK_IN_SHARE)
    appointment = citizens - emergency - walk_in
    no_show = rng.binomial(appointment, cal.NO_SHOW_RATE / (1 - cal.NO_SHOW_RATE))
    cancelled = rng.binomial(appointment + no_show, cal.CANCEL_RATE / (1 - cal.CANCEL_RATE))
    return [appointment, walk_in, emergency, dealer, no_show, cancelled]


def _seat_visits(day_pos: np.ndarray, called: np.ndarray, busy: np.ndarray, group: np.ndarray,
                 desks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Give each visit of the group the desk that became free first; returns (desk, minutes the call waited).

    A visit whose turn comes while every desk is busy is called when the first desk frees up, so no desk
    ever serves two people at once and waiting grows on the busiest days, as it does on the floor.
    """
    desk = np.zeros(len(day_pos), dtype=np.int64)
    delay = np.zeros(len(day_pos))
    idx = np.flatnonzero(group)
    order = idx[np.lexsort((called[idx], day_pos[idx]))]
    day, free = -1, []
    for i in order.tolist():
        if day_pos[i] != day:
            day = day_pos[i]
            free = [(0.0, k) for k in range(len(desks))]
        free_at, k = heapq.heappop(free)
        delay[i] = max(free_at - called[i], 0.0)
        desk[i] = desks[k]
        heapq.heappush(free, (called[i] + delay[i] + busy[i], k))
    return desk, delay


def build_history(build: DemoBuild) -> DoneDocuments:
    """Visits and concerns of the working days in the year before today; returns the documents ordered."""
    rng = build.rng(_PART_HISTORY)
    calendar = build.calendar
    days = build.history_days()
    day_cal = np.array([calendar.index(d) for d in days])
    counts = _block_counts(rng, _served_by_day_and_area(build, rng, days))
    n_areas = len(AREAS)
    cells = [expand(c.ravel()) for c in counts]
    block = np.concatenate([np.full(len(c), b) for b, c in enumerate(cells)])
    cell = np.concatenate(cells)
    day_pos, area_idx = cell // n_areas, cell % n_areas
    n = len(block)
    kinds = np.array([str(k) for k, _ in _BLOCKS])[block]
    statuses = np.array([str(s) for _, s in _BLOCKS])[block]
    dealer = kinds == str(VisitKind.DEALER)
    booked = (kinds == str(VisitKind.APPOINTMENT)) | dealer
    served = statuses == str(VisitStatus.FINISHED)

    visit_pos, service = draw_concerns(rng, area_idx, dealer)
    batch = np.where(dealer, rng.integers(*_DEALER_BATCH, size=n), 0)
    planned = np.where(dealer, batch * cal.DEALER_MINUTES_PER_VEHICLE, planned_minutes(n, visit_pos, service))
    day_i = day_cal[day_pos]
    open_min, close_min = opening(calendar, day_i)
    length = slot_length(planned)
    slot = slot_starts(rng, open_min, close_min, length)
    walk_in_arrival = open_min + rng.random(n) * np.maximum(close_min - open_min - 20, 1)
    punctuality = np.where(rng.random(n) < 0.1, rng.uniform(0, 10, size=n), -rng.uniform(0, 15, size=n))
    checked_in = np.where(booked, slot + punctuality, walk_in_arrival)
    mu = np.zeros(n)
    sigma = np.zeros(n)
    for kind, (m, s) in cal.WAIT_LOGNORMAL.items():
        mu[kinds == kind], sigma[kinds == kind] = m, s
    wait = rng.lognormal(mu, sigma)
    called = np.where(booked, np.maximum(checked_in, slot), checked_in) + wait
    started = called + rng.uniform(0.5, 2.5, size=n)
    finished = started + planned * cal.SERVICE_TIME_MEDIAN_FACTOR * rng.lognormal(0, cal.SERVICE_TIME_SIGMA, size=n)
    lead = np.where(dealer, rng.integers(1, 8, size=n) * 1440 + rng.random(n) * 600, booking_lead_minutes(rng, n))
    booked_at = slot - lead
    cancelled_at = booked_at + rng.random(n) * np.maximum(slot - 60 - booked_at, 5)

    order = np.lexsort((np.where(booked, slot, checked_in), day_pos))
    ids = np.empty(n, dtype=np.int64)
    ids[order] = build.ids(Visit, n)

    seats = np.zeros((len(days), max(max(s) for s in build.seating.values()) + 1), dtype=np.int64)
    for p, d in enumerate(day_cal):
        for desk, person in build.seating[int(d)].items():
            seats[p, desk] = person
    busy = finished - called
    regular, late_regular = _seat_visits(day_pos, called, busy, served & ~dealer,
                                         np.array(build.counters[str(CounterKind.REGULAR)]))
    dealer_desk, late_dealer = _seat_visits(day_pos, called, busy, served & dealer,
                                            np.array(build.counters[str(CounterKind.DEALER)]))
    counter = regular + dealer_desk
    late = late_regular + late_dealer
    called, started, finished = called + late, started + late, finished + late
    advisor = seats[day_pos, counter]

    def at(minutes: np.ndarray, mask: np.ndarray) -> np.ndarray:
        utc = calendar.to_utc(local_minutes(calendar, day_i, minutes))
        return np.where(mask, utc, np.datetime64("NaT", "us"))

    channel = channels(rng, n).astype(object)
    channel[dealer] = "online"
    channel[~booked] = None
    citizen = build.citizen_ids[rng.integers(len(build.citizen_ids), size=n)].astype(object)
    citizen[dealer] = None
    dealer_id = np.asarray(build.dealer_ids)[rng.integers(len(build.dealer_ids), size=n)].astype(object)
    dealer_id[~dealer] = None
    codes = np.full(n, None, dtype=object)
    codes[order[booked[order]]] = build.codes.booking_codes(int(booked.sum()))
    no_show = statuses == str(VisitStatus.NO_SHOW)
    cancelled = statuses == str(VisitStatus.CANCELLED)
    visits = frame({
        "id": ids,
        "office_id": build.office_id,
        "kind": kinds,
        "status": statuses,
        "area": np.array([str(a) for a in AREAS])[area_idx],
        "citizen_id": list(citizen),
        "dealer_id": list(dealer_id),
        "batch_size": batch,
        "booking_code": list(codes),
        "channel": list(channel),
        "booked_at": at(booked_at, booked),
        "slot_start": at(slot, booked),
        "slot_end": at(slot + length, booked),
        "cancelled_at": at(cancelled_at, cancelled),
        "checked_in_at": at(checked_in, served),
        "called_at": at(called, served),
        "call_count": np.where(served, 1 + (rng.random(n) < _RECALL_SHARE), 0),
        "started_at": at(started, served),
        "finished_at": at(finished, served),
        "no_show_at": at(slot + _NO_SHOW_AFTER_MINUTES, no_show),
        "counter_id": [int(c) if s else None for c, s in zip(counter, served, strict=True)],
        "advisor_id": [int(a) if s else None for a, s in zip(advisor, served, strict=True)],
    }, VISIT_DEFAULTS)
    build.add(Visit, visits.sort("id"))
    return _concerns(build, rng, ids, visit_pos, service, served, citizen, at(finished, served))


def _concerns(build: DemoBuild, rng: np.random.Generator, ids: np.ndarray, visit_pos: np.ndarray,
              service: np.ndarray, served: np.ndarray, citizen: np.ndarray, finished_at: np.ndarray) -> DoneDocuments:
    m = len(visit_pos)
    primary = np.r_[True, visit_pos[1:] != visit_pos[:-1]]
    not_done = served[visit_pos] & ~primary & (rng.random(m) < cal.NOT_DONE_SHARE * 3)
    status = np.where(served[visit_pos], str(ConcernStatus.DONE), str(ConcernStatus.PLANNED))
    status[not_done] = str(ConcernStatus.NOT_DONE)
    reason = np.where(not_done, _NOT_DONE_REASONS[rng.integers(len(_NOT_DONE_REASONS), size=m)], "")
    service_ids = np.array([build.service_ids[c] for c in SERVICE_CODES])
    visit_id = ids[visit_pos]
    order = np.argsort(visit_id, kind="stable")
    build.add(Concern, frame({
        "id": build.ids(Concern, m),
        "visit_id": visit_id[order],
        "service_id": service_ids[service][order],
        "status": status[order],
        "not_done_reason": reason[order],
    }))
    doc_types = np.array([str(s.doc_type) if s.doc_type else "" for s in SERVICES])[service]
    ordered = (status == str(ConcernStatus.DONE)) & (doc_types != "")
    applied = finished_at[visit_pos][ordered]
    chrono = np.argsort(applied, kind="stable")
    return DoneDocuments(
        citizen_id=citizen[visit_pos][ordered][chrono].astype(np.int64),
        doc_type=doc_types[ordered][chrono],
        applied_at=applied[chrono],
    )
