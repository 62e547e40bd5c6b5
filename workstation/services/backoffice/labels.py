"""German names of the back-office task types, statuses and priorities, as staff read them."""

from workstation.models.enums import TaskAction, TaskPriority, TaskStatus, TaskType

TYPE_LABELS: dict[str, str] = {
    TaskType.LICENCE_WITHDRAWAL: "Fahrerlaubnisentzug",
    TaskType.INSURANCE_NOTICE: "Versicherungsanzeige",
    TaskType.BDR_CORRESPONDENCE: "Bundesdruckerei",
    TaskType.AUTHORITY_REQUEST: "Behördenanfrage",
    TaskType.CITIZEN_EMAIL: "Bürger-E-Mail",
}

STATUS_LABELS: dict[str, str] = {
    TaskStatus.OPEN: "Offen",
    TaskStatus.IN_PROGRESS: "In Bearbeitung",
    TaskStatus.WAITING: "Wartet auf Antwort",
    TaskStatus.DONE: "Erledigt",
}

PRIORITY_LABELS: dict[str, str] = {
    TaskPriority.LOW: "Niedrig",
    TaskPriority.NORMAL: "Normal",
    TaskPriority.HIGH: "Hoch",
    TaskPriority.URGENT: "Dringend",
}

ACTION_LABELS: dict[str, str] = {
    TaskAction.CREATED: "Angelegt",
    TaskAction.CLAIMED: "Übernommen",
    TaskAction.HANDED_OVER: "Übergeben",
    TaskAction.ASSIGNED: "Zugewiesen",
    TaskAction.STATUS: "Status geändert",
    TaskAction.OUTCOME: "Ergebnis erfasst",
    TaskAction.ATTACHMENT: "Anhang",
    TaskAction.NOTE: "Notiz",
}


def type_label(value: str) -> str:
    """German name of a task type (the raw value if unknown, so nothing disappears)."""
    return TYPE_LABELS.get(value, value)


def status_label(value: str) -> str:
    """German name of a task status."""
    return STATUS_LABELS.get(value, value)


def priority_label(value: str) -> str:
    """German name of a task priority."""
    return PRIORITY_LABELS.get(value, value)


def action_label(value: str) -> str:
    """German name of a history entry's kind."""
    return ACTION_LABELS.get(value, value)
