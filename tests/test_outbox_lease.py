"""The outbox's claims are leases; SMTP answers are sorted into transient (4xx) and permanent (5xx).

Deterministic: the clock is frozen, the mail server is the fault server of tests/faults.
"""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.exc import OperationalError
from sqlmodel import select

from tests.faults.smtp_fault_server import FaultSMTPServer
from workstation import clock, db
from workstation.models import Notification
from workstation.models.enums import NotifyChannel, OutboxStatus
from workstation.services.messaging import outbox, outbox_leases

T0 = datetime(2026, 11, 23, 9, 0)  # naive UTC


def at(seconds: float):
    return clock.freeze((T0 + timedelta(seconds=seconds)).replace(tzinfo=UTC))


@pytest.fixture
def server(monkeypatch):
    srv = FaultSMTPServer(seed=1)
    monkeypatch.setenv("WORKSTATION_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("WORKSTATION_SMTP_PORT", str(srv.port))
    monkeypatch.setenv("WORKSTATION_OUTBOX_RETRY_BASE", "60")
    monkeypatch.setenv("WORKSTATION_OUTBOX_LEASE_SECONDS", "120")
    yield srv
    srv.stop()


def _queue(n: int) -> list[int]:
    with db.session_scope() as session:
        rows = [Notification(dedupe_key=f"test:{i}", kind="test", channel=NotifyChannel.EMAIL,
                             recipient=f"b{i}@example.org", subject="Test", body="Hallo", created_at=T0)
                for i in range(n)]
        session.add_all(rows)
        session.flush()
        return [r.id for r in rows]


def _rows() -> dict[int, Notification]:
    with db.session_scope() as session:
        return {r.id: r for r in session.exec(select(Notification)).all()}


@pytest.mark.parametrize("stage,code", [("rcpt", 451), ("rcpt", 450), ("mail", 451), ("mail", 421), ("data", 452)])
def test_4xx_is_retried_with_back_off(sqlite_db, server, stage, code):
    server.fail(stage, code, limit=1)
    server.start()
    (row_id,) = _queue(1)
    with at(0):
        report = outbox.send_due()
    assert (report.sent, report.retrying, report.failed) == (0, 1, 0)
    row = _rows()[row_id]
    assert row.status == OutboxStatus.PENDING and row.attempts == 1 and row.claimed_until is None
    assert row.next_attempt_at == T0 + timedelta(seconds=60)
    assert str(code) in row.last_error
    with at(60):
        assert outbox.send_due().sent == 1
    assert list(server.copies().values()) == [1]


@pytest.mark.parametrize("stage,code", [("rcpt", 550), ("data", 554), ("mail", 553)])
def test_5xx_fails_at_once(sqlite_db, server, stage, code):
    server.fail(stage, code)
    server.start()
    (row_id,) = _queue(1)
    with at(0):
        assert outbox.send_due().failed == 1
    row = _rows()[row_id]
    assert row.status == OutboxStatus.FAILED and str(code) in row.last_error and row.claimed_until is None


def test_a_held_lease_keeps_other_runs_off_until_it_ends(any_db, server):
    server.start()
    ids = _queue(3)
    run = outbox_leases.SendRun(None)
    with at(0):
        held = run.claim(10)
    assert [r.id for r in held] == ids
    with at(119):
        assert outbox_leases.SendRun(None).claim(10) == []  # leased
    with at(121):
        other = outbox_leases.SendRun(None)
        taken = other.claim(10)  # the first run stalled past its lease
        assert [r.id for r in taken] == ids
        assert run.confirm(held[0]) is False  # so it skips the row instead of sending it twice
        assert other.confirm(taken[0]) is True
    row = _rows()[ids[0]]
    assert row.claim_token == other.token and row.attempts == 1
    assert row.claimed_until == T0 + timedelta(seconds=121 + 120)


def test_the_lease_runs_from_the_claim_not_from_the_run_start(sqlite_db, server):
    server.start()
    ids = _queue(2)
    run = outbox_leases.SendRun(None)
    with at(0):
        run.claim(10)
    with at(100):
        run.renewed_at = 0.0  # a third of the lease has passed: the loop renews
        run.heartbeat()
    assert {r.claimed_until for r in _rows().values()} == {T0 + timedelta(seconds=220)}
    with at(150):
        assert outbox_leases.SendRun(None).claim(10) == []
    assert len(ids) == 2


def test_a_failed_run_gives_its_claims_back_at_once(any_db, server, monkeypatch):
    server.start()
    ids = _queue(4)
    real_confirm = outbox_leases.SendRun.confirm
    calls = []

    def confirm_then_lose_the_database(self, row):
        calls.append(row.id)
        if len(calls) == 3:
            raise OperationalError("UPDATE notification", {}, Exception("server closed the connection"))
        return real_confirm(self, row)

    monkeypatch.setattr(outbox_leases.SendRun, "confirm", confirm_then_lose_the_database)
    with at(0), pytest.raises(OperationalError):
        outbox.send_due()
    rows = _rows()
    assert [rows[i].status for i in ids] == [OutboxStatus.SENT] * 2 + [OutboxStatus.PENDING] * 2
    assert all(rows[i].claimed_until is None for i in ids[2:])  # due again at once, not after the lease
    monkeypatch.setattr(outbox_leases.SendRun, "confirm", real_confirm)
    with at(1):
        assert outbox.send_due().sent == 2
    assert sorted(server.copies().values()) == [1, 1, 1, 1]


def test_mark_sent_is_retried_after_a_dropped_connection(sqlite_db, server, monkeypatch):
    server.start()
    (row_id,) = _queue(1)
    real = outbox_leases.SendRun._mark_sent
    failures = [OperationalError("UPDATE notification", {}, Exception("connection reset")) for _ in range(2)]

    def flaky(self, row):
        if failures:
            raise failures.pop()
        return real(self, row)

    monkeypatch.setattr(outbox_leases.SendRun, "_mark_sent", flaky)
    with at(0):
        assert outbox.send_due().sent == 1
    assert _rows()[row_id].status == OutboxStatus.SENT
    with at(600):
        assert outbox.send_due().sent == 0
    assert list(server.copies().values()) == [1]


def test_outcomes_are_written_only_by_the_lease_holder(sqlite_db, server):
    server.start()
    (row_id,) = _queue(1)
    first = outbox_leases.SendRun(None)
    with at(0):
        (row,) = first.claim(1)
        assert first.confirm(row)
    with at(200):  # lease over, another run takes and sends it
        assert outbox.send_due().sent == 1
        first.finish(row, error="zu spät", permanent=True)  # changes nothing
    stored = _rows()[row_id]
    assert stored.status == OutboxStatus.SENT and stored.last_error == ""
