"""Keyboard shortcuts of the main actions: announced to screen readers and written on the page.

A button gets `aria-keyshortcuts` (screen readers read it with the button's name) and a tooltip; the page
shows the list of shortcuts as text, so sighted keyboard users learn them too. The keys themselves are
handled in the browser by assets/shortcuts.js: Alt+Umschalt+letter presses the button.
"""

import reflex as rx


def shortcut(letter: str) -> dict[str, str]:
    """Props for a button pressed by Alt+Umschalt+`letter`."""
    return {"aria_keyshortcuts": f"Alt+Shift+{letter}", "title": f"Tastenkürzel: Alt+Umschalt+{letter}"}


def shortcut_legend(*entries: tuple[str, str]) -> rx.Component:
    """The shortcuts of a page as one line of text: ("N", "Nächste Person aufrufen"), ..."""
    listed = " · ".join(f"{letter} {label}" for letter, label in entries)
    return rx.text(f"Tastenkürzel mit Alt+Umschalt: {listed}", size="1", color_scheme="gray")
