"""Warnings Reflex prints on every `make run` that a newcomer cannot act on, because we chose them.

- "Your version (…) of Node.js is out of date": the machine's Node.js is older than Reflex wants, which is
  why the setup installs bun and Reflex builds with it (README); the warning repeats on every build step.
- "Page … is being redefined with the same component": Reflex applies the `@rx.page` decorators again on
  every compile in the same process (export, then serve); the pages are the same, nothing is redefined.
Only these messages are dropped; every other warning of Reflex is shown as before.
"""

import logging

_OURS = (
    ("reflex.utils.js_runtimes", "of Node.js is out of date"),
    ("reflex.app", "is being redefined with the same component"),
)


class _DropKnown(logging.Filter):
    def __init__(self, fragment: str) -> None:
        super().__init__()
        self.fragment = fragment

    def filter(self, record: logging.LogRecord) -> bool:
        return self.fragment not in record.getMessage()


def install() -> None:
    """Add the filters (idempotent: rxconfig is imported by every Reflex process, sometimes twice)."""
    for name, fragment in _OURS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, _DropKnown) and f.fragment == fragment for f in logger.filters):
            logger.addFilter(_DropKnown(fragment))
