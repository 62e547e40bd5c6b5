"""The German texts sent to citizens about their documents (arrival, reminder).

The texts name the document and the application number but not the person: the outbox keeps them
after the address is erased, and a name adds nothing the citizen needs.
"""

from dataclasses import dataclass
from datetime import date

from workstation.models.enums import DocumentType, NotifyChannel

DOC_NAMES = {
    DocumentType.ID_CARD: "Personalausweis",
    DocumentType.PASSPORT: "Reisepass",
    DocumentType.EXPRESS_PASSPORT: "Express-Reisepass",
    DocumentType.RESIDENCE_PERMIT: "elektronischer Aufenthaltstitel",
    DocumentType.DRIVING_LICENCE: "Kartenführerschein",
}

OLD_DOCUMENTS = {
    DocumentType.ID_CARD: "Ihren bisherigen Personalausweis (er wird bei der Abholung entwertet)",
    DocumentType.PASSPORT: "Ihren bisherigen Reisepass (er wird bei der Abholung entwertet)",
    DocumentType.EXPRESS_PASSPORT: "Ihren bisherigen Reisepass (er wird bei der Abholung entwertet)",
    DocumentType.RESIDENCE_PERMIT: "Ihren Reisepass und Ihren bisherigen Aufenthaltstitel",
    DocumentType.DRIVING_LICENCE: "Ihren bisherigen Führerschein (er wird bei der Abholung entwertet)",
}


@dataclass(frozen=True)
class NoticeText:
    """Subject and body of one message."""

    subject: str
    body: str


def doc_name(doc_type: str) -> str:
    """German name of a document kind ('PA' → 'Personalausweis')."""
    return DOC_NAMES.get(doc_type, doc_type)


def _bring_list(doc_type: str) -> str:
    old = OLD_DOCUMENTS.get(doc_type, "Ihr bisheriges Dokument")
    return (
        f"- {old}\n"
        "- falls jemand anderes das Dokument für Sie abholt: eine schriftliche Vollmacht von Ihnen, "
        "Ihren bisherigen Ausweis und den gültigen Ausweis der abholenden Person"
    )


def arrival(doc_type: str, application_number: str, office_name: str, opening_hours: str, collect_by: date,
            channel: str) -> NoticeText:
    """The notice that a document has arrived and can be collected."""
    name = doc_name(doc_type)
    subject = f"Ihr {name} liegt zur Abholung bereit"
    if channel == NotifyChannel.SMS:
        return NoticeText(
            subject,
            f"{office_name}: Ihr {name} (Antrag {application_number}) liegt zur Abholung bereit. "
            f"Bitte altes Dokument mitbringen; bei Abholung durch andere Person eine Vollmacht. "
            f"Abholung bis {collect_by:%d.%m.%Y}. Öffnungszeiten: {opening_hours}",
        )
    body = (
        "Guten Tag,\n\n"
        f"Ihr {name} zum Antrag {application_number} ist im {office_name} eingetroffen "
        "und liegt an der Dokumentenausgabe zur Abholung für Sie bereit.\n\n"
        f"Bitte bringen Sie mit:\n{_bring_list(doc_type)}\n\n"
        f"Öffnungszeiten: {opening_hours}\n"
        "Für die Abholung brauchen Sie keinen Termin.\n\n"
        f"Bitte holen Sie das Dokument bis zum {collect_by:%d.%m.%Y} ab; danach wird es an die "
        "Bundesdruckerei zurückgegeben oder vernichtet.\n\n"
        f"Mit freundlichen Grüßen\nIhr {office_name}\n\n"
        "Diese Nachricht wurde automatisch erstellt. Sie erhalten sie, weil Sie bei der Antragstellung "
        "um eine Benachrichtigung gebeten haben."
    )
    return NoticeText(subject, body)


def reminder(doc_type: str, application_number: str, office_name: str, opening_hours: str, collect_by: date,
             channel: str) -> NoticeText:
    """The reminder that a document is still waiting to be collected."""
    name = doc_name(doc_type)
    subject = f"Erinnerung: Ihr {name} wartet auf Sie"
    if channel == NotifyChannel.SMS:
        return NoticeText(
            subject,
            f"{office_name}: Erinnerung - Ihr {name} (Antrag {application_number}) liegt weiter zur Abholung "
            f"bereit, bitte bis {collect_by:%d.%m.%Y} abholen. Öffnungszeiten: {opening_hours}",
        )
    body = (
        "Guten Tag,\n\n"
        f"Ihr {name} zum Antrag {application_number} liegt weiterhin im {office_name} zur Abholung bereit.\n\n"
        f"Bitte holen Sie es bis zum {collect_by:%d.%m.%Y} ab; danach wird es an die Bundesdruckerei "
        "zurückgegeben oder vernichtet.\n\n"
        f"Bitte bringen Sie mit:\n{_bring_list(doc_type)}\n\n"
        f"Öffnungszeiten: {opening_hours}\n\n"
        f"Mit freundlichen Grüßen\nIhr {office_name}"
    )
    return NoticeText(subject, body)
