"""Identity documents ordered at the counter during the year and where each stands this morning.

An application is made when a served visit's concern ordered a document. The Bundesdruckerei produces it
(two days for an express passport, two to three weeks otherwise), ships it, the parcel arrives the next
working day, the pickup desk confirms it the morning after and the citizen is notified; most collect within
a week or two, a few never (returned after the holding period). Whatever lies after today 07:00 has not
happened yet, which leaves applications still in production, parcels on the way (for the simulated feed),
documents on the shelf — some not yet confirmed, some older than four weeks — and the year's hand-overs.
"""

import numpy as np

from workstation.config import settings
from workstation.models import DocumentApplication
from workstation.models.enums import ApplicationStatus, DocumentType, NotifyChannel
from workstation.services.demo.calendar import local_minutes
from workstation.services.demo.context import DemoBuild
from workstation.services.demo.history import DoneDocuments
from workstation.services.demo.names import FIRST_NAMES, LAST_NAMES
from workstation.services.demo.rows import frame
from workstation.services.demo.visitgen import opening

_PART_DOCUMENTS = 40
PRODUCTION_DAYS_MEAN = {str(DocumentType.DRIVING_LICENCE): 20.0}
PRODUCTION_DAYS_DEFAULT = 14.0
EXPRESS_DAYS = (1, 3)
DIRECT_MAIL_SHARE = 0.04
CANCELLED_SHARE = 0.005
COLLECT_MEDIAN_DAYS = 5.0
COLLECT_SIGMA = 0.8
LATE_COLLECTOR_SHARE = 0.03
REPRESENTATIVE_SHARE = 0.03
EMAIL_CHOICE = 0.8


def build_documents(build: DemoBuild, done: DoneDocuments) -> None:
    """One application per document ordered in the year, with its lifecycle up to this morning."""
    rng = build.rng(_PART_DOCUMENTS)
    holding, reminder_days = settings().pickup_holding_days, settings().pickup_reminder_days
    calendar = build.calendar
    n = len(done.citizen_id)
    now = np.datetime64(build.now, "us")
    nat = np.datetime64("NaT", "us")
    applied_day = ((done.applied_at + np.timedelta64(2, "h")).astype("datetime64[D]")
                   - calendar.first64).astype(np.int64)
    doc = done.doc_type
    express = doc == str(DocumentType.EXPRESS_PASSPORT)
    mean = np.array([PRODUCTION_DAYS_MEAN.get(d, PRODUCTION_DAYS_DEFAULT) for d in doc])
    production = np.where(express, rng.integers(*EXPRESS_DAYS, size=n), np.rint(rng.gamma(16, mean / 16)))
    shipped_day = calendar.next_working_index(applied_day + production.astype(np.int64))
    arrived_day = calendar.next_working_index(shipped_day + 1)
    confirmed_day = calendar.next_working_index(arrived_day + 1)
    late = rng.random(n) < LATE_COLLECTOR_SHARE
    delay = np.where(late, rng.integers(30, 120, size=n), rng.lognormal(np.log(COLLECT_MEDIAN_DAYS), COLLECT_SIGMA))
    handed_day = calendar.next_working_index(confirmed_day + delay.astype(np.int64))
    open_min, close_min = opening(calendar, handed_day)

    def at(day: np.ndarray, minutes: np.ndarray) -> np.ndarray:
        return calendar.to_utc(local_minutes(calendar, day, minutes))

    shipped = at(shipped_day, rng.uniform(15 * 60, 18 * 60, size=n))
    arrived = at(arrived_day, rng.uniform(9 * 60, 11 * 60, size=n))
    confirmed = at(confirmed_day, rng.uniform(7.5 * 60, 7.95 * 60, size=n))
    notified = confirmed + rng.integers(60, 600, size=n).astype("timedelta64[s]")
    handed = at(handed_day, open_min + rng.random(n) * (close_min - open_min))
    returned_at = at(arrived_day + holding, np.full(n, 7 * 60.0))
    reminded = at(arrived_day + reminder_days, np.full(n, 6 * 60.0))
    cancelled_at = done.applied_at + np.timedelta64(5, "D")

    u = rng.random(n)
    cancelled = (u < CANCELLED_SHARE) & (cancelled_at <= now)
    direct = ~express & ~cancelled & (u > 1 - DIRECT_MAIL_SHARE) & (shipped <= now)
    is_shipped = ~cancelled & (shipped <= now)
    is_arrived = is_shipped & ~direct & (arrived <= now)
    returned = is_arrived & (handed_day > arrived_day + holding) & (returned_at <= now)
    is_handed = is_arrived & ~returned & (handed <= now)
    is_confirmed = is_arrived & (confirmed <= now)

    status = np.full(n, str(ApplicationStatus.APPLIED), dtype=object)
    status[is_shipped] = str(ApplicationStatus.SHIPPED)
    status[direct] = str(ApplicationStatus.DIRECT_MAIL)
    status[is_arrived] = str(ApplicationStatus.ARRIVED)
    status[is_handed] = str(ApplicationStatus.HANDED_OVER)
    status[returned] = str(ApplicationStatus.RETURNED)
    status[cancelled] = str(ApplicationStatus.CANCELLED)

    pool = done.citizen_id - int(build.citizen_ids[0])
    has_email = np.array([build.citizen_email[i] is not None for i in pool], dtype=bool)
    has_phone = np.array([build.citizen_phone[i] is not None for i in pool], dtype=bool)
    wants_email = has_email & ((rng.random(n) < EMAIL_CHOICE) | ~has_phone)
    channel = np.where(wants_email, str(NotifyChannel.EMAIL),
                       np.where(has_phone, str(NotifyChannel.SMS), str(NotifyChannel.NONE)))
    # The same rule as the running office: the pickup contact goes at hand-over, return, direct mail, cancellation.
    contact_kept = ~(is_handed | returned | direct | cancelled)
    email = [build.citizen_email[i] if c == NotifyChannel.EMAIL and keep else None
             for i, c, keep in zip(pool, channel, contact_kept, strict=True)]
    phone = [build.citizen_phone[i] if c == NotifyChannel.SMS and keep else None
             for i, c, keep in zip(pool, channel, contact_kept, strict=True)]
    remind = (is_arrived & (reminded <= now) & (channel != str(NotifyChannel.NONE))
              & (~is_handed | (handed > reminded)))
    notify = is_confirmed & (channel != str(NotifyChannel.NONE)) & (notified <= now)

    years = done.applied_at.astype("datetime64[Y]").astype(np.int64) + 1970
    sequence = np.zeros(n, dtype=np.int64)
    for year in np.unique(years):
        mask = years == year
        sequence[mask] = np.arange(1, int(mask.sum()) + 1)
    serial = np.array(build.codes.serials(n), dtype=object)
    serial[~is_shipped] = None
    parcel_no = rng.integers(1, 4, size=n)
    shipped_dates = shipped.astype("datetime64[D]").astype(str)
    parcel = [f"S-{d}-{k:04d}" if s else None for d, k, s in zip(shipped_dates, parcel_no, is_shipped, strict=True)]
    status_at = np.where(is_arrived, arrived, np.where(is_shipped, shipped, nat))
    status_at = np.where(cancelled, cancelled_at, status_at)
    pickup_staff = np.asarray(build.staff_by_role["pickup"])
    representative = [
        f"{FIRST_NAMES[a]} {LAST_NAMES[b]}" if r else None
        for a, b, r in zip(rng.integers(len(FIRST_NAMES), size=n), rng.integers(len(LAST_NAMES), size=n),
                           is_handed & (rng.random(n) < REPRESENTATIVE_SHARE), strict=True)
    ]
    handed_by = pickup_staff[rng.integers(len(pickup_staff), size=n)].astype(object)
    handed_by[~is_handed] = None
    build.add(DocumentApplication, frame({
        "id": build.ids(DocumentApplication, n),
        "office_id": build.office_id,
        "citizen_id": done.citizen_id,
        "application_number": [f"A-{y}-{s:06d}" for y, s in zip(years, sequence, strict=True)],
        "doc_type": doc,
        "serial_number": list(serial),
        "status": list(status),
        "status_at": status_at,
        "parcel": parcel,
        "applied_at": done.applied_at,
        "shipped_at": np.where(is_shipped, shipped, nat),
        "arrived_at": np.where(is_arrived, arrived, nat),
        "confirmed_at": np.where(is_confirmed, confirmed, nat),
        "notified_at": np.where(notify, notified, nat),
        "reminded_at": np.where(remind, reminded, nat),
        "handed_over_at": np.where(is_handed, handed, nat),
        "handed_over_by": list(handed_by),
        "representative_name": representative,
        "old_document_invalidated": is_handed & (doc != str(DocumentType.DRIVING_LICENCE)) & (rng.random(n) < 0.7),
        "pin_letter_handed": False,
        "notify_channel": channel,
        "notify_email": email,
        "notify_phone": phone,
    }))
