"""The Versandavis feed as the spec describes it: applied once, forward only, bad input set aside."""

import os
import random
import signal
import subprocess
import sys
import time
import uuid
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import func, select

from tests import pickup_data
from workstation import clock, db
from workstation.models import BackofficeTask, DocumentApplication, FeedMessage, FeedRejection, Notification
from workstation.models.enums import ApplicationStatus
from workstation.services.common import serials
from workstation.services.pickup.feed import apply, inbox, simulate
from workstation.services.pickup.feed.simulate import Notice, message_xml

NOW = datetime(2026, 11, 20, 16, 0)  # Berlin wall time
AT = clock.to_utc(datetime(2026, 11, 20, 15, 40))
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def office(any_db):
    return pickup_data.office()


@pytest.fixture
def folder(tmp_path):
    """The inbox (the test database lives beside it in tmp_path)."""
    path = tmp_path / "inbox"
    path.mkdir()
    return path


def _serial(n: int) -> str:
    return "L6F3" + "".join(serials.SERIAL_ALPHABET[(n // 27**i) % 27] for i in range(5))


def _shipped(office_id: int, count: int, start: int = 0) -> list[tuple[str, str]]:
    """`count` shipped ID-card applications with serials; returns (application number, serial) pairs."""
    pairs = [(f"A-2026-{i:06d}", _serial(i)) for i in range(start, start + count)]
    pickup_data.many_applications(office_id, pairs, status=ApplicationStatus.SHIPPED)
    return pairs


def _write(folder: Path, notices: list[Notice], name: str | None = None, message_id: str | None = None,
           bom: bool = False) -> Path:
    data = message_xml(message_id or str(uuid.uuid4()), "L6F3", AT, "S-2026-11-20-0042", notices)
    return simulate.drop(folder, name or f"versandavis_L6F3_{uuid.uuid4().hex[:8]}.xml",
                         (b"\xef\xbb\xbf" if bom else b"") + data)


def _count(model, *where) -> int:
    with db.session_scope() as session:
        return session.exec(select(func.count()).select_from(model).where(*where)).one()


def _app(number: str) -> DocumentApplication:
    with db.session_scope() as session:
        return session.exec(select(DocumentApplication).where(DocumentApplication.application_number == number)).one()


def _run(folder: Path) -> inbox.InboxReport:
    with clock.freeze(NOW):
        return inbox.process_inbox(folder)


def test_delivered_documents_arrive_and_the_file_is_moved_once(office, folder):
    pairs = _shipped(office, 3)
    path = _write(folder, [Notice("PA", s, n, "ZUGESTELLT", AT) for n, s in pairs], bom=True)
    report = _run(folder)
    assert (report.applied_files, report.applied, report.notices) == (1, 3, 3)
    assert not path.exists() and (folder / "processed" / path.name).exists()
    assert _app(pairs[0][0]).status == ApplicationStatus.ARRIVED
    assert _app(pairs[0][0]).arrived_at == AT

    # The same message dropped again (another name, same NachrichtID) changes nothing.
    again = simulate.drop(folder, "again.xml", (folder / "processed" / path.name).read_bytes())
    report = _run(folder)
    assert (report.duplicate_files, report.applied, report.notices) == (1, 0, 0)
    assert (folder / "processed" / again.name).exists()
    assert _count(Notification) == 3
    assert _count(FeedMessage) == 1


def test_part_files_are_left_alone(office, folder):
    (folder / "versandavis_L6F3_1.xml.part").write_bytes(b"<Versandavis")
    assert _run(folder).files == 0
    assert (folder / "versandavis_L6F3_1.xml.part").exists()


def test_status_only_moves_forward_and_older_notices_are_recorded(office, folder):
    number = "A-2026-000100"
    pickup_data.application(office, number)
    serial = _serial(100)
    _write(folder, [Notice("PA", serial, number, "ZUGESTELLT", AT)], name="b.xml")
    _write(folder, [Notice("PA", serial, number, "VERSANDT", AT - timedelta(days=2))], name="c.xml")
    report = _run(folder)
    app = _app(number)
    assert app.status == ApplicationStatus.ARRIVED and app.serial_number == serial
    assert report.ignored == 1
    with db.session_scope() as session:
        recorded = session.exec(select(FeedRejection)).one()
    assert not recorded.needs_action and "Älterer Stand" in recorded.reason


def test_bad_entries_are_rejected_for_the_desk_and_the_rest_applied(office, folder):
    (good_number, good_serial), (other_number, other_serial) = _shipped(office, 2)
    wrong_digit = str((serials.check_digit(other_serial) + 1) % 10)
    _write(folder, [
        Notice("PA", good_serial, good_number, "ZUGESTELLT", AT),
        Notice("PA", other_serial, other_number, "ZUGESTELLT", AT, check_digit=wrong_digit),
        Notice("XX", other_serial, other_number, "ZUGESTELLT", AT),
        Notice("PA", other_serial, other_number, "VERLOREN", AT),
        Notice("PA", "L6F3AEIOU", other_number, "ZUGESTELLT", AT),
        Notice("PA", _serial(999), "A-1999-999999", "ZUGESTELLT", AT),
    ])
    report = _run(folder)
    assert (report.applied, report.rejected) == (1, 5)
    assert _app(good_number).status == ApplicationStatus.ARRIVED
    assert _app(other_number).status == ApplicationStatus.SHIPPED
    with db.session_scope() as session:
        reasons = [r.reason for r in session.exec(select(FeedRejection).order_by(FeedRejection.entry_index))]
    assert "Prüfziffer" in reasons[0]
    assert "Dokumentart" in reasons[1]
    assert "Status" in reasons[2]
    assert "Alphabet" in reasons[3]
    assert "A-1999-999999" in reasons[4]


@pytest.mark.parametrize(
    ("kind", "reason"),
    [
        ("not_xml", "kein gültiges XML"),
        ("wrong_namespace", "Namensraum"),
        ("missing_kopf", "Kopf"),
        ("other_office", "Behördenkennzahl"),
        ("billion_laughs", "DTD"),
        ("external_entity", "DTD"),
    ],
)
def testbad_files_go_to_quarantine_with_the_reason(office, folder, kind, reason):
    number, serial = _shipped(office, 1)[0]
    sample = Notice("PA", serial, number, "ZUGESTELLT", AT)
    data = dict(simulate.bad_files("L6F3", AT, sample, random.Random(1)))[kind]
    path = simulate.drop(folder, f"{kind}.xml", data)
    report = _run(folder)
    assert report.quarantined_files == 1
    moved = folder / "quarantine" / path.name
    assert moved.read_bytes() == data  # nothing deleted or changed
    assert reason in (folder / "quarantine" / f"{path.name}.error.txt").read_text(encoding="utf-8")
    assert _app(number).status == ApplicationStatus.SHIPPED
    assert _count(FeedRejection, FeedRejection.needs_action) == 1


def test_oversized_files_are_quarantined_before_parsing(office, folder, monkeypatch):
    monkeypatch.setenv("WORKSTATION_BDR_MAX_FILE_BYTES", "1000")
    pairs = _shipped(office, 5)
    path = _write(folder, [Notice("PA", s, n, "ZUGESTELLT", AT) for n, s in pairs])
    assert _run(folder).quarantined_files == 1
    assert "größer" in (folder / "quarantine" / f"{path.name}.error.txt").read_text(encoding="utf-8")


def test_cancelled_production_raises_one_backoffice_task(office, folder):
    number, serial = _shipped(office, 1)[0]
    _write(folder, [Notice("PA", serial, number, "STORNIERT", AT)])
    _run(folder)
    with db.session_scope() as session:
        task = session.exec(select(BackofficeTask)).one()
    assert (task.type, task.source, task.reference) == ("bdr_correspondence", "pickup_job", number)
    assert _app(number).status == ApplicationStatus.CANCELLED


def test_a_crash_in_the_middle_of_a_file_leaves_nothing_half_applied(office, folder, monkeypatch):
    pairs = _shipped(office, 4)
    path = _write(folder, [Notice("PA", s, n, "ZUGESTELLT", AT) for n, s in pairs])

    def killed(*_args, **_kwargs):
        raise RuntimeError("process killed")

    # The updates of the file have been executed when the outbox insert dies.
    with monkeypatch.context() as patch, pytest.raises(RuntimeError):
        patch.setattr(apply, "insert_ignoring_duplicates", killed)
        _run(folder)
    assert path.exists()
    assert _count(FeedMessage) == 0 and _count(Notification) == 0
    assert _count(DocumentApplication, DocumentApplication.status == ApplicationStatus.ARRIVED) == 0

    report = _run(folder)
    assert (report.applied, report.notices) == (4, 4)
    assert _count(DocumentApplication, DocumentApplication.status == ApplicationStatus.ARRIVED) == 4


def test_a_crash_after_the_commit_only_moves_the_file_next_time(office, folder, monkeypatch):
    pairs = _shipped(office, 2)
    path = _write(folder, [Notice("PA", s, n, "ZUGESTELLT", AT) for n, s in pairs])

    def killed(*_args, **_kwargs):
        raise RuntimeError("process killed before the move")

    with monkeypatch.context() as patch, pytest.raises(RuntimeError):
        patch.setattr(inbox, "_move", killed)
        _run(folder)
    assert path.exists()
    report = _run(folder)
    assert report.duplicate_files == 1 and report.notices == 0
    assert (folder / "processed" / path.name).exists()
    assert _count(Notification) == 2


def test_a_killed_ingest_process_and_a_rerun_leave_consistent_data(office, folder):
    pairs = _shipped(office, 1200)
    for start in range(0, len(pairs), 100):
        _write(folder, [Notice("PA", s, n, "ZUGESTELLT", AT) for n, s in pairs[start : start + 100]],
               name=f"versandavis_L6F3_{start:05d}.xml")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen([sys.executable, "-m", "workstation.commands.ingest_bdr", "--inbox", str(folder)],
                             env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not any((folder / "processed").glob("*.xml")):
        time.sleep(0.02)
    child.send_signal(signal.SIGKILL)
    child.wait()
    done_before = len(list((folder / "processed").glob("*.xml")))
    assert done_before < 12, "the ingest finished before it could be killed"

    _run(folder)
    assert len(list((folder / "processed").glob("*.xml"))) == 12
    assert _count(FeedMessage) == 12
    assert _count(DocumentApplication, DocumentApplication.status == ApplicationStatus.ARRIVED) == 1200
    assert _count(Notification) == 1200


def test_simulator_produces_the_next_step_for_the_demo_data(office, folder):
    pickup_data.application(office, "A-2026-000001")
    number, _serial_number = _shipped(office, 1, start=2)[0]
    with clock.freeze(NOW):
        files = simulate.simulate(folder, include_bad=True, seed=7)
    assert not list(folder.glob("*.part"))
    report = _run(folder)
    assert report.applied == 2 and report.quarantined_files == 6 and report.rejected == 5
    assert report.duplicate_files == 1  # the re-delivered copy
    assert _app(number).status == ApplicationStatus.ARRIVED
    assert len(files) == 1 + 9
