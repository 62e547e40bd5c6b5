"""The office, its desks, the service catalogue, the dealers and the citizens the demo refers to."""

from datetime import datetime, timedelta

import numpy as np

from workstation.models import Citizen, Counter, Dealer, Office, OfficeKind, Service
from workstation.services.demo.context import DemoBuild
from workstation.services.demo.names import FIRST_NAMES, LAST_NAMES, POSTAL_CODES, STREETS, ascii_slug
from workstation.services.demo.office import (
    COUNTER_LAYOUT,
    DEALER_NAMES,
    OFFICE_ADDRESS,
    OFFICE_CITY,
    OFFICE_NAME,
    OPENING_HOURS_TEXT,
    SERVICES,
)

CITIZEN_POOL = 40_000
EMAIL_SHARE = 0.7
PHONE_SHARE = 0.45
_PART_CITIZENS = 2


def build_office(build: DemoBuild) -> None:
    """Office L6F3 with its counters, services and dealers."""
    build.office_id = int(build.ids(Office, 1)[0])
    build.add(Office, [{"id": build.office_id, "code": build.office_code, "name": OFFICE_NAME,
                        "city": OFFICE_CITY, "opening_hours": OPENING_HOURS_TEXT, "address": OFFICE_ADDRESS,
                        "kind": str(OfficeKind.CITIZEN_OFFICE)}])
    counters = []
    for kind, label, count, room in COUNTER_LAYOUT:
        ids = build.ids(Counter, build.scaled(count))
        build.counters[str(kind)] = [int(i) for i in ids]
        counters += [{"id": int(i), "office_id": build.office_id, "name": f"{label} {n}", "kind": str(kind),
                      "room": room, "active": True} for n, i in enumerate(ids, start=1)]
    build.add(Counter, counters)
    build.counter_by_name = {c["name"]: c["id"] for c in counters}
    service_ids = build.ids(Service, len(SERVICES))
    build.service_ids = {s.code: int(i) for s, i in zip(SERVICES, service_ids, strict=True)}
    build.add(Service, [
        {"id": int(i), "office_id": build.office_id, "code": s.code, "name": s.name,
         "area": str(s.area), "planned_minutes": s.planned_minutes,
         "documents": "\n".join(s.documents), "online_bookable": s.online_bookable, "active": True,
         "max_count": s.max_count}
        for s, i in zip(SERVICES, service_ids, strict=True)
    ])
    dealer_ids = build.ids(Dealer, len(DEALER_NAMES))
    build.dealer_ids = [int(i) for i in dealer_ids]
    build.add(Dealer, [
        {"id": int(i), "name": name, "customer_number": f"GK-{n:04d}",
         "contact_email": f"zulassung@{ascii_slug(name.split(' GmbH')[0]).replace('.', '-')}.example.org"}
        for n, (name, i) in enumerate(zip(DEALER_NAMES, dealer_ids, strict=True), start=1)
    ])


def build_citizens(build: DemoBuild) -> None:
    """A pool of residents the year's visits and document applications refer to."""
    rng = build.rng(_PART_CITIZENS)
    n = build.scaled(CITIZEN_POOL)
    ids = build.ids(Citizen, n)
    first = rng.integers(len(FIRST_NAMES), size=n)
    last = rng.integers(len(LAST_NAMES), size=n)
    age_days = rng.integers(365, 88 * 365, size=n)
    street = rng.integers(len(STREETS), size=n)
    house = rng.integers(1, 180, size=n)
    postal = rng.integers(len(POSTAL_CODES), size=n)
    has_email = rng.random(n) < EMAIL_SHARE
    has_phone = rng.random(n) < PHONE_SHARE
    phone_no = rng.integers(1_000_000, 9_999_999, size=n)
    known_days = rng.integers(0, 3_000, size=n)
    today = build.today
    start = datetime(build.window_start.year, build.window_start.month, build.window_start.day)
    rows, emails, phones = [], [], []
    for k in range(n):
        fn, ln = FIRST_NAMES[first[k]], LAST_NAMES[last[k]]
        email = f"{ascii_slug(fn + ' ' + ln)}.{int(ids[k])}@example.org" if has_email[k] else None
        phone = f"+49 151 {phone_no[k]}" if has_phone[k] else None
        emails.append(email)
        phones.append(phone)
        rows.append({
            "id": int(ids[k]), "first_name": fn, "last_name": ln,
            "birth_date": today - timedelta(days=int(age_days[k])),
            "street": f"{STREETS[street[k]]} {house[k]}", "postal_code": POSTAL_CODES[postal[k]],
            "city": OFFICE_CITY, "email": email, "phone": phone,
            "created_at": start - timedelta(days=int(known_days[k])),
        })
    build.add(Citizen, rows)
    build.citizen_ids = ids
    build.citizen_email = emails
    build.citizen_phone = phones


def pick(rng: np.random.Generator, values: list[int] | np.ndarray, size: int) -> np.ndarray:
    """`size` random picks from a list of ids."""
    return np.asarray(values, dtype=np.int64)[rng.integers(len(values), size=size)]
