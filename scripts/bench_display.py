"""Call display benchmark: 30 lobby call displays and 28 counter screens through a soak at 60× speed.

Reuses the queue benchmark's harness (`bench_queue`: the prod server, socket.io clients speaking the
browser's frames, the advisor loop, the backend process and its RSS) and its office
(`bench_queue_data`). On top, 30 call displays are created and paired through the lobby's services
and connect with their device tokens, exactly as a kiosk browser does.

A paired check-in terminal scans the booking codes (100 an office hour), as a hand-held scanner does; 24
advisors call, serve 5–15 office minutes and finish; 4 more counter screens only watch. Office time
runs `--speedup` times faster (60: an office minute per second). After `--warmup-minutes` of office
time the backend's RSS is taken, and again after the `--soak-minutes` (at least 30) that follow.

Measured:
- display_p95_ms: from an advisor sending "Nächste Person aufrufen" until each call display receives
  the row with that person's ticket (target < 500 ms);
- rss_growth_pct: the backend's RSS growth over the soak (target < 5 %);
- checkin_to_counter_p95_ms: from the terminal's scan until each counter screen lists the person as
  waiting (the requirement: within a second);
- the displays' websocket bytes per update.

Usage: python scripts/bench_display.py [--displays 30] [--counters 28] [--soak-minutes 40] [--speedup 60]
The last line printed is one JSON object.
"""

import argparse
import json
import math
import multiprocessing
import os
import queue
import statistics
import sys
import tempfile
import time
import uuid
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "scripts")]

import bench_queue as bq  # noqa: E402  (the harness lives beside this script)

DEVICE = "reflex___state____state.workstation___state___device____device_state"
DISPLAY = f"{DEVICE}.workstation___state___call_display____call_display_state"
DISPLAY_PATH = "/geraet/aufrufe/"
TERMINAL = f"{DEVICE}.workstation___state___checkin_terminal____checkin_terminal_state"
TERMINAL_PATH = "/geraet/checkin/"
SERVING = 24


class DeviceScreen(bq.Screen):
    """A lobby device's page: hydrates with its device token instead of a staff session."""

    def __init__(self, name: str, base_url: str, device_token: str, path: str, state: str) -> None:
        super().__init__(name, base_url, "", path, state)
        self.device_token = device_token

    def connect(self) -> None:
        boot = {
            "event": {
                "name": bq.HYDRATE,
                "payload": {"vars": {f"{DEVICE}.device_token_rx_state_": self.device_token}},
                "router_data": {"pathname": self.path, "asPath": self.path},
            }
        }
        self.sio.connect(
            f"{self.base_url}?token={uuid.uuid4()}",
            namespaces=[bq.NAMESPACE],
            transports=["websocket"],
            socketio_path="_event",
            auth=boot,
            wait_timeout=30,
        )


class DisplayScreen(DeviceScreen):
    """A call display that notes when each ticket first appears on it."""

    def __init__(self, name: str, base_url: str, device_token: str) -> None:
        super().__init__(name, base_url, device_token, DISPLAY_PATH, DISPLAY)
        self.tickets: dict[str, float] = {}

    def _on_event(self, update: dict) -> None:
        arrived = time.monotonic()
        super()._on_event(update)
        rows = ((update.get("delta") or {}).get(self.state) or {}).get("rows_rx_state_")
        with self.changed:
            for row in rows or ():
                self.tickets.setdefault(row["ticket"], arrived)


def _display_process(tokens: list[tuple[str, str]], base_url: str, connected, go, stop, results) -> None:
    """Connect the displays, follow the calls until stopped, send back when each ticket appeared."""
    screens = [DisplayScreen(name, base_url, token) for name, token in tokens]
    for screen in screens:
        screen.connect()
    for screen in screens:
        screen.wait(lambda s: "max_rows" in s.view, 60)
    connected.release()
    go.wait()
    for screen in screens:
        screen.counting = True
    stop.wait()
    results.put(
        {
            "display": True,
            "tickets": [(s.name, t, at) for s in screens for t, at in s.tickets.items()],
            "bytes": sum(s.bytes for s in screens),
            "updates": sum(s.updates for s in screens),
            "on_screen": [len(s.view.get("rows", [])) for s in screens],
        }
    )
    for screen in screens:
        screen.close()


def _terminal_process(token: str, base_url: str, job: dict, connected, go, reception_done, results) -> None:
    """The check-in terminal: scans the booking codes at reception's pace (as a hand-held scanner types them)."""
    screen = DeviceScreen("terminal", base_url, token, TERMINAL_PATH, TERMINAL)
    screen.connect()
    screen.wait(lambda s: "outcome" in s.view, 60)
    connected.release()
    go.wait()
    out = {"call_ms": [], "origins": [], "seen": [], "errors": 0, "checkins": 0, "bytes": 0, "updates": 0}
    deadline = time.monotonic() + job["max_seconds"]
    for code, visit_id in job["codes"].items():
        if time.monotonic() > deadline:
            break
        out["origins"].append(("waiting", visit_id, "terminal", time.monotonic()))
        screen.send("scan", {"form_data": {"__reflex_form_data__": [["code", code]]}})
        out["checkins"] += 1
        time.sleep(1 / job["rate"])
    reception_done.set()
    time.sleep(1.0)
    screen.close()
    results.put(out)


def _checkin_latencies(records: list[dict]) -> list[float]:
    """From the terminal's scan until each counter screen lists the person as waiting."""
    sent = {v: at for r in records for kind, v, _screen, at in r["origins"] if kind == "waiting"}
    return [
        (at - sent[v]) * 1000 for r in records for kind, v, _screen, at in r["seen"] if kind == "waiting" and v in sent
    ]


def _pair(kind: str, count: int) -> list[str]:
    from sqlmodel import select

    from workstation import db
    from workstation.models import Office
    from workstation.services.lobby import devices

    with db.session_scope() as session:
        office_id = session.exec(select(Office.id)).one()
    tokens = []
    for i in range(count):
        pairing = devices.create_device(office_id, kind, f"{kind} {i + 1}", None, rows=(6, 8, 10)[i % 3])
        tokens.append(devices.pair(pairing.code)[0])
    return tokens


def _tickets_of(visit_ids: set[int]) -> dict[int, str]:
    from sqlmodel import select

    from workstation import db
    from workstation.models import Visit

    with db.session_scope() as session:
        return dict(session.exec(select(Visit.id, Visit.ticket).where(Visit.id.in_(visit_ids))).all())


def run(
    displays: int, counters: int, speedup: float, warmup_minutes: float, soak_minutes: float, processes: int
) -> dict:
    data_dir = Path(tempfile.mkdtemp(prefix="bench-display-"))
    os.environ.update({"WORKSTATION_DATA_DIR": str(data_dir), "REFLEX_DB_URL": f"sqlite:///{data_dir / 'bench.db'}"})
    import bench_queue_data

    from workstation import clock

    office_minutes = warmup_minutes + soak_minutes
    appointments = math.ceil(office_minutes * 100 / 60) + 20
    office = bench_queue_data.build(counters, appointments, clock.to_utc(datetime(2026, 11, 23, 8, 0)))
    display_tokens = _pair("display", displays)
    [terminal_token] = _pair("checkin", 1)
    run_seconds = office_minutes * 60 / speedup
    job = {
        "codes": office.booking_codes,
        "service_ids": office.service_ids,
        "rate": 100 / 3600 * speedup,
        "service_seconds": (5 * 60 / speedup, 15 * 60 / speedup),
        "max_seconds": run_seconds,
    }
    proc, base_url = bq._start_server(dict(os.environ))
    context = multiprocessing.get_context("spawn")
    connected, go, reception_done, stop = context.Semaphore(0), context.Event(), context.Event(), context.Event()
    results = context.Queue()
    serving = [(f"advisor{i}", t) for i, t in enumerate(office.advisor_tokens[:SERVING])]
    watching = [(f"watcher{i}", t) for i, t in enumerate(office.advisor_tokens[SERVING:])]
    named_displays = [(f"display{i}", t) for i, t in enumerate(display_tokens)]
    groups = [("advisor", serving[i::processes]) for i in range(processes) if serving[i::processes]]
    groups += [("watcher", watching)] if watching else []
    display_groups = [named_displays[i::2] for i in range(2) if named_displays[i::2]]
    workers, records, shown = [], [], []
    try:
        backend = bq._backend_process(proc, int(base_url.rsplit(":", 1)[1]))
        for role, names_tokens in groups:
            workers.append(
                context.Process(
                    target=bq._client_process,
                    args=(role, names_tokens, base_url, job, connected, go, reception_done, stop, results),
                )
            )
        for tokens in display_groups:
            workers.append(
                context.Process(target=_display_process, args=(tokens, base_url, connected, go, stop, results))
            )
        workers.append(
            context.Process(
                target=_terminal_process,
                args=(terminal_token, base_url, job, connected, go, reception_done, results),
            )
        )
        for worker in workers:
            worker.start()
        for _ in workers:
            if not connected.acquire(timeout=240):
                raise SystemExit("the screens did not connect")
        time.sleep(1)
        started = time.monotonic()
        go.set()
        time.sleep(warmup_minutes * 60 / speedup)
        rss_start = bq._rss_mb(backend)
        active = sum(role != "watcher" for role, _ in groups) + 1  # and the terminal
        while len(records) < active:
            if time.monotonic() - started > run_seconds + 600:
                raise SystemExit("the soak did not end within 10 minutes after the last check-in")
            if proc.poll() is not None:
                raise SystemExit("the server stopped during the run:\n" + "".join(bq.SERVER_OUTPUT))
            try:
                records.append(results.get(timeout=2))
            except queue.Empty:
                continue
        rss_end = bq._rss_mb(backend)
        elapsed = time.monotonic() - started
        stop.set()
        while len(records) + len(shown) < len(workers):
            record = results.get(timeout=120)
            (shown if record.get("display") else records).append(record)
    finally:
        stop.set()
        for worker in workers:
            worker.join(timeout=30)
            if worker.is_alive():
                worker.terminate()
        bq._stop_server(proc)

    calls = {visit_id: sent for r in records for kind, visit_id, _screen, sent in r["origins"] if kind == "called"}
    tickets = _tickets_of(set(calls))
    sent_by_ticket = {tickets[v]: sent for v, sent in calls.items() if tickets.get(v)}
    latencies = [(at - sent_by_ticket[t]) * 1000 for d in shown for _name, t, at in d["tickets"] if t in sent_by_ticket]
    served = sum(len(r["call_ms"]) for r in records)
    checkin_ms = _checkin_latencies(records)
    print(
        f"{served} calls in {elapsed:.0f} s ({office_minutes:.0f} office minutes), {len(latencies)} display "
        f"updates measured",
        file=sys.stderr,
    )
    return {
        "displays": displays,
        "counter_screens": counters,
        "speedup": speedup,
        "soak_office_minutes": soak_minutes,
        "calls": served,
        "display_p50_ms": round(statistics.median(latencies), 1) if latencies else None,
        "display_p95_ms": bq._percentile(latencies, 0.95),
        "display_samples": len(latencies),
        "display_missed": served * displays - len(latencies),
        "checkins": sum(r["checkins"] for r in records),
        "checkin_to_counter_p95_ms": bq._percentile(checkin_ms, 0.95),
        "checkin_to_counter_max_ms": round(max(checkin_ms), 1) if checkin_ms else None,
        "checkin_samples": len(checkin_ms),
        "rss_start_mb": round(rss_start, 1),
        "rss_end_mb": round(rss_end, 1),
        "rss_growth_pct": round(100 * (rss_end - rss_start) / rss_start, 2),
        "display_ws_bytes_per_update": round(sum(d["bytes"] for d in shown) / max(1, sum(d["updates"] for d in shown))),
        "rows_on_screen_max": max((n for d in shown for n in d["on_screen"]), default=0),
        "load_avg_1m": round(os.getloadavg()[0], 1),
        "errors": sum(r["errors"] for r in records),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--displays", type=int, default=30)
    parser.add_argument("--counters", type=int, default=28, help="counter screens; 24 serve, the rest watch")
    parser.add_argument("--speedup", type=float, default=60.0)
    parser.add_argument("--warmup-minutes", type=float, default=10.0, help="office minutes before the soak")
    parser.add_argument("--soak-minutes", type=float, default=40.0, help="office minutes of the soak (>= 30)")
    parser.add_argument("--processes", type=int, default=3, help="client processes of serving advisors")
    args = parser.parse_args()
    if args.soak_minutes < 30:
        parser.error("the soak needs at least 30 office minutes")
    os.environ.update(
        {
            "WORKSTATION_NOW": "2026-11-23T07:55:00+01:00",
            "REFLEX_USE_SYSTEM_BUN": "1",
            "REFLEX_TELEMETRY_ENABLED": "false",
            "REFLEX_CHECK_LATEST_VERSION": "false",
            "PATH": f"{ROOT / '.tools/node_modules/.bin'}:{Path(sys.executable).parent}:{os.environ['PATH']}",
        }
    )
    os.environ.pop("REFLEX_REDIS_URL", None)
    print(
        json.dumps(
            run(args.displays, args.counters, args.speedup, args.warmup_minutes, args.soak_minutes, args.processes)
        )
    )


if __name__ == "__main__":
    main()
