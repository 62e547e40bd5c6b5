"""Back-office tasks raised by the pickup jobs (cancelled production, holding period over).

They go through the back-office service like every other task (history entry, validation) with a
source key, so a job run twice — or re-run after a crash — raises each task once.
"""

from datetime import datetime, timedelta

from sqlmodel import Session, select

from workstation import clock
from workstation.config import settings
from workstation.models.enums import TaskPriority, TaskType
from workstation.models.task_sources import TaskSourceKey
from workstation.services.backoffice import tasks as backoffice

SOURCE = "pickup_job"


def raise_task(session: Session, *, office_id: int, title: str, reference: str, description: str,
               citizen_id: int | None, now: datetime, priority: str = TaskPriority.NORMAL) -> bool:
    """Open a Bundesdruckerei-correspondence task unless the same one exists; True if created."""
    key = f"{SOURCE}:{reference}:{title}"
    if session.exec(select(TaskSourceKey.task_id).where(TaskSourceKey.key == key)).first() is not None:
        return False
    backoffice.create_task(
        office_id=office_id,
        task_type=TaskType.BDR_CORRESPONDENCE,
        title=title,
        reference=reference,
        description=description,
        due_date=(clock.to_local(now) + timedelta(days=settings().pickup_task_due_days)).date(),
        priority=priority,
        citizen_id=citizen_id,
        source=SOURCE,
        source_key=key,
        now=now,
        session=session,
    )
    return True
