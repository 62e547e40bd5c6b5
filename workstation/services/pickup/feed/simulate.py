"""A stand-in for the Bundesdruckerei: writes Versandavis files for the demo office and the tests.

It reads what the database expects (applications applied or shipped) and produces the next step for
each, the way the real feed would: ordered documents whose production time is over are dispatched
(VERSANDT, a few STORNIERT or DIREKTVERSAND), dispatched ones are delivered (ZUGESTELLT). With
`include_bad` it also writes the spec's bad cases. Files are written as `*.part` and renamed when
complete, like the real transport.
"""

import random
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from xml.sax.saxutils import escape

from sqlmodel import select

from workstation import clock, db
from workstation.config import settings
from workstation.models import DocumentApplication
from workstation.models.enums import ApplicationStatus
from workstation.services.common import serials
from workstation.services.pickup.feed.parse import NAMESPACE

# Share of dispatched documents the simulated Bundesdruckerei cancels or posts directly.
CANCEL_SHARE = 0.02
DIRECT_MAIL_SHARE = 0.03
# Days of production before a document can be dispatched (express passports are made in two days).
PRODUCTION_DAYS = {"RPX": 2}
PRODUCTION_DAYS_DEFAULT = 14


@dataclass
class Notice:
    """One `Dokument` element to write; `check_digit` defaults to the correct one."""

    doc_type: str
    serial: str
    application_number: str
    status: str
    at: datetime
    check_digit: str | None = None


def _iso(instant_utc: datetime) -> str:
    return clock.to_local(instant_utc).isoformat(timespec="seconds")


def message_xml(message_id: str, office_code: str, created: datetime, shipment: str, notices: Sequence[Notice],
                namespace: str = NAMESPACE) -> bytes:
    """The bytes of one Versandavis file (instants given as naive UTC)."""
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>\n',
        f'<Versandavis xmlns="{escape(namespace)}" version="1.0">\n',
        f"  <Kopf>\n    <NachrichtID>{escape(message_id)}</NachrichtID>\n",
        f"    <Behoerdenkennzahl>{escape(office_code)}</Behoerdenkennzahl>\n",
        f"    <Erstellt>{_iso(created)}</Erstellt>\n    <Sendung>{escape(shipment)}</Sendung>\n  </Kopf>\n",
    ]
    for n in notices:
        digit = n.check_digit if n.check_digit is not None else str(serials.check_digit(n.serial))
        parts.append(
            f"  <Dokument>\n    <Dokumentart>{escape(n.doc_type)}</Dokumentart>\n"
            f"    <Seriennummer>{escape(n.serial)}</Seriennummer>\n    <Pruefziffer>{escape(digit)}</Pruefziffer>\n"
            f"    <Antragsnummer>{escape(n.application_number)}</Antragsnummer>\n"
            f"    <Status>{escape(n.status)}</Status>\n    <Zeitpunkt>{_iso(n.at)}</Zeitpunkt>\n  </Dokument>\n"
        )
    parts.append("</Versandavis>\n")
    return "".join(parts).encode("utf-8")


def file_name(office_code: str, created: datetime, n: int) -> str:
    """`versandavis_<office code>_<YYYYMMDDhhmmss>_<n>.xml` (local time)."""
    return f"versandavis_{office_code}_{clock.to_local(created):%Y%m%d%H%M%S}_{n}.xml"


def drop(inbox: Path, name: str, data: bytes) -> Path:
    """Write a file the way the transport does: as `*.part`, renamed when complete."""
    inbox.mkdir(parents=True, exist_ok=True)
    part = inbox / f"{name}.part"
    part.write_bytes(data)
    final = inbox / name
    part.rename(final)
    return final


def new_serial(office_code: str, rng: random.Random, taken: set[str]) -> str:
    """A serial number of the office not used before."""
    while True:
        serial = office_code + "".join(rng.choice(serials.SERIAL_ALPHABET) for _ in range(5))
        if serial not in taken:
            taken.add(serial)
            return serial


def shipment_id(created: datetime, n: int) -> str:
    """Parcel id in the form of the spec's example."""
    return f"S-{clock.to_local(created):%Y-%m-%d}-{n:04d}"


def _next_step(app: DocumentApplication, rng: random.Random, taken: set[str], code: str, at: datetime) -> Notice:
    serial = app.serial_number or new_serial(code, rng, taken)
    if app.status == ApplicationStatus.SHIPPED:
        status = "ZUGESTELLT"
    else:
        roll = rng.random()
        status = "STORNIERT" if roll < CANCEL_SHARE else "DIREKTVERSAND" if roll < CANCEL_SHARE + DIRECT_MAIL_SHARE \
            else "VERSANDT"
    return Notice(app.doc_type, serial, app.application_number, status, at)


def _due(app: DocumentApplication, now: datetime) -> bool:
    """Shipped documents are delivered next; ordered ones only once their production time is over."""
    if app.status == ApplicationStatus.SHIPPED:
        return True
    return app.applied_at <= now - timedelta(days=PRODUCTION_DAYS.get(app.doc_type, PRODUCTION_DAYS_DEFAULT))


def bad_files(code: str, now: datetime, sample: Notice | None, rng: random.Random) -> list[tuple[str, bytes]]:
    """The spec's bad cases, one file each (name suffix says which)."""
    serial = sample.serial if sample else new_serial(code, rng, set())
    good = sample or Notice("PA", serial, "A-0000-000000", "VERSANDT", now)
    ns = f'xmlns="{NAMESPACE}"'
    head = f"<Kopf><NachrichtID>{uuid.uuid4()}</NachrichtID><Behoerdenkennzahl>{code}</Behoerdenkennzahl>" \
           f"<Erstellt>{_iso(now)}</Erstellt><Sendung>S-BAD</Sendung></Kopf>"
    def msg(notices: list[Notice], office: str = code, namespace: str = NAMESPACE) -> bytes:
        return message_xml(str(uuid.uuid4()), office, now, shipment_id(now, 9999), notices, namespace)

    other_office = "X9Z9" if code != "X9Z9" else "Y8Y8"
    wrong_digit = str((serials.check_digit(good.serial) + 1) % 10)
    return [
        ("not_xml", b"Dies ist keine XML-Datei, sondern ein abgebrochener Download.\n"),
        ("wrong_namespace", msg([good], namespace="urn:example:other")),
        ("missing_kopf", f'<?xml version="1.0"?><Versandavis {ns} version="1.0"></Versandavis>'.encode()),
        ("other_office", msg([good], office=other_office)),
        ("billion_laughs", (
            '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
            '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
            '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
            f"<Versandavis {ns}>{head}<Dokument><Dokumentart>&lol3;</Dokumentart></Dokument></Versandavis>"
        ).encode()),
        ("external_entity", (
            '<?xml version="1.0"?><!DOCTYPE v [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
            f"<Versandavis {ns}>{head}<Dokument><Dokumentart>&xxe;</Dokumentart></Dokument></Versandavis>"
        ).encode()),
        ("bad_entries", msg([
            Notice(good.doc_type, good.serial, good.application_number, good.status, good.at, wrong_digit),
            Notice("XX", good.serial, good.application_number, good.status, good.at),
            Notice(good.doc_type, good.serial, good.application_number, "VERLOREN", good.at),
            Notice(good.doc_type, code + "AEIOU", good.application_number, good.status, good.at),
            Notice(good.doc_type, new_serial(code, rng, {good.serial}), "A-0000-999999", "VERSANDT", good.at),
        ])),
        ("stale", msg([Notice(good.doc_type, good.serial, good.application_number, "VERSANDT",
                              good.at - timedelta(days=1))])),
    ]


def simulate(inbox: Path | None = None, now: datetime | None = None, *, include_bad: bool = False,
             per_file: int = 200, seed: int | None = None) -> list[Path]:
    """Write the next feed step for every applied/shipped application; returns the files written."""
    conf = settings()
    folder = inbox or conf.inbox_dir
    instant = now or clock.now()
    rng = random.Random(conf.demo_seed if seed is None else seed)
    with db.session_scope() as session:
        apps = session.exec(
            select(DocumentApplication)
            .where(DocumentApplication.status.in_([ApplicationStatus.APPLIED, ApplicationStatus.SHIPPED]))
            .order_by(DocumentApplication.id)
        ).all()
        taken = set(session.exec(select(DocumentApplication.serial_number).where(
            DocumentApplication.serial_number.is_not(None))).all())
    code = conf.office_code
    at = instant - timedelta(minutes=5)
    notices = [_next_step(app, rng, taken, code, at) for app in apps if _due(app, instant)]
    written: list[Path] = []
    for n, start in enumerate(range(0, len(notices), per_file), start=1):
        created = instant + timedelta(seconds=n)
        data = message_xml(str(uuid.uuid4()), code, created, shipment_id(created, n), notices[start : start + per_file])
        written.append(drop(folder, file_name(code, created, n), data))
    if include_bad:
        sample = notices[0] if notices else None
        bad_at = instant + timedelta(seconds=len(written) + 1)  # after the good files, in name order
        bad = bad_files(code, bad_at, sample, rng)
        if written:
            bad.append(("redelivered", (written[0]).read_bytes()))
        for kind, data in bad:
            written.append(drop(folder, f"versandavis_{code}_{clock.to_local(bad_at):%Y%m%d%H%M%S}_{kind}.xml", data))
    return written

