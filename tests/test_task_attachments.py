"""Attachments of back-office tasks: stored outside the public upload folder, read only by staff."""

import pytest
from sqlmodel import select

from tests.backoffice_data import MONDAY_1305, make_office
from workstation import db
from workstation.models import AuditLog, TaskType
from workstation.services.backoffice import attachments, task_queries
from workstation.services.backoffice import tasks as bo
from workstation.services.backoffice.task_model import TaskError

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def setup(sqlite_db, tmp_path, monkeypatch):
    store = tmp_path / "ablage"
    monkeypatch.setenv("WORKSTATION_ATTACHMENTS", str(store))
    monkeypatch.setenv("WORKSTATION_ATTACHMENT_MAX_MB", "1")
    staff = make_office()
    task_id = bo.create_task(
        office_id=staff.office_id, task_type=TaskType.INSURANCE_NOTICE, title="Versicherung", now=MONDAY_1305
    )
    bo.claim_task(staff.anna, task_id, now=MONDAY_1305)
    return staff, task_id, store


def test_file_is_stored_under_a_random_name_and_read_back_by_staff(setup):
    staff, task_id, store = setup

    attachment_id = attachments.add_attachment(staff.anna, task_id, "../../etc/Nachweis HUK.pdf", PDF, now=MONDAY_1305)

    stored = list(store.rglob("*.pdf"))
    assert len(stored) == 1 and stored[0].parent == store / str(task_id)
    assert "Nachweis" not in stored[0].name
    file = attachments.read_attachment(staff.ben, attachment_id)
    assert (file.filename, file.content_type, file.data) == ("Nachweis HUK.pdf", "application/pdf", PDF)
    detail = task_queries.get_task(staff.lead, task_id, now=MONDAY_1305)
    assert [a.filename for a in detail.attachments] == ["Nachweis HUK.pdf"]
    assert detail.history[-1].detail == "Nachweis HUK.pdf hinzugefügt"
    with db.session_scope() as session:
        reads = session.exec(select(AuditLog).where(AuditLog.entity == "taskattachment")).all()
    assert [(r.user_id, r.action) for r in reads] == [(staff.ben, "read")]


def test_reception_and_other_offices_cannot_read_it(setup):
    staff, task_id, _ = setup
    attachment_id = attachments.add_attachment(staff.anna, task_id, "nachweis.pdf", PDF, now=MONDAY_1305)

    with pytest.raises(TaskError, match="keinen Zugriff"):
        attachments.read_attachment(staff.reception, attachment_id)
    with pytest.raises(TaskError, match="gibt es nicht"):
        attachments.read_attachment(staff.other_office_advisor, attachment_id)


def test_wrong_type_and_oversized_files_are_refused_with_a_reason(setup):
    staff, task_id, store = setup

    with pytest.raises(TaskError, match="Dateityp ist nicht erlaubt"):
        attachments.add_attachment(staff.anna, task_id, "rechnung.pdf", b"MZ\x90\x00 not a pdf", now=MONDAY_1305)
    with pytest.raises(TaskError, match="höchstens 1 MB"):
        attachments.add_attachment(staff.anna, task_id, "scan.pdf", PDF + b"0" * 1024 * 1024, now=MONDAY_1305)
    with pytest.raises(TaskError, match="zuständige Person"):
        attachments.add_attachment(staff.ben, task_id, "notiz.txt", b"Anruf beim Halter", now=MONDAY_1305)
    assert not store.exists() or not any(store.rglob("*.*"))
    text_id = attachments.add_attachment(
        staff.anna, task_id, "notiz.txt", "Rückruf beim Halter".encode(), now=MONDAY_1305
    )
    assert attachments.read_attachment(staff.anna, text_id).content_type == "text/plain"
