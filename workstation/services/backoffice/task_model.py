"""Back-office tasks as the screens see them, and the rules every task action shares.

Creating, reading and changing tasks (`tasks`, `task_queries`) all go through these checks, so who
may do what is decided in one place, against the staff record in the database:
- back-office staff (advisors, pickup desk, team leads, admins) see their office's tasks and claim
  unassigned ones;
- only the assignee or a team lead changes a task's status, outcome or owner;
- only team leads assign tasks in bulk.
"""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlmodel import Session, col, select

from workstation import clock, db
from workstation.models import (
    BackofficeTask,
    Role,
    StaffUser,
    TaskAction,
    TaskEvent,
    TaskStatus,
)
from workstation.services.backoffice.labels import (
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


def resolve_now(now: datetime | None) -> datetime:
    return now if now is not None else clock.now()


def backoffice_staff(session: Session, user_id: int) -> StaffUser:
    """The acting member of staff, re-read from the database; refuses inactive users and other roles."""
    user = session.get(StaffUser, user_id)
    if user is None or not user.active:
        raise TaskError("Unbekanntes oder gesperrtes Benutzerkonto.")
    if user.role not in BACKOFFICE_ROLES:
        raise TaskError("Ihre Rolle hat keinen Zugriff auf die Nacharbeit.")
    return user


def is_lead_user(user: StaffUser) -> bool:
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


def staff_name(session: Session, user_id: int | None) -> str:
    if user_id is None:
        return ""
    user = session.get(StaffUser, user_id)
    return user.display_name if user else f"#{user_id}"


def staff_names(session: Session, user_ids: set[int]) -> dict[int, str]:
    if not user_ids:
        return {}
    users = session.exec(select(StaffUser).where(col(StaffUser.id).in_(user_ids))).all()
    return {u.id: u.display_name for u in users}


def log_task_event(
    session: Session, task_id: int, user_id: int | None, action: TaskAction, detail: str, now: datetime
) -> None:
    """Add one entry to a task's history, in the caller's transaction."""
    session.add(TaskEvent(task_id=task_id, at=now, user_id=user_id, action=action, detail=detail))


def clean_text(value: str, limit: int, what: str) -> str:
    text = (value or "").strip()
    if len(text) > limit:
        raise TaskError(f"{what} ist zu lang (höchstens {limit} Zeichen).")
    return text


def check_may_change(task: BackofficeTask, user: StaffUser) -> None:
    """Only the assignee or a team lead changes a task; a free task must be claimed first."""
    if task.assignee_id == user.id or is_lead_user(user):
        return
    if task.assignee_id is None:
        raise TaskError("Bitte übernehmen Sie die Aufgabe zuerst.")
    raise TaskError("Nur die zuständige Person oder die Teamleitung kann diese Aufgabe ändern.")


def check_version(session: Session, task: BackofficeTask, expected_version: int | None) -> None:
    if expected_version is not None and task.version != expected_version:
        last = session.exec(
            select(TaskEvent).where(TaskEvent.task_id == task.id).order_by(col(TaskEvent.id).desc())
        ).first()
        who = staff_name(session, last.user_id) if last else ""
        by = f" von {who}" if who else ""
        raise TaskError(f"Die Aufgabe wurde inzwischen{by} geändert. Bitte sehen Sie sich den neuen Stand an.")


def touch(task: BackofficeTask, now: datetime) -> None:
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


def task_rows(session: Session, tasks: Sequence[BackofficeTask], now: datetime) -> list[TaskRow]:
    names = staff_names(session, {t.assignee_id for t in tasks if t.assignee_id})
    today = office_day(now)
    return [_row(t, names, today) for t in tasks]


def task_row(session: Session, task: BackofficeTask, now: datetime) -> TaskRow:
    return task_rows(session, [task], now)[0]


@contextmanager
def within(session: Session | None) -> Iterator[Session]:
    """The caller's session (its transaction), or a new one that commits on its own."""
    if session is not None:
        yield session
        return
    with db.session_scope() as own:
        yield own
