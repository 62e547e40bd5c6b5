"""The briefing board's charts (recharts), in a light version for the desk and a dark one for the wall."""

import reflex as rx

from workstation.services.briefing import board as briefing_board
from workstation.services.common import formatting

# Okabe–Ito colours: distinguishable with colour-vision deficiencies and on a projector.
AREA_COLOURS = {
    "registration": "#0072B2",
    "id_documents": "#E69F00",
    "vehicles": "#009E73",
    "driving_licences": "#CC79A7",
    "partner": "#8C8C8C",
}
NEEDED_COLOUR = "#D55E00"


def _area_colour(area: rx.Var) -> rx.Var:
    return rx.match(area, *AREA_COLOURS.items(), AREA_COLOURS["partner"])


def _ink(dark: bool) -> str:
    return "#F5F7FA" if dark else "#1C2024"


def _font(dark: bool) -> int:
    return 20 if dark else 13


def served_by_area_chart(data: rx.Var, dark: bool = False, height: int = 260) -> rx.Component:
    """Contacts served yesterday per area (horizontal bars)."""
    ink = _ink(dark)
    return rx.recharts.responsive_container(
        rx.recharts.bar_chart(
            rx.recharts.cartesian_grid(
                horizontal=False, stroke_dasharray="3 3", stroke="#5f6b7a" if dark else "#d0d5dd"
            ),
            rx.recharts.x_axis(
                type_="number",
                data_key="bedient",
                allow_decimals=False,
                tick={"fill": ink, "fontSize": _font(dark)},
                stroke=ink,
            ),
            rx.recharts.y_axis(
                type_="category",
                data_key="bereich",
                width=170 if dark else 110,
                tick={"fill": ink, "fontSize": _font(dark)},
                stroke=ink,
            ),
            rx.recharts.bar(
                rx.recharts.label_list(data_key="bedient", position="right", fill=ink, font_size=_font(dark)),
                rx.foreach(data, lambda row: rx.recharts.cell(fill=_area_colour(row["area"]))),
                data_key="bedient",
                name="Kontakte bedient",
                fill=AREA_COLOURS["registration"],
                is_animation_active=False,
            ),
            data=data,
            layout="vertical",
            margin={"left": 8, "right": 40, "top": 4, "bottom": 4},
        ),
        width="100%",
        height=height,
    )


def hours_chart(data: rx.Var, dark: bool = False, height: int = 300) -> rx.Component:
    """Today's appointments per hour stacked by area, with counters needed against counters staffed."""
    ink = _ink(dark)
    tick = {"fill": ink, "fontSize": _font(dark)}
    bars = [
        rx.recharts.bar(
            data_key=formatting.area_label(area),
            stack_id="termine",
            fill=AREA_COLOURS[area],
            y_axis_id="termine",
            is_animation_active=False,
        )
        for area in briefing_board.AREA_ORDER
    ]
    return rx.recharts.responsive_container(
        rx.recharts.composed_chart(
            rx.recharts.cartesian_grid(vertical=False, stroke_dasharray="3 3", stroke="#5f6b7a" if dark else "#d0d5dd"),
            rx.recharts.x_axis(data_key="stunde", tick=tick, stroke=ink),
            rx.recharts.y_axis(
                y_axis_id="termine",
                allow_decimals=False,
                tick=tick,
                stroke=ink,
                label={
                    "value": "Termine",
                    "angle": -90,
                    "position": "insideLeft",
                    "fill": ink,
                    "fontSize": _font(dark),
                },
            ),
            rx.recharts.y_axis(
                y_axis_id="schalter",
                orientation="right",
                allow_decimals=False,
                domain=[0, "dataMax + 2"],  # the staffed line must not sit on the chart's top edge
                tick=tick,
                stroke=ink,
                label={
                    "value": "Schalter",
                    "angle": 90,
                    "position": "insideRight",
                    "fill": ink,
                    "fontSize": _font(dark),
                },
            ),
            *bars,
            rx.recharts.line(
                data_key=briefing_board.NEEDED,
                y_axis_id="schalter",
                stroke=NEEDED_COLOUR,
                stroke_width=3,
                dot=True,
                type_="monotone",
                is_animation_active=False,
            ),
            rx.recharts.line(
                data_key=briefing_board.STAFFED,
                y_axis_id="schalter",
                stroke=ink,
                stroke_width=3,
                stroke_dasharray="6 4",
                dot=False,
                type_="stepAfter",
                is_animation_active=False,
            ),
            # itemSorter "" keeps the series order (areas, then counters) instead of sorting by name.
            rx.recharts.legend(wrapper_style={"color": ink, "fontSize": _font(dark)}, custom_attrs={"itemSorter": ""}),
            rx.recharts.graphing_tooltip(),
            data=data,
            margin={"left": 8, "right": 8, "top": 8, "bottom": 4},
        ),
        width="100%",
        height=height,
    )
