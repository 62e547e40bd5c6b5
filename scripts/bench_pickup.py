"""Benchmark of the Versandavis ingest: 100,000 notices in 50 files, then the same files again.

Usage: python scripts/bench_pickup.py [--notices 100000] [--files 50] [--db-url URL]
Builds a fresh database (SQLite in a temp folder unless --db-url is given) with one application per
notice — half shipped (→ ZUGESTELLT, each queues a notice), half applied (→ VERSANDT) — writes the
files, times one pass over the inbox, moves the processed files back and times the re-run (every
file already known). Prints one JSON object as its last line; `ingest_cpu_s` (CPU time of this
process) and `load_avg_1m` help to read wall-clock figures taken on a busy machine.
"""

import argparse
import json
import os
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notices", type=int, default=100_000)
    parser.add_argument("--files", type=int, default=50)
    parser.add_argument("--db-url", help="database to fill (must be empty); default: SQLite in a temp folder")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench_pickup_"))
    os.environ["WORKSTATION_DATA_DIR"] = str(work)
    os.environ["REFLEX_DB_URL"] = args.db_url or f"sqlite:///{work / 'bench.db'}"
    inbox_dir = work / "inbox"
    os.environ["WORKSTATION_BDR_INBOX"] = str(inbox_dir)

    from sqlalchemy import insert

    from workstation import clock, db
    from workstation.models import Citizen, DocumentApplication, Office
    from workstation.models.enums import ApplicationStatus
    from workstation.services.common import serials
    from workstation.services.pickup.feed import inbox, simulate

    db.create_schema()
    applied_at = clock.to_utc(datetime(2026, 10, 1, 9, 0))
    at = clock.to_utc(datetime(2026, 11, 20, 15, 40))
    with db.session_scope() as session:
        office = Office(code="L6F3", name="Bürgerbüro Offenbach", city="Offenbach am Main",
                        opening_hours="Mo–Fr 8–12 Uhr, Do 14–18 Uhr")
        session.add(office)
        session.flush()
        office_id = office.id
        conn = session.connection()
        conn.execute(insert(Citizen.__table__), [
            {"id": i + 1, "first_name": "Erika", "last_name": f"Muster{i}", "created_at": applied_at}
            for i in range(args.notices)
        ])
        rows, notices = [], []
        for i in range(args.notices):
            serial = "L6F3" + "".join(serials.SERIAL_ALPHABET[(i // 27**k) % 27] for k in range(5))
            number = f"A-2026-{i:07d}"
            shipped = i % 2 == 0
            rows.append({
                "office_id": office_id, "citizen_id": i + 1, "application_number": number, "doc_type": "PA",
                "serial_number": serial if shipped else None,
                "status": ApplicationStatus.SHIPPED if shipped else ApplicationStatus.APPLIED,
                "applied_at": applied_at, "notify_channel": "email" if i % 3 else "sms",
                "notify_email": f"erika{i}@example.org", "notify_phone": "+49 170 1234567",
                "old_document_invalidated": False, "pin_letter_handed": False,
            })
            notices.append(simulate.Notice("PA", serial, number, "ZUGESTELLT" if shipped else "VERSANDT", at))
        conn.execute(insert(DocumentApplication.__table__), rows)
    per_file = -(-args.notices // args.files)
    for n in range(args.files):
        chunk = notices[n * per_file : (n + 1) * per_file]
        data = simulate.message_xml(f"bench-{n:04d}", "L6F3", at, simulate.shipment_id(at, n), chunk)
        simulate.drop(inbox_dir, simulate.file_name("L6F3", at, n), data)

    started, cpu_started = time.perf_counter(), time.process_time()
    first = inbox.process_inbox(inbox_dir, now=at)
    ingest_s, ingest_cpu_s = time.perf_counter() - started, time.process_time() - cpu_started
    for path in (inbox_dir / inbox.PROCESSED).iterdir():
        path.rename(inbox_dir / path.name)
    started = time.perf_counter()
    again = inbox.process_inbox(inbox_dir, now=at)
    rerun_s = time.perf_counter() - started

    print(f"first pass: {first.applied_files} files, {first.applied} applied, {first.notices} notices queued, "
          f"{first.rejected} rejected; re-run: {again.duplicate_files} files already known, {again.applied} applied",
          file=sys.stderr)
    if first.applied != args.notices or again.applied != 0:
        raise SystemExit("benchmark result is wrong: not every notice applied exactly once")
    print(json.dumps({
        "notices": args.notices,
        "files": args.files,
        "ingest_s": round(ingest_s, 2),
        "rerun_s": round(rerun_s, 2),
        "ingest_cpu_s": round(ingest_cpu_s, 2),
        "load_avg_1m": round(os.getloadavg()[0], 1),
        "notices_queued": first.notices,
        "db": db.engine().dialect.name,
    }))


if __name__ == "__main__":
    main()
