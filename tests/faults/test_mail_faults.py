"""The "ready for pickup" mail under faults of the mail server and of the database.

Every scenario queues N arrival notices (an application each, the outbox row as the feed writes it),
runs `outbox.send_due()` until nothing is due (the injected clock jumps past back-offs), and counts from
the fault server's store:

- expected: rows that must reach the citizen (all, minus those the server refuses permanently),
- delivered: expected Message-IDs stored at least once, duplicates: extra copies stored,
- lost: expected − delivered, failed_permanent: rows the server refused with 5xx (they end FAILED,
  are shown to staff with "Erneut senden", and are not counted as lost).

lost is 0 in every scenario; duplicates are 0 except in drop_after_store, where the server stored the
message but the connection was cut before its 250: there the duplicates equal the injected drops (the
Message-ID is the same on the repeat, so the receiving side can recognise it). `make test` runs each
scenario once with small N; `make test-faults` repeats them (WORKSTATION_FAULT_REPS). No assertion
depends on timings.
"""

import logging
import random
import threading
import time
from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import create_engine, text
from sqlmodel import select

from tests import dbutil, pickup_data
from tests.faults.conftest import fault_reps
from tests.faults.smtp_fault_server import FaultSMTPServer
from workstation import clock, db
from workstation.models import Citizen, DocumentApplication, Notification, Office
from workstation.models.enums import ApplicationStatus, NotifyChannel, OutboxStatus
from workstation.services.messaging import outbox, smtp_mailer
from workstation.services.pickup import notices

START = datetime(2026, 11, 23, 9, 0)  # naive UTC
N = 30


@pytest.fixture
def mail_env(monkeypatch):
    """Returns `server(seed)`: a fault server the outbox sends to (stopped at the end)."""
    monkeypatch.setenv("WORKSTATION_OUTBOX_RETRY_BASE", "60")
    monkeypatch.setenv("WORKSTATION_OUTBOX_RETRY_CAP", "3600")
    servers = []

    def server(seed: int) -> FaultSMTPServer:
        srv = FaultSMTPServer(seed)
        monkeypatch.setenv("WORKSTATION_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("WORKSTATION_SMTP_PORT", str(srv.port))
        servers.append(srv)
        return srv

    yield server
    for srv in servers:
        srv.stop()


def _queue(n: int, tag: str) -> dict[str, int]:
    """N shipped-then-arrived applications with their arrival notice queued; {Message-ID: row id}."""
    now = clock.now()
    office_id = _office()
    text_ = notices.arrival("PA", "A-2026-000000", "Bürgerbüro Offenbach", pickup_data.OPENING_HOURS,
                            date(2026, 12, 21), NotifyChannel.EMAIL)
    ids: dict[str, int] = {}
    with db.session_scope() as session:
        for i in range(n):
            citizen = Citizen(first_name="Vanessa", last_name=f"Graf{i}", created_at=now)
            session.add(citizen)
            session.flush()
            app = DocumentApplication(
                office_id=office_id, citizen_id=citizen.id, application_number=f"A-{tag}-{i:06d}", doc_type="PA",
                serial_number=None, status=ApplicationStatus.ARRIVED, applied_at=now, arrived_at=now,
                status_at=now, notify_channel=NotifyChannel.EMAIL, notify_email=f"b.{tag}.{i}@example.org")
            session.add(app)
            session.flush()
            row = Notification(dedupe_key=f"arrival:{tag}:{app.id}", kind="arrival", channel=NotifyChannel.EMAIL,
                               recipient=app.notify_email, subject=text_.subject, body=text_.body,
                               application_id=app.id, created_at=now)
            session.add(row)
            session.flush()
            ids[smtp_mailer.message_id(row)] = row.id
    return ids


def _office() -> int:
    with db.session_scope() as session:
        existing = session.exec(select(Office.id)).first()
    return existing if existing is not None else pickup_data.office()


def _rows() -> list[Notification]:
    with db.session_scope() as session:
        return list(session.exec(select(Notification)).all())


def _drain(start: datetime, max_rounds: int = 200) -> int:
    """Run the sender under a frozen clock, jumping to the next due instant, until nothing is pending."""
    at = start
    for rounds in range(1, max_rounds + 1):
        with clock.freeze(at.replace(tzinfo=UTC)):
            outbox.send_due()
        pending = [r for r in _rows() if r.status == OutboxStatus.PENDING]
        if not pending:
            return rounds
        due = [r.next_attempt_at for r in pending if r.next_attempt_at is not None]
        at = max([at + timedelta(seconds=1), *([min(due)] if due else [])])
    raise AssertionError(f"still pending after {max_rounds} rounds")


def _count(server: FaultSMTPServer, expected_ids: set[str], permanent_ids: set[str] = frozenset()) -> dict:
    copies = server.copies()
    delivered = sum(1 for mid in expected_ids if copies[mid] > 0)
    duplicates = sum(c - 1 for c in copies.values() if c > 1)
    return {"expected": len(expected_ids), "delivered": delivered, "duplicates": duplicates,
            "lost": len(expected_ids) - delivered, "failed_permanent": len(permanent_ids),
            "stored_permanent": sum(1 for mid in permanent_ids if copies[mid] > 0),
            "stored_unknown": sum(1 for mid in copies if mid not in expected_ids and mid not in permanent_ids)}


def _status_by_mid(ids: dict[str, int]) -> dict[str, str]:
    by_id = {r.id: r.status for r in _rows()}
    return {mid: by_id[row_id] for mid, row_id in ids.items()}


# --- the mail server -----------------------------------------------------------------------------

@pytest.mark.parametrize("rep", range(fault_reps(1)))
def test_greylist_rcpt(sqlite_db, mail_env, fault_report, rep):
    """451 at RCPT TO on each address's first try (greylisting): every mail arrives once, after a retry."""
    server = mail_env(seed=rep).greylist(min_seconds=30)
    server.start()
    ids = _queue(N, f"g{rep}")
    rounds = _drain(START)
    figures = _count(server, set(ids))
    assert all(status == OutboxStatus.SENT for status in _status_by_mid(ids).values())
    assert figures["lost"] == 0 and figures["duplicates"] == 0
    assert server.injected["greylist"] >= N
    fault_report("greylist_rcpt", **figures, injected=server.injected["greylist"], rounds=rounds)


@pytest.mark.parametrize("stage,code", [("mail", 421), ("mail", 451), ("rcpt", 450), ("data", 452)])
@pytest.mark.parametrize("rep", range(fault_reps(1)))
def test_temp_4xx(sqlite_db, mail_env, fault_report, stage, code, rep):
    """4xx at MAIL FROM, RCPT TO or DATA (a third of all tries) is retried with back-off until accepted."""
    server = mail_env(seed=100 + rep).fail(stage, code, rate=0.35)
    server.start()
    ids = _queue(N, f"t{stage}{code}{rep}")
    rounds = _drain(START)
    figures = _count(server, set(ids))
    assert all(status == OutboxStatus.SENT for status in _status_by_mid(ids).values())
    assert figures["lost"] == 0 and figures["duplicates"] == 0
    fault_report(f"temp_4xx_{stage}", **figures, injected=sum(server.injected.values()), rounds=rounds)


@pytest.mark.parametrize("rep", range(fault_reps(1)))
def test_perm_5xx(sqlite_db, mail_env, fault_report, rep):
    """5xx at RCPT TO or DATA, and a missing address, end FAILED at the first try; the rest arrive once."""
    ids = _queue(N, f"p{rep}")
    rows = {r.id: r for r in _rows()}
    rng = random.Random(rep)
    refused = rng.sample(sorted(ids), 8)
    at_rcpt, at_data, no_address = refused[:4], refused[4:7], refused[7:]
    server = mail_env(seed=200 + rep)
    server.fail("rcpt", 550, addresses={rows[ids[m]].recipient for m in at_rcpt})
    server.fail("data", 554, addresses={rows[ids[m]].recipient for m in at_data})
    server.fail("rcpt", 451, rate=0.2)  # transient noise on top
    server.start()
    with db.session_scope() as session:
        session.get(Notification, ids[no_address[0]]).recipient = None
    _drain(START)
    permanent = set(refused)
    figures = _count(server, set(ids) - permanent, permanent)
    statuses = _status_by_mid(ids)
    assert {m for m, s in statuses.items() if s == OutboxStatus.FAILED} == permanent
    assert {m for m, s in statuses.items() if s == OutboxStatus.SENT} == set(ids) - permanent
    assert all(r.attempts == 1 for r in _rows() if r.status == OutboxStatus.FAILED)
    assert figures["lost"] == 0 and figures["duplicates"] == 0 and figures["stored_permanent"] == 0
    fault_report("perm_5xx", **figures)


@pytest.mark.parametrize("rep", range(fault_reps(1)))
def test_drop_before_store(sqlite_db, mail_env, fault_report, rep):
    """The connection is cut after the message was sent but before the server stored it: retried, once."""
    server = mail_env(seed=300 + rep).drop("before_store", rate=0.25)
    server.start()
    ids = _queue(N, f"b{rep}")
    _drain(START)
    figures = _count(server, set(ids))
    assert figures["lost"] == 0 and figures["duplicates"] == 0
    fault_report("drop_before_store", **figures, injected=server.injected["drop_before_store"])


@pytest.mark.parametrize("rep", range(fault_reps(1)))
def test_drop_after_store(sqlite_db, mail_env, fault_report, rep):
    """The server stored the message, then the connection was cut before its 250 (5 % of the tries).

    The sender cannot know the message arrived, so it sends it again with the same Message-ID: this
    duplicate is inherent to SMTP (at-least-once). Each injected drop makes exactly one extra copy.
    """
    server = mail_env(seed=400 + rep).drop("after_store", rate=0.05)
    server.start()
    ids = _queue(N * 2, f"a{rep}")
    _drain(START)
    figures = _count(server, set(ids))
    injected = server.injected["drop_after_store"]
    assert figures["lost"] == 0
    assert figures["duplicates"] == injected
    assert all(status == OutboxStatus.SENT for status in _status_by_mid(ids).values())
    fault_report("drop_after_store", **figures, injected=injected, injected_rate=0.05)


@pytest.mark.parametrize("rep", range(fault_reps(1)))
def test_slow_server(sqlite_db, mail_env, fault_report, rep):
    """Slow answers (within the SMTP time-out) at every stage change nothing."""
    server = mail_env(seed=500 + rep)
    for stage in ("mail", "rcpt", "data"):
        server.slow(stage, seconds=0.08, rate=0.15)
    server.start()
    ids = _queue(N, f"s{rep}")
    rounds = _drain(START)
    figures = _count(server, set(ids))
    assert rounds == 1 and figures["lost"] == 0 and figures["duplicates"] == 0
    fault_report("slow_server", **figures, injected=sum(server.injected.values()))


# --- two senders at once -------------------------------------------------------------------------

@pytest.mark.parametrize("rep", range(fault_reps(1)))
def test_two_senders(any_db, mail_env, fault_report, monkeypatch, rep):
    """A long run (one batch of all 60 rows, slow server, longer than the 1.5 s lease) while a second
    sender starts every 50 ms: every row goes out once. The long run renews its leases in its loop, so
    the second sender normally finds nothing; whatever it does take, the long run skips (its per-row
    confirmation fails), so there is no duplicate either way.

    The SMTP time-out would be lease / 12 = 0.125 s here; it is set to 1 s for this test so that a
    stalled, busy test machine does not produce SMTP time-outs (a time-out after the server stored a
    message is the inherent SMTP duplicate, not the subject here). 5 × 1 s still exceeds the lease, so
    the test relies on the machine not stalling for 1.5 s between a row's confirmation and its mark-sent.
    """
    monkeypatch.setenv("WORKSTATION_OUTBOX_LEASE_SECONDS", "1.5")
    monkeypatch.setattr(smtp_mailer, "smtp_timeout", lambda: 1.0)
    server = mail_env(seed=600 + rep).slow("data", seconds=0.02)
    server.start()
    ids = _queue(60, f"d{rep}")
    reports: dict[str, list] = {"long": [], "short": []}
    errors: list[BaseException] = []
    long_done = threading.Event()

    def long_run() -> None:
        try:
            reports["long"].append(outbox.send_due(limit=200))  # one batch: it holds every row
        except BaseException as exc:  # pragma: no cover - shown by the assertion below
            errors.append(exc)
        finally:
            long_done.set()

    def short_runs() -> None:
        try:
            while not long_done.is_set():
                reports["short"].append(outbox.send_due(limit=30))
                time.sleep(0.05)
        except BaseException as exc:  # pragma: no cover
            errors.append(exc)

    threads = [threading.Thread(target=long_run), threading.Thread(target=short_runs)]
    threads[0].start()
    time.sleep(0.2)
    threads[1].start()
    for thread in threads:
        thread.join(timeout=300)
    assert not errors, errors
    _drain(clock.now())  # anything given back or waiting for a retry
    figures = _count(server, set(ids))
    assert figures["lost"] == 0 and figures["duplicates"] == 0
    assert all(status == OutboxStatus.SENT for status in _status_by_mid(ids).values())
    sent_long = sum(r.sent for r in reports["long"])
    sent_short = sum(r.sent for r in reports["short"])
    fault_report("two_senders", **figures, sent_by_long_run=sent_long, sent_by_second=sent_short,
                 second_runs=len(reports["short"]))


# --- the database connection ---------------------------------------------------------------------

class _Killer:
    """Terminates the test database's other backends from its own connection, like an outage would."""

    SQL = text("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
               "WHERE datname = current_database() AND pid <> pg_backend_pid()")

    def __init__(self, url: str) -> None:
        self.engine = create_engine(url, isolation_level="AUTOCOMMIT")
        self.conn = self.engine.connect()
        self.admin_engine = create_engine(dbutil.PG_ADMIN_URL, isolation_level="AUTOCOMMIT")  # ALTER DATABASE
        self.lock = threading.Lock()  # held while killing; the test holds it to look at the rows
        self.name = url.rsplit("/", 1)[1]
        self.kills = 0
        self.outages = 0
        self.terminated = 0

    def kill(self) -> None:
        with self.lock:
            self.terminated += self.conn.execute(self.SQL).scalar_one()
            self.kills += 1

    def outage(self, seconds: float) -> None:
        """No connections at all for `seconds`: new ones are refused, the open ones terminated."""
        with self.lock, self.admin_engine.connect() as admin:
            admin.execute(text(f'ALTER DATABASE "{self.name}" ALLOW_CONNECTIONS false'))
            try:
                self.terminated += self.conn.execute(self.SQL).scalar_one()
                self.outages += 1
                time.sleep(seconds)
            finally:
                admin.execute(text(f'ALTER DATABASE "{self.name}" ALLOW_CONNECTIONS true'))

    def close(self) -> None:
        self.conn.close()
        self.engine.dispose()
        self.admin_engine.dispose()


@pytest.fixture
def killer(pg_db):
    k = _Killer(pg_db)
    yield k
    k.close()


def _leased(now: datetime) -> list[Notification]:
    return [r for r in _rows() if r.status == OutboxStatus.PENDING and r.claimed_until and r.claimed_until > now]


@pytest.mark.parametrize("rep", range(fault_reps(1)))
def test_db_connection_dropped(pg_db, killer, mail_env, fault_report, monkeypatch, caplog, rep):
    """While runs send, the database connections are terminated every 20–150 ms, and three times the
    database refuses all connections for 0.7–1 s (longer than the 0.67 s retries of claim, confirmation
    and release, shorter than the 2.7 s of the mark-sent). Nothing is lost, and the claims of a run that
    failed are free again at once (released in its `finally`) or when the 8 s lease ends.

    No duplicate unless a mark-sent gave up (an outage longer than its retries, the documented window;
    a busy machine can stretch an outage): each such give-up may cost one repeat, never more, and the
    figures report both. On a quiet machine both are 0.
    """
    lease = 8.0
    monkeypatch.setenv("WORKSTATION_OUTBOX_LEASE_SECONDS", str(lease))
    server = mail_env(seed=700 + rep).slow("data", seconds=0.005)
    server.start()
    ids = _queue(60, f"c{rep}")
    rng = random.Random(rep)
    stop = threading.Event()
    outages_at = {4 + 7 * k + rng.randrange(3) for k in range(3)}  # never back to back
    killer_errors: list[BaseException] = []

    def kill_loop() -> None:
        tick = 0
        try:
            while not stop.wait(rng.uniform(0.02, 0.15)):
                tick += 1
                if tick in outages_at:
                    killer.outage(rng.uniform(0.7, 1.0))
                else:
                    killer.kill()
        except BaseException as exc:  # pragma: no cover - fails the test below
            killer_errors.append(exc)

    thread = threading.Thread(target=kill_loop)
    thread.start()
    failed_runs = released_at_once = 0
    left_to_lease_max = 0.0
    deadline = time.monotonic() + 120
    try:
        with caplog.at_level(logging.WARNING, logger=outbox.log.name):
            while time.monotonic() < deadline:
                try:
                    outbox.send_due(limit=10)
                except Exception:  # the run failed: where are its claims?
                    failed_runs += 1
                    with killer.lock:
                        now = clock.now()
                        leased = _leased(now)
                    if not leased:
                        released_at_once += 1
                    for row in leased:  # not released: free when the lease taken at the claim ends
                        left = (row.claimed_until - now).total_seconds()
                        left_to_lease_max = max(left_to_lease_max, left)
                        assert left <= lease
                    continue
                with killer.lock:
                    if all(r.status == OutboxStatus.SENT for r in _rows()):
                        break
                time.sleep(0.05)
    finally:
        stop.set()
        thread.join()
    figures = _count(server, set(ids))
    messages = [r.getMessage() for r in caplog.records]
    retries = sum(1 for m in messages if "Datenbankverbindung verloren" in m)
    mark_sent_given_up = sum(1 for m in messages if "aufgegeben" in m and "Versandvermerk" in m)
    assert figures["lost"] == 0
    assert figures["duplicates"] <= mark_sent_given_up
    assert all(status == OutboxStatus.SENT for status in _status_by_mid(ids).values())
    assert not killer_errors, killer_errors
    assert killer.terminated > 0
    fault_report("db_connection_dropped", **figures, kills=killer.kills, outages=killer.outages,
                 backends_terminated=killer.terminated, failed_runs=failed_runs,
                 failed_runs_released_at_once=released_at_once, db_write_retries=retries,
                 mark_sent_given_up=mark_sent_given_up,
                 left_to_lease_s_max=round(left_to_lease_max, 2))


@pytest.mark.parametrize("rep", range(fault_reps(1)))
def test_db_dropped_after_store(pg_db, killer, mail_env, fault_report, monkeypatch, caplog, rep):
    """Right after the server stored a message (every third one), the database connections are
    terminated again and again for 150 ms, while the sender marks the row sent: the retried mark-sent
    keeps the mail from going out twice."""
    monkeypatch.setenv("WORKSTATION_OUTBOX_LEASE_SECONDS", "6")
    server = mail_env(seed=800 + rep)
    rng = random.Random(rep)
    bursts = Counter()

    def burst() -> None:
        end = time.monotonic() + 0.15
        while time.monotonic() < end:
            killer.kill()
            time.sleep(0.003)

    def on_store(message_id: str) -> None:
        if rng.random() < 0.34:
            bursts["bursts"] += 1
            killer.kill()
            threading.Thread(target=burst).start()

    server.on_store = on_store
    server.start()
    ids = _queue(N, f"s{rep}")
    failed_runs = 0
    deadline = time.monotonic() + 120
    with caplog.at_level(logging.WARNING, logger=outbox.log.name):
        while time.monotonic() < deadline:
            try:
                outbox.send_due()
            except Exception:
                failed_runs += 1
            time.sleep(0.2)  # lets a burst end
            with killer.lock:
                if all(r.status == OutboxStatus.SENT for r in _rows()):
                    break
    figures = _count(server, set(ids))
    retries = [r.getMessage() for r in caplog.records if "Datenbankverbindung verloren" in r.getMessage()]
    assert figures["lost"] == 0 and figures["duplicates"] == 0
    fault_report("db_dropped_after_store", **figures, bursts=bursts["bursts"], failed_runs=failed_runs,
                 mark_sent_retries=sum(1 for m in retries if "Versandvermerk" in m), db_write_retries=len(retries))
