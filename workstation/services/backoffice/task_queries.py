"""Reading the back-office task list: filtered and sorted pages, one task's detail, counts for the board."""

from datetime import date, datetime

from sqlalchemy import case, func, or_
from sqlmodel import col, select

from workstation import clock, db
from workstation.models import (
    BackofficeTask,
    StaffUser,
    TaskAttachment,
    TaskEvent,
    TaskPriority,
    TaskStatus,
    TaskType,
)
from workstation.services.backoffice.labels import (
    action_label,
)
from workstation.services.backoffice.task_model import (
    BACKOFFICE_ROLES,
    LIST_LIMIT,
    OPEN_STATUSES,
    UNASSIGNED,
    AttachmentInfo,
    StaffChoice,
    TaskCounts,
    TaskDetail,
    TaskFilter,
    TaskHistoryEntry,
    TaskPage,
    backoffice_staff,
    is_lead_user,
    office_day,
    resolve_now,
    staff_names,
    task_in_office,
    task_row,
    task_rows,
)

_PRIORITY_RANK = {TaskPriority.URGENT: 0, TaskPriority.HIGH: 1, TaskPriority.NORMAL: 2, TaskPriority.LOW: 3}
_STATUS_RANK = {TaskStatus.OPEN: 0, TaskStatus.IN_PROGRESS: 1, TaskStatus.WAITING: 2, TaskStatus.DONE: 3}


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
    offset: int = 0,
    now: datetime | None = None,
) -> TaskPage:
    """The actor's office's tasks matching the filter, sorted ("due", "priority", "created", "status", "type").

    Sorting by due date puts tasks without a date last and breaks ties by priority, so the most
    pressing work is on top. `limit` and `offset` give one page; `total` counts the whole selection.
    """
    now = resolve_now(now)
    flt = flt or TaskFilter()
    with db.session_scope() as session:
        user = backoffice_staff(session, actor_id)
        today = office_day(now)
        total = session.exec(_filtered(select(func.count()).select_from(BackofficeTask), user, flt, today)).one()
        tasks = session.exec(_filtered(select(BackofficeTask), user, flt, today).order_by(*_order(sort))
                             .offset(max(offset, 0)).limit(limit))
        return TaskPage(rows=task_rows(session, tasks.all(), now), total=total)


def get_task(actor_id: int, task_id: int, *, now: datetime | None = None) -> TaskDetail:
    """A task with its full history and attachments, for the detail view."""
    now = resolve_now(now)
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
        names = staff_names(session, ids)
        return TaskDetail(
            row=task_row(session, task, now),
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
            may_change=task.assignee_id == user.id or is_lead_user(user),
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
        return is_lead_user(backoffice_staff(session, actor_id))


# --- figures -------------------------------------------------------------------------------------------------------


def task_counts(office_id: int, *, now: datetime | None = None) -> TaskCounts:
    """Back-office figures of one office for the briefing board and the controlling job.

    "Today" is the Berlin calendar day of `now`; overdue means past the due date and not done.
    `by_status` counts the unfinished statuses; finished work is `done_today`. The open tasks are
    read once, grouped, so the figures agree with each other and stay fast with a year of done cases.
    """
    now = resolve_now(now)
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
