"""CSV import of authority requests: every line checked, bad lines reported, nothing half-imported or doubled."""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import pytest

from tests.backoffice_data import MONDAY_1305, make_office
from workstation.models import TaskPriority, TaskType
from workstation.services.backoffice import csv_import as task_import
from workstation.services.backoffice import task_queries
from workstation.services.backoffice.task_model import TaskFilter

SAMPLE = Path(__file__).parent / "data" / "behoerdenanfragen.csv"
NOW = MONDAY_1305
GOOD_LINES = [2, 3, 4, 14]
REJECTED = {
    6: "Prüfziffer der Seriennummer T220001290 stimmt nicht",
    7: "„XYZ“ ist weder ein Kennzeichen (z. B. OF-C 777) noch eine Fahrzeug-Ident-Nr.",
    8: "Unbekannte Art „auskunft“ (erlaubt: dokumentenpruefung, fahndung, amtshilfe)",
    9: "Frist „31.02.2026“ ist kein Datum (TT.MM.JJJJ)",
    11: "Gleiche Anfrage (Behörde und Aktenzeichen) wie in Zeile 2",
    12: "Pflichtfeld leer: aktenzeichen",
    13: "Unbekannte Priorität „sehr hoch“ (niedrig, normal, hoch, dringend)",
    15: "3 statt 7 Felder (Semikolon im Text? Dann in Anführungszeichen)",
}


@pytest.fixture
def staff(sqlite_db):
    return make_office()


def _authority_tasks(staff):
    return task_queries.list_tasks(staff.lead, TaskFilter(types=(TaskType.AUTHORITY_REQUEST,)), sort="created", now=NOW)


def test_report_names_every_rejected_line_with_its_number_and_reason(staff):
    report = task_import.check_import(staff.anna, SAMPLE.read_bytes(), now=NOW)

    assert [r.line for r in report.good] == GOOD_LINES
    assert {r.line: r.reason for r in report.rejected} == REJECTED
    assert report.summary == (
        "Nichts importiert. 4 neue Anfrage(n) gültig, 8 Zeile(n) abgelehnt. "
        "Korrigieren Sie die Datei oder importieren Sie nur die gültigen Zeilen."
    )
    assert _authority_tasks(staff).total == 0


def test_a_file_with_bad_lines_imports_nothing_unless_confirmed(staff):
    refused = task_import.run_import(staff.anna, SAMPLE.read_bytes(), now=NOW)
    assert not refused.committed and refused.imported == 0
    assert _authority_tasks(staff).total == 0

    report = task_import.run_import(staff.anna, SAMPLE.read_bytes(), accept_partial=True, now=NOW)

    assert report.committed and report.imported == 4
    assert report.summary.startswith("4 Aufgabe(n) angelegt.")
    rows = {row.reference: row for row in _authority_tasks(staff).rows}
    assert set(rows) == {"OF-AB 1234", "L6F3R7T2K", "Aufenthaltsermittlung Graf", "WVWZZZ1JZXW000001"}
    stolen = rows["OF-AB 1234"]
    assert stolen.title == "Fahndung Kfz: Polizeipräsidium Südosthessen"
    assert stolen.priority == TaskPriority.URGENT and stolen.due_date == date(2026, 11, 25)
    assert rows["Aufenthaltsermittlung Graf"].priority == TaskPriority.NORMAL
    detail = task_queries.get_task(staff.anna, rows["Aufenthaltsermittlung Graf"].id, now=NOW)
    assert "Aktenzeichen der Behörde: 32.1-2026-0815" in detail.description
    assert "Letzte bekannte Anschrift: Offenbach" in detail.description
    assert detail.history[0].user_name == "Anna Schmidt"


def test_importing_the_same_file_twice_creates_no_duplicates(staff):
    task_import.run_import(staff.anna, SAMPLE.read_bytes(), accept_partial=True, now=NOW)

    again = task_import.run_import(staff.ben, SAMPLE.read_bytes(), accept_partial=True, now=NOW)

    assert not again.committed and again.imported == 0
    assert sorted(k.line for k in again.known) == GOOD_LINES
    assert again.summary.startswith("Nichts zu importieren. 0 neue Anfrage(n) gültig, 8 Zeile(n) abgelehnt")
    assert _authority_tasks(staff).total == 4


def test_the_corrected_file_adds_only_the_fixed_lines(staff):
    task_import.run_import(staff.anna, SAMPLE.read_bytes(), accept_partial=True, now=NOW)
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    header, kept = lines[0], lines[1:5]  # the three good requests, one of them spread over two lines
    fixed = [
        "Bundespolizeiinspektion Frankfurt;BPOLI F 2026-77;dokumentenpruefung;T220001293;27.11.2026;normal;Reisepass",
        "Polizeistation Offenbach;PSt OF 2026-13;fahndung;OF-XY 99E;28.11.2026;hoch;Elektrofahrzeug",
    ]
    corrected = "\n".join([header, *kept, *fixed]).encode("utf-8")

    report = task_import.run_import(staff.anna, corrected, now=NOW)

    assert report.committed and report.imported == 2 and not report.rejected
    assert [k.line for k in report.known] == [2, 3, 4]
    assert _authority_tasks(staff).total == 6


def test_file_level_problems_are_explained(staff):
    comma = b"behoerde,aktenzeichen,art,bezug,frist,prioritaet,beschreibung\nPolizei,1,amtshilfe,x,01.12.2026,,\n"
    report = task_import.check_import(staff.anna, comma, now=NOW)
    assert report.file_error.startswith("Spalten fehlen in der Kopfzeile: behoerde")
    assert report.file_error.endswith("Trennzeichen ist das Semikolon (;).")
    assert task_import.check_import(staff.anna, b"", now=NOW).summary == (
        "Die Datei kann nicht gelesen werden: Die Datei ist leer."
    )


HEADER = "behoerde;aktenzeichen;art;bezug;frist;prioritaet;beschreibung\n"


def test_an_over_long_field_rejects_its_line_and_every_later_line_is_still_read(staff):
    huge = "x" * 200_000  # past the csv module's own field limit (131,072)
    text = (
        HEADER
        + "Polizei Offenbach;A-1;Amtshilfe;Auskunft;01.12.2026;;erste\n"
        + f"Polizei Offenbach;A-2;Amtshilfe;Auskunft;01.12.2026;;{huge}\n"
        + "Polizei Offenbach;A-3;Amtshilfe;Auskunft;01.12.2026;;dritte\n"
        + "Polizei Offenbach;A-4;Amtshilfe;Auskunft;01.12.2026;;vierte\n"
    )

    report = task_import.run_import(staff.anna, text.encode(), accept_partial=True, now=NOW)

    assert [r.line for r in report.good] == [2, 4, 5]
    assert [(r.line, r.reason) for r in report.rejected] == [(3, "Feld zu lang: beschreibung")]
    assert report.imported == 3
    assert _authority_tasks(staff).total == 3


def test_an_over_long_quoted_field_over_several_lines_is_reported_in_german(staff):
    huge = "\n".join(["y" * 1000] * 300)
    text = HEADER + f'Polizei;B-1;Amtshilfe;Auskunft;01.12.2026;;"{huge}"\n' + "Polizei;B-2;Amtshilfe;x;01.12.2026;;\n"

    report = task_import.check_import(staff.anna, text.encode(), now=NOW)

    assert [r.line for r in report.good] == [2 + 300]
    assert [r.reason for r in report.rejected] == ["Feld zu lang: beschreibung"]
    assert all("field" not in r.reason for r in report.rejected)


def test_a_file_with_nul_bytes_is_refused_with_a_german_reason(staff):
    data = (HEADER + "Polizei;C-1;Amtshilfe;x;01.12.2026;;a\x00b\n").encode()

    report = task_import.run_import(staff.anna, data, accept_partial=True, now=NOW)

    assert report.file_error == (
        "Die Datei enthält NUL-Zeichen und ist keine CSV-Textdatei (bitte als „CSV UTF-8“ speichern)."
    )
    assert not report.committed
    assert _authority_tasks(staff).total == 0


def test_excel_windows_encoding_is_read(staff):
    text = (
        "behoerde;aktenzeichen;art;bezug;frist;prioritaet;beschreibung\n"
        "Polizeistation Mühlheim;M-1;Amtshilfe;Auskunft;01.12.2026;;Anfrage\n"
    )

    report = task_import.run_import(staff.anna, text.encode("cp1252"), now=NOW)

    assert report.imported == 1
    assert _authority_tasks(staff).rows[0].title == "Amtshilfe: Polizeistation Mühlheim"


def test_two_imports_of_one_file_at_once_create_each_task_once(any_db):
    staff = make_office()
    data = "\n".join(SAMPLE.read_text(encoding="utf-8").splitlines()[:5]).encode("utf-8")
    barrier = threading.Barrier(2)

    def run(user_id: int):
        barrier.wait()
        return task_import.run_import(user_id, data, now=NOW)

    with ThreadPoolExecutor(max_workers=2) as pool:
        reports = list(pool.map(run, [staff.anna, staff.ben]))

    assert sorted(r.imported for r in reports) == [0, 3]
    assert _authority_tasks(staff).total == 3
