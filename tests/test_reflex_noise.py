"""`make run` stays quiet about what we chose (bun with an older Node.js, pages applied per compile)."""

import logging

from workstation import reflex_noise


def test_only_the_known_reflex_warnings_are_dropped(caplog):
    reflex_noise.install()
    reflex_noise.install()
    with caplog.at_level(logging.WARNING):
        logging.getLogger("reflex.app").warning("Page /schalter is being redefined with the same component.")
        logging.getLogger("reflex.utils.js_runtimes").warning(
            "Your version (20.20.2) of Node.js is out of date. Upgrade to 22.22.0 or higher.")
        logging.getLogger("reflex.app").warning("Tried to add page counter with route `/schalter` twice")
    assert [r.getMessage() for r in caplog.records] == ["Tried to add page counter with route `/schalter` twice"]
    assert len(logging.getLogger("reflex.app").filters) == 1
