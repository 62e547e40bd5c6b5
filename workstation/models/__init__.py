"""SQLModel tables of the office domain; importing this package registers every table."""

from workstation.models.audit import AuditLog
from workstation.models.backoffice import BackofficeTask, TaskAttachment, TaskEvent
from workstation.models.briefing import BriefingNote
from workstation.models.catalogue import Service
from workstation.models.controlling import BookingCapacity, FeedbackEntry, OnlineServiceRecord
from workstation.models.documents import DocumentApplication
from workstation.models.enums import (
    ApplicationStatus,
    Area,
    AuditAction,
    BookingChannel,
    ConcernStatus,
    CounterKind,
    DocumentType,
    NoteKind,
    NotifyChannel,
    OfficeKind,
    OutboxStatus,
    PlateStatus,
    Role,
    TaskAction,
    TaskPriority,
    TaskStatus,
    TaskType,
    VisitEventKind,
    VisitKind,
    VisitStatus,
    WorkMode,
)
from workstation.models.feed import FeedMessage, FeedRejection, StatusLookup
from workstation.models.login import LoginFailure
from workstation.models.metrics import DailyMetric, MetricName
from workstation.models.office import Counter, Office, StaffAssignment, StaffUser, UserSession
from workstation.models.outbox import Notification
from workstation.models.people import Citizen, Dealer
from workstation.models.retention import RetentionRun
from workstation.models.task_sources import TaskSourceKey
from workstation.models.visits import Concern, ReservedPlate, Visit, VisitEvent
from workstation.models.workday import WorkModeOverride

__all__ = [
    "ApplicationStatus",
    "Area",
    "AuditAction",
    "AuditLog",
    "BackofficeTask",
    "BookingCapacity",
    "BookingChannel",
    "BriefingNote",
    "Citizen",
    "Concern",
    "ConcernStatus",
    "Counter",
    "CounterKind",
    "DailyMetric",
    "Dealer",
    "DocumentApplication",
    "DocumentType",
    "FeedMessage",
    "FeedRejection",
    "FeedbackEntry",
    "LoginFailure",
    "MetricName",
    "NoteKind",
    "Notification",
    "NotifyChannel",
    "Office",
    "OfficeKind",
    "OnlineServiceRecord",
    "OutboxStatus",
    "PlateStatus",
    "ReservedPlate",
    "RetentionRun",
    "Role",
    "Service",
    "StaffAssignment",
    "StaffUser",
    "StatusLookup",
    "TaskAction",
    "TaskAttachment",
    "TaskEvent",
    "TaskPriority",
    "TaskSourceKey",
    "TaskStatus",
    "TaskType",
    "UserSession",
    "Visit",
    "VisitEvent",
    "VisitEventKind",
    "VisitKind",
    "VisitStatus",
    "WorkMode",
    "WorkModeOverride",
]
