"""Plain values for the back-office task list: filter choices, and service results turned into dicts.

Split from `state/backoffice.py` so that the state class keeps its vars and event handlers and little else.
Nothing here touches Reflex state: the page reads the choices, the state's handlers call the functions.
"""

from datetime import date, datetime, timedelta

from workstation import clock
from workstation.models import TaskPriority, TaskType
from workstation.services.backoffice import task_model
from workstation.services.backoffice.labels import PRIORITY_LABELS, STATUS_LABELS, TYPE_LABELS
from workstation.services.backoffice.task_model import TaskFilter

ALL = "alle"
MINE = "mine"
NOBODY = "none"
DUE_OVERDUE, DUE_TODAY, DUE_WEEK = "overdue", "today", "week"

TYPE_OPTIONS = [{"value": ALL, "label": "Alle Arten"}] + [{"value": k, "label": v} for k, v in TYPE_LABELS.items()]
STATUS_OPTIONS = [{"value": ALL, "label": "Alle offenen"}] + [
    {"value": k, "label": v} for k, v in STATUS_LABELS.items()
]
DUE_OPTIONS = [
    {"value": ALL, "label": "Beliebig fällig"},
    {"value": DUE_OVERDUE, "label": "Überfällig"},
    {"value": DUE_TODAY, "label": "Bis heute fällig"},
    {"value": DUE_WEEK, "label": "In 7 Tagen fällig"},
]
SORT_OPTIONS = [
    {"value": "due", "label": "Nach Fälligkeit"},
    {"value": "priority", "label": "Nach Priorität"},
    {"value": "created", "label": "Neueste zuerst"},
    {"value": "status", "label": "Nach Status"},
    {"value": "type", "label": "Nach Art"},
]
PRIORITY_OPTIONS = [{"value": k, "label": v} for k, v in PRIORITY_LABELS.items()]


def _day(value: date | None) -> str:
    return f"{value:%d.%m.%Y}" if value else ""


def _moment(value: datetime | None) -> str:
    return f"{clock.to_local(value):%d.%m.%Y %H:%M}" if value else ""


def task_row(row: task_model.TaskRow) -> dict:
    """One line of the list."""
    return {
        "id": row.id,
        "type_label": row.type_label,
        "title": row.title,
        "reference": row.reference,
        "due": _day(row.due_date),
        "priority": row.priority,
        "priority_label": row.priority_label,
        "status": row.status,
        "status_label": row.status_label,
        "assignee": row.assignee_name,
        "unassigned": row.assignee_id is None,
        "overdue": row.overdue,
        "due_today": row.due_today,
    }


def task_filter(type_filter: str, status_filter: str, assignee_filter: str, due_filter: str, search: str) -> TaskFilter:
    """The list's filter choices as the service's `TaskFilter`."""
    today = task_model.office_day(clock.now())
    due_until = {DUE_TODAY: today, DUE_WEEK: today + timedelta(days=7)}.get(due_filter)
    assignee = None
    if assignee_filter == NOBODY:
        assignee = task_model.UNASSIGNED
    elif assignee_filter.isdigit():
        assignee = int(assignee_filter)
    return TaskFilter(
        types=() if type_filter == ALL else (type_filter,),
        statuses=() if status_filter == ALL else (status_filter,),
        assignee_id=assignee,
        mine=assignee_filter == MINE,
        due_until=due_until,
        overdue_only=due_filter == DUE_OVERDUE,
        search=search,
    )


def count_figures(counts: task_model.TaskCounts) -> dict[str, int]:
    """The figures above the list."""
    return {
        "open": counts.open_total,
        "overdue": counts.overdue,
        "due_today": counts.due_today,
        "done_today": counts.done_today,
    }


def detail_fields(detail: task_model.TaskDetail) -> dict[str, str]:
    """The facts of the task detail dialog."""
    row = detail.row
    return {
        "title": row.title,
        "type_label": row.type_label,
        "reference": row.reference,
        "due": _day(row.due_date) or "ohne Frist",
        "overdue": "ja" if row.overdue else "",
        "priority_label": row.priority_label,
        "status": row.status,
        "status_label": row.status_label,
        "assignee": row.assignee_name or "niemand",
        "description": detail.description,
        "created_by": detail.created_by or "System",
        "created_at": _moment(row.created_at),
        "closed_at": _moment(row.closed_at),
    }


def history_rows(history: list[task_model.TaskHistoryEntry]) -> list[dict[str, str]]:
    """A task's history, newest first."""
    return [
        {"at": _moment(h.at), "who": h.user_name, "what": h.action_label, "detail": h.detail} for h in reversed(history)
    ]


def file_rows(files: list[task_model.AttachmentInfo]) -> list[dict[str, str]]:
    """A task's attachments as listed in the detail dialog."""
    return [
        {
            "id": str(f.id),
            "name": f.filename,
            "size": f"{max(1, round(f.size_bytes / 1024))} KB",
            "by": f.uploaded_by,
            "at": _moment(f.uploaded_at),
        }
        for f in files
    ]


def new_task_fields(form: dict) -> dict:
    """The form "Neue Aufgabe" as arguments of `create_task_by_hand`; ValueError for an invalid due date."""
    raw_due = str(form.get("due_date", "")).strip()
    return {
        "task_type": str(form.get("task_type") or TaskType.CITIZEN_EMAIL),
        "title": str(form.get("title", "")),
        "reference": str(form.get("reference", "")),
        "description": str(form.get("description", "")),
        "due_date": date.fromisoformat(raw_due) if raw_due else None,
        "priority": str(form.get("priority") or TaskPriority.NORMAL),
    }
