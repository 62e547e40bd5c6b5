"""German display formats for numbers, dates and durations, and German names of domain values.

Hand-written rather than via `locale`, because the de_DE locale is not installed on every server
and the output must not depend on the machine.
"""

from datetime import date, datetime

from workstation.models.enums import Area, CounterKind, DocumentType

MISSING = "–"
WEEKDAYS = ("Mo", "Di", "Mi", "Do", "Fr", "Sa", "So")

AREA_LABELS: dict[str, str] = {
    Area.REGISTRATION: "Meldewesen",
    Area.ID_DOCUMENTS: "Pass/Ausweis",
    Area.VEHICLES: "Zulassung",
    Area.DRIVING_LICENCES: "Fahrerlaubnis",
    Area.PARTNER: "Partnerschalter",
}

COUNTER_KIND_LABELS: dict[str, str] = {
    CounterKind.RECEPTION: "Empfang",
    CounterKind.REGULAR: "Schalter",
    CounterKind.DEALER: "Händlerschalter",
    CounterKind.PICKUP: "Ausgabe",
}

DOCUMENT_LABELS: dict[str, str] = {
    DocumentType.ID_CARD: "Personalausweis",
    DocumentType.PASSPORT: "Reisepass",
    DocumentType.EXPRESS_PASSPORT: "Expresspass",
    DocumentType.RESIDENCE_PERMIT: "Aufenthaltstitel",
    DocumentType.DRIVING_LICENCE: "Führerschein",
}


def area_label(area: str) -> str:
    """German name of an area ("Gesamt" for the office total)."""
    return AREA_LABELS.get(area, area) if area else "Gesamt"


def number(value: float | None, decimals: int = 0) -> str:
    """1234.5 → "1.234,5" (German thousands and decimal separators)."""
    if value is None:
        return MISSING
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def minutes(value: float | None) -> str:
    """9.4 → "9 Min."."""
    return MISSING if value is None else f"{number(value)} Min."


def percent(share: float | None) -> str:
    """0.873 → "87 %" (a share 0..1, German spacing)."""
    return MISSING if share is None else f"{number(share * 100)} %"


def day(value: date | datetime | None) -> str:
    """22.11.2026."""
    return MISSING if value is None else value.strftime("%d.%m.%Y")


def weekday_day(value: date) -> str:
    """Fr, 20.11.2026."""
    return f"{WEEKDAYS[value.weekday()]}, {day(value)}"


def clock_time(value: datetime | None) -> str:
    """08:05 (pass a local time)."""
    return MISSING if value is None else value.strftime("%H:%M")


def day_time(value: datetime) -> str:
    """22.11.2026, 07:45 Uhr (pass a local time)."""
    return f"{day(value)}, {clock_time(value)} Uhr"


def hour_range(hour: int) -> str:
    """9 → "9–10 Uhr"."""
    return f"{hour}–{hour + 1} Uhr"
