"""The back-office task list: create, list, claim, hand over, assign, change status, count.

Every change writes a `TaskEvent`, so a task's history is complete. Who may do what is checked
here, against the staff record in the database, not only in the UI:
- back-office staff (advisors, pickup desk, team leads, admins) see their office's tasks and claim
  unassigned ones;
- only the assignee or a team lead changes a task's status, outcome or owner;
- only team leads assign tasks in bulk.

Claiming is one conditional UPDATE (unassigned, not done): of two people pressing at the same
moment exactly one gets the task, the other a German message naming who has it.
"""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import and_, case, func, or_, update
from sqlmodel import Session, col, select

from workstation import clock, db
from workstation.models import (
    BackofficeTask,
    Role,
    StaffUser,
    TaskAction,
    TaskAttachment,
    TaskEvent,
    TaskPriority,
    TaskSourceKey,
    TaskStatus,
    TaskType,
)
from workstation.services.task_labels import (
    action_label,
    priority_label,
    status_label,
    type_label,
)

BACKOFFICE_ROLES = frozenset({Role.ADVISOR, Role.PICKUP, Role.TEAM_LEAD, Role.ADMIN})
LEAD_ROLES = frozenset({Role.TEAM_LEAD, Role.ADMIN})
TITLE_MAX = 200
TEXT_MAX = 4000
LIST_LIMIT = 200

UNASSIGNED = -1
"""Assignee filter value meaning "nobody has it yet"."""

SORTS = ("due", "priority", "created", "status", "type")

OPEN_STATUSES = (TaskStatus.OPEN, TaskStatus.IN_PROGRESS, TaskStatus.WAITING)
"""Every status but done; filters name them (an IN uses the status index, a != would scan every case)."""

_PRIORITY_RANK = {TaskPriority.URGENT: 0, TaskPriority.HIGH: 1, TaskPriority.NORMAL: 2, TaskPriority.LOW: 3}
_STATUS_RANK = {TaskStatus.OPEN: 0, TaskStatus.IN_PROGRESS: 1, TaskStatus.WAITING: 2, TaskStatus.DONE: 3}


class TaskError(Exception):
    """A refused task action; the message is German and meant for the member of staff."""


@dataclass(frozen=True)
class TaskRow:
    """One line of the task list, with everything the list shows."""

    id: int
    type: str
    type_label: str
    title: str
    reference: str
    due_date: date | None
    priority: str
    priority_label: str
    status: str
    status_label: str
    assignee_id: int | None
    assignee_name: str
    overdue: bool
    due_today: bool
    version: int
    source: str
    created_at: datetime
    closed_at: datetime | None


@dataclass(frozen=True)
class TaskHistoryEntry:
    """One change of a task, for its history."""

    at: datetime
    user_name: str
    action: str
    action_label: str
    detail: str


@dataclass(frozen=True)
class AttachmentInfo:
    """An attached file as the detail view lists it (the stored path stays on the server)."""

    id: int
    filename: str
    content_type: str
    size_bytes: int
    uploaded_by: str
    uploaded_at: datetime


@dataclass(frozen=True)
class TaskDetail:
    """A task with its description, outcome, history and attachments."""

    row: TaskRow
    description: str
    outcome: str
    created_by: str
    history: list[TaskHistoryEntry]
    attachments: list[AttachmentInfo]
    may_change: bool


@dataclass(frozen=True)
class TaskFilter:
    """What the list shows; empty tuples and None mean "no restriction".

    Attributes:
        types: task types to show.
        statuses: statuses to show; empty shows all but done tasks unless `include_done`.
        assignee_id: a staff id, or `UNASSIGNED` for tasks nobody has yet.
        mine: only the acting user's tasks (wins over `assignee_id`).
        due_until: due on or before this day (tasks without due date are left out).
        overdue_only: only tasks past their due date and not done.
        search: part of the title or the reference (case-insensitive).
        include_done: also show done tasks when no status is chosen.
    """

    types: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    assignee_id: int | None = None
    mine: bool = False
    due_until: date | None = None
    overdue_only: bool = False
    search: str = ""
    include_done: bool = False


@dataclass(frozen=True)
class TaskPage:
    """The rows of one list view and how many tasks matched in all."""

    rows: list[TaskRow]
    total: int


@dataclass(frozen=True)
class TaskCounts:
    """Back-office figures for the briefing board (open = every status but done)."""

    by_status: dict[str, int] = field(default_factory=dict)
    open_by_type: dict[str, int] = field(default_factory=dict)
    open_total: int = 0
    overdue: int = 0
    due_today: int = 0
    done_today: int = 0
    created_today: int = 0


@dataclass(frozen=True)
class StaffChoice:
    """A member of staff a task can be given to."""

    id: int
    name: str


def office_day(now: datetime) -> date:
    """The Berlin calendar day of a stored (naive UTC) instant."""
    return clock.to_local(now).date()


# --- access and helpers -----------------------------------------------------------------------------------------------


def _now(now: datetime | None) -> datetime:
    return now if now is not None else clock.now()


def backoffice_staff(session: Session, user_id: int) -> StaffUser:
    """The acting member of staff, re-read from the database; refuses inactive users and other roles."""
    user = session.get(StaffUser, user_id)
    if user is None or not user.active:
        raise TaskError("Unbekanntes oder gesperrtes Benutzerkonto.")
    if user.role not in BACKOFFICE_ROLES:
        raise TaskError("Ihre Rolle hat keinen Zugriff auf die Nacharbeit.")
    return user


def _is_lead(user: StaffUser) -> bool:
    return user.role in LEAD_ROLES


def task_in_office(session: Session, task_id: int, user: StaffUser, *, lock: bool = False) -> BackofficeTask:
    """A task of the user's office (another office's task does not exist for them); `lock` for changes."""
    query = select(BackofficeTask).where(BackofficeTask.id == task_id)
    if lock:
        query = query.with_for_update()
    task = session.exec(query).first()
    if task is None or task.office_id != user.office_id:
        raise TaskError("Diese Aufgabe gibt es nicht (mehr).")
    return task


def _name(session: Session, user_id: int | None) -> str:
    if user_id is None:
        return ""
    user = session.get(StaffUser, user_id)
    return user.display_name if user else f"#{user_id}"


def _names(session: Session, user_ids: set[int]) -> dict[int, str]:
    if not user_ids:
        return {}
    users = session.exec(select(StaffUser).where(col(StaffUser.id).in_(user_ids))).all()
    return {u.id: u.display_name for u in users}


def log_task_event(
    session: Session, task_id: int, user_id: int | None, action: TaskAction, detail: str, now: datetime
) -> None:
    """Add one entry to a task's history, in the caller's transaction."""
    session.add(TaskEvent(task_id=task_id, at=now, user_id=user_id, action=action, detail=detail))


def _clean_text(value: str, limit: int, what: str) -> str:
    text = (value or "").strip()
    if len(text) > limit:
        raise TaskError(f"{what} ist zu lang (höchstens {limit} Zeichen).")
    return text


def check_may_change(task: BackofficeTask, user: StaffUser) -> None:
    """Only the assignee or a team lead changes a task; a free task must be claimed first."""
    if task.assignee_id == user.id or _is_lead(user):
        return
    if task.assignee_id is None:
        raise TaskError("Bitte übernehmen Sie die Aufgabe zuerst.")
    raise TaskError("Nur die zuständige Person oder die Teamleitung kann diese Aufgabe ändern.")


def _check_version(session: Session, task: BackofficeTask, expected_version: int | None) -> None:
    if expected_version is not None and task.version != expected_version:
        last = session.exec(
            select(TaskEvent).where(TaskEvent.task_id == task.id).order_by(col(TaskEvent.id).desc())
        ).first()
        who = _name(session, last.user_id) if last else ""
        by = f" von {who}" if who else ""
        raise TaskError(f"Die Aufgabe wurde inzwischen{by} geändert. Bitte sehen Sie sich den neuen Stand an.")


def _touch(task: BackofficeTask, now: datetime) -> None:
    task.updated_at = now
    task.version += 1


def _row(task: BackofficeTask, names: dict[int, str], today: date) -> TaskRow:
    open_ = task.status != TaskStatus.DONE
    return TaskRow(
        id=task.id,
        type=task.type,
        type_label=type_label(task.type),
        title=task.title,
        reference=task.reference,
        due_date=task.due_date,
        priority=task.priority,
        priority_label=priority_label(task.priority),
        status=task.status,
        status_label=status_label(task.status),
        assignee_id=task.assignee_id,
        assignee_name=names.get(task.assignee_id, "") if task.assignee_id else "",
        overdue=open_ and task.due_date is not None and task.due_date < today,
        due_today=open_ and task.due_date == today,
        version=task.version,
        source=task.source,
        created_at=task.created_at,
        closed_at=task.closed_at,
    )


def _rows(session: Session, tasks: Sequence[BackofficeTask], now: datetime) -> list[TaskRow]:
    names = _names(session, {t.assignee_id for t in tasks if t.assignee_id})
    today = office_day(now)
    return [_row(t, names, today) for t in tasks]


def _one_row(session: Session, task: BackofficeTask, now: datetime) -> TaskRow:
    return _rows(session, [task], now)[0]


# --- creating ------------------------------------------------------------------------------------------------------


@contextmanager
def _within(session: Session | None) -> Iterator[Session]:
    """The caller's session (its transaction), or a new one that commits on its own."""
    if session is not None:
        yield session
        return
    with db.session_scope() as own:
        yield own



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
    with _within(session) as session:
        now = _now(now)
        if task_type not in set(TaskType):
            raise TaskError(f"Unbekannte Aufgabenart: {task_type}")
        if priority not in set(TaskPriority):
            raise TaskError(f"Unbekannte Priorität: {priority}")
        title = _clean_text(title, TITLE_MAX, "Der Titel")
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
            reference=_clean_text(reference, TITLE_MAX, "Das Aktenzeichen"),
            description=_clean_text(description, TEXT_MAX, "Die Beschreibung"),
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
            detail += f" – zugewiesen an {_name(session, assignee_id)}"
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
    now = _now(now)
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
        return _one_row(session, session.get(BackofficeTask, task_id), now)


def source_key_exists(session: Session, keys: Sequence[str]) -> dict[str, int]:
    """Which of these source keys already have a task: key → task id."""
    if not keys:
        return {}
    found = session.exec(select(TaskSourceKey).where(col(TaskSourceKey.key).in_(list(keys)))).all()
    return {k.key: k.task_id for k in found}


# --- reading -------------------------------------------------------------------------------------------------------


def _filtered(query, user: StaffUser, flt: TaskFilter, today: date):
    query = query.where(BackofficeTask.office_id == user.office_id)
    if flt.types:
        query = query.where(col(BackofficeTask.type).in_(flt.types))
    if flt.statuses:
        query = query.where(col(BackofficeTask.status).in_(flt.statuses))
    elif not flt.include_done:
        query = query.where(col(BackofficeTask.status).in_(OPEN_STATUSES))
    if flt.mine:
        query = query.where(BackofficeTask.assignee_id == user.id)
    elif flt.assignee_id == UNASSIGNED:
        query = query.where(col(BackofficeTask.assignee_id).is_(None))
    elif flt.assignee_id is not None:
        query = query.where(BackofficeTask.assignee_id == flt.assignee_id)
    if flt.due_until is not None:
        query = query.where(col(BackofficeTask.due_date).is_not(None), col(BackofficeTask.due_date) <= flt.due_until)
    if flt.overdue_only:
        query = query.where(col(BackofficeTask.due_date) < today, col(BackofficeTask.status).in_(OPEN_STATUSES))
    needle = flt.search.strip().lower()
    if needle:
        pattern = f"%{needle}%"
        query = query.where(
            or_(func.lower(BackofficeTask.title).like(pattern), func.lower(BackofficeTask.reference).like(pattern))
        )
    return query


def _order(sort: str):
    priority_rank = case(_PRIORITY_RANK, value=BackofficeTask.priority, else_=9)
    status_rank = case(_STATUS_RANK, value=BackofficeTask.status, else_=9)
    no_due_last = case((col(BackofficeTask.due_date).is_(None), 1), else_=0)
    by_due = (no_due_last, col(BackofficeTask.due_date), priority_rank)
    orders = {
        "due": (*by_due, col(BackofficeTask.id)),
        "priority": (priority_rank, *by_due, col(BackofficeTask.id)),
        "created": (col(BackofficeTask.created_at).desc(), col(BackofficeTask.id).desc()),
        "status": (status_rank, *by_due, col(BackofficeTask.id)),
        "type": (col(BackofficeTask.type), *by_due, col(BackofficeTask.id)),
    }
    return orders.get(sort, orders["due"])


def list_tasks(
    actor_id: int,
    flt: TaskFilter | None = None,
    *,
    sort: str = "due",
    limit: int = LIST_LIMIT,
    now: datetime | None = None,
) -> TaskPage:
    """The actor's office's tasks matching the filter, sorted ("due", "priority", "created", "status", "type").

    Sorting by due date puts tasks without a date last and breaks ties by priority, so the most
    pressing work is on top.
    """
    now = _now(now)
    flt = flt or TaskFilter()
    with db.session_scope() as session:
        user = backoffice_staff(session, actor_id)
        today = office_day(now)
        total = session.exec(_filtered(select(func.count()).select_from(BackofficeTask), user, flt, today)).one()
        tasks = session.exec(_filtered(select(BackofficeTask), user, flt, today).order_by(*_order(sort)).limit(limit))
        return TaskPage(rows=_rows(session, tasks.all(), now), total=total)


def get_task(actor_id: int, task_id: int, *, now: datetime | None = None) -> TaskDetail:
    """A task with its full history and attachments, for the detail view."""
    now = _now(now)
    with db.session_scope() as session:
        user = backoffice_staff(session, actor_id)
        task = task_in_office(session, task_id, user)
        events = session.exec(
            select(TaskEvent).where(TaskEvent.task_id == task_id).order_by(col(TaskEvent.at), col(TaskEvent.id))
        ).all()
        files = session.exec(
            select(TaskAttachment).where(TaskAttachment.task_id == task_id).order_by(col(TaskAttachment.id))
        ).all()
        ids = {e.user_id for e in events if e.user_id} | {f.uploaded_by for f in files if f.uploaded_by}
        ids |= {task.created_by} if task.created_by else set()
        names = _names(session, ids)
        return TaskDetail(
            row=_one_row(session, task, now),
            description=task.description,
            outcome=task.outcome,
            created_by=names.get(task.created_by, "") if task.created_by else "",
            history=[
                TaskHistoryEntry(
                    at=e.at,
                    user_name=names.get(e.user_id, "System") if e.user_id else "System",
                    action=e.action,
                    action_label=action_label(e.action),
                    detail=e.detail,
                )
                for e in events
            ],
            attachments=[
                AttachmentInfo(
                    id=f.id,
                    filename=f.filename,
                    content_type=f.content_type,
                    size_bytes=f.size_bytes,
                    uploaded_by=names.get(f.uploaded_by, "") if f.uploaded_by else "",
                    uploaded_at=f.uploaded_at,
                )
                for f in files
            ],
            may_change=task.assignee_id == user.id or _is_lead(user),
        )


def staff_choices(actor_id: int) -> list[StaffChoice]:
    """Active back-office staff of the actor's office, by name: who a task can be given to."""
    with db.session_scope() as session:
        user = backoffice_staff(session, actor_id)
        staff = session.exec(
            select(StaffUser)
            .where(
                StaffUser.office_id == user.office_id,
                col(StaffUser.active).is_(True),
                col(StaffUser.role).in_(list(BACKOFFICE_ROLES)),
            )
            .order_by(col(StaffUser.display_name))
        ).all()
        return [StaffChoice(id=s.id, name=s.display_name) for s in staff]


def is_lead(actor_id: int) -> bool:
    """Whether the user may assign tasks to others in bulk."""
    with db.session_scope() as session:
        return _is_lead(backoffice_staff(session, actor_id))


# --- changing ------------------------------------------------------------------------------------------------------


def claim_task(actor_id: int, task_id: int, *, now: datetime | None = None) -> TaskRow:
    """Take an unassigned task (or one given to me) and start working on it.

    One conditional UPDATE decides: it only matches while nobody else has the task. The loser of
    a race reads who won and gets a German message; pressing twice changes nothing the second time.
    """
    now = _now(now)
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
            return _one_row(session, task, now)
        if task.status == TaskStatus.DONE:
            raise TaskError("Diese Aufgabe ist bereits erledigt.")
        if task.assignee_id == user.id:
            return _one_row(session, task, now)
        raise TaskError(f"Diese Aufgabe hat bereits {_name(session, task.assignee_id)} übernommen.")


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
    now = _now(now)
    note = _clean_text(note, TEXT_MAX, "Die Notiz")
    with db.session_scope() as session:
        user = backoffice_staff(session, actor_id)
        task = task_in_office(session, task_id, user, lock=True)
        check_may_change(task, user)
        _check_version(session, task, expected_version)
        if task.status == TaskStatus.DONE:
            raise TaskError("Eine erledigte Aufgabe kann nicht übergeben werden.")
        target = session.get(StaffUser, to_user_id)
        if target is None or not target.active or target.office_id != user.office_id:
            raise TaskError("Diese Person gibt es in Ihrem Bürgerbüro nicht.")
        if target.role not in BACKOFFICE_ROLES:
            raise TaskError(f"{target.display_name} arbeitet nicht in der Nacharbeit.")
        if task.assignee_id == target.id:
            raise TaskError(f"Die Aufgabe liegt bereits bei {target.display_name}.")
        previous = _name(session, task.assignee_id) or "niemandem"
        task.assignee_id = target.id
        if task.status == TaskStatus.IN_PROGRESS:
            task.status = TaskStatus.OPEN
        _touch(task, now)
        detail = f"von {previous} an {target.display_name}" + (f": {note}" if note else "")
        log_task_event(session, task.id, user.id, TaskAction.HANDED_OVER, detail, now)
        session.flush()
        return _one_row(session, task, now)


def bulk_assign(actor_id: int, task_ids: Sequence[int], to_user_id: int, *, now: datetime | None = None) -> int:
    """A team lead gives several tasks to one person at once; done tasks are left alone.

    Returns how many tasks changed hands. All in one transaction: either every listed task moves,
    or (on an error) none does.
    """
    now = _now(now)
    with db.session_scope() as session:
        user = backoffice_staff(session, actor_id)
        if not _is_lead(user):
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
            previous = _name(session, task.assignee_id) or "niemandem"
            task.assignee_id = target.id
            if task.status == TaskStatus.IN_PROGRESS:
                task.status = TaskStatus.OPEN
            _touch(task, now)
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
    now = _now(now)
    outcome = _clean_text(outcome, TEXT_MAX, "Das Ergebnis")
    with db.session_scope() as session:
        user = backoffice_staff(session, actor_id)
        task = task_in_office(session, task_id, user, lock=True)
        check_may_change(task, user)
        _check_version(session, task, expected_version)
        if outcome == task.outcome:
            return _one_row(session, task, now)
        task.outcome = outcome
        _touch(task, now)
        log_task_event(session, task.id, user.id, TaskAction.OUTCOME, outcome, now)
        session.flush()
        return _one_row(session, task, now)


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
    now = _now(now)
    if status not in set(TaskStatus):
        raise TaskError(f"Unbekannter Status: {status}")
    note = _clean_text(note, TEXT_MAX, "Die Notiz")
    with db.session_scope() as session:
        user = backoffice_staff(session, actor_id)
        task = task_in_office(session, task_id, user, lock=True)
        check_may_change(task, user)
        if task.status == status and (outcome is None or outcome.strip() == task.outcome):
            return _one_row(session, task, now)
        _check_version(session, task, expected_version)
        if outcome is not None:
            cleaned = _clean_text(outcome, TEXT_MAX, "Das Ergebnis")
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
        _touch(task, now)
        session.flush()
        return _one_row(session, task, now)


def add_note(actor_id: int, task_id: int, note: str, *, now: datetime | None = None) -> None:
    """Write a note into a task's history (a phone call, a reminder sent) without changing the task."""
    now = _now(now)
    note = _clean_text(note, TEXT_MAX, "Die Notiz")
    if not note:
        raise TaskError("Die Notiz ist leer.")
    with db.session_scope() as session:
        user = backoffice_staff(session, actor_id)
        task = task_in_office(session, task_id, user, lock=True)
        log_task_event(session, task.id, user.id, TaskAction.NOTE, note, now)


# --- figures -------------------------------------------------------------------------------------------------------


def task_counts(office_id: int, *, now: datetime | None = None) -> TaskCounts:
    """Back-office figures of one office for the briefing board and the controlling job.

    "Today" is the Berlin calendar day of `now`; overdue means past the due date and not done.
    `by_status` counts the unfinished statuses; finished work is `done_today`. The open tasks are
    read once, grouped, so the figures agree with each other and stay fast with a year of done cases.
    """
    now = _now(now)
    today = office_day(now)
    start, end = clock.local_day_bounds(today)
    with db.session_scope() as session:
        mine = BackofficeTask.office_id == office_id
        groups = session.exec(
            select(BackofficeTask.status, BackofficeTask.type, BackofficeTask.due_date, func.count())
            .where(mine, col(BackofficeTask.status).in_(OPEN_STATUSES))
            .group_by(BackofficeTask.status, BackofficeTask.type, BackofficeTask.due_date)
        ).all()

        def count(*conditions) -> int:
            return session.exec(select(func.count()).select_from(BackofficeTask).where(mine, *conditions)).one()

        by_status = dict.fromkeys((s.value for s in OPEN_STATUSES), 0)
        open_by_type = dict.fromkeys((t.value for t in TaskType), 0)
        overdue = due_today = 0
        for status, task_type, due, n in groups:
            by_status[status] = by_status.get(status, 0) + n
            open_by_type[task_type] = open_by_type.get(task_type, 0) + n
            overdue += n if due is not None and due < today else 0
            due_today += n if due == today else 0
        return TaskCounts(
            by_status=by_status,
            open_by_type=open_by_type,
            open_total=sum(by_status.values()),
            overdue=overdue,
            due_today=due_today,
            done_today=count(col(BackofficeTask.closed_at) >= start, col(BackofficeTask.closed_at) < end),
            created_today=count(col(BackofficeTask.created_at) >= start, col(BackofficeTask.created_at) < end),
        )
