"""Back-office tasks raised by the pickup jobs (cancelled production, holding period over).

A small insert of our own until the shared back-office service offers one; idempotent by
(source, reference, title) so a job run twice raises each task once.
"""

from datetime import datetime, timedelta

from sqlmodel import Session, select

from workstation import clock
from workstation.config import settings
from workstation.models import BackofficeTask
from workstation.models.enums import TaskPriority, TaskStatus, TaskType

SOURCE = "pickup_job"


def raise_task(session: Session, *, office_id: int, title: str, reference: str, description: str,
               citizen_id: int | None, now: datetime, priority: str = TaskPriority.NORMAL) -> bool:
    """Open a Bundesdruckerei-correspondence task unless the same one exists; True if created."""
    existing = session.exec(
        select(BackofficeTask.id).where(
            BackofficeTask.source == SOURCE, BackofficeTask.reference == reference, BackofficeTask.title == title
        )
    ).first()
    if existing is not None:
        return False
    due = (clock.to_local(now) + timedelta(days=settings().pickup_task_due_days)).date()
    session.add(
        BackofficeTask(
            office_id=office_id,
            type=TaskType.BDR_CORRESPONDENCE,
            title=title,
            reference=reference,
            description=description,
            due_date=due,
            priority=priority,
            status=TaskStatus.OPEN,
            citizen_id=citizen_id,
            source=SOURCE,
            created_at=now,
            updated_at=now,
        )
    )
    return True
