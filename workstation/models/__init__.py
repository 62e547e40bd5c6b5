"""SQLModel tables of the office domain; importing this package registers every table."""

from workstation.models.audit import AuditLog
from workstation.models.backoffice import BackofficeTask, TaskAttachment, TaskEvent
from workstation.models.booking import (
    BookingAccess,
    BookingAttempt,
    BookingLane,
    ClosingDay,
    Reservation,
    ServiceConflict,
    SlotClaim,
    UsedChallenge,
)
from workstation.models.briefing import BriefingNote
from workstation.models.catalogue import Service
from workstation.models.controlling import BookingCapacity, FeedbackEntry, LeadTimeRecord, OnlineServiceRecord
from workstation.models.documents import DocumentApplication
from workstation.models.enums import (
    ApplicationStatus,
    Area,
    AuditAction,
    BookingChannel,
    CheckinRefusal,
    ConcernStatus,
    CounterKind,
    DeviceKind,
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
from workstation.models.lobby import CheckinAttempt, LobbyDevice, TicketSequence
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
    "BookingAccess",
    "BookingAttempt",
    "BookingCapacity",
    "BookingChannel",
    "BookingLane",
    "BriefingNote",
    "CheckinAttempt",
    "CheckinRefusal",
    "Citizen",
    "ClosingDay",
    "Concern",
    "ConcernStatus",
    "Counter",
    "CounterKind",
    "DailyMetric",
    "Dealer",
    "DeviceKind",
    "DocumentApplication",
    "DocumentType",
    "FeedMessage",
    "FeedRejection",
    "FeedbackEntry",
    "LeadTimeRecord",
    "LobbyDevice",
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
    "Reservation",
    "ReservedPlate",
    "RetentionRun",
    "Role",
    "Service",
    "ServiceConflict",
    "SlotClaim",
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
    "TicketSequence",
    "UsedChallenge",
    "UserSession",
    "Visit",
    "VisitEvent",
    "VisitEventKind",
    "VisitKind",
    "VisitStatus",
    "WorkMode",
    "WorkModeOverride",
]
