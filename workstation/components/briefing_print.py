"""The briefing board's one-page print summary (A4) and the print stylesheet that shows only it on paper.

The briefing page shows the same figures three ways (desk view, wall screen, print); this module holds the
print version so the page module stays at the desk view. The page adds `PRINT_CSS` and renders
`print_summary()` next to the desk view; "Drucken" calls the browser's print dialog.
"""

import reflex as rx

from workstation.state.briefing import BriefingState

S = BriefingState

# Screen and print: the desk view is hidden on paper, the one-page summary only exists on paper.
PRINT_CSS = """
.bb-print { display: none; }
@media print {
  @page { size: A4 portrait; margin: 10mm 12mm; }
  main h1 { font-size: 14pt !important; margin: 0 !important; }
  .bb-screen { display: none !important; }
  .bb-print { display: block !important; font-size: 8.5pt; line-height: 1.3; color: #000; }
  .bb-print h2 { font-size: 10.5pt; margin: 5pt 0 2pt; }
  .bb-print table { border-collapse: collapse; width: 100%; }
  .bb-print td, .bb-print th { border-bottom: 0.5pt solid #999; padding: 1pt 3pt; text-align: left; }
  .bb-print td:nth-child(-n+2), .bb-print th { white-space: nowrap; }
  .bb-print .bb-cols { display: grid; grid-template-columns: 1fr 1fr; gap: 10pt; }
  .bb-print .bb-note { display: flex; gap: 3pt; align-items: baseline; }
  .bb-print p { margin: 0; }
}
"""


def _print_figures(cards: rx.Var) -> rx.Component:
    return rx.el.table(
        rx.el.tbody(
            rx.foreach(
                cards,
                lambda c: rx.el.tr(rx.el.td(c["label"]), rx.el.td(rx.el.strong(c["value"])), rx.el.td(c["hint"])),
            )
        )
    )


def _print_lines(title: str, items: rx.Var) -> rx.Component:
    return rx.fragment(
        rx.el.p(rx.el.strong(title)),
        rx.cond(items.length() > 0, rx.foreach(items, lambda line: rx.el.p("· ", line)), rx.el.p("keine")),
    )


def print_summary() -> rx.Component:
    """Yesterday, today, notes and staffing on one A4 page; hidden on screen."""
    return rx.box(
        rx.el.p(rx.el.strong(S.title), " · ", S.review_title, " · ", S.source),
        rx.box(
            rx.box(
                rx.el.h2(S.review_title),
                _print_figures(S.yesterday_cards),
                _print_lines("Längste Wartezeiten", S.longest_waits),
                _print_lines("Deutlich über Plan", S.overruns),
                rx.el.p(rx.el.strong("Geschlossene Schalter: "), S.closed_counters),
            ),
            rx.box(
                rx.el.h2(S.today_title),
                _print_figures(S.today_cards),
                rx.el.h2("Termine je Stunde"),
                rx.el.table(
                    rx.el.thead(
                        rx.el.tr(
                            rx.el.th("Stunde"), rx.el.th("Termine"), rx.el.th("Schalter nötig"), rx.el.th("besetzt")
                        )
                    ),
                    rx.el.tbody(
                        rx.foreach(
                            S.hours_table,
                            lambda h: rx.el.tr(
                                rx.el.td(h["hour"]),
                                rx.el.td(h["booked"]),
                                rx.el.td(h["needed"]),
                                rx.el.td(h["staffed"]),
                            ),
                        )
                    ),
                ),
            ),
            class_name="bb-cols",
        ),
        rx.el.h2("Neuigkeiten und offene Fragen"),
        rx.foreach(
            S.notes,
            lambda n: rx.fragment(
                rx.box(
                    rx.el.strong(n["kind_label"], rx.cond(n["open_question"], " (offen)", ""), ":"),
                    rx.markdown(n["body_md"], use_raw=False),
                    class_name="bb-note",
                ),
                rx.cond(
                    n["answer_md"] != "",
                    rx.box(rx.el.em("Antwort:"), rx.markdown(n["answer_md"], use_raw=False), class_name="bb-note"),
                ),
            ),
        ),
        rx.el.h2("Besetzung"),
        rx.el.p(S.staffing_summary),
        class_name="bb-print",
    )
