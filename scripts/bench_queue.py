"""Queue benchmark: 24 advisor screens and reception through a busy morning against a real prod server.

Starts `reflex run --env prod` on a fresh SQLite office (24 counters, their advisors seated, a morning
of booked appointments; clock at 07:55), then connects one socket.io client per screen to the app's
real websocket — the same frames a browser sends (hydrate with the session token, on_load, events),
recorded from Chromium. Browsers themselves would not fit 25 times on 2 cores next to the server.

Reception checks people in by booking code at 100 an hour and adds a walk-in after every fifth;
every advisor calls the next person, starts, serves 5-15 minutes and finishes, until everyone is
served.

Measured:
- call_next: from sending "Nächste Person aufrufen" to the screen receiving its own called person;
- propagation: from a counter's call (or reception's check-in) being sent to every other screen
  showing that person in "Am Schalter" (or "Warteschlange");
- backend RSS with all screens connected, and its growth per connected screen.

Time runs `--speedup` times faster than in the office (default 60: one office minute per second), so
the server sees check-ins and counter actions at 60 times the rate of a busy real morning.

Usage: python scripts/bench_queue.py [--advisors 24] [--appointments 200] [--speedup 60]
The last line printed is one JSON object.
"""

import argparse
import json
import os
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
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AUTH = "reflex___state____state.workstation___state___auth____auth_state"
COUNTER = f"{AUTH}.workstation___state___counter____counter_state"
RECEPTION = f"{AUTH}.workstation___state___reception____reception_state"
HYDRATE = "reflex___state____state.hydrate_and_load"
NAMESPACE = "/_event"


def _percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


class Screen:
    """One connected page: merges the deltas of its state and lets the driver wait for conditions."""

    def __init__(self, base_url: str, session_token: str, path: str, state: str, bench: "Bench") -> None:
        import socketio

        self.base_url, self.session_token, self.path = base_url, session_token, path
        self.state, self.bench = state, bench
        self.view: dict = {}
        self.toasts = 0
        self.seq = 0
        self.changed = threading.Condition()
        self.sio = socketio.Client(reconnection=False)
        self.sio.on("event", self._on_event, namespace=NAMESPACE)

    def connect(self) -> None:
        boot = {"event": {"name": HYDRATE,
                          "payload": {"vars": {f"{AUTH}.session_token_rx_state_": self.session_token}},
                          "router_data": {"pathname": self.path, "asPath": self.path}}}
        self.sio.connect(f"{self.base_url}?token={uuid.uuid4()}", namespaces=[NAMESPACE], transports=["websocket"],
                         socketio_path="_event", auth=boot, wait_timeout=30)

    def _on_event(self, update: dict) -> None:
        arrived = time.monotonic()
        delta = (update.get("delta") or {}).get(self.state) or {}
        with self.changed:
            for key, value in delta.items():
                self.view[key.removesuffix("_rx_state_")] = value
            if update.get("events"):
                self.toasts += 1
            if delta or update.get("events"):
                self.seq += 1
            self.changed.notify_all()
        if delta:
            self.bench.observe(self, delta, arrived)

    def send(self, handler: str, payload: dict | None = None) -> None:
        self.sio.emit("event", {"name": f"{self.state}.{handler}", "payload": payload or {},
                                "router_data": {"pathname": self.path, "asPath": self.path}}, namespace=NAMESPACE)

    def wait(self, predicate, timeout: float = 10.0) -> bool:
        with self.changed:
            return self.changed.wait_for(lambda: predicate(self), timeout)

    def close(self) -> None:
        self.sio.disconnect()


class Bench:
    """Drives the screens and collects the timings."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.call_ms: list[float] = []
        self.propagation_ms: list[float] = []
        self.origins: dict[tuple[str, int], tuple[float, Screen]] = {}
        self.seen: set[tuple[str, int, int]] = set()
        self.early: dict[tuple[str, int], list[tuple[float, Screen]]] = {}
        self.advisors: list[Screen] = []
        self.errors = 0
        self.service_seconds = (5.0, 15.0)

    def origin(self, kind: str, visit_id: int, at: float, screen: Screen) -> None:
        """Register when an action was sent; screens that showed its result before this count too."""
        with self.lock:
            self.origins.setdefault((kind, visit_id), (at, screen))
            for arrived, observer in self.early.pop((kind, visit_id), []):
                if observer is not screen:
                    self.propagation_ms.append((arrived - at) * 1000)

    def observe(self, screen: Screen, delta: dict, arrived: float) -> None:
        """Record when another screen first shows a called person at a counter or a checked-in person waiting."""
        lists = (("called", delta.get("at_counters_rx_state_")), ("waiting", delta.get("waiting_rx_state_")))
        with self.lock:
            for kind, rows in lists:
                for row in rows or ():
                    key = (kind, row["visit_id"], id(screen))
                    if (kind == "called" and row["status"] != "called") or key in self.seen:
                        continue
                    self.seen.add(key)
                    origin = self.origins.get((kind, row["visit_id"]))
                    if origin is None:
                        self.early.setdefault((kind, row["visit_id"]), []).append((arrived, screen))
                    elif origin[1] is not screen:
                        self.propagation_ms.append((arrived - origin[0]) * 1000)

    def advisor_loop(self, screen: Screen, stop: threading.Event, reception_done: threading.Event) -> None:
        while not stop.is_set():
            toasts, seq = screen.toasts, screen.seq
            sent = time.monotonic()
            screen.send("call_next")
            if not screen.wait(lambda s, t=toasts, q=seq: s.seq > q and (
                    (s.view.get("focus_mode") == "active" and s.view.get("panel", {}).get("status") == "called")
                    or s.toasts > t)):
                self.errors += 1
                continue
            if screen.view.get("focus_mode") != "active":
                if reception_done.is_set() and not screen.view.get("waiting"):
                    return
                time.sleep(0.3)
                continue
            panel = screen.view["panel"]
            with self.lock:
                self.call_ms.append((time.monotonic() - sent) * 1000)
            self.origin("called", panel["visit_id"], sent, screen)
            time.sleep(random.uniform(*self.service_seconds))
            screen.send("start")
            screen.wait(lambda s: s.view.get("panel", {}).get("status") == "in_service")
            form = [[f"done_{c['concern_id']}", "on"] for c in screen.view["panel"]["services"]]
            visit_id = panel["visit_id"]
            screen.send("finish", {"form_data": {"__reflex_form_data__": form}})
            if not screen.wait(lambda s, done=visit_id: s.view.get("panel", {}).get("visit_id") != done
                               or s.view.get("focus_mode") != "active"):
                self.errors += 1

    def reception_loop(self, screen: Screen, codes: dict[str, int], service_ids: list[int], rate: float,
                       done: threading.Event) -> None:
        for i, (code, visit_id) in enumerate(codes.items()):
            sent = time.monotonic()
            self.origin("waiting", visit_id, sent, screen)
            screen.send("check_in_code", {"form_data": {"__reflex_form_data__": [["code", code]]}})
            if i % 5 == 4:
                form = [["last_name", f"Spontan {i}"], [f"service_{random.choice(service_ids)}", "on"]]
                screen.send("add_walk_in", {"form_data": {"__reflex_form_data__": form}})
            time.sleep(1 / rate)
        done.set()


def _start_server(env: dict) -> tuple[subprocess.Popen, str]:
    proc = subprocess.Popen(["reflex", "run", "--env", "prod"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, start_new_session=True)
    deadline = time.monotonic() + 600
    output = []
    for line in proc.stdout:
        output.append(line)
        match = re.search(r"App running at:?\s*(http\S+)", line)
        if match:
            threading.Thread(target=lambda: [None for _ in proc.stdout], daemon=True).start()
            return proc, match.group(1).rstrip("/")
        if time.monotonic() > deadline:
            break
    _stop_server(proc)
    raise SystemExit("the server did not start:\n" + "".join(output[-30:]))


def _stop_server(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGINT)
        proc.wait(timeout=30)
    except (ProcessLookupError, subprocess.TimeoutExpired):
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--advisors", type=int, default=24)
    parser.add_argument("--appointments", type=int, default=200)
    parser.add_argument("--speedup", type=float, default=60.0,
                        help="how much faster than a real morning (60: a minute of the office per second)")
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="bench-queue-"))
    os.environ.update({
        "WORKSTATION_DATA_DIR": str(data_dir),
        "REFLEX_DB_URL": f"sqlite:///{data_dir / 'bench.db'}",
        "WORKSTATION_NOW": "2026-11-23T07:55:00+01:00",
        "REFLEX_USE_SYSTEM_BUN": "1",
        "REFLEX_TELEMETRY_ENABLED": "false",
        "REFLEX_CHECK_LATEST_VERSION": "false",
        "PATH": f"{ROOT / '.tools/node_modules/.bin'}:{Path(sys.executable).parent}:{os.environ['PATH']}",
    })
    os.environ.pop("REFLEX_REDIS_URL", None)
    sys.path[:0] = [str(ROOT), str(ROOT / "scripts")]
    from datetime import datetime

    import bench_queue_data

    from workstation import clock

    office = bench_queue_data.build(args.advisors, args.appointments, clock.to_utc(datetime(2026, 11, 23, 8, 0)))
    proc, base_url = _start_server(dict(os.environ))
    bench = Bench()
    # A busy real morning: ~100 contacts an hour arrive, a visit takes 5-15 minutes at the counter.
    rate = 100 / 3600 * args.speedup
    bench.service_seconds = (5 * 60 / args.speedup, 15 * 60 / args.speedup)
    screens: list[Screen] = []
    try:
        backend = _backend_process(proc, int(base_url.rsplit(":", 1)[1]))
        warm = Screen(base_url, office.advisor_tokens[0], "/schalter/", COUNTER, bench)
        warm.connect()
        warm.wait(lambda s: "desk_id" in s.view, 30)
        warm.close()
        time.sleep(1)
        rss_before = _rss_mb(backend)
        cpu_before = sum(backend.cpu_times()[:2])

        reception = Screen(base_url, office.reception_token, "/empfang/", RECEPTION, bench)
        reception.connect()
        for token in office.advisor_tokens:
            screen = Screen(base_url, token, "/schalter/", COUNTER, bench)
            screen.connect()
            screens.append(screen)
        for screen in [reception, *screens]:
            if not screen.wait(lambda s: "floor_load" in s.view, 30):
                raise SystemExit("a screen did not load")
        time.sleep(1)
        rss_connected = _rss_mb(backend)

        stop, reception_done = threading.Event(), threading.Event()
        started = time.monotonic()
        threads = [threading.Thread(target=bench.advisor_loop, args=(s, stop, reception_done)) for s in screens]
        threads.append(threading.Thread(target=bench.reception_loop, args=(
            reception, office.booking_codes, office.service_ids, rate, reception_done)))
        for thread in threads:
            thread.start()
        threads[-1].join()
        for thread in threads[:-1]:
            thread.join(timeout=max(1.0, 300 - (time.monotonic() - started)))
        stop.set()
        elapsed = time.monotonic() - started
        rss_end = _rss_mb(backend)
        cpu_used = sum(backend.cpu_times()[:2]) - cpu_before
        screens.append(reception)
    finally:
        for screen in screens:
            screen.close()
        _stop_server(proc)

    served = len(bench.call_ms)
    result = {
        "clients": len(screens),
        "advisors": args.advisors,
        "speedup": args.speedup,
        "served": served,
        "duration_s": round(elapsed, 1),
        "call_next_p50_ms": round(statistics.median(bench.call_ms), 1) if bench.call_ms else None,
        "call_next_p95_ms": round(_percentile(bench.call_ms, 0.95), 1),
        "propagation_p50_ms": round(_percentile(bench.propagation_ms, 0.5), 1),
        "propagation_p95_ms": round(_percentile(bench.propagation_ms, 0.95), 1),
        "propagation_samples": len(bench.propagation_ms),
        "backend_rss_mb": round(rss_end, 1),
        "rss_per_client_kb": round((rss_connected - rss_before) * 1024 / len(screens), 1),
        "backend_cpu_s": round(cpu_used, 1),
        "errors": bench.errors,
    }
    print(f"served {served} visits in {elapsed:.1f} s with {len(screens)} screens", file=sys.stderr)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
