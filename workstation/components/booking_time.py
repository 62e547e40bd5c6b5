"""Choosing a time: a plain list of the next free times beside a month calendar that works by keyboard.

The calendar is a WAI-ARIA grid, labelled by the month above it (a live region), with the weekdays as
column headers. Every day of the month is a button named with the full date and whether it has free
times ("Montag, 23. November 2026, freie Termine" / "…, keine freien Termine", the latter
aria-disabled). One day is in the Tab order; the arrow keys, Home/End and PageUp/PageDown move between
days and months (assets/booking_calendar.js), Enter picks. The list beside it needs no grid at all.
"""

import reflex as rx

from workstation.state.booking import BookingTimes

T = BookingTimes.texts
WEEKDAY_SHORT = ("Mo", "Di", "Mi", "Do", "Fr", "Sa", "So")


def time_button(row: rx.Var, on_choose) -> rx.Component:
    return rx.el.li(rx.button(row["label"], on_click=on_choose(row["iso"]), variant="outline", size="3",
                              width="100%", justify="start"), list_style="none")


def first_free_list(on_choose) -> rx.Component:
    return rx.vstack(
        rx.heading(T["next_free"], as_="h3", size="4"),
        rx.cond(
            BookingTimes.first_times.length() > 0,
            rx.el.ul(rx.foreach(BookingTimes.first_times, lambda row: time_button(row, on_choose)),
                     display="flex", flex_direction="column", gap="0.5rem", padding="0", margin="0", width="100%"),
            rx.text(T["no_free"]),
        ),
        spacing="2",
        width="100%",
    )


def _day_cell(cell: rx.Var) -> rx.Component:
    """A day of the grid: a free day is a button that lists its times; another day of the month is a
    button marked unavailable (it still takes the focus, so the arrow keys walk every day and a screen
    reader names each one); the days of the neighbouring months are empty cells."""
    return rx.el.td(
        rx.cond(
            cell["free"] != "",
            rx.button(cell["day"], on_click=BookingTimes.choose_day(cell["iso"]), variant="soft", size="2",
                      aria_label=cell["name"], width="2.6rem", data_iso=cell["iso"], tab_index=cell["tab"].to(int),
                      aria_pressed=(BookingTimes.chosen_day == cell["iso"]).to_string()),
            rx.cond(
                cell["day"] != "",
                rx.el.button(cell["day"], type="button", aria_label=cell["name"], aria_disabled="true",
                             data_iso=cell["iso"], tab_index=cell["tab"].to(int), class_name="calendar-day-closed",
                             style={"width": "2.6rem", "min_height": "2rem", "background": "none", "border": "none",
                                    "color": "var(--gray-11)", "font": "inherit", "cursor": "default"}),
            ),
        ),
        role="gridcell",
        text_align="center",
        padding="0.15rem",
    )


def month_calendar() -> rx.Component:
    """The month as a WAI-ARIA grid; assets/booking_calendar.js moves the focus by arrow keys, Home/End and
    PageUp/PageDown (see there); Tab reaches one day, Enter or Space picks it."""
    return rx.vstack(
        rx.script(src="/booking_calendar.js"),
        rx.heading(T["calendar"], as_="h3", size="4"),
        rx.text(T["calendar_keys"], size="2", color_scheme="gray", id="booking-calendar-keys"),
        rx.hstack(
            rx.button(rx.icon("chevron-left", aria_hidden="true"), T["previous_month"], variant="ghost",
                      on_click=BookingTimes.change_month(-1), disabled=BookingTimes.month_index == 0,
                      data_calendar_previous=""),
            rx.spacer(),
            rx.button(T["next_month"], rx.icon("chevron-right", aria_hidden="true"), variant="ghost",
                      on_click=BookingTimes.change_month(1),
                      disabled=BookingTimes.month_index >= BookingTimes.month_count - 1, data_calendar_next=""),
            width="100%",
        ),
        rx.text(BookingTimes.month_label, id="booking-month", weight="bold", aria_live="polite", text_align="center",
                width="100%"),
        rx.el.table(
            rx.el.thead(rx.el.tr(*[rx.el.th(day, scope="col", role="columnheader", font_weight="500")
                                   for day in WEEKDAY_SHORT], role="row")),
            rx.el.tbody(rx.foreach(BookingTimes.weeks, lambda week: rx.el.tr(rx.foreach(week, _day_cell), role="row"))),
            role="grid",
            aria_labelledby="booking-month",
            aria_describedby="booking-calendar-keys",
            data_booking_calendar="",
            width="100%",
        ),
        spacing="2",
        width="100%",
    )


def day_times(on_choose) -> rx.Component:
    return rx.cond(
        BookingTimes.chosen_day != "",
        rx.vstack(
            rx.heading(T["times_on"] + " " + BookingTimes.chosen_day_label, as_="h3", size="4", id="day-times",
                       tab_index=-1),
            rx.el.ul(rx.foreach(BookingTimes.day_times, lambda row: time_button(row, on_choose)),
                     display="grid", grid_template_columns="repeat(auto-fill, minmax(7rem, 1fr))", gap="0.5rem",
                     padding="0", margin="0", width="100%"),
            spacing="2",
            width="100%",
        ),
    )


def time_chooser(on_choose) -> rx.Component:
    """The list of next free times and the calendar side by side (stacked on a phone)."""
    return rx.flex(
        rx.box(first_free_list(on_choose), flex="1", min_width="16rem"),
        rx.vstack(month_calendar(), day_times(on_choose), flex="1", min_width="16rem", width="100%"),
        gap="1.5rem",
        flex_wrap="wrap",
        width="100%",
    )
