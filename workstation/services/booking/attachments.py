"""The calendar file (ICS) and the QR code of a booking, for the mails and the confirmation page.

The ICS event has a stable UID per booking (`termin-<visit id>@<mail domain>`): a moved booking sends
the same UID with a higher SEQUENCE, a cancel sends METHOD:CANCEL with the same UID, so the citizen's
calendar updates or removes the one entry instead of adding a second. A reminder alarm fires one day
before. The QR code holds only the booking code (what reception and the check-in terminal read).

The mails carry both as recipes (`ics_part`, `qr_part`): the outbox row stores the facts and the
sender builds the files (`common.mail_parts`), so the booking's transaction spends no time on them.
"""

import base64
import io
from datetime import datetime, timedelta

import icalendar
import segno

from workstation import clock
from workstation.config import settings
from workstation.services.common import mail_parts

ICS_FILENAME = "termin.ics"
QR_FILENAME = "buchungscode.png"
_ICS_RENDERER = "booking_ics"
_QR_RENDERER = "booking_qr"


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


def _ics_from_recipe(*, start: str, end: str, now: str, **fields) -> bytes:
    return ics(start=datetime.fromisoformat(start), end=datetime.fromisoformat(end), now=datetime.fromisoformat(now),
               **fields)


def ics_part(*, visit_id: int, sequence: int, start: datetime, end: datetime, summary: str, location: str,
             description: str, attendee: str | None, cancel: bool, now: datetime) -> dict:
    """The calendar file as a mail attachment made at sending time (same content as `ics`)."""
    part = mail_parts.recipe(ICS_FILENAME, "text/calendar", _ICS_RENDERER, visit_id=visit_id, sequence=sequence,
                             start=start.isoformat(), end=end.isoformat(), summary=summary, location=location,
                             description=description, attendee=attendee, cancel=cancel, now=now.isoformat())
    part["method"] = "CANCEL" if cancel else "REQUEST"
    return part


def qr_part(code: str) -> dict:
    """The QR code as a mail attachment made at sending time."""
    return mail_parts.recipe(QR_FILENAME, "image/png", _QR_RENDERER, code=code)


mail_parts.register(_ICS_RENDERER, _ics_from_recipe)
mail_parts.register(_QR_RENDERER, qr_png)
