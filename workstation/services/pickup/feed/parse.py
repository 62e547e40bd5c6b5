"""Reading one Versandavis file into plain values, treating the XML as untrusted.

defusedxml refuses any DTD, so entity expansion (billion laughs) and external entities cannot happen;
a size limit is checked before the bytes are parsed. Faults of the whole file raise `FileRejectedError`
with a reason in plain words; faults of one entry are kept on the entry and rejected later.
"""

import io
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property, lru_cache
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring, iterparse

from workstation.models.enums import DocumentType
from workstation.services.common import serials

NAMESPACE = "urn:buergerbuero:bdr:versandavis:1"
MAX_ENTRIES = 5000
FEED_STATUSES = ("VERSANDT", "ZUGESTELLT", "DIREKTVERSAND", "STORNIERT")
DOC_TYPES = frozenset(t.value for t in DocumentType)
_BOM = b"\xef\xbb\xbf"
_ENTRY_FIELDS = ("Dokumentart", "Seriennummer", "Pruefziffer", "Antragsnummer", "Status", "Zeitpunkt")


class FileRejectedError(Exception):
    """The whole file cannot be applied; the message says why (shown in `<name>.error.txt`)."""


@dataclass
class Entry:
    """One `Dokument` element; `problem` is set when the entry itself is unusable."""

    index: int
    doc_type: str
    serial: str
    check_digit: str
    application_number: str
    status: str
    at: datetime | None
    problem: str = ""


def _local(tag: str) -> tuple[str, str]:
    """'{ns}Name' → (ns, Name)."""
    if tag.startswith("{"):
        ns, _, name = tag[1:].partition("}")
        return ns, name
    return "", tag


def _children(element: Element) -> dict[str, str]:
    """Text of the child elements in the feed's namespace, by local name."""
    prefix = f"{{{NAMESPACE}}}"
    cut = len(prefix)
    return {child.tag[cut:]: (child.text or "").strip() for child in element if child.tag.startswith(prefix)}


@lru_cache(maxsize=4096)
def parse_instant(raw: str) -> datetime | None:
    """ISO 8601 with an offset → naive UTC; None if malformed or without offset."""
    try:
        value = datetime.fromisoformat(raw)
    except ValueError:
        return None
    if value.tzinfo is None:
        return None
    return value.astimezone(UTC).replace(tzinfo=None)


def _entry_problem(entry: Entry, raw: dict[str, str]) -> str:
    missing = [name for name in _ENTRY_FIELDS if not raw.get(name)]
    if missing:
        return "Pflichtangabe fehlt: " + ", ".join(missing)
    if entry.doc_type not in DOC_TYPES:
        return f"Unbekannte Dokumentart „{entry.doc_type}“"
    if entry.status not in FEED_STATUSES:
        return f"Unbekannter Status „{entry.status}“"
    if not serials.is_well_formed(entry.serial):
        return f"Seriennummer „{entry.serial}“ hat nicht 9 Zeichen aus dem zulässigen Alphabet"
    if not (entry.check_digit.isdigit() and len(entry.check_digit) == 1):
        return f"Prüfziffer „{entry.check_digit}“ ist keine Ziffer"
    if serials.check_digit(entry.serial) != int(entry.check_digit):
        return f"Prüfziffer {entry.check_digit} passt nicht zur Seriennummer {entry.serial}"
    if entry.at is None:
        return f"Zeitpunkt „{raw['Zeitpunkt']}“ ist kein ISO-8601-Zeitpunkt mit Zeitzone"
    return ""


@dataclass
class Message:
    """The header of a file; its entries are read when first asked for (a known message needs none)."""

    message_id: str
    office_code: str
    created: datetime
    shipment: str
    documents: list[Element] = field(default_factory=list, repr=False)

    @cached_property
    def entries(self) -> list[Entry]:
        """The `Dokument` elements in document order, each checked on its own."""
        entries = []
        for index, element in enumerate(self.documents):
            raw = _children(element)
            entry = Entry(
                index=index,
                doc_type=raw.get("Dokumentart", ""),
                serial=raw.get("Seriennummer", ""),
                check_digit=raw.get("Pruefziffer", ""),
                application_number=raw.get("Antragsnummer", ""),
                status=raw.get("Status", ""),
                at=parse_instant(raw.get("Zeitpunkt", "")),
            )
            entry.problem = _entry_problem(entry, raw)
            if not entry.problem and entry.serial[:4] != self.office_code:
                entry.problem = f"Seriennummer {entry.serial} beginnt nicht mit der Behördenkennzahl {self.office_code}"
            entries.append(entry)
        return entries


def peek_message_id(data: bytes) -> str | None:
    """The NachrichtID from the head of a file, reading no further than the `Kopf`; None if unreadable.

    Lets a run skip the full parse of a file that was applied before (a re-run reads 50 files in no time).
    """
    if data.startswith(_BOM):
        data = data[len(_BOM) :]
    try:
        for _event, element in iterparse(io.BytesIO(data), events=("end",), forbid_dtd=True):
            if element.tag == f"{{{NAMESPACE}}}NachrichtID":
                return (element.text or "").strip() or None
            if element.tag == f"{{{NAMESPACE}}}Kopf":
                return None
    except (DefusedXmlException, ParseError, ValueError):
        return None
    return None


def parse_message(data: bytes, office_codes: Collection[str] | str, max_bytes: int) -> Message:
    """Parse and check a file's bytes; raises `FileRejectedError` for faults of the whole file.

    `office_codes` are the codes (Behördenkennzahlen) of the installation's offices: a city's feed inbox
    receives every office's files, and each file is routed to the office its code names.
    """
    known = {office_codes} if isinstance(office_codes, str) else set(office_codes)
    if len(data) > max_bytes:
        raise FileRejectedError(f"Datei ist mit {len(data)} Bytes größer als die erlaubten {max_bytes} Bytes.")
    if data.startswith(_BOM):
        data = data[len(_BOM) :]
    try:
        root = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise FileRejectedError(
            "Datei enthält eine Dokumenttyp-Deklaration (DTD) oder Entitäten. Solche Dateien werden aus "
            f"Sicherheitsgründen nicht gelesen ({exc.__class__.__name__})."
        ) from exc
    except (ParseError, ValueError) as exc:
        raise FileRejectedError(f"Datei ist kein gültiges XML: {exc}") from exc
    ns, name = _local(root.tag)
    if name != "Versandavis" or ns != NAMESPACE:
        raise FileRejectedError(
            f"Falsches Wurzelelement oder Namensraum: {root.tag} (erwartet {{{NAMESPACE}}}Versandavis)."
        )
    head = root.find(f"{{{NAMESPACE}}}Kopf")
    if head is None:
        raise FileRejectedError("Der Kopf (Element Kopf) fehlt.")
    header = _children(head)
    message_id = header.get("NachrichtID", "")
    if not message_id or len(message_id) > 64:
        raise FileRejectedError("NachrichtID fehlt oder ist zu lang.")
    code = header.get("Behoerdenkennzahl", "")
    if code not in known:
        raise FileRejectedError(
            f"Behördenkennzahl „{code}“ gehört zu keinem Amt dieser Installation "
            f"(bekannt: {', '.join(sorted(known)) or 'keine'})."
        )
    created = parse_instant(header.get("Erstellt", ""))
    if created is None:
        raise FileRejectedError("Erstellt fehlt oder ist kein ISO-8601-Zeitpunkt mit Zeitzone.")
    documents = root.findall(f"{{{NAMESPACE}}}Dokument")
    if not documents:
        raise FileRejectedError("Die Nachricht enthält kein Dokument.")
    if len(documents) > MAX_ENTRIES:
        raise FileRejectedError(
            f"Die Nachricht enthält {len(documents)} Dokumente, erlaubt sind höchstens {MAX_ENTRIES}."
        )
    return Message(message_id, code, created, header.get("Sendung", ""), documents)
