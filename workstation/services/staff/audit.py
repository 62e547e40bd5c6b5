"""Audit trail: who read or changed citizen data, and refused attempts."""

from sqlmodel import Session

from workstation import clock
from workstation.models import AuditLog


def record(
    session: Session,
    *,
    user_id: int | None,
    action: str,
    entity: str,
    entity_id: int | None = None,
    citizen_id: int | None = None,
    detail: str = "",
) -> None:
    """Add an audit entry to the caller's transaction (it commits or rolls back with the change)."""
    session.add(
        AuditLog(
            at=clock.now(),
            user_id=user_id,
            action=action,
            entity=entity,
            entity_id=entity_id,
            citizen_id=citizen_id,
            detail=detail[:500],
        )
    )
