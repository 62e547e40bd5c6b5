"""German number and date formatting for screens and exports (1.234,5 · 12,5 % · 10.03.2026)."""

from datetime import date


def number_de(value: float, decimals: int = 0) -> str:
    """1234.5 → "1.234,5" (German separators)."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def date_de(day: date) -> str:
    """date(2026, 3, 10) → "10.03.2026"."""
    return f"{day:%d.%m.%Y}"


NO_DATA = "keine Daten"
"""What a period without a value for a figure shows (not 0, not a bare dash)."""


def figure_de(value: float | None, unit: str) -> str:
    """A figure with its unit; "keine Daten" when there is none (count, number, minutes, days, share, score)."""
    if value is None:
        return NO_DATA
    if unit == "count":
        return number_de(value)
    if unit == "share":
        return f"{number_de(100 * value, 1)} %"
    if unit == "minutes":
        return f"{number_de(value, 1)} Min."
    if unit == "days":
        return f"{number_de(value, 1)} Tage"
    return number_de(value, 1)


def change_de(value: float | None, previous: float | None, unit: str) -> str:
    """Change against the previous value: percentage points for shares, per cent otherwise."""
    if value is None or previous is None:
        return ""
    if unit == "share":
        return f"{'+' if value >= previous else '−'}{number_de(abs(value - previous) * 100, 1)} Pp."
    if previous == 0:
        return ""
    change = (value - previous) / previous * 100
    return f"{'+' if change >= 0 else '−'}{number_de(abs(change), 1)} %"


def range_de(offset: int, shown: int, total: int) -> str:
    """The rows of one page of a list: "51–100 von 9.843", or "Keine Einträge"."""
    if total == 0 or shown == 0:
        return "Keine Einträge"
    return f"{number_de(offset + 1)}–{number_de(offset + shown)} von {number_de(total)}"

