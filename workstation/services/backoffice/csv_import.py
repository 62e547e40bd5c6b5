"""CSV import of requests from police and other authorities (format: docs/backoffice-import.md).

Every line is checked before anything is written. The rule for bad lines:
- By default nothing is imported while the file has a rejected line: the report lists each one with
  its line number and reason, and staff fix the file or ask the authority.
- Staff may, after reading the report, confirm "nur gültige Zeilen importieren" (`accept_partial`):
  a stolen-vehicle search should not wait for a typo in another line. The good lines then go in
  together in one transaction — all of them or none.
Each request is keyed by requesting authority and its file number (Aktenzeichen). A line whose key
was imported before is reported as already there and skipped, so importing the same file twice, or
the corrected file after a partial import, creates no duplicates. The key is unique in the
database, so even two imports racing each other cannot both insert it.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy.exc import IntegrityError

from workstation import clock, db
from workstation.config import settings
from workstation.models import TaskPriority, TaskType
from workstation.services.backoffice.task_model import TaskError, backoffice_staff
from workstation.services.backoffice.tasks import create_task, source_key_exists
from workstation.services.common import serials

SOURCE = "csv_import"
COLUMNS = ("behoerde", "aktenzeichen", "art", "bezug", "frist", "prioritaet", "beschreibung")
REQUIRED = ("behoerde", "aktenzeichen", "art", "bezug", "frist")
MAX_BYTES = 2 * 1024 * 1024
FIELD_MAX = 200
DESCRIPTION_MAX = 2000

KINDS = {
    "dokumentenpruefung": "Dokumentenprüfung",
    "fahndung": "Fahndung Kfz",
    "amtshilfe": "Amtshilfe",
}
PRIORITIES = {
    "": TaskPriority.NORMAL,
    "niedrig": TaskPriority.LOW,
    "normal": TaskPriority.NORMAL,
    "hoch": TaskPriority.HIGH,
    "dringend": TaskPriority.URGENT,
}

# German plates: district (1-3 letters), 1-2 letters, 1-4 digits, optional E (electric) or H (historic).
_PLATE = re.compile(r"^[A-ZÄÖÜ]{1,3}[- ][A-Z]{1,2}[- ]?[1-9][0-9]{0,3}[EH]?$")
_VIN = re.compile(r"^[A-HJ-NPR-Z0-9]{17}$")


@dataclass(frozen=True)
class RequestLine:
    """A valid line of the file, ready to become a task."""

    line: int
    authority: str
    file_number: str
    kind: str
    reference: str
    due_date: date
    priority: str
    description: str

    @property
    def key(self) -> str:
        """Who asked and under which file number: the same request in any later file has the same key."""
        return f"authority:{_fold(self.authority)}:{_fold(self.file_number)}"


@dataclass(frozen=True)
class RejectedLine:
    """A line that cannot be imported, with the German reason."""

    line: int
    reason: str


@dataclass(frozen=True)
class KnownLine:
    """A line whose request was imported before (by an earlier file or an earlier run)."""

    line: int
    task_id: int


@dataclass(frozen=True)
class ImportReport:
    """What the check found and, after an import, what was written."""

    good: list[RequestLine] = field(default_factory=list)
    rejected: list[RejectedLine] = field(default_factory=list)
    known: list[KnownLine] = field(default_factory=list)
    file_error: str = ""
    imported: int = 0
    committed: bool = False

    @property
    def summary(self) -> str:
        """One German sentence for the screen."""
        if self.file_error:
            return f"Die Datei kann nicht gelesen werden: {self.file_error}"
        parts = [f"{len(self.good)} neue Anfrage(n) gültig", f"{len(self.rejected)} Zeile(n) abgelehnt"]
        if self.known:
            parts.append(f"{len(self.known)} bereits importiert")
        head = ", ".join(parts) + "."
        if self.committed:
            return f"{self.imported} Aufgabe(n) angelegt. {head}"
        if self.rejected and self.good:
            return f"Nichts importiert. {head} Korrigieren Sie die Datei oder importieren Sie nur die gültigen Zeilen."
        if not self.good:
            return f"Nichts zu importieren. {head}"
        return f"Geprüft, noch nichts importiert. {head}"


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def _header_name(text: str) -> str:
    return _fold(text).replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")


def _decode(data: bytes) -> str:
    """UTF-8 (with or without BOM); otherwise Windows-1252, what German Excel writes as "CSV"."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="strict")


def _parse_date(raw: str) -> date | None:
    text = raw.strip()
    for fmt in ("%d.%m.%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _check_reference(kind: str, raw: str) -> tuple[str, str]:
    """(normalised reference, German reason or "") for the reference a request is about."""
    if kind == "dokumentenpruefung":
        text = serials.normalize(raw)
        split = serials.split_with_check_digit(text)
        if split is not None and serials.is_well_formed(split[0]):
            if not serials.is_valid(*split):
                return text, f"Prüfziffer der Seriennummer {text} stimmt nicht"
            return split[0], ""
        if serials.is_well_formed(text):
            return text, ""
        return text, f"„{raw.strip()}“ ist keine Dokumenten-Seriennummer (9 Zeichen, ggf. mit Prüfziffer)"
    if kind == "fahndung":
        text = " ".join(raw.upper().split())
        if _PLATE.match(text) or _VIN.match(text.replace(" ", "")):
            return text, ""
        return text, f"„{raw.strip()}“ ist weder ein Kennzeichen (z. B. OF-C 777) noch eine Fahrzeug-Ident-Nr."
    return " ".join(raw.split()), ""


def _check_line(line: int, values: dict[str, str], today: date) -> RequestLine | RejectedLine:
    missing = [name for name in REQUIRED if not values.get(name, "").strip()]
    if missing:
        return RejectedLine(line, "Pflichtfeld leer: " + ", ".join(missing))
    too_long = [name for name in COLUMNS if name != "beschreibung" and len(values.get(name, "")) > FIELD_MAX]
    if too_long or len(values.get("beschreibung", "")) > DESCRIPTION_MAX:
        return RejectedLine(line, "Feld zu lang: " + ", ".join(too_long or ["beschreibung"]))
    kind = _header_name(values["art"])
    if kind not in KINDS:
        return RejectedLine(line, f"Unbekannte Art „{values['art'].strip()}“ (erlaubt: {', '.join(KINDS)})")
    reference, reason = _check_reference(kind, values["bezug"])
    if reason:
        return RejectedLine(line, reason)
    due = _parse_date(values["frist"])
    if due is None:
        return RejectedLine(line, f"Frist „{values['frist'].strip()}“ ist kein Datum (TT.MM.JJJJ)")
    if due.year < today.year - 1:
        return RejectedLine(line, f"Frist {due:%d.%m.%Y} liegt zu weit zurück")
    priority = PRIORITIES.get(_fold(values.get("prioritaet", "")))
    if priority is None:
        raw = values["prioritaet"].strip()
        return RejectedLine(line, f"Unbekannte Priorität „{raw}“ (niedrig, normal, hoch, dringend)")
    return RequestLine(
        line=line,
        authority=" ".join(values["behoerde"].split()),
        file_number=" ".join(values["aktenzeichen"].split()),
        kind=kind,
        reference=reference,
        due_date=due,
        priority=priority,
        description=values.get("beschreibung", "").strip(),
    )


_UNREADABLE = "Zeile nicht lesbar (Anführungszeichen oder Steuerzeichen prüfen)"


def parse_requests(data: bytes, today: date) -> ImportReport:
    """Check a whole file line by line, without touching the database.

    Every line ends up good or rejected with a German reason: an over-long field is judged by our
    own limits (the csv module's field limit is lifted to the file size, so it never stops the
    reading half-way), and a line the csv module cannot read is listed and the reading goes on.
    """
    if len(data) > MAX_BYTES:
        return ImportReport(file_error=f"Die Datei ist größer als {MAX_BYTES // (1024 * 1024)} MB.")
    if b"\x00" in data:
        return ImportReport(
            file_error="Die Datei enthält NUL-Zeichen und ist keine CSV-Textdatei (bitte als „CSV UTF-8“ speichern)."
        )
    if csv.field_size_limit() <= MAX_BYTES:
        csv.field_size_limit(MAX_BYTES + 1)
    try:
        text = _decode(data)
    except UnicodeDecodeError:
        return ImportReport(file_error="Zeichenkodierung nicht erkannt (bitte UTF-8 speichern).")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";")
    try:
        header = next(reader, None)
    except csv.Error:
        return ImportReport(file_error="Kopfzeile nicht lesbar (Anführungszeichen oder Steuerzeichen prüfen).")
    if not header or not any(h.strip() for h in header):
        return ImportReport(file_error="Die Datei ist leer.")
    names = [_header_name(h) for h in header]
    missing = [c for c in COLUMNS if c not in names]
    if missing:
        hint = " Trennzeichen ist das Semikolon (;)." if len(header) == 1 else ""
        return ImportReport(file_error=f"Spalten fehlen in der Kopfzeile: {', '.join(missing)}.{hint}")
    limit = settings().import_max_lines
    good: list[RequestLine] = []
    rejected: list[RejectedLine] = []
    first_line_of: dict[str, int] = {}
    previous_end = reader.line_num
    while True:
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error:
            line, previous_end = previous_end + 1, reader.line_num
            rejected.append(RejectedLine(line, _UNREADABLE))
            continue
        line, previous_end = previous_end + 1, reader.line_num
        if not any(cell.strip() for cell in record):
            continue
        if len(good) + len(rejected) >= limit:
            return ImportReport(file_error=f"Mehr als {limit} Anfragen in einer Datei; bitte aufteilen.")
        if len(record) != len(names):
            reason = f"{len(record)} statt {len(names)} Felder (Semikolon im Text? Dann in Anführungszeichen)"
            rejected.append(RejectedLine(line, reason))
            continue
        result = _check_line(line, dict(zip(names, record, strict=True)), today)
        if isinstance(result, RequestLine):
            first = first_line_of.setdefault(result.key, line)
            if first != line:
                result = RejectedLine(line, f"Gleiche Anfrage (Behörde und Aktenzeichen) wie in Zeile {first}")
        (good if isinstance(result, RequestLine) else rejected).append(result)
    return ImportReport(good=good, rejected=rejected)


def _description(request: RequestLine) -> str:
    head = f"Anfragende Behörde: {request.authority}\nAktenzeichen der Behörde: {request.file_number}"
    return f"{head}\n\n{request.description}" if request.description else head


def check_import(actor_id: int, data: bytes, *, now: datetime | None = None) -> ImportReport:
    """The report of a file: valid new lines, rejected lines, lines imported before. Writes nothing."""
    now = now if now is not None else clock.now()
    report = parse_requests(data, clock.to_local(now).date())
    if report.file_error:
        return report
    with db.session_scope() as session:
        backoffice_staff(session, actor_id)
        known = source_key_exists(session, [r.key for r in report.good])
    return ImportReport(
        good=[r for r in report.good if r.key not in known],
        rejected=report.rejected,
        known=[KnownLine(r.line, known[r.key]) for r in report.good if r.key in known],
    )


def run_import(
    actor_id: int, data: bytes, *, accept_partial: bool = False, now: datetime | None = None
) -> ImportReport:
    """Import the file's new valid lines as authority-request tasks, in one transaction.

    With rejected lines nothing is written unless `accept_partial` is set (the user confirmed
    after reading the report). If another import of the same requests commits first, this one
    writes nothing and reports them as already imported.
    """
    now = now if now is not None else clock.now()
    report = check_import(actor_id, data, now=now)
    if report.file_error or not report.good or (report.rejected and not accept_partial):
        return report
    try:
        with db.session_scope() as session:
            user = backoffice_staff(session, actor_id)
            # Read again inside the writing transaction: an import that committed since the check wins.
            known_now = source_key_exists(session, [r.key for r in report.good])
            fresh = [r for r in report.good if r.key not in known_now]
            for request in fresh:
                create_task(
                    office_id=user.office_id,
                    task_type=TaskType.AUTHORITY_REQUEST,
                    title=f"{KINDS[request.kind]}: {request.authority}",
                    reference=request.reference,
                    description=_description(request),
                    due_date=request.due_date,
                    priority=request.priority,
                    source=SOURCE,
                    created_by=user.id,
                    source_key=request.key,
                    now=now,
                    session=session,
                )
    except IntegrityError:
        again = check_import(actor_id, data, now=now)
        if again.good:
            raise TaskError(
                "Der Import ist mit einem gleichzeitigen Import zusammengestoßen. Bitte erneut versuchen."
            ) from None
        return again
    known = report.known + [KnownLine(r.line, known_now[r.key]) for r in report.good if r.key in known_now]
    return ImportReport(
        good=fresh,
        rejected=report.rejected,
        known=sorted(known, key=lambda k: k.line),
        imported=len(fresh),
        committed=bool(fresh),
    )
