"""Mail attachments that are made when the mail is sent, not when it is queued.

An outbox row's attachment is either ready bytes (`data`, base64) or a recipe: the name of a renderer
and its arguments (`render`, `args`, plain JSON). A booking queues its confirmation inside the booking's
write transaction; building the calendar file and the QR code there cost a few milliseconds of every
booking while the database's writer turn was held, so the booking stores the facts and the sender
builds the files. The package that owns a kind of attachment registers its renderer here when it is
imported (the sender never imports it: messaging may not depend on booking); the scheduler process
imports every job module, and with it every renderer, before it sends anything.
"""

import base64
from collections.abc import Callable

_RENDERERS: dict[str, Callable[..., bytes]] = {}


class UnknownRendererError(LookupError):
    """An attachment names a renderer that this process has not registered."""


def register(name: str, renderer: Callable[..., bytes]) -> None:
    """Make `renderer(**args)` the maker of attachments whose recipe names `name`."""
    _RENDERERS[name] = renderer


def recipe(filename: str, mime: str, name: str, **args) -> dict:
    """An attachment to be made at sending time by the renderer `name` with `args` (JSON values)."""
    return {"filename": filename, "mime": mime, "render": name, "args": args}


def content(attachment: dict) -> bytes:
    """The bytes of a stored attachment: its data, or what its renderer makes of the recipe."""
    if "data" in attachment:
        return base64.b64decode(attachment["data"])
    renderer = _RENDERERS.get(attachment.get("render", ""))
    if renderer is None:
        name = attachment.get("render")
        raise UnknownRendererError(f"Anhang {attachment.get('filename')}: unbekannte Erzeugung {name}")
    return renderer(**attachment.get("args", {}))
