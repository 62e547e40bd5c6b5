"""Feedback-Terminal: how satisfied were you? Faces, optional aspects and a comment; anonymous."""

import reflex as rx

from workstation import routes
from workstation.components.kiosk import kiosk_page, language_button
from workstation.state.feedback_terminal import FeedbackTerminalState

T = FeedbackTerminalState.texts


def _face(face: rx.Var, chosen: rx.Var, on_click, size: int) -> rx.Component:
    return rx.icon_button(
        rx.icon(face["icon"], size=size),
        aria_label=face["label"],
        aria_pressed=rx.cond(chosen == face["score"], "true", "false"),
        variant=rx.cond(chosen == face["score"], "solid", "soft"),
        size="4",
        class_name="feedback-face" + (" feedback-face-main" if size > 40 else ""),
        type="button",
        on_click=on_click,
    )


def _aspect(aspect: rx.Var) -> rx.Component:
    return rx.hstack(
        rx.text(aspect["label"], size="4", width="12rem", id="aspect-" + aspect["name"].to(str)),
        rx.hstack(
            rx.foreach(
                FeedbackTerminalState.faces,
                lambda f: _face(
                    f, aspect["chosen"], FeedbackTerminalState.choose_aspect(aspect["name"], f["score"]), 28
                ),
            ),
            spacing="2",
            role="group",
            aria_labelledby="aspect-" + aspect["name"].to(str),
        ),
        align="center",
    )


@rx.page(route=routes.TERMINAL_FEEDBACK, title="Ihre Meinung – Bürgerbüro", on_load=FeedbackTerminalState.load)
def feedback_terminal_page() -> rx.Component:
    """One vote per person; the server takes one per few seconds per terminal."""
    return kiosk_page(
        rx.hstack(
            rx.heading(T["title"], size="8", as_="h1"),
            rx.spacer(),
            language_button(T["language"], FeedbackTerminalState.toggle_language, FeedbackTerminalState.lang),
            align="center",
            width="100%",
        ),
        rx.cond(
            FeedbackTerminalState.thanks,
            rx.callout(T["thanks"], icon="heart", color_scheme="green", size="3", role="status"),
            rx.vstack(
                rx.hstack(
                    rx.foreach(
                        FeedbackTerminalState.faces,
                        lambda f: _face(
                            f,
                            FeedbackTerminalState.overall.to_string(),
                            FeedbackTerminalState.choose_overall(f["score"]),
                            72,
                        ),
                    ),
                    spacing="4",
                    role="group",
                    aria_label=T["title"],
                ),
                rx.heading(T["area"], size="5", as_="h2", id="feedback-area"),
                rx.flex(
                    rx.foreach(
                        FeedbackTerminalState.area_choices,
                        lambda a: rx.button(
                            a["label"],
                            size="3",
                            type="button",
                            variant=rx.cond(FeedbackTerminalState.area == a["area"], "solid", "outline"),
                            aria_pressed=rx.cond(FeedbackTerminalState.area == a["area"], "true", "false"),
                            on_click=FeedbackTerminalState.choose_area(a["area"]),
                        ),
                    ),
                    spacing="2",
                    wrap="wrap",
                    role="group",
                    aria_labelledby="feedback-area",
                ),
                rx.heading(T["aspects"], size="5", as_="h2"),
                rx.foreach(FeedbackTerminalState.aspect_rows, _aspect),
                rx.form(
                    rx.vstack(
                        rx.el.label(T["comment"], html_for="feedback-comment", font_weight="500"),
                        rx.text_area(id="feedback-comment", name="comment", max_length=500, rows="3", width="100%"),
                        rx.button(T["send"], size="4", type="submit"),
                        spacing="3",
                        width="100%",
                    ),
                    on_submit=FeedbackTerminalState.send,
                    reset_on_submit=True,
                    width="100%",
                ),
                spacing="4",
                width="100%",
            ),
        ),
        lang=FeedbackTerminalState.lang,
    )
