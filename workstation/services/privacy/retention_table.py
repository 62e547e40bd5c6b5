"""The retention table: per kind of personal data its purpose, legal basis and period (from the settings).

The admin page, docs/data-protection.md (checked by a test) and the nightly job (`retention`) all read it
from here, so what is shown and what is enforced cannot drift apart.
"""

from collections.abc import Callable
from dataclasses import dataclass

from workstation.config import Settings, settings


@dataclass(frozen=True)
class Rule:
    """One line of the retention table that the job enforces (texts German, for the admin page)."""

    key: str
    label: str
    table: str
    data: str
    purpose: str
    legal_basis: str
    period: Callable[[Settings], str]
    action: str


@dataclass(frozen=True)
class TableRow:
    """A line of the retention table as shown: `key` is empty for data the job does not handle."""

    key: str
    label: str
    table: str
    data: str
    purpose: str
    legal_basis: str
    period: str
    action: str


def _days(n: int) -> str:
    return "1 Tag" if n == 1 else f"{n} Tage"


_PUBLIC_TASK = "Art. 6 Abs. 1 lit. e, Abs. 3 DSGVO i. V. m. § 3 HDSIG"


RULES: tuple[Rule, ...] = (
    Rule("document_contact", "Benachrichtigungsdaten (Ausweisabholung)",
         "documentapplication: notify_email, notify_phone; Postausgang der Anträge",
         "E-Mail-Adresse/Telefonnummer für die Abholbenachrichtigung",
         "Benachrichtigung, dass das Dokument abholbereit ist, und eine Erinnerung",
         "Art. 6 Abs. 1 lit. a DSGVO (freiwillige Angabe bei der Antragstellung)",
         lambda c: ("sofort bei Aushändigung, Direktversand, Rückgabe (bereits im Ablauf); Stornierung und "
                    f"Liegengebliebenes: Abholfrist {_days(c.pickup_holding_days)} + "
                    f"{_days(c.retain_uncollected_grace_days)} nach Eingang"),
         "gelöscht; unversandte Nachrichten storniert"),
    Rule("outbox", "Empfänger im Postausgang", "notification: recipient (und Fehlertext fehlgeschlagener)",
         "E-Mail-Adresse/Telefonnummer der versandten Nachricht",
         "Zustellung und Nachfragen zur Zustellung",
         "Art. 6 Abs. 1 lit. a DSGVO (wie die Benachrichtigungsdaten)",
         lambda c: f"{_days(c.retain_outbox_days)} nach Versand, Fehlschlag oder Stornierung",
         "Empfänger gelöscht; Nachricht (ohne Namen) bleibt"),
    Rule("booking", "Termindaten", "visit: booking_code, booking_note; bookingaccess: token_hash",
         "Buchungscode, Bemerkung zur Buchung bzw. zur Anmeldung, Hash des Absage-/Verlegungslinks",
         "Check-in mit dem Code, Vorbereitung des Termins, Absagen oder Verlegen über den Link",
         _PUBLIC_TASK,
         lambda c: f"{_days(c.retain_booking_days)} nach dem Tag des Termins bzw. Besuchs",
         "gelöscht"),
    Rule("booking_mails", "Terminmails im Postausgang", "notification (booking_*): body, attachments",
         "Text mit Buchungscode und Link, Kalenderdatei, QR-Code (ohne Namen; Empfänger: Regel outbox)",
         "Zustellung und Nachfragen zur Terminbestätigung, -absage und -erinnerung",
         _PUBLIC_TASK,
         lambda c: f"{_days(c.retain_booking_days)} nach Versand, Fehlschlag oder Stornierung",
         "Text und Anhänge gelöscht; Art, Betreff, Zeiten bleiben"),
    Rule("booking_holds", "Gehaltene und freigegebene Zeiten", "reservation (held, cooling) mit slotclaim",
         "gewählte Anliegen und Zeit einer Reservierung während der Eingabe, Hash des Reservierungsschlüssels",
         "Freihalten der Zeit während der Eingabe; Sperrfrist nach einer Absage",
         _PUBLIC_TASK,
         lambda c: (f"bei Ablauf: {c.booking_hold_minutes} Minuten nach dem Halten bzw. "
                    f"{c.booking_cooling_minutes} Minuten nach der Absage (auch der Buchungsjob alle 5 Minuten)"),
         "gelöscht"),
    Rule("booking_challenges", "Verbrauchte Sicherheitsaufgaben", "usedchallenge: challenge_hash",
         "Hash einer gelösten Proof-of-Work-Aufgabe (kein Personenbezug)",
         "jede Aufgabe nur einmal (Schutz vor Bots)",
         "Art. 6 Abs. 1 lit. e DSGVO, Art. 32 DSGVO",
         lambda c: "1 Tag",
         "gelöscht"),
    Rule("booking_attempts", "Anfragen der Terminbuchung", "bookingattempt: client_hash, at",
         "gesalzener Hash der Adresse einer suchenden oder buchenden Person",
         "Begrenzung der Such- und Buchungsanfragen (Schutz vor Bots und Hamstern)",
         "Art. 6 Abs. 1 lit. e DSGVO, Art. 32 DSGVO",
         lambda c: f"{c.booking_rate_window_minutes} Minuten",
         "gelöscht"),
    Rule("citizen_contact", "Kontaktdaten der Bürger/innen", "citizen: email, phone",
         "E-Mail-Adresse, Telefonnummer aus Buchung oder Antrag",
         "Rückfragen zu Termin, offenem Antrag, offener Aufgabe oder Kennzeichenreservierung",
         _PUBLIC_TASK,
         lambda c: (f"{_days(c.retain_booking_days)} nach dem letzten Termin, sobald kein Antrag, keine Aufgabe "
                    "und keine Reservierung mehr offen ist"),
         "gelöscht"),
    Rule("visits", "Besuche (Personenbezug)",
         "visit: citizen_id, desk_note, park_room; visitevent.detail; concern.not_done_reason",
         "Verknüpfung Besuch–Person, Notizen am Schalter, Freitexte der Besuchshistorie",
         "Bedienung, Rückfragen und Wiedervorsprache zum Anliegen",
         _PUBLIC_TASK,
         lambda c: f"{_days(c.retain_visit_days)} nach dem Tag des Besuchs",
         "anonymisiert: Zeiten, Art, Bereich, Status und Anliegen bleiben für die Kennzahlen"),
    Rule("plates", "Wunschkennzeichen", "reservedplate: citizen_id",
         "Zuordnung des reservierten Kennzeichens zur Person",
         "Reservierung bis zur Zuteilung oder zum Ablauf",
         "Art. 6 Abs. 1 lit. e DSGVO i. V. m. FZV (Zuteilung des Kennzeichens)",
         lambda c: f"{_days(c.retain_plate_days)} nach Zuteilung bzw. Ablauf der Reservierung",
         "anonymisiert: Kennzeichen und Status bleiben"),
    Rule("documents", "Aushändigungsvermerk", "documentapplication: representative_name (und Personenbezug, s. u.)",
         "Name der bevollmächtigten abholenden Person",
         "Nachweis und Rückfragen zur Aushändigung an der Ausgabe (das Pass- und Personalausweisregister "
         "führt das Fachverfahren mit seinen eigenen Fristen, § 23 PAuswG, § 21 PassG)",
         "Art. 6 Abs. 1 lit. c, e DSGVO i. V. m. PAuswG, PassG",
         lambda c: f"{_days(c.retain_document_days)} nach Aushändigung, Direktversand, Stornierung bzw. Rückgabe",
         "gelöscht; Antrag, Zeiten und Status bleiben für die Kennzahlen"),
    Rule("tasks", "Back-Office-Aufgaben", "backofficetask: citizen_id, title, description, outcome; taskevent.detail; "
         "Anhänge (Datei und Datensatz)",
         "Freitexte und Anhänge, die Bürger/innen nennen können",
         "Bearbeitung des Vorgangs (die Akte führt das Fachverfahren bzw. die E-Akte)",
         "Art. 6 Abs. 1 lit. c, e DSGVO i. V. m. dem Fachrecht (StVG, FZV, BMG, PAuswG)",
         lambda c: f"{_days(c.retain_task_days)} nach Abschluss der Aufgabe",
         "anonymisiert: Art, Aktenzeichen, Zeiten bleiben für die Kennzahlen; Anhänge gelöscht"),
    Rule("citizens", "Bürger/innen", "citizen: alle Spalten",
         "Name, Geburtsdatum, Anschrift, Kontakt",
         "kein eigener Zweck: dient den Besuchen, Anträgen, Kennzeichen und Aufgaben oben",
         _PUBLIC_TASK,
         lambda c: ("sobald kein Besuch, kein Kennzeichen, keine Aufgabe mehr verweist und kein Antrag offen oder "
                    f"jünger als {_days(c.retain_document_days)} nach Abschluss ist "
                    f"(frühestens {_days(c.retain_visit_days)} nach Anlage)"),
         "gelöscht; mit abgeschlossenem Antrag geleert (der Antrag braucht den Datensatz)"),
    Rule("audit", "Protokoll der Zugriffe", "auditlog: alle Spalten",
         "wer wann welche Bürgerdaten gelesen oder geändert hat, Anmeldungen, abgewiesene Zugriffe",
         "Nachweis der Rechtmäßigkeit, Aufklärung von Missbrauch, Auskunft (Art. 15 DSGVO)",
         "Art. 6 Abs. 1 lit. c DSGVO i. V. m. Art. 5 Abs. 2, Art. 32 DSGVO",
         lambda c: (f"{_days(c.retain_audit_days)} (deckt ein Kalenderjahr und die Prüfung im Folgejahr durch "
                    "die/den Datenschutzbeauftragte/n)"),
         "gelöscht"),
    Rule("sessions", "Anmeldesitzungen", "usersession: token_hash, Zeiten",
         "Hash des Sitzungsschlüssels eines Dienstkontos",
         "Anmeldung, Abmelden anderer Sitzungen bei Sperre",
         "Art. 6 Abs. 1 lit. c DSGVO i. V. m. Art. 32 DSGVO; § 23 HDSIG (Beschäftigte)",
         lambda c: f"{_days(c.retain_session_days)} nach Ablauf der Sitzung",
         "gelöscht"),
    Rule("checkin_attempts", "Abgewiesene Check-ins am Terminal", "checkinattempt: code, at",
         "Buchungscode eines Scans, der am Check-in-Terminal niemanden einchecken konnte",
         "Hilfe am Empfang für die an den Empfang verwiesene Person",
         _PUBLIC_TASK,
         lambda c: f"{_days(c.retain_booking_days)} nach dem Scan",
         "gelöscht"),
    Rule("status_lookups", "Abfragen der Statusseite", "statuslookup: client_hash, at",
         "gesalzener Hash der Adresse einer anfragenden Person",
         "Begrenzung der Abfragen (Schutz vor Ausforschung der Seriennummern)",
         "Art. 6 Abs. 1 lit. e DSGVO, Art. 32 DSGVO",
         lambda c: f"{c.status_window_minutes} Minuten (auch bei jeder neuen Abfrage)",
         "gelöscht"),
)


OTHER_DATA: tuple[TableRow, ...] = (
    TableRow("", "Dienstkonten", "staffuser", "Name, Benutzername, Rolle, Passwort-Hash",
             "Anmeldung und Zuordnung von Bearbeitungen", "§ 23 HDSIG (Beschäftigte), Art. 32 DSGVO",
             "solange das Konto besteht; Deaktivieren in der Verwaltung", "nicht durch den Job"),
    TableRow("", "Händler", "dealer", "Firmenname, Kundennummer, Kontakt-E-Mail",
             "Bedienung am Händlerschalter", "Art. 6 Abs. 1 lit. b, e DSGVO (bei Einzelkaufleuten)",
             "solange die Kundenbeziehung besteht", "nicht durch den Job"),
    TableRow("", "Versandavis", "feedmessage, feedrejection; Dateien im Eingangsordner",
             "Seriennummern, Antragsnummern (keine Namen)", "Nachvollziehbarkeit der Lieferungen",
             "Art. 6 Abs. 1 lit. e DSGVO i. V. m. PAuswG, PassG",
             "nach dem Aktenplan der Behörde", "nicht durch den Job"),
    TableRow("", "Rückmeldungen und Beschwerden", "feedbackentry: comment, topic, outcome",
             "Freitext am Feedback-Terminal (anonym), Thema und Ergebnis einer Beschwerde",
             "Qualitätssteuerung", _PUBLIC_TASK, "noch keine Frist festgelegt", "nicht durch den Job"),
    TableRow("", "Kennzahlen", "dailymetric", "keine (nur Summen je Tag)", "Controlling", "–",
             "unbegrenzt", "keine personenbezogenen Daten"),
)


def retention_table(conf: Settings | None = None) -> list[TableRow]:
    """Every table with personal data: purpose, legal basis, period (from the settings) and what happens."""
    c = conf or settings()
    rows = [TableRow(r.key, r.label, r.table, r.data, r.purpose, r.legal_basis, r.period(c), r.action)
            for r in RULES]
    return rows + list(OTHER_DATA)


LABELS = {r.key: r.label for r in RULES}
