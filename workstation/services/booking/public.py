"""What the public booking pages show, as plain values in German or English (the states stay thin).

The pages know the office by the configured office code; every search counts against the client's
rate limit (see `limits`). Times are naive UTC inside, Berlin wall time on the page.
"""

import calendar
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlmodel import select

from workstation import clock, db
from workstation.config import settings
from workstation.models import Office
from workstation.services.booking import bookings, capacity, catalogue, limits, search
from workstation.services.booking.errors import BookingError

WEEKDAYS = {"de": ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"),
            "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")}
MONTHS = {"de": ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
                 "November", "Dezember"),
          "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                 "November", "December")}
AREAS = {"de": {"registration": "Meldewesen", "id_documents": "Ausweise und Pässe", "vehicles": "Kfz-Zulassung",
                "driving_licences": "Führerscheine", "partner": "Partner (ESO, EVO)"},
         "en": {"registration": "Registration of address", "id_documents": "ID cards and passports",
                "vehicles": "Vehicle registration", "driving_licences": "Driving licences",
                "partner": "Partners (ESO, EVO)"}}


def office_id() -> int:
    """The office the public pages book for (by `WORKSTATION_OFFICE_CODE`, else the only one)."""
    with db.read_scope() as session:
        found = session.exec(select(Office.id).where(Office.code == settings().office_code)).first()
        return found if found is not None else session.exec(select(Office.id).order_by(Office.id)).first()


def day_label(day: date, lang: str) -> str:
    """"Montag, 23. November 2026" / "Monday, 23 November 2026"."""
    weekday, month = WEEKDAYS[lang][day.weekday()], MONTHS[lang][day.month - 1]
    return f"{weekday}, {day.day}. {month} {day.year}" if lang == "de" else f"{weekday}, {day.day} {month} {day.year}"


def time_label(instant: datetime, lang: str, *, with_day: bool = True) -> str:
    """A start time on the page: "Montag, 23. November 2026, 08:30 Uhr" (or only "08:30 Uhr")."""
    local = clock.to_local(instant)
    hhmm = f"{local:%H:%M} Uhr" if lang == "de" else f"{local:%H:%M}"
    return f"{day_label(local.date(), lang)}, {hhmm}" if with_day else hhmm


def catalogue_rows(lang: str) -> list[dict]:
    """Online-bookable services: id, name, area label, minutes, the count choices, documents."""
    with db.read_scope() as session:
        entries = catalogue.listing(session, office_id=office_id())
    return [{"id": str(e.service_id), "name": e.name, "area": AREAS[lang].get(e.area, e.area),
             "minutes": str(e.minutes), "options": [str(n) for n in range(e.max_count + 1)],
             "documents": ", ".join(e.documents)} for e in entries]


@dataclass
class Summary:
    """The chosen concerns before booking: labels, summed minutes, documents, or why they cannot be booked."""

    labels: list[str] = field(default_factory=list)
    minutes: int = 0
    documents: list[str] = field(default_factory=list)
    error: str = ""


def summary(items: Sequence[tuple[int, int]], lang: str) -> Summary:
    if not any(n for _, n in items):
        return Summary()
    try:
        with db.read_scope() as session:
            plan = catalogue.plan(session, items, online=True, office_id=office_id())
    except BookingError as exc:
        return Summary(error=exc.text(lang))
    return Summary(bookings.concern_labels(plan), plan.minutes, plan.documents)


def _plan(items: Sequence[tuple[int, int]]):
    with db.read_scope() as session:
        return catalogue.plan(session, items, online=True, office_id=office_id())


def first_times(items: Sequence[tuple[int, int]], client: str, now: datetime | None = None,
                count: int = 8) -> list[datetime]:
    """The next free starts for the concerns (counts against the client's rate limit)."""
    instant = now or clock.now()
    limits.count_attempt(client, limits.SEARCH, instant)
    plan = _plan(items)
    with db.read_scope() as session:
        return search.first_free(session, office_id(), plan.area, plan.units, instant, count)


def day_times(items: Sequence[tuple[int, int]], day: date, client: str, now: datetime | None = None) -> list[datetime]:
    """Every free start on one day (counts against the client's rate limit)."""
    instant = now or clock.now()
    limits.count_attempt(client, limits.SEARCH, instant)
    plan = _plan(items)
    with db.read_scope() as session:
        return search.free_on_day(session, office_id(), plan.area, plan.units, day, instant)


def month_grid(items: Sequence[tuple[int, int]], year: int, month: int, lang: str, client: str,
               now: datetime | None = None) -> list[list[dict]]:
    """The weeks of a month (Monday first) for the calendar: each cell's day number, ISO date, accessible name and
    "free" ("1" when the day has a free time, else "")."""
    instant = now or clock.now()
    limits.count_attempt(client, limits.SEARCH, instant)
    plan = _plan(items)
    first, last = date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
    with db.read_scope() as session:
        free = set(search.days_with_free(session, office_id(), plan.area, plan.units, instant, first, last))
    suffix = ", freie Termine" if lang == "de" else ", free times"
    return [[{"day": str(d.day) if d.month == month else "", "iso": d.isoformat(),
              "name": day_label(d, lang) + suffix, "free": "1" if d in free and d.month == month else ""}
             for d in week] for week in calendar.Calendar().monthdatescalendar(year, month)]


def bookable_months(now: datetime | None = None) -> list[tuple[int, int]]:
    """The (year, month) pairs the horizon touches, for the calendar's month buttons."""
    first, last = capacity.horizon(now or clock.now())
    months, cursor = [], (first.year, first.month)
    while cursor <= (last.year, last.month):
        months.append(cursor)
        cursor = (cursor[0] + cursor[1] // 12, cursor[1] % 12 + 1)
    return months


def start_from_iso(value: str) -> datetime:
    """A start sent back by the page (naive UTC ISO); `holds.hold` refuses one off the grid or the window."""
    try:
        start = datetime.fromisoformat(value)
    except (TypeError, ValueError) as exc:
        raise BookingError("outside", "Diese Zeit kann nicht gebucht werden.", "This time cannot be booked.") from exc
    return start.replace(tzinfo=None)
