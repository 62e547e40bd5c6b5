"""Queue benchmark: 24 advisor screens and reception through a busy morning against a real prod server.

Starts `reflex run --env prod` on a fresh SQLite office (24 counters, their advisors seated, a morning
of booked appointments; clock at 07:55), then connects one socket.io client per screen to the app's
real websocket — the same frames a browser sends (hydrate with the session token, on_load, events),
recorded from Chromium. Each screen also opens the live floor channel (/_floor, with the ticket its
page state got on load) and does what assets/floor_lists.jsx does in the browser: applies the shared
deltas, asks for a snapshot on a gap, and tells its counter state when its own focus changed. 25
browsers would not fit on 2 cores next to the server; the clients run in a few separate processes so
that they do not queue for one interpreter's lock.

Reception checks people in by booking code at 100 an hour and adds a walk-in after every fifth.
Every advisor calls the next person when the screen shows someone waiting, starts, serves 5-15
minutes and finishes, until everyone is served. Time runs `--speedup` times faster than in the office
(default 60: an office minute per second), so the server sees 60 times a busy real morning's rate.

Measured:
- call_next: from sending "Nächste Person aufrufen" to the screen receiving its own called person;
- propagation: from a counter's call (or reception's check-in) being sent until each other screen
  shows that person in "Am Schalter" (or "Warteschlange"): until the delta that contains them
  arrived on that screen's floor channel socket;
- backend RSS with all screens connected, its growth per connected screen, and backend CPU;
- the bytes the screens receive on both sockets (compact JSON of each update, each floor message) per change.

A second, shorter point (`screens_100_*`, bounded by --scale-max-seconds of check-ins) runs the same
office with 100 screens: reception, the same 24 serving advisors and 75 more counter screens that only
watch the floor (as the lobby's call displays would), on a fresh server and database.

Usage: python scripts/bench_queue.py [--advisors 24] [--appointments 200] [--speedup 60] [--processes 4]
       [--scale-screens 100] [--profile /tmp/backend.pyspy]
The last line printed is one JSON object.
"""

import argparse
import json
import multiprocessing
import os
import queue
import random
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import deque
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AUTH = "reflex___state____state.workstation___state___auth____auth_state"
COUNTER = f"{AUTH}.workstation___state___counter____counter_state"
RECEPTION = f"{AUTH}.workstation___state___reception____reception_state"
HYDRATE = "reflex___state____state.hydrate_and_load"
NAMESPACE = "/_event"


def _percentile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))], 1)


class Screen:
    """One connected page: merges the deltas of its state, follows the floor channel like the browser's
    floor_lists.jsx, and records when people first appear on it."""

    def __init__(self, name: str, base_url: str, session_token: str, path: str, state: str) -> None:
        import socketio

        self.name, self.base_url, self.session_token, self.path, self.state = name, base_url, session_token, path, state
        self.view: dict = {}
        self.floor: dict[str, dict] = {}  # counter kind -> the floor as the channel's messages built it
        self.reported_focus = None
        self.feed = None
        self.toasts = 0
        self.seq = 0
        self.changed = threading.Condition()
        self.seen: dict[tuple[str, int], float] = {}
        self.counting = False
        self.bytes = 0
        self.updates = 0
        self.sio = socketio.Client(reconnection=False)
        self.sio.on("event", self._on_event, namespace=NAMESPACE)

    def connect(self) -> None:
        boot = {"event": {"name": HYDRATE,
                          "payload": {"vars": {f"{AUTH}.session_token_rx_state_": self.session_token}},
                          "router_data": {"pathname": self.path, "asPath": self.path}}}
        self.sio.connect(f"{self.base_url}?token={uuid.uuid4()}", namespaces=[NAMESPACE], transports=["websocket"],
                         socketio_path="_event", auth=boot, wait_timeout=30)
        self.wait(lambda s: s.view.get("floor_ticket"), 60)
        self._follow_floor(self.view["floor_ticket"])

    def _follow_floor(self, ticket: str) -> None:
        import websocket

        url = self.base_url.replace("http", "ws", 1) + "/_floor?ticket=" + ticket
        self.feed = websocket.WebSocketApp(url, on_message=self._on_floor)
        threading.Thread(target=self.feed.run_forever, daemon=True).start()

    def floor_rows(self, name: str, kind: str = "regular") -> list[dict]:
        feed = self.floor.get(kind)
        return [feed["rows"][str(i)] for i in feed["lists"][name]] if feed else []

    def _on_floor(self, socket, text: str) -> None:
        """What floor_lists.jsx does with a message: apply it (or ask for a snapshot on a gap), show the
        rows, and tell the counter state when this counter's focus changed."""
        from workstation.services.queue import floor_feed

        arrived = time.monotonic()
        message = json.loads(text)
        if message.get("t") not in ("snapshot", "delta"):
            return
        with self.changed:
            if self.counting:
                self.bytes += len(text.encode())
                self.updates += 1
            current = self.floor.get(message["kind"])
            if message["t"] == "delta" and (current is None or current["v"] != message["from"]):
                socket.send("resync")
                return
            state = message if message["t"] == "snapshot" else floor_feed.apply(current, message)
            self.floor[message["kind"]] = {"v": message["v"],
                                           **{k: state[k] for k in ("rows", "lists", "load", "focus")}}
            for row in self.floor_rows("at_counters"):
                if row["status"] == "called":
                    self.seen.setdefault(("called", row["visit_id"]), arrived)
            for row in self.floor_rows("waiting"):
                self.seen.setdefault(("waiting", row["visit_id"]), arrived)
            self.changed.notify_all()
            focus = self._focus_to_report()
        if focus is not None:
            self.send("focus_changed", {"mode": focus[0], "visit_id": focus[1], "version": focus[2]})

    def focus(self) -> list:
        """This counter's focus on the channel ([mode, visit_id, version])."""
        if not self.view.get("desk_id") or not self.floor:
            return ["", 0, 0]
        return next(iter(self.floor.values()))["focus"].get(str(self.view["desk_id"]), ["", 0, 0])

    def _focus_to_report(self):
        """floor_lists.jsx's `needsServer`: only a visit at this counter is asked for (the next person is
        drawn from the queue row)."""
        if self.state != COUNTER or not self.view.get("desk_id") or not self.floor:
            return None
        focus = self.focus()
        panel = self.view.get("panel", {})
        shown_active = self.view.get("focus_mode") == "active" and panel.get("visit_id", 0) > 0
        shown = (focus[0] != "active" and not shown_active) or (
            focus[0] == "active" and shown_active and focus[1] == panel.get("visit_id")
            and focus[2] == panel.get("version"))
        if shown:
            self.reported_focus = None
            return None
        if self.reported_focus == focus:
            return None
        self.reported_focus = focus
        return focus

    def _on_event(self, update: dict) -> None:
        delta = (update.get("delta") or {}).get(self.state) or {}
        with self.changed:
            if self.counting:  # the payload as the server encodes it (compact JSON), without socket.io framing
                self.bytes += len(json.dumps(update, separators=(",", ":"), ensure_ascii=False).encode())
                self.updates += 1
            for key, value in delta.items():
                self.view[key.removesuffix("_rx_state_")] = value
            if update.get("events"):
                self.toasts += 1
            if delta or update.get("events"):
                self.seq += 1
            self.changed.notify_all()
            focus = self._focus_to_report() if delta else None
        if focus is not None:
            self.send("focus_changed", {"mode": focus[0], "visit_id": focus[1], "version": focus[2]})

    def send(self, handler: str, payload: dict | None = None) -> None:
        self.sio.emit("event", {"name": f"{self.state}.{handler}", "payload": payload or {},
                                "router_data": {"pathname": self.path, "asPath": self.path}}, namespace=NAMESPACE)

    def wait(self, predicate, timeout: float = 10.0) -> bool:
        with self.changed:
            return self.changed.wait_for(lambda: predicate(self), timeout)

    def close(self) -> None:
        if self.feed is not None:
            self.feed.close()
        self.sio.disconnect()


def _advisor(screen: Screen, service_seconds: tuple[float, float], reception_done, out: dict) -> None:
    """Serve people until reception is done and nobody waits any more."""
    while True:
        if not screen.wait(lambda s: s.view.get("focus_mode") != "active" and s.focus()[0] == "next", 5):
            if reception_done.is_set() and not screen.floor_rows("waiting"):
                return
            continue
        toasts, seq = screen.toasts, screen.seq
        sent = time.monotonic()
        screen.send("call_next")
        if not screen.wait(lambda s, t=toasts, q=seq: s.seq > q and (
                (s.view.get("focus_mode") == "active" and s.view.get("panel", {}).get("status") == "called")
                or s.toasts > t)):
            out["errors"] += 1
            continue
        if screen.view.get("focus_mode") != "active":
            continue  # another counter was quicker; the screen shows the next person
        panel = screen.view["panel"]
        out["call_ms"].append((time.monotonic() - sent) * 1000)
        out["origins"].append(("called", panel["visit_id"], screen.name, sent))
        time.sleep(random.uniform(*service_seconds))
        screen.send("start")
        screen.wait(lambda s: s.view.get("panel", {}).get("status") == "in_service")
        form = [[f"done_{c['concern_id']}", "on"] for c in screen.view["panel"]["services"]]
        screen.send("finish", {"form_data": {"__reflex_form_data__": form}})
        if not screen.wait(lambda s, done=panel["visit_id"]: s.view.get("panel", {}).get("visit_id") != done
                           or s.view.get("focus_mode") != "active"):
            out["errors"] += 1


def _reception(screen: Screen, codes: dict[str, int], service_ids: list[int], rate: float, deadline: float,
               out: dict) -> None:
    for i, (code, visit_id) in enumerate(codes.items()):
        if time.monotonic() > deadline:
            break
        out["origins"].append(("waiting", visit_id, screen.name, time.monotonic()))
        screen.send("check_in_code", {"form_data": {"__reflex_form_data__": [["code", code]]}})
        out["checkins"] += 1
        if i % 5 == 4:
            form = [["last_name", f"Spontan {i}"], [f"service_{random.choice(service_ids)}", "on"]]
            screen.send("add_walk_in", {"form_data": {"__reflex_form_data__": form}})
            out["checkins"] += 1
        time.sleep(1 / rate)


def _client_process(role: str, names_tokens: list[tuple[str, str]], base_url: str, job: dict, connected, go,
                    reception_done, stop, results) -> None:
    """One process of clients: connect, report ready, run the morning, send back the records.

    Roles: reception checks people in, an advisor serves them, a watcher is a counter screen that only
    follows the floor (like the lobby's call displays: it costs the server its updates, never a click).
    """
    path, state = ("/empfang/", RECEPTION) if role == "reception" else ("/schalter/", COUNTER)
    screens = [Screen(name, base_url, token, path, state) for name, token in names_tokens]
    out = {"call_ms": [], "origins": [], "errors": 0, "checkins": 0}
    for screen in screens:
        screen.connect()
    for screen in screens:
        screen.wait(lambda s: s.floor, 60)
    connected.release()
    go.wait()
    for screen in screens:
        screen.counting = True
    if role == "reception":
        _reception(screens[0], job["codes"], job["service_ids"], job["rate"], time.monotonic() + job["max_seconds"],
                   out)
        reception_done.set()
    elif role == "advisor":
        threads = [threading.Thread(target=_advisor, args=(s, job["service_seconds"], reception_done, out))
                   for s in screens]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    time.sleep(1.0)  # let the last updates arrive before the records are sent
    if role == "watcher":
        stop.wait()
    for screen in screens:
        screen.counting = False
    out["seen"] = [(kind, visit_id, s.name, at) for s in screens for (kind, visit_id), at in s.seen.items()]
    out["bytes"] = sum(s.bytes for s in screens)
    out["updates"] = sum(s.updates for s in screens)
    for screen in screens:
        screen.close()
    results.put(out)


SERVER_OUTPUT: deque[str] = deque(maxlen=40)


def _start_server(env: dict) -> tuple[subprocess.Popen, str]:
    proc = subprocess.Popen(["reflex", "run", "--env", "prod"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, start_new_session=True)
    deadline = time.monotonic() + 600
    for line in proc.stdout:
        SERVER_OUTPUT.append(line)
        match = re.search(r"App running at:?\s*(http\S+)", line)
        if match:
            threading.Thread(target=lambda: SERVER_OUTPUT.extend(proc.stdout), daemon=True).start()
            return proc, match.group(1).rstrip("/")
        if time.monotonic() > deadline:
            break
    _stop_server(proc)
    raise SystemExit("the server did not start:\n" + "".join(SERVER_OUTPUT))


def _stop_server(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGINT)
        proc.wait(timeout=30)
    except ProcessLookupError:
        pass
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)


def _backend_process(proc: subprocess.Popen, port: int):
    """The server process that accepts the connections (polled: it binds after announcing its address)."""
    import psutil

    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        for process in [psutil.Process(proc.pid), *psutil.Process(proc.pid).children(recursive=True)]:
            try:
                if any(c.status == psutil.CONN_LISTEN and c.laddr.port == port
                       for c in process.net_connections("tcp")):
                    return process
            except psutil.Error:
                continue
        time.sleep(0.5)
    raise SystemExit(f"no process listens on port {port}")


def _rss_mb(process) -> float:
    return process.memory_info().rss / 2**20


def _propagation(records: list[dict]) -> list[float]:
    """Per other screen: first time it showed the person, minus when the action was sent."""
    origins = {(kind, visit_id): (screen, sent) for r in records for kind, visit_id, screen, sent in r["origins"]}
    latencies = []
    for record in records:
        for kind, visit_id, screen, at in record["seen"]:
            origin = origins.get((kind, visit_id))
            if origin and origin[0] != screen:
                latencies.append((at - origin[1]) * 1000)
    return latencies


def _run_point(advisors: int, watchers: int, appointments: int, speedup: float, processes: int,
               max_seconds: float, profile: str = "") -> dict:
    """One office, one server, one morning: reception, `advisors` serving screens and `watchers` more screens."""
    data_dir = Path(tempfile.mkdtemp(prefix="bench-queue-"))
    os.environ.update({
        "WORKSTATION_DATA_DIR": str(data_dir),
        "REFLEX_DB_URL": f"sqlite:///{data_dir / 'bench.db'}",
    })
    from datetime import datetime

    import bench_queue_data

    from workstation import clock

    office = bench_queue_data.build(advisors + watchers, appointments,
                                    clock.to_utc(datetime(2026, 11, 23, 8, 0)))
    # A busy real morning: ~100 appointments an hour arrive, a visit takes 5-15 minutes at the counter.
    job = {"codes": office.booking_codes, "service_ids": office.service_ids, "rate": 100 / 3600 * speedup,
           "service_seconds": (5 * 60 / speedup, 15 * 60 / speedup), "max_seconds": max_seconds}
    proc, base_url = _start_server(dict(os.environ))
    context = multiprocessing.get_context("spawn")
    connected, go, reception_done, stop = context.Semaphore(0), context.Event(), context.Event(), context.Event()
    results = context.Queue()
    screens = [(f"advisor{i}", token) for i, token in enumerate(office.advisor_tokens)]
    active, passive = screens[:advisors], screens[advisors:]
    groups = [("reception", [("reception", office.reception_token)])]
    groups += [("advisor", active[i::processes]) for i in range(processes) if active[i::processes]]
    groups += [("watcher", passive[i::processes]) for i in range(processes) if passive[i::processes]]
    workers = []
    try:
        backend = _backend_process(proc, int(base_url.rsplit(":", 1)[1]))
        warm = Screen("warm", base_url, office.advisor_tokens[0], "/schalter/", COUNTER)
        warm.connect()
        warm.wait(lambda s: s.floor, 60)
        warm.close()
        time.sleep(1)
        rss_before = _rss_mb(backend)
        for role, names_tokens in groups:
            worker = context.Process(target=_client_process, args=(
                role, names_tokens, base_url, job, connected, go, reception_done, stop, results))
            worker.start()
            workers.append(worker)
        for _ in groups:
            if not connected.acquire(timeout=180):
                raise SystemExit("the screens did not connect")
        time.sleep(1)
        rss_connected = _rss_mb(backend)
        cpu_before = sum(backend.cpu_times()[:2])
        started = time.monotonic()
        go.set()
        if profile:  # py-spy (not a requirement: `pip install py-spy` for this) samples the backend meanwhile
            subprocess.Popen(["py-spy", "record", "-p", str(backend.pid), "-o", profile, "-f", "raw",
                             "-d", str(int(max_seconds)), "-r", "50", "--nonblocking"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        records = []
        active_groups = sum(role != "watcher" for role, _ in groups)
        while len(records) < len(groups):
            if time.monotonic() - started > max_seconds + 600:
                raise SystemExit("the morning did not end within 10 minutes after the last check-in")
            if proc.poll() is not None:
                raise SystemExit("the server stopped during the run:\n" + "".join(SERVER_OUTPUT))
            try:
                records.append(results.get(timeout=2))
            except queue.Empty:
                continue
            if len(records) == active_groups:
                elapsed = time.monotonic() - started
                cpu_used = sum(backend.cpu_times()[:2]) - cpu_before
                stop.set()
        rss_end = _rss_mb(backend)
    finally:
        stop.set()
        for worker in workers:
            worker.join(timeout=30)
            if worker.is_alive():
                worker.terminate()
        _stop_server(proc)

    call_ms = [ms for r in records for ms in r["call_ms"]]
    propagation = _propagation(records)
    clients = 1 + advisors + watchers
    # Each check-in (or walk-in) is one change; each served visit three (call, start, finish).
    changes = sum(r["checkins"] for r in records) + len(call_ms) * 3
    print(f"served {len(call_ms)} visits in {elapsed:.1f} s with {clients} screens", file=sys.stderr)
    return {
        "clients": clients,
        "speedup": speedup,
        "served": len(call_ms),
        "duration_s": round(elapsed, 1),
        "call_next_p50_ms": round(statistics.median(call_ms), 1) if call_ms else None,
        "call_next_p95_ms": _percentile(call_ms, 0.95),
        "propagation_p50_ms": _percentile(propagation, 0.5),
        "propagation_p95_ms": _percentile(propagation, 0.95),
        "propagation_samples": len(propagation),
        "backend_rss_mb": round(rss_end, 1),
        "rss_per_client_kb": round((rss_connected - rss_before) * 1024 / clients, 1),
        "backend_cpu_s": round(cpu_used, 1),
        "backend_cpu_ms_per_change": round(cpu_used * 1000 / changes, 1),
        # What the screens received on the websocket (compact JSON of each update), per change of the floor.
        "ws_kb_per_change": round(sum(r["bytes"] for r in records) / 1024 / changes, 1),
        "ws_bytes_per_update": round(sum(r["bytes"] for r in records) / max(1, sum(r["updates"] for r in records))),
        "load_avg_1m": round(os.getloadavg()[0], 1),
        "errors": sum(r["errors"] for r in records),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--advisors", type=int, default=24)
    parser.add_argument("--appointments", type=int, default=200)
    parser.add_argument("--speedup", type=float, default=60.0,
                        help="how much faster than a real morning (60: a minute of the office per second)")
    parser.add_argument("--processes", type=int, default=4, help="client processes per kind of screen")
    parser.add_argument("--max-seconds", type=float, default=300.0, help="reception stops checking in after this")
    parser.add_argument("--scale-screens", type=int, default=100,
                        help="screens of the second point (the extra ones only watch); 0 skips it")
    parser.add_argument("--scale-appointments", type=int, default=100)
    parser.add_argument("--scale-max-seconds", type=float, default=75.0)
    parser.add_argument("--profile", default="", help="py-spy raw profile of the backend (first point) to this file")
    args = parser.parse_args()

    os.environ.update({
        "WORKSTATION_NOW": "2026-11-23T07:55:00+01:00",
        "REFLEX_USE_SYSTEM_BUN": "1",
        "REFLEX_TELEMETRY_ENABLED": "false",
        "REFLEX_CHECK_LATEST_VERSION": "false",
        "PATH": f"{ROOT / '.tools/node_modules/.bin'}:{Path(sys.executable).parent}:{os.environ['PATH']}",
    })
    os.environ.pop("REFLEX_REDIS_URL", None)
    sys.path[:0] = [str(ROOT), str(ROOT / "scripts")]

    result = _run_point(args.advisors, 0, args.appointments, args.speedup, args.processes, args.max_seconds,
                        args.profile)
    if args.scale_screens:
        watchers = max(0, args.scale_screens - 1 - args.advisors)
        scaled = _run_point(args.advisors, watchers, args.scale_appointments, args.speedup, args.processes,
                            args.scale_max_seconds)
        n = args.scale_screens
        result.update({
            f"screens_{n}_call_next_p95_ms": scaled["call_next_p95_ms"],
            f"screens_{n}_propagation_p95_ms": scaled["propagation_p95_ms"],
            f"screens_{n}_cpu_ms_per_change": scaled["backend_cpu_ms_per_change"],
            f"screens_{n}_ws_kb_per_change": scaled["ws_kb_per_change"],
            f"screens_{n}_detail": scaled,
        })
    print(json.dumps(result))


if __name__ == "__main__":
    main()
