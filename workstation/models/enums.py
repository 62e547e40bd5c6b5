"""Enumerations of the office domain.

Columns store the enum *value* as plain text (not a database enum type) so that the same schema works
on SQLite and PostgreSQL and a new value needs no ALTER TYPE migration.
"""

from enum import StrEnum


class Role(StrEnum):
    """What a staff member may do; each role has its own navigation."""

    ADVISOR = "advisor"
    RECEPTION = "reception"
    PICKUP = "pickup"
    TEAM_LEAD = "team_lead"
    CONTROLLING = "controlling"
    ADMIN = "admin"
    CITY_ADMIN = "city_admin"


class OfficeKind(StrEnum):
    """Kinds of offices a city runs in one installation; each has its own catalogue."""

    CITIZEN_OFFICE = "buergerbuero"
    FOREIGNERS_OFFICE = "auslaenderbehoerde"
    REGISTRY_OFFICE = "standesamt"
    HOUSING_BENEFIT_OFFICE = "wohngeldstelle"


class Area(StrEnum):
    """The office's areas of work, as the 2022 statistics count them."""

    REGISTRATION = "registration"
    ID_DOCUMENTS = "id_documents"
    VEHICLES = "vehicles"
    DRIVING_LICENCES = "driving_licences"
    PARTNER = "partner"


class CounterKind(StrEnum):
    """Kinds of desks on the floor."""

    REGULAR = "regular"
    DEALER = "dealer"
    RECEPTION = "reception"
    PICKUP = "pickup"


class VisitKind(StrEnum):
    """How a person came to be in the queue."""

    APPOINTMENT = "appointment"
    WALK_IN = "walk_in"
    EMERGENCY = "emergency"
    DEALER = "dealer"


class VisitStatus(StrEnum):
    """Where a visit stands; the timestamps on the visit record when each step happened."""

    BOOKED = "booked"
    WAITING = "waiting"
    CALLED = "called"
    IN_SERVICE = "in_service"
    PARKED = "parked"
    FINISHED = "finished"
    NO_SHOW = "no_show"
    CANCELLED = "cancelled"


class ConcernStatus(StrEnum):
    """Outcome of one concern of a visit."""

    PLANNED = "planned"
    DONE = "done"
    NOT_DONE = "not_done"


class BookingChannel(StrEnum):
    """Where an appointment was booked."""

    ONLINE = "online"
    PHONE = "phone"
    COUNTER = "counter"


class PlateStatus(StrEnum):
    """Lifecycle of a reserved licence plate (Wunschkennzeichen)."""

    RESERVED = "reserved"
    ASSIGNED = "assigned"
    EXPIRED = "expired"
    RELEASED = "released"


class DocumentType(StrEnum):
    """Document kinds the Bundesdruckerei produces (codes from the Versandavis feed)."""

    ID_CARD = "PA"
    PASSPORT = "RP"
    EXPRESS_PASSPORT = "RPX"
    RESIDENCE_PERMIT = "EAT"
    DRIVING_LICENCE = "FS"


class ApplicationStatus(StrEnum):
    """Lifecycle of an identity-document application, from order to hand-over."""

    APPLIED = "applied"
    SHIPPED = "shipped"
    ARRIVED = "arrived"
    HANDED_OVER = "handed_over"
    DIRECT_MAIL = "direct_mail"
    CANCELLED = "cancelled"
    RETURNED = "returned"


class NotifyChannel(StrEnum):
    """How a citizen chose to be told that a document is ready."""

    EMAIL = "email"
    SMS = "sms"
    NONE = "none"


class TaskType(StrEnum):
    """Back-office work done after the booked appointments."""

    LICENCE_WITHDRAWAL = "licence_withdrawal"
    INSURANCE_NOTICE = "insurance_notice"
    BDR_CORRESPONDENCE = "bdr_correspondence"
    AUTHORITY_REQUEST = "authority_request"
    CITIZEN_EMAIL = "citizen_email"


class TaskStatus(StrEnum):
    """Status of a back-office task."""

    OPEN = "open"
    IN_PROGRESS = "in_progress"
    WAITING = "waiting"
    DONE = "done"


class TaskAction(StrEnum):
    """Kinds of entries in a back-office task's history."""

    CREATED = "created"
    CLAIMED = "claimed"
    HANDED_OVER = "handed_over"
    ASSIGNED = "assigned"
    STATUS = "status"
    OUTCOME = "outcome"
    ATTACHMENT = "attachment"
    NOTE = "note"


class WorkMode(StrEnum):
    """What an advisor's workstation shows: the customer queue or the back-office list."""

    QUEUE = "queue"
    BACKOFFICE = "backoffice"


class TaskPriority(StrEnum):
    """Priority of a back-office task."""

    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"


class OutboxStatus(StrEnum):
    """Delivery state of a queued notification."""

    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"
    CANCELLED = "cancelled"


class NoteKind(StrEnum):
    """Briefing board entries."""

    NEWS = "news"
    QUESTION = "question"


class AuditAction(StrEnum):
    """What was done with citizen data."""

    READ = "read"
    CHANGE = "change"
    LOGIN = "login"
    LOGIN_FAILED = "login_failed"
    DENIED = "denied"


class VisitEventKind(StrEnum):
    """Steps recorded in a visit's history (VisitEvent.kind)."""

    CHECK_IN = "check_in"
    WALK_IN = "walk_in"
    EMERGENCY = "emergency"
    CALL = "call"
    CALL_OUT_OF_ORDER = "call_out_of_order"
    RECALL = "recall"
    NO_SHOW = "no_show"
    START = "start"
    PARK = "park"
    RESUME = "resume"
    REDIRECT = "redirect"
    FINISH = "finish"


class DeviceKind(StrEnum):
    """Kinds of lobby devices (kiosk browsers paired with a device token)."""

    CHECKIN = "checkin"
    DISPLAY = "display"
    FEEDBACK = "feedback"


class CheckinRefusal(StrEnum):
    """Why a scan at the check-in terminal checked nobody in (reception sees it)."""

    UNKNOWN = "unknown"
    TOO_LATE = "too_late"
    CANCELLED = "cancelled"
    OTHER_DAY = "other_day"
    NO_SHOW = "no_show"
