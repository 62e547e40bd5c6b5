"""The floor's load and queue lists, rendered in the browser from the live floor channel.

The lists are not Reflex state any more: after a change every screen receives the same small delta
on its own socket (see `workstation.live_floor`) and assets/floor_lists.jsx applies and renders it
(the same regions, headings and tables as before). What a click changes still goes through the
page's event handlers: the row actions, the counter's focus (only for a visit at this counter:
the screen whose "active" focus changed asks its state to read the panel) and a new ticket when the
old one was refused.

`FloorNextPreview` draws an idle counter's "Als Nächstes dran" in the browser from the same feed
(the lists' socket, shared through the module's store). Data minimisation: it shows only the queue
row every screen of the office already receives, so the next person costs no server event, no
state update and no audited read of their full record; that read happens once they are called.
"""

import reflex as rx
from reflex.event import no_args_event_spec, passthrough_event_spec


class FloorLists(rx.Component):
    """`<FloorLists>` of assets/floor_lists.jsx."""

    library = "$/public/floor_lists.jsx"
    tag = "FloorLists"

    ticket: rx.Var[str]
    screen: rx.Var[str]  # "counter" or "reception"
    counter_id: rx.Var[int]
    shown_mode: rx.Var[str]
    shown_visit: rx.Var[int]
    shown_version: rx.Var[int]

    on_call_target: rx.EventHandler[passthrough_event_spec(int)]
    on_resume: rx.EventHandler[passthrough_event_spec(int)]
    on_focus: rx.EventHandler[passthrough_event_spec(str, int, int)]
    on_ticket_needed: rx.EventHandler[no_args_event_spec]


class FloorNextPreview(rx.Component):
    """`<FloorNextPreview>` of assets/floor_lists.jsx: needs a `FloorLists` on the page (it owns the socket)."""

    library = "$/public/floor_lists.jsx"
    tag = "FloorNextPreview"

    counter_id: rx.Var[int]


floor_lists = FloorLists.create
floor_next_preview = FloorNextPreview.create
