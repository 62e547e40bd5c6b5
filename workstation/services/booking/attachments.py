"""The calendar file (ICS) and the QR code of a booking, for the mails and the confirmation page.

The ICS event has a stable UID per booking (`termin-<visit id>@<mail domain>`): a moved booking sends
the same UID with a higher SEQUENCE, a cancel sends METHOD:CANCEL with the same UID, so the citizen's
calendar updates or removes the one entry instead of adding a second. A reminder alarm fires one day
before. The QR code holds only the booking code (what reception and the check-in terminal read).
"""

import base64
import io
from datetime import datetime, timedelta

import icalendar
import segno

from workstation import clock
from workstation.config import settings

ICS_FILENAME = "termin.ics"
QR_FILENAME = "buchungscode.png"


def event_uid(visit_id: int) -> str:
    domain = settings().smtp_sender.rpartition("@")[2] or "localhost"
    return f"termin-{visit_id}@{domain}"


def ics(*, visit_id: int, sequence: int, start: datetime, end: datetime, summary: str, location: str,
        description: str, attendee: str | None, cancel: bool = False, now: datetime | None = None) -> bytes:
    """An iCalendar file with one event (times naive UTC); METHOD:CANCEL when `cancel`."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Buergerbuero Workstation//Terminbuchung//DE")
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancel else "REQUEST")
    event = icalendar.Event()
    event.add("uid", event_uid(visit_id))
    event.add("sequence", sequence)
    event.add("dtstamp", clock.to_local(now or clock.now()))
    event.add("dtstart", clock.to_local(start))
    event.add("dtend", clock.to_local(end))
    event.add("summary", summary)
    event.add("location", location)
    event.add("description", description)
    event.add("status", "CANCELLED" if cancel else "CONFIRMED")
    event.add("organizer", f"mailto:{settings().smtp_sender}")
    if attendee:
        event.add("attendee", f"mailto:{attendee}")
    if not cancel:
        alarm = icalendar.Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", summary)
        alarm.add("trigger", timedelta(days=-1))
        event.add_component(alarm)
    calendar.add_component(event)
    return calendar.to_ical()


def qr_png(code: str) -> bytes:
    """A PNG of the QR code that holds the booking code."""
    buffer = io.BytesIO()
    segno.make(code, error="m").save(buffer, kind="png", scale=8, border=4)
    return buffer.getvalue()


def qr_data_uri(code: str) -> str:
    """The QR code as a data: URI for an <img> on the confirmation page."""
    return "data:image/png;base64," + base64.b64encode(qr_png(code)).decode()


def encoded(filename: str, mime: str, data: bytes) -> dict:
    """One attachment as the outbox stores it."""
    return {"filename": filename, "mime": mime, "data": base64.b64encode(data).decode()}
