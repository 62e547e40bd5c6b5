"""The team lead's briefing board in Chromium, checked against an independent query of the database."""

import re
import statistics
import uuid
from datetime import datetime, timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import create_engine, text

from tests.e2e.conftest import login, url
from workstation import clock, routes
from workstation.config import settings

pytestmark = pytest.mark.e2e


def _rows(sql: str, **params) -> list:
    engine = create_engine(settings().db_url)
    try:
        with engine.connect() as conn:
            return list(conn.execute(text(sql), params))
    finally:
        engine.dispose()


def _ts(value) -> datetime | None:
    """SQLite hands back timestamps as text, PostgreSQL as datetime."""
    return datetime.fromisoformat(value) if isinstance(value, str) else value


def _german(value: float, decimals: int = 0) -> str:
    return f"{value:,.{decimals}f}".replace(",", "X").replace(".", ",").replace("X", ".")


def expected_review(today: datetime) -> tuple[str, dict[str, str]]:
    """Yesterday's figures straight from the tables, written out independently of the app's services.

    The reviewed day is the last day before today with visits; a visit belongs to the day of its booked
    start (else its check-in); waits are called − max(checked in, booked start), p90 interpolated.
    """
    today_start = clock.to_utc(datetime(today.year, today.month, today.day))
    (latest,) = _rows(
        "SELECT max(coalesce(slot_start, checked_in_at)) FROM visit "
        "WHERE coalesce(slot_start, checked_in_at) < :t AND status <> 'cancelled'",
        t=today_start,
    )[0]
    if latest is None:  # no history: the previous weekday
        day = today.date() - timedelta(days=1)
        while day.weekday() >= 5:
            day -= timedelta(days=1)
    else:
        day = clock.to_local(_ts(latest)).date()
    start = clock.to_utc(datetime(day.year, day.month, day.day))
    end = clock.to_utc(datetime(day.year, day.month, day.day) + timedelta(days=1))
    visits = _rows(
        "SELECT finished_at, status, no_show_at, checked_in_at, called_at, slot_start FROM visit "
        "WHERE coalesce(slot_start, checked_in_at) >= :s AND coalesce(slot_start, checked_in_at) < :e",
        s=start,
        e=end,
    )
    served = sum(1 for v in visits if v.finished_at is not None)
    no_shows = sum(1 for v in visits if v.status == "no_show" or v.no_show_at is not None)
    waits = []
    for v in visits:
        checked_in, called, slot = _ts(v.checked_in_at), _ts(v.called_at), _ts(v.slot_start)
        if checked_in and called and called >= checked_in:
            ready = max(checked_in, slot) if slot else checked_in
            waits.append(max(0.0, (called - ready).total_seconds() / 60))
    (closed,) = _rows("SELECT count(*) FROM backofficetask WHERE closed_at >= :s AND closed_at < :e", s=start, e=end)[0]
    (handed,) = _rows(
        "SELECT count(*) FROM documentapplication WHERE handed_over_at >= :s AND handed_over_at < :e", s=start, e=end
    )[0]
    if waits:
        p90 = statistics.quantiles(waits, n=10, method="inclusive")[8] if len(waits) > 1 else waits[0]
        wait_cards = {
            "Wartezeit Ø": f"{_german(statistics.fmean(waits))} Min.",
            "Wartezeit 90 %": f"{_german(p90)} Min.",
            "In 15 Min. bedient": f"{_german(sum(1 for w in waits if w <= 15) / len(waits) * 100)} %",
        }
    else:
        wait_cards = {"Wartezeit Ø": "–", "Wartezeit 90 %": "–", "In 15 Min. bedient": "–"}
    return day.strftime("%d.%m.%Y"), {
        "Kontakte bedient": _german(served),
        **wait_cards,
        "Nicht erschienen": _german(no_shows),
        "Nacharbeit erledigt": _german(closed),
        "Dokumente ausgegeben": _german(handed),
    }


def test_lead_sees_yesterdays_figures_and_an_advisor_reads_the_news(app, demo_office, new_page):
    review_day, figures = expected_review(demo_office)
    assert int(figures["Kontakte bedient"].replace(".", "")) > 0, "the demo office should have served people"

    lead = new_page()
    _login(lead, app, "teamleitung", "teamleitung-demo")
    lead.goto(url(app, routes.BRIEFING))
    expect(lead.get_by_role("heading", name=f"Rückblick {_weekday(review_day)}")).to_be_visible()
    for label, value in figures.items():
        card = lead.get_by_role("group", name=label).first
        expect(card).to_contain_text(value)
    expect(lead.locator(".recharts-surface").first).to_be_visible()

    # The raw HTML in the note must show as typed, not render (no <b> element, no script from a note).
    news = f"**Heute neu:** Fotostation an Schalter 3 <b>roh</b> ({uuid.uuid4().hex[:6]})"
    lead.get_by_label("Text (Markdown)").fill(news)
    lead.get_by_role("button", name="Notiz speichern").click()
    shown = news.replace("**", "")
    notes = lead.get_by_role("region", name="Neuigkeiten und offene Fragen")
    expect(notes.get_by_text(shown)).to_be_visible()
    expect(notes.locator("b")).to_have_count(0)

    lead.get_by_role("button", name="Präsentation").click()
    wall = lead.get_by_role("main", name="Briefing-Präsentation")
    expect(wall.get_by_text(shown)).to_be_visible()
    expect(wall.get_by_role("group", name="Kontakte bedient")).to_contain_text(figures["Kontakte bedient"])
    expect(lead.get_by_role("navigation", name="Hauptnavigation")).to_have_count(0)

    advisor = new_page()
    _login(advisor, app, "berater", "berater-demo")
    advisor.goto(url(app, routes.COUNTER))
    panel = advisor.get_by_role("region", name="Aus dem Briefing")
    expect(panel.get_by_text(shown)).to_be_visible()

    # During the day: what the lead writes or withdraws reaches the open counter screen without a reload.
    later = f"Drucker im Flur defekt ({uuid.uuid4().hex[:6]})"
    lead.get_by_role("button", name="Präsentation beenden").click()
    lead.get_by_label("Text (Markdown)").fill(later)
    lead.get_by_role("button", name="Notiz speichern").click()
    expect(panel.get_by_text(later)).to_be_visible(timeout=2_000)
    lead_notes = lead.get_by_role("region", name="Neuigkeiten und offene Fragen")
    lead_notes.get_by_role("article").filter(has_text=later).get_by_role("button", name="Zurückziehen").click()
    expect(panel.get_by_text(later)).to_have_count(0, timeout=2_000)
    expect(panel.get_by_text(shown)).to_be_visible()


def _login(page, app, username: str, password: str) -> None:
    """Log in and wait until the login page is left (the role's start page may belong to another branch)."""
    login(page, app, username, password, succeed=False)
    expect(page).not_to_have_url(re.compile(r"/login$"))
    page.wait_for_function("() => (localStorage.getItem('bb_session') || '').length > 2")


def _weekday(day_text: str) -> str:
    day = datetime.strptime(day_text, "%d.%m.%Y")
    return f"{('Mo', 'Di', 'Mi', 'Do', 'Fr', 'Sa', 'So')[day.weekday()]}, {day_text}"


_LAYOUT_FAULTS = """(root) => {
  const faults = [];
  const doc = document.documentElement;
  if (doc.scrollHeight > window.innerHeight + 1) faults.push(`page scrolls: ${doc.scrollHeight}px high`);
  if (doc.scrollWidth > window.innerWidth + 1) faults.push(`page scrolls sideways: ${doc.scrollWidth}px wide`);
  // A word broken over two lines: its pieces (split at spaces, hyphens, slashes) each on one line.
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    for (const m of node.textContent.matchAll(/[^\\s\\-–\\/·]+/g)) {
      const range = document.createRange();
      range.setStart(node, m.index);
      range.setEnd(node, m.index + m[0].length);
      const tops = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
      if (tops.size > 1) faults.push(`word broken: ${m[0]}`);
    }
  }
  // Clipped: an element whose content is wider or taller than its box while it hides the overflow.
  for (const el of root.querySelectorAll("*")) {
    const style = getComputedStyle(el);
    const hides = (v) => v !== "visible";
    if (hides(style.overflowX) && el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0)
      faults.push(`clipped sideways: ${el.tagName} ${el.textContent.slice(0, 40)}`);
    if (hides(style.overflowY) && el.scrollHeight > el.clientHeight + 1 && el.clientHeight > 0)
      faults.push(`clipped: ${el.tagName} ${el.textContent.slice(0, 40)}`);
  }
  // Chart labels (SVG text) inside their chart.
  for (const text of root.querySelectorAll("svg text")) {
    const svg = text.ownerSVGElement.getBoundingClientRect();
    const box = text.getBoundingClientRect();
    if (box.width === 0) continue;
    if (box.left < svg.left - 1 || box.right > svg.right + 1 || box.top < svg.top - 1 || box.bottom > svg.bottom + 1)
      faults.push(`chart label cut: ${text.textContent}`);
  }
  return faults;
}"""


def test_the_presentation_fits_one_full_hd_screen_and_esc_leaves_it(app, new_page):
    lead = new_page()
    lead.set_viewport_size({"width": 1920, "height": 1080})
    _login(lead, app, "teamleitung", "teamleitung-demo")
    lead.goto(url(app, routes.BRIEFING))
    expect(lead.get_by_role("group", name="Kontakte bedient").first).to_be_visible()

    lead.get_by_role("button", name="Präsentation", exact=True).click()
    wall = lead.get_by_role("main", name="Briefing-Präsentation")
    expect(wall.locator(".recharts-surface").first).to_be_visible()
    expect(wall.get_by_text("Esc beendet die Präsentation")).to_be_visible()
    lead.wait_for_timeout(1_000)  # the charts' entry animation
    lead.screenshot(path="/tmp/briefing-wall.png")
    assert wall.evaluate(_LAYOUT_FAULTS) == []

    lead.keyboard.press("Escape")
    expect(wall).to_have_count(0)
    expect(lead.get_by_role("button", name="Präsentation", exact=True)).to_be_visible()
