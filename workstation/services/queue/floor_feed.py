"""The floor as one live feed per office and counter kind: a snapshot, then small deltas, encoded once.

Every counter and reception screen of an office shows the same lists. Instead of each screen
turning the floor overview into a state update of its own after every change (work that grows with
the screens), one broadcaster per office and counter kind turns each new overview into the delta
from the one before and encodes it once; every screen receives the same bytes (see `live_floor`).

A snapshot holds the rows keyed by visit id, the four lists as ordered ids, the load and each
counter's focus. A delta holds only the rows that were added or changed, the ids of the rows that
left, the lists whose order changed, the load if it changed and the focus of counters whose focus
changed. Each message carries its version (and a delta the version it follows on): a screen that
missed one asks for a snapshot instead of guessing. `apply` is the Python twin of what the screens
do with a delta (assets/floor_lists.jsx); the tests and the benchmark use it.
"""

import json
from dataclasses import dataclass, field

from workstation.services.queue.floor import FloorOverview, QueueRow

LISTS = ("waiting", "expected", "at_counters", "parked")


def _row(row: QueueRow) -> dict:
    return dict(vars(row))


def snapshot(overview: FloorOverview, previous_rows: dict[int, tuple[QueueRow, dict]] | None = None) -> dict:
    """The floor as plain data; a row object the previous overview had keeps its dict (`previous_rows`)."""
    rows: dict[str, dict] = {}
    lists: dict[str, list[int]] = {}
    for name in LISTS:
        ids = []
        for row in getattr(overview, name):
            old = (previous_rows or {}).get(row.visit_id)
            rows[str(row.visit_id)] = old[1] if old is not None and old[0] is row else _row(row)
            ids.append(row.visit_id)
        lists[name] = ids
    return {
        "rows": rows,
        "lists": lists,
        "load": dict(vars(overview.load)),
        "focus": {str(counter): [f.mode, f.visit_id, f.version] for counter, f in overview.focus_by_counter.items()},
    }


def delta(old: dict, new: dict) -> dict:
    """What changed from snapshot `old` to snapshot `new` (only keys that changed are present)."""
    change: dict = {}
    rows = {key: row for key, row in new["rows"].items() if old["rows"].get(key) != row}
    removed = [key for key in old["rows"] if key not in new["rows"]]
    lists = {name: ids for name, ids in new["lists"].items() if old["lists"].get(name) != ids}
    focus = {key: value for key, value in new["focus"].items() if old["focus"].get(key) != value}
    gone = [key for key in old["focus"] if key not in new["focus"]]
    if rows:
        change["rows"] = rows
    if removed:
        change["removed"] = removed
    if lists:
        change["lists"] = lists
    if new["load"] != old["load"]:
        change["load"] = new["load"]
    if focus or gone:
        change["focus"] = {**focus, **{key: ["", 0, 0] for key in gone}}
    return change


def apply(state: dict, change: dict) -> dict:
    """The snapshot after `change` (a `delta`); `state` itself is left as it was."""
    rows = {key: row for key, row in state["rows"].items() if key not in change.get("removed", ())}
    rows.update(change.get("rows", {}))
    return {
        "rows": rows,
        "lists": {**state["lists"], **change.get("lists", {})},
        "load": change.get("load", state["load"]),
        "focus": {**state["focus"], **change.get("focus", {})},
    }


def encode(message: dict) -> str:
    """Compact JSON, the same text for every screen."""
    return json.dumps(message, separators=(",", ":"), ensure_ascii=False)


@dataclass
class FloorFeed:
    """The versioned feed of one office and counter kind in one process.

    `advance` takes the next overview and returns the encoded delta (None when nothing a screen
    shows changed); `snapshot_message` is the whole floor at the current version, encoded once per
    version, for a screen that connects or missed a message.
    """

    kind: str
    version: int = 0
    state: dict | None = None
    _rows: dict[int, tuple[QueueRow, dict]] = field(default_factory=dict)
    _snapshot_text: str | None = None

    def advance(self, overview: FloorOverview) -> str | None:
        new = snapshot(overview, self._rows)
        self._rows = {row.visit_id: (row, new["rows"][str(row.visit_id)])
                      for name in LISTS for row in getattr(overview, name)}
        if self.state is not None and new == self.state:
            return None
        old, self.state = self.state, new
        self.version += 1
        self._snapshot_text = None
        if old is None:
            return None  # nobody can have a delta from nothing: the first screens get the snapshot
        return encode({"t": "delta", "kind": self.kind, "from": self.version - 1, "v": self.version,
                       **delta(old, new)})

    def snapshot_message(self) -> str | None:
        if self.state is None:
            return None
        if self._snapshot_text is None:
            self._snapshot_text = encode({"t": "snapshot", "kind": self.kind, "v": self.version, **self.state})
        return self._snapshot_text
