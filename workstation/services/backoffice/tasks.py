"""Creating and changing back-office tasks: create, claim, hand over, assign, status, outcome, notes.

Every change writes a `TaskEvent`, so a task's history is complete. Claiming is one conditional
UPDATE (unassigned, not done): of two people pressing at the same moment exactly one gets the task,
the other a German message naming who has it.
"""

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import and_, or_, update
from sqlmodel import Session, col, select

from workstation import db
from workstation.models import (
    BackofficeTask,
    StaffUser,
    TaskAction,
    TaskPriority,
    TaskSourceKey,
    TaskStatus,
    TaskType,
)
from workstation.services.backoffice.labels import (
    status_label,
    type_label,
)
from workstation.services.backoffice.task_model import (
    BACKOFFICE_ROLES,
    TEXT_MAX,
    TITLE_MAX,
    TaskError,
    TaskRow,
    backoffice_staff,
    check_may_change,
    check_version,
    clean_text,
    is_lead_user,
    log_task_event,
    resolve_now,
    staff_name,
    task_in_office,
    task_row,
    touch,
    within,
)

# --- creating ------------------------------------------------------------------------------------------------------


def create_task(
    *,
    office_id: int,
    task_type: str,
    title: str,
    reference: str = "",
    description: str = "",
    due_date: date | None = None,
    priority: str = TaskPriority.NORMAL,
    assignee_id: int | None = None,
    citizen_id: int | None = None,
    source: str = "manual",
    created_by: int | None = None,
    source_key: str | None = None,
    now: datetime | None = None,
    session: Session | None = None,
) -> int:
    """Create a task and its first history entry; returns the task id.

    Used by staff (through `create_task_by_hand`), the CSV import and the pickup job. With a
    `source_key` (e.g. "bdr:cancelled:<NachrichtID>") the call is idempotent: a second call with the
    same key returns the existing task instead of creating another, so a re-run job adds nothing.
    Pass `session` to create the task inside the caller's transaction (the job's file run); without
    it the task is committed on its own.
    """
    with within(session) as session:
        now = resolve_now(now)
        if task_type not in set(TaskType):
            raise TaskError(f"Unbekannte Aufgabenart: {task_type}")
        if priority not in set(TaskPriority):
            raise TaskError(f"Unbekannte Priorität: {priority}")
        title = clean_text(title, TITLE_MAX, "Der Titel")
        if not title:
            raise TaskError("Bitte geben Sie einen Titel an.")
        if source_key:
            existing = session.exec(select(TaskSourceKey).where(TaskSourceKey.key == source_key)).first()
            if existing is not None:
                return existing.task_id
        task = BackofficeTask(
            office_id=office_id,
            type=task_type,
            title=title,
            reference=clean_text(reference, TITLE_MAX, "Das Aktenzeichen"),
            description=clean_text(description, TEXT_MAX, "Die Beschreibung"),
            due_date=due_date,
            priority=priority,
            status=TaskStatus.OPEN,
            assignee_id=assignee_id,
            citizen_id=citizen_id,
            source=source,
            created_by=created_by,
            created_at=now,
            updated_at=now,
        )
        session.add(task)
        session.flush()
        if source_key:
            session.add(TaskSourceKey(key=source_key, task_id=task.id, created_at=now))
        detail = f"{type_label(task_type)}: {title}"
        if assignee_id:
            detail += f" – zugewiesen an {staff_name(session, assignee_id)}"
        log_task_event(session, task.id, created_by, TaskAction.CREATED, detail, now)
        session.flush()
        return task.id


def create_task_by_hand(
    actor_id: int,
    *,
    task_type: str,
    title: str,
    reference: str = "",
    description: str = "",
    due_date: date | None = None,
    priority: str = TaskPriority.NORMAL,
    now: datetime | None = None,
) -> TaskRow:
    """A member of staff records a task for their office (it starts unassigned)."""
    now = resolve_now(now)
    with db.session_scope() as session:
        user = backoffice_staff(session, actor_id)
        task_id = create_task(
            office_id=user.office_id,
            task_type=task_type,
            title=title,
            reference=reference,
            description=description,
            due_date=due_date,
            priority=priority,
            created_by=user.id,
            now=now,
            session=session,
        )
        return task_row(session, session.get(BackofficeTask, task_id), now)


def source_key_exists(session: Session, keys: Sequence[str]) -> dict[str, int]:
    """Which of these source keys already have a task: key → task id."""
    if not keys:
        return {}
    found = session.exec(select(TaskSourceKey).where(col(TaskSourceKey.key).in_(list(keys)))).all()
    return {k.key: k.task_id for k in found}


# --- changing ------------------------------------------------------------------------------------------------------


def claim_task(actor_id: int, task_id: int, *, now: datetime | None = None) -> TaskRow:
    """Take an unassigned task (or one given to me) and start working on it.

    One conditional UPDATE decides: it only matches while nobody else has the task. The loser of
    a race reads who won and gets a German message; pressing twice changes nothing the second time.
    """
    now = resolve_now(now)
    with db.session_scope() as session:
        user = backoffice_staff(session, actor_id)
        claimed = session.exec(
            update(BackofficeTask)
            .where(
                BackofficeTask.id == task_id,
                BackofficeTask.office_id == user.office_id,
                BackofficeTask.status != TaskStatus.DONE,
                or_(
                    col(BackofficeTask.assignee_id).is_(None),
                    and_(BackofficeTask.assignee_id == user.id, BackofficeTask.status != TaskStatus.IN_PROGRESS),
                ),
            )
            .values(
                assignee_id=user.id,
                status=TaskStatus.IN_PROGRESS,
                version=BackofficeTask.version + 1,
                updated_at=now,
            )
            .execution_options(synchronize_session=False)
        ).rowcount
        task = task_in_office(session, task_id, user)
        session.refresh(task)
        if claimed == 1:
            log_task_event(session, task.id, user.id, TaskAction.CLAIMED, f"übernommen von {user.display_name}", now)
            return task_row(session, task, now)
        if task.status == TaskStatus.DONE:
            raise TaskError("Diese Aufgabe ist bereits erledigt.")
        if task.assignee_id == user.id:
            return task_row(session, task, now)
        raise TaskError(f"Diese Aufgabe hat bereits {staff_name(session, task.assignee_id)} übernommen.")


def hand_over(
    actor_id: int,
    task_id: int,
    to_user_id: int,
    *,
    note: str = "",
    expected_version: int | None = None,
    now: datetime | None = None,
) -> TaskRow:
    """Give a task to a colleague (the assignee or a team lead may); a note says why.

    A task in progress goes back to open: the new owner has not started it yet.
    """
    now = resolve_now(now)
    note = clean_text(note, TEXT_MAX, "Die Notiz")
    with db.session_scope() as session:
        user = backoffice_staff(session, actor_id)
        task = task_in_office(session, task_id, user, lock=True)
        check_may_change(task, user)
        check_version(session, task, expected_version)
        if task.status == TaskStatus.DONE:
            raise TaskError("Eine erledigte Aufgabe kann nicht übergeben werden.")
        target = session.get(StaffUser, to_user_id)
        if target is None or not target.active or target.office_id != user.office_id:
            raise TaskError("Diese Person gibt es in Ihrem Bürgerbüro nicht.")
        if target.role not in BACKOFFICE_ROLES:
            raise TaskError(f"{target.display_name} arbeitet nicht in der Nacharbeit.")
        if task.assignee_id == target.id:
            raise TaskError(f"Die Aufgabe liegt bereits bei {target.display_name}.")
        previous = staff_name(session, task.assignee_id) or "niemandem"
        task.assignee_id = target.id
        if task.status == TaskStatus.IN_PROGRESS:
            task.status = TaskStatus.OPEN
        touch(task, now)
        detail = f"von {previous} an {target.display_name}" + (f": {note}" if note else "")
        log_task_event(session, task.id, user.id, TaskAction.HANDED_OVER, detail, now)
        session.flush()
        return task_row(session, task, now)


def bulk_assign(actor_id: int, task_ids: Sequence[int], to_user_id: int, *, now: datetime | None = None) -> int:
    """A team lead gives several tasks to one person at once; done tasks are left alone.

    Returns how many tasks changed hands. All in one transaction: either every listed task moves,
    or (on an error) none does.
    """
    now = resolve_now(now)
    with db.session_scope() as session:
        user = backoffice_staff(session, actor_id)
        if not is_lead_user(user):
            raise TaskError("Nur die Teamleitung kann Aufgaben zuweisen.")
        target = session.get(StaffUser, to_user_id)
        if target is None or not target.active or target.office_id != user.office_id:
            raise TaskError("Diese Person gibt es in Ihrem Bürgerbüro nicht.")
        if target.role not in BACKOFFICE_ROLES:
            raise TaskError(f"{target.display_name} arbeitet nicht in der Nacharbeit.")
        if not task_ids:
            raise TaskError("Bitte wählen Sie mindestens eine Aufgabe aus.")
        tasks = session.exec(
            select(BackofficeTask)
            .where(col(BackofficeTask.id).in_(list(task_ids)), BackofficeTask.office_id == user.office_id)
            .with_for_update()
        ).all()
        moved = 0
        for task in tasks:
            if task.status == TaskStatus.DONE or task.assignee_id == target.id:
                continue
            previous = staff_name(session, task.assignee_id) or "niemandem"
            task.assignee_id = target.id
            if task.status == TaskStatus.IN_PROGRESS:
                task.status = TaskStatus.OPEN
            touch(task, now)
            log_task_event(
                session, task.id, user.id, TaskAction.ASSIGNED, f"von {previous} an {target.display_name}", now
            )
            moved += 1
        return moved


def record_outcome(
    actor_id: int,
    task_id: int,
    outcome: str,
    *,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> TaskRow:
    """Save what was done or found (e.g. "Versicherungsnachweis liegt vor") without closing the task."""
    now = resolve_now(now)
    outcome = clean_text(outcome, TEXT_MAX, "Das Ergebnis")
    with db.session_scope() as session:
        user = backoffice_staff(session, actor_id)
        task = task_in_office(session, task_id, user, lock=True)
        check_may_change(task, user)
        check_version(session, task, expected_version)
        if outcome == task.outcome:
            return task_row(session, task, now)
        task.outcome = outcome
        touch(task, now)
        log_task_event(session, task.id, user.id, TaskAction.OUTCOME, outcome, now)
        session.flush()
        return task_row(session, task, now)


def set_status(
    actor_id: int,
    task_id: int,
    status: str,
    *,
    outcome: str | None = None,
    note: str = "",
    expected_version: int | None = None,
    now: datetime | None = None,
) -> TaskRow:
    """Move a task to open, in progress, waiting for reply or done.

    Closing needs an outcome (given here or recorded before): a done task must say what became of
    it. Reopening a done task clears its closing time. Setting the status it already has changes
    nothing, so a double click closes once.
    """
    now = resolve_now(now)
    if status not in set(TaskStatus):
        raise TaskError(f"Unbekannter Status: {status}")
    note = clean_text(note, TEXT_MAX, "Die Notiz")
    with db.session_scope() as session:
        user = backoffice_staff(session, actor_id)
        task = task_in_office(session, task_id, user, lock=True)
        check_may_change(task, user)
        if task.status == status and (outcome is None or outcome.strip() == task.outcome):
            return task_row(session, task, now)
        check_version(session, task, expected_version)
        if outcome is not None:
            cleaned = clean_text(outcome, TEXT_MAX, "Das Ergebnis")
            if cleaned != task.outcome:
                task.outcome = cleaned
                log_task_event(session, task.id, user.id, TaskAction.OUTCOME, cleaned, now)
        if status == TaskStatus.DONE and not task.outcome:
            raise TaskError("Bitte erfassen Sie vor dem Abschließen das Ergebnis.")
        if task.status != status:
            detail = f"{status_label(task.status)} → {status_label(status)}" + (f": {note}" if note else "")
            log_task_event(session, task.id, user.id, TaskAction.STATUS, detail, now)
            task.status = status
            task.closed_at = now if status == TaskStatus.DONE else None
            if task.assignee_id is None and status != TaskStatus.OPEN:
                task.assignee_id = user.id
        touch(task, now)
        session.flush()
        return task_row(session, task, now)


def add_note(actor_id: int, task_id: int, note: str, *, now: datetime | None = None) -> None:
    """Write a note into a task's history (a phone call, a reminder sent) without changing the task."""
    now = resolve_now(now)
    note = clean_text(note, TEXT_MAX, "Die Notiz")
    if not note:
        raise TaskError("Die Notiz ist leer.")
    with db.session_scope() as session:
        user = backoffice_staff(session, actor_id)
        task = task_in_office(session, task_id, user, lock=True)
        log_task_event(session, task.id, user.id, TaskAction.NOTE, note, now)
