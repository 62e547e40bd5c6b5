"""A citizen books online in Chromium with the keyboard only, gets the mail, cancels by the link, books again,
and the counter serves the booking with its concerns."""

import calendar
import io
import mailbox
import re
import socket
from datetime import date, timedelta
from email import message_from_bytes, policy

import icalendar
import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import expect
from sqlmodel import select

from tests.e2e.conftest import DEMO_DAY, login, url
from workstation import clock, db, routes
from workstation.models import Visit
from workstation.services.booking import attachments, public  # noqa: F401  (attachments: the sender makes the ICS)
from workstation.services.demo.seed import DEMO_ACCOUNTS
from workstation.services.messaging import mail_sink, outbox

pytestmark = pytest.mark.e2e


@pytest.fixture
def smtp(tmp_path, monkeypatch):
    """The local aiosmtpd server the outbox sends to; a light proof of work for the test's browser."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv("WORKSTATION_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("WORKSTATION_SMTP_PORT", str(port))
    monkeypatch.setenv("WORKSTATION_BOOKING_POW_MAX", "3000")
    folder = tmp_path / "mails"
    server = mail_sink.start(port=port, folder=folder)
    yield folder
    mail_sink.stop(server)
    clock.travel(DEMO_DAY)


def tab_to(page, target, limit: int = 120) -> None:
    """Press Tab until `target` has the focus (fails if it never gets it)."""
    handle = target.element_handle()
    for _ in range(limit):
        if page.evaluate("el => document.activeElement === el", handle):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {target}")


def arrow_to_day(page, name: str, limit: int = 62) -> None:
    """Tab into the calendar grid (one day is in the Tab order), then walk it with the arrow keys to `name`."""
    tab_to(page, page.locator("[data-booking-calendar] [data-iso][tabindex='0']"))
    for _ in range(limit):
        if page.evaluate("() => document.activeElement.getAttribute('aria-label')") == name:
            return
        page.keyboard.press("ArrowRight")
    raise AssertionError(f"the arrow keys never reached {name}")


def _focused_day(page) -> date:
    return date.fromisoformat(page.evaluate("() => document.activeElement.getAttribute('data-iso')"))


def _month_on(day: date, step: int) -> date:
    year, month = divmod(day.month - 1 + step, 12)
    month_day = calendar.monthrange(day.year + year, month + 1)[1]
    return date(day.year + year, month + 1, min(day.day, month_day))


def walk_the_grid(page) -> None:
    """The WAI-ARIA grid keys: Home/End of the week, a week up and a day left, a month on and back."""
    tab_to(page, page.locator("[data-booking-calendar] [data-iso][tabindex='0']"))
    page.keyboard.press("Home")
    focused_day = page.locator("[data-booking-calendar] [data-iso]:focus")
    expect(focused_day).to_have_attribute("aria-label", re.compile(r"^Montag, "))
    page.keyboard.press("End")
    # The week's Sunday may lie in the next month: the calendar then draws that month first.
    expect(focused_day).to_have_attribute("aria-label", re.compile(r"^Sonntag, .*keine freien Termine$"))
    sunday = _focused_day(page)
    page.keyboard.press("ArrowUp")  # a week up may again change the month: wait until the day has the focus
    expect(focused_day).to_have_attribute("data-iso", (sunday - timedelta(days=7)).isoformat())
    page.keyboard.press("ArrowLeft")
    saturday = sunday - timedelta(days=8)
    expect(page.locator("[data-booking-calendar] [data-iso]:focus")).to_have_attribute("data-iso", saturday.isoformat())
    page.keyboard.press("PageDown")
    later = _month_on(saturday, 1)
    expect(page.locator("#booking-month")).to_contain_text(str(later.year))
    expect(page.locator("[data-booking-calendar] [data-iso]:focus")).to_have_attribute("data-iso", later.isoformat())
    page.keyboard.press("PageUp")
    back = _month_on(later, -1)
    expect(page.locator("[data-booking-calendar] [data-iso]:focus")).to_have_attribute("data-iso", back.isoformat())


def book_by_keyboard(page, app, first: str, email: str, counts: dict[str, str], day: str,
                     walk_grid: bool = False) -> str:
    """Choose concerns, a day in the calendar and its first free time, fill the form, book; returns the code."""
    page.goto(url(app, routes.BOOKING))
    expect(page.get_by_role("heading", level=1, name="Termin im Bürgerbüro buchen")).to_be_visible()
    page.wait_for_load_state("networkidle")
    for label, count in counts.items():
        box = page.get_by_label(label, exact=True)
        tab_to(page, box)
        page.keyboard.press(count)
        expect(box).to_have_value(count)
    expect(page.get_by_role("status")).to_contain_text("Geplante Dauer")
    tab_to(page, page.get_by_role("button", name="Weiter: Termin wählen"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Nächste freie Termine")).to_be_visible()
    if walk_grid:
        walk_the_grid(page)
    arrow_to_day(page, f"{day}, freie Termine")
    page.keyboard.press("Enter")
    first_time = page.get_by_role("heading", name=f"Freie Zeiten am {day}").locator("xpath=..").get_by_role(
        "button").first
    expect(first_time).to_be_visible()
    tab_to(page, first_time)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="3. Ihre Angaben")).to_be_visible()
    tab_to(page, page.get_by_label("Vorname"))
    page.keyboard.type(first)
    page.keyboard.press("Tab")
    page.keyboard.type("Şahin")
    page.keyboard.press("Tab")
    page.keyboard.type(email)
    tab_to(page, page.get_by_label(re.compile("Ich willige ein")))
    page.keyboard.press("Space")
    tab_to(page, page.get_by_role("button", name="Verbindlich buchen"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Ihr Termin ist gebucht")).to_be_visible(timeout=60_000)
    code = page.locator("text=/^[A-Z0-9]{6}$/").first.inner_text()
    expect(page.get_by_role("img", name=re.compile(f"QR-Code mit dem Buchungscode {code}"))).to_be_visible()
    return code


def first_free_day(counts: dict[str, str]) -> str:
    """The calendar name of the first day with a free time for the concerns (the demo books the coming weeks)."""
    own = public.office_rows()[0]["code"]
    rows = {row["name"]: int(row["id"]) for row in public.catalogue_rows("de", own)}
    start, _office = public.first_times([(rows[name], int(n)) for name, n in counts.items()], "e2e", own,
                                        clock.now())[0]
    return public.day_label(clock.to_local(start).date(), "de")


def _mails(folder) -> list:
    box = mailbox.Maildir(folder, create=False)
    return [message_from_bytes(box.get_bytes(key), policy=policy.default) for key in box.iterkeys()]


def _attachment(mail, name: str) -> bytes:
    return next(p.get_payload(decode=True) for p in mail.iter_attachments() if p.get_filename() == name)


def test_a_citizen_books_three_concerns_by_keyboard_cancels_by_the_link_books_again_and_is_served(app, new_page,
                                                                                                   smtp):
    clock.travel(DEMO_DAY.replace(hour=7, minute=55))
    page = new_page()
    concerns = {"Ummeldung": "1", "Reisepass beantragen": "1", "Kinderreisepass": "2"}
    code = book_by_keyboard(page, app, "Ayşe", "ayse.sahin@example.org", concerns, first_free_day(concerns),
                            walk_grid=True)

    assert outbox.send_due().sent >= 1
    [mail] = [m for m in _mails(smtp) if m["To"] == "ayse.sahin@example.org"]
    calendar = icalendar.Calendar.from_ical(_attachment(mail, "termin.ics"))
    event = next(iter(calendar.walk("VEVENT")))
    assert code in str(event["SUMMARY"])
    png = _attachment(mail, "buchungscode.png")
    assert [c.text for c in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))] == [code]
    link = re.search(r"https?://\S+/termin/absagen\?t=\S+", mail.get_body(("plain",)).get_content()).group(0)

    page.goto(url(app, link[link.index("/termin"):]))
    expect(page.get_by_text(code)).to_be_visible()
    tab_to(page, page.get_by_role("button", name="Termin absagen"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Ihr Termin ist abgesagt")
    with db.session_scope() as session:
        assert session.exec(select(Visit.status).where(Visit.booking_code == code)).one() == "cancelled"

    again = book_by_keyboard(new_page(), app, "Ayşe", "ayse.sahin@example.org", concerns, first_free_day(concerns))
    with db.session_scope() as session:
        visit = session.exec(select(Visit).where(Visit.booking_code == again)).one()
    assert visit.status == "booked" and visit.channel == "online"

    clock.travel(clock.to_local(visit.slot_start - timedelta(minutes=5)).replace(tzinfo=None))
    by_desk = {a.desk: a for a in DEMO_ACCOUNTS if a.desk}
    reception = new_page()
    login(reception, app, by_desk["Empfang 1"].username, by_desk["Empfang 1"].password)
    reception.wait_for_url(url(app, routes.RECEPTION))
    reception.get_by_label("Buchungscode").fill(again)
    reception.get_by_role("button", name="Einchecken", exact=True).click()
    expect(reception.get_by_role("status")).to_contain_text("Ayşe Şahin ist eingecheckt")

    advisor = new_page()
    first = by_desk["Schalter 1"]
    login(advisor, app, first.username, first.password)
    advisor.wait_for_url(url(app, routes.COUNTER))
    chooser = advisor.get_by_role("button", name="An Schalter 1 Platz nehmen")
    call_next = advisor.get_by_role("button", name="Nächste Person aufrufen")
    expect(chooser.or_(call_next)).to_be_visible()
    if chooser.is_visible():
        chooser.click()
    call_next.click()
    panel = advisor.get_by_role("main")
    for shown in ("Ayşe Şahin", "Ummeldung", "Reisepass beantragen", "Kinderreisepass"):
        expect(panel).to_contain_text(shown)
    advisor.get_by_role("button", name="Bearbeitung beginnen").click()
    advisor.get_by_role("button", name="Besuch abschließen").click()
    expect(advisor.get_by_text("Besuch abgeschlossen.")).to_be_visible()  # Schalter 1 is free for the next test
