"""What the public booking pages show, as plain values in German or English (the states stay thin).

A page works in a scope: one office's code, or `offices.ANY` (the earliest free time in any office that
offers every chosen concern; a city installation asks first, a single office has nothing to choose).
Every free time comes with the code of its office, and holding it books that office from then on
(hold, confirmation, mail, cancel link and reminder all follow the held reservation's office). Every
search counts against the client's rate limit (see `limits`). Times are naive UTC inside, Berlin wall
time on the page.
"""

import calendar
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlmodel import select

from workstation import clock, db
from workstation.config import settings
from workstation.models import Office
from workstation.services.booking import bookings, capacity, catalogue, holds, limits, offices, search
from workstation.services.booking.errors import BookingError

WEEKDAYS = {"de": ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"),
            "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")}
MONTHS = {"de": ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
                 "November", "Dezember"),
          "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                 "November", "December")}
TIMES = {"de": {True: "freie Termine", False: "keine freien Termine"},
         "en": {True: "free times", False: "no free times"}}
AREAS = {"de": {"registration": "Meldewesen", "id_documents": "Ausweise und Pässe", "vehicles": "Kfz-Zulassung",
                "driving_licences": "Führerscheine", "partner": "Partner (ESO, EVO)"},
         "en": {"registration": "Registration of address", "id_documents": "ID cards and passports",
                "vehicles": "Vehicle registration", "driving_licences": "Driving licences",
                "partner": "Partners (ESO, EVO)"}}


def office_id() -> int:
    """The installation's own office (by `WORKSTATION_OFFICE_CODE`, else the first one)."""
    with db.read_scope() as session:
        found = session.exec(select(Office.id).where(Office.code == settings().office_code)).first()
        return found if found is not None else session.exec(select(Office.id).order_by(Office.id)).first()


def office_rows() -> list[dict[str, str]]:
    """The offices that take online bookings: code, name, address (or town) and opening hours."""
    with db.read_scope() as session:
        found = offices.bookable(session)
    return [{"code": o.code, "name": o.name, "address": o.address or o.city, "hours": o.opening_hours}
            for o in found]


def scope_of(wanted: str, rows: list[dict[str, str]]) -> str:
    """The scope a deep link (?amt=…) asks for: an office's code, `offices.ANY`, or "" (the page asks).

    With one bookable office there is nothing to choose: its code, whatever the link says."""
    if len(rows) == 1:
        return rows[0]["code"]
    wanted = (wanted or "").strip().upper()
    if wanted == offices.ANY and rows:
        return offices.ANY
    return wanted if any(r["code"] == wanted for r in rows) else ""


def day_label(day: date, lang: str) -> str:
    """"Montag, 23. November 2026" / "Monday, 23 November 2026"."""
    weekday, month = WEEKDAYS[lang][day.weekday()], MONTHS[lang][day.month - 1]
    return f"{weekday}, {day.day}. {month} {day.year}" if lang == "de" else f"{weekday}, {day.day} {month} {day.year}"


def time_label(instant: datetime, lang: str, *, with_day: bool = True) -> str:
    """A start time on the page: "Montag, 23. November 2026, 08:30 Uhr" (or only "08:30 Uhr")."""
    local = clock.to_local(instant)
    hhmm = f"{local:%H:%M} Uhr" if lang == "de" else f"{local:%H:%M}"
    return f"{day_label(local.date(), lang)}, {hhmm}" if with_day else hhmm


NOT_OFFERED = BookingError("not_offered", "Kein Amt bietet alle gewählten Anliegen zusammen an. Bitte buchen Sie "
                          "dafür zwei Termine.", "No office offers all chosen services together. Please book two "
                          "appointments.")


def _offices(session, scope: str) -> list[offices.BookableOffice]:
    found = offices.bookable(session)
    return found if scope == offices.ANY else [o for o in found if o.code == scope]


def catalogue_rows(lang: str, scope: str) -> list[dict]:
    """Online-bookable services of the office (for "any office": of every office, once per concern): id, name,
    area label, minutes, the count choices, documents."""
    with db.read_scope() as session:
        entries: dict[str, catalogue.CatalogueEntry] = {}
        for office in _offices(session, scope):
            for entry in catalogue.listing(session, office_id=office.id):
                entries.setdefault(entry.code, entry)
    ordered = sorted(entries.values(), key=lambda e: (e.area, e.name))
    return [{"id": str(e.service_id), "name": e.name, "area": AREAS[lang].get(e.area, e.area),
             "minutes": str(e.minutes), "options": [str(n) for n in range(e.max_count + 1)],
             "documents": ", ".join(e.documents)} for e in ordered]


@dataclass(frozen=True)
class Target:
    """An office that offers the request, and the request planned in its catalogue."""

    office: offices.BookableOffice
    plan: catalogue.Plan


def _targets(session, items: Sequence[tuple[int, int]], scope: str) -> list[Target]:
    """Where the request can be booked: the chosen office, or every office whose catalogue offers it all.

    Raises the catalogue's refusal (too many, a conflict, …) when no office can plan it."""
    targets, refusal = [], None
    for office in _offices(session, scope):
        mine = offices.translate(session, items, office.id)
        if mine is None:
            continue
        try:
            targets.append(Target(office, catalogue.plan(session, mine, online=True, office_id=office.id)))
        except BookingError as exc:
            refusal = refusal or exc
    if not targets:
        raise refusal or NOT_OFFERED
    return targets


@dataclass
class Summary:
    """The chosen concerns before booking: labels, summed minutes, documents, or why they cannot be booked."""

    labels: list[str] = field(default_factory=list)
    minutes: int = 0
    documents: list[str] = field(default_factory=list)
    error: str = ""


def summary(items: Sequence[tuple[int, int]], lang: str, scope: str) -> Summary:
    if not any(n for _, n in items):
        return Summary()
    try:
        with db.read_scope() as session:
            plan = _targets(session, items, scope)[0].plan
    except BookingError as exc:
        return Summary(error=exc.text(lang))
    return Summary(bookings.concern_labels(plan), plan.minutes, plan.documents)


def first_times(items: Sequence[tuple[int, int]], client: str, scope: str, now: datetime | None = None,
                count: int = 8) -> list[tuple[datetime, str]]:
    """The next free starts for the concerns with the office's code, earliest first (for "any office" the
    earliest over all offices that offer them); counts against the client's rate limit."""
    instant = now or clock.now()
    limits.count_attempt(client, limits.SEARCH, instant)
    with db.read_scope() as session:
        found = [(start, t.office.code) for t in _targets(session, items, scope)
                 for start in search.first_free(session, t.office.id, t.plan.area, t.plan.units, instant, count)]
    return sorted(found)[:count]


def day_times(items: Sequence[tuple[int, int]], day: date, client: str, scope: str,
              now: datetime | None = None) -> list[tuple[datetime, str]]:
    """Every free start on one day with the office's code (counts against the client's rate limit)."""
    instant = now or clock.now()
    limits.count_attempt(client, limits.SEARCH, instant)
    with db.read_scope() as session:
        return sorted((start, t.office.code) for t in _targets(session, items, scope)
                      for start in search.free_on_day(session, t.office.id, t.plan.area, t.plan.units, day, instant))


def month_grid(items: Sequence[tuple[int, int]], year: int, month: int, lang: str, client: str, scope: str,
               now: datetime | None = None) -> list[list[dict]]:
    """The weeks of a month (Monday first) for the calendar: each cell's day number, ISO date, accessible name and
    "free" ("1" when the day has a free time, else "")."""
    instant = now or clock.now()
    limits.count_attempt(client, limits.SEARCH, instant)
    first, last = date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
    with db.read_scope() as session:
        free = {d for t in _targets(session, items, scope)
                for d in search.days_with_free(session, t.office.id, t.plan.area, t.plan.units, instant, first, last)}
    return [[{"day": str(d.day) if d.month == month else "", "iso": d.isoformat(),
              "name": day_label(d, lang) + (", " + TIMES[lang][d in free]),
              "free": "1" if d in free and d.month == month else ""}
             for d in week] for week in calendar.Calendar().monthdatescalendar(year, month)]


def hold(items: Sequence[tuple[int, int]], start: datetime, office_code: str, scope: str,
         release: str | None = None, now: datetime | None = None) -> holds.Hold:
    """Hold a chosen start at the office it was offered for (within the page's scope), with the request
    moved into that office's catalogue."""
    with db.read_scope() as session:
        target = next((t for t in _targets(session, items, scope) if t.office.code == office_code), None)
    if target is None:
        raise holds.OUTSIDE
    return holds.hold(target.office.id, target.plan.request(), start, now, release=release)


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
