"""The briefing board as display-ready plain values (German labels and formats), for the UI and print.

The state only copies these values into its vars, so what the board shows is decided and tested
here, without a browser.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from workstation import clock
from workstation.models import CounterKind, MetricName
from workstation.services.briefing import notes as briefing_notes
from workstation.services.briefing import review as briefing
from workstation.services.briefing.notes import NoteView
from workstation.services.briefing.review import Review, TodayLoad
from workstation.services.common import formatting
from workstation.services.metrics import satisfaction

# Fixed order of areas in charts and legends (the colour of an area never changes between charts).
AREA_ORDER = tuple(formatting.AREA_LABELS)
NEEDED = "Schalter nötig"
STAFFED = "Schalter besetzt"


@dataclass
class BoardView:
    """Everything the board, the presentation mode and the print summary show."""

    title: str
    today_title: str
    review_title: str
    source: str
    yesterday_cards: list[dict[str, str]]
    served_chart: list[dict]
    longest_waits: list[str]
    overruns: list[str]
    closed_counters: str
    today_cards: list[dict[str, str]]
    hours_chart: list[dict]
    hours_table: list[dict[str, str]]
    dealer_batches: list[dict[str, str]]
    desks: list[dict[str, str]]
    staffing_summary: str
    notes: list[dict] = field(default_factory=list)


def _card(label: str, value: str, hint: str = "") -> dict[str, str]:
    return {"label": label, "value": value, "hint": hint}


def _source(review: Review) -> str:
    if review.stored:
        return "Zahlen aus dem Controlling"
    return "Zahlen aus dem Controlling, soeben berechnet (der nächtliche Lauf für diesen Tag steht noch aus)"


def _yesterday_cards(review: Review) -> list[dict[str, str]]:
    v = review.value
    return [
        _card("Kontakte bedient", formatting.number(v(MetricName.CONTACTS_SERVED))),
        _card("Wartezeit Ø", formatting.minutes(v(MetricName.WAIT_MEAN_MIN))),
        _card("Wartezeit 90 %", formatting.minutes(v(MetricName.WAIT_P90_MIN)), "90 % warteten höchstens so lange"),
        _card("In 15 Min. bedient", formatting.percent(v(MetricName.WAIT_WITHIN_15_SHARE))),
        _card("Nicht erschienen", formatting.number(v(MetricName.NO_SHOWS))),
        _card(
            "Nacharbeit erledigt",
            formatting.number(v(MetricName.BACKOFFICE_CLOSED)),
            f"{formatting.number(v(MetricName.BACKOFFICE_BACKLOG))} noch offen",
        ),
        _card("Dokumente ausgegeben", formatting.number(v(MetricName.PICKUP_HANDED_OVER))),
    ]


def _satisfaction_cards(office_id: int, day: date) -> list[dict[str, str]]:
    """The feedback terminals' last seven days (mornings against afternoons) and the month's complaint rate."""
    week = satisfaction.summary(office_id, day - timedelta(days=6), day)
    month = satisfaction.summary(office_id, day - timedelta(days=29), day)
    morning, afternoon = week.windows

    def score(cell: satisfaction.ScoreCell) -> str:
        return satisfaction.NO_DATA if cell.mean is None else formatting.number(cell.mean, 1)

    return [
        _card("Zufriedenheit (7 Tage)", score(week.overall),
              f"vormittags {score(morning)} · nachmittags {score(afternoon)}"),
        _card("Beschwerden je 1.000 Kontakte (30 Tage)",
              satisfaction.NO_DATA if month.complaints_per_1000 is None
              else formatting.number(month.complaints_per_1000, 2),
              f"{formatting.number(month.complaints)} Beschwerden"),
    ]


def _standout_line(s: briefing.Standout) -> str:
    services = f" ({s.services})" if s.services else ""
    where = f"{formatting.clock_time(s.at)} Uhr · {formatting.area_label(s.area)}{services}"
    text = f"{where}: {formatting.minutes(s.minutes)}"
    if s.planned_minutes is not None:
        text += f" statt {formatting.minutes(s.planned_minutes)}"
    return text


def _today_cards(load: TodayLoad) -> list[dict[str, str]]:
    peak = next((h for h in load.hours if h.hour == load.peak_hour), None)
    batches = sum(b.batch_size for b in load.dealer_batches)
    return [
        _card("Termine heute", formatting.number(load.appointments)),
        _card(
            "Spitzenstunde",
            formatting.hour_range(peak.hour) if peak else formatting.MISSING,
            f"{formatting.number(peak.booked)} Termine, {formatting.number(peak.counters_needed, 1)} Schalter nötig"
            if peak
            else "",
        ),
        _card(
            "Schalter besetzt",
            formatting.number(load.staffed_counters),
            f"{formatting.number(load.staffed_dealer_desks)} Händlerschalter",
        ),
        _card(
            "Notfallkontingent",
            f"{formatting.number(max(0, load.emergency_quota - load.emergencies_so_far))} frei",
            f"{formatting.number(load.emergencies_so_far)} von {formatting.number(load.emergency_quota)} genutzt",
        ),
        _card(
            "Händler-Stapel",
            formatting.number(len(load.dealer_batches)),
            f"{formatting.number(batches)} Vorgänge",
        ),
        _card(
            "Zur Abholung bereit",
            formatting.number(load.documents_ready),
            f"{formatting.number(load.documents_new)} neu eingetroffen",
        ),
        _card(
            "Nacharbeit fällig heute",
            formatting.number(load.tasks_due_today),
            f"{formatting.number(load.tasks_overdue)} überfällig",
        ),
    ]


def _hours_chart(load: TodayLoad) -> list[dict]:
    """One row per hour: appointments per area (every area, so the chart's series are fixed) and counters."""
    rows = []
    for h in load.hours:
        row: dict = {"stunde": f"{h.hour} Uhr"}
        for area in AREA_ORDER:
            row[formatting.area_label(area)] = h.by_area.get(area, 0)
        row[NEEDED] = round(h.counters_needed, 1)
        row[STAFFED] = load.staffed_counters
        rows.append(row)
    return rows


def _desk_rows(load: TodayLoad) -> list[dict[str, str]]:
    return [
        {
            "desk": d.counter,
            "kind": formatting.COUNTER_KIND_LABELS.get(d.kind, d.kind),
            "staff": ", ".join(d.staff) if d.staff else "nicht besetzt",
            "open": "ja" if d.staff else "",
        }
        for d in load.desks
        if d.staff or d.kind in (CounterKind.REGULAR, CounterKind.DEALER)
    ]


def note_rows(notes: list[NoteView]) -> list[dict]:
    """Notes as plain dicts for the UI (German labels, local times, markdown without raw HTML)."""
    return [
        {
            "id": n.id,
            "kind": n.kind,
            "kind_label": "Frage" if n.kind == "question" else "Neuigkeit",
            "body_md": briefing_notes.markdown_without_html(n.body_md),
            "author": n.author,
            "created": formatting.day_time(clock.to_local(n.created_at)),
            "pinned": n.pinned,
            "expires": f"bis {formatting.day(clock.to_local(n.expires_at))}" if n.expires_at else "",
            "open_question": n.is_open_question,
            "answer_md": briefing_notes.markdown_without_html(n.answer_md),
        }
        for n in notes
    ]


def board_view(office_id: int, user_id: int | None, now: datetime | None = None) -> BoardView:
    """Read the whole board for a team lead (audited where it names individual visits)."""
    now = now or clock.now()
    today = clock.to_local(now).date()
    review = briefing.review(office_id, user_id, today=today, now=now)
    load = briefing.today_load(office_id, day=today, now=now, new_since=review.day)
    desks = _desk_rows(load)
    return BoardView(
        title=f"Briefing {formatting.weekday_day(today)}",
        today_title=f"Heute – {formatting.weekday_day(today)}",
        review_title=f"Rückblick {formatting.weekday_day(review.day)}",
        source=_source(review),
        yesterday_cards=_yesterday_cards(review) + _satisfaction_cards(office_id, review.day),
        served_chart=[
            {"area": a, "bereich": formatting.area_label(a), "bedient": n} for a, n in review.served_by_area()
        ],
        longest_waits=[_standout_line(s) for s in review.longest_waits],
        overruns=[_standout_line(s) for s in review.overruns],
        closed_counters=", ".join(review.closed_counters) or "keine",
        today_cards=_today_cards(load),
        hours_chart=_hours_chart(load),
        hours_table=[
            {
                "hour": formatting.hour_range(h.hour),
                "booked": formatting.number(h.booked),
                "needed": formatting.number(h.counters_needed, 1),
                "staffed": formatting.number(load.staffed_counters),
            }
            for h in load.hours
        ],
        dealer_batches=[
            {
                "time": formatting.clock_time(b.at),
                "dealer": b.dealer,
                "size": formatting.number(b.batch_size),
            }
            for b in load.dealer_batches
        ],
        desks=desks,
        staffing_summary=" · ".join(f"{d['desk']}: {d['staff']}" for d in desks),
        notes=note_rows(briefing_notes.current_notes(office_id, now=now)),
    )
