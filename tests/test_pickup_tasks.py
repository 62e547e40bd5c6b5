"""Tasks raised by the pickup jobs are ordinary back-office tasks, raised once."""

from datetime import datetime

from sqlmodel import select

from tests.factories import office_with_users
from workstation import db
from workstation.models import BackofficeTask, TaskEvent
from workstation.services.pickup import followup_tasks as pickup_tasks


def test_a_job_run_twice_raises_one_task_with_its_history(sqlite_db):
    office_with_users("pickup")
    now = datetime(2026, 11, 23, 6, 0)
    raised = []
    for _ in range(2):
        with db.session_scope() as session:
            raised.append(pickup_tasks.raise_task(
                session, office_id=1, title="Produktion storniert: Personalausweis", reference="L6F3R7T2K",
                description="Die Bundesdruckerei meldet STORNIERT.", citizen_id=None, now=now,
            ))
    assert raised == [True, False]
    with db.session_scope() as session:
        task = session.exec(select(BackofficeTask)).one()
        events = session.exec(select(TaskEvent).where(TaskEvent.task_id == task.id)).all()
    assert (task.type, task.source, task.status) == ("bdr_correspondence", "pickup_job", "open")
    assert len(events) == 1
