"""Stored results of the daily controlling job (long format: one row per figure)."""

from datetime import date
from enum import StrEnum

from pydantic import NaiveDatetime
from sqlmodel import Field, SQLModel, UniqueConstraint


class DailyMetric(SQLModel, table=True):
    """One figure for one day, office and (optionally) area and service.

    Empty strings mean "all": keeping the key columns NOT NULL lets the unique constraint hold.
    """

    __table_args__ = (
        UniqueConstraint("day", "office_id", "area", "service_code", "metric", name="uq_metric"),
    )

    id: int | None = Field(default=None, primary_key=True)
    day: date = Field(index=True)
    office_id: int = Field(foreign_key="office.id", index=True)
    area: str = ""
    service_code: str = ""
    metric: str = Field(index=True)
    value: float
    computed_at: NaiveDatetime


class MetricName(StrEnum):
    """Names of the stored daily figures (the contract between the controlling job and its readers).

    Durations are minutes, shares are fractions 0..1. Rows with area="" are office totals.
    """

    CONTACTS_SERVED = "contacts_served"
    APPOINTMENTS_BOOKED = "appointments_booked"
    APPOINTMENTS_CANCELLED = "appointments_cancelled"
    NO_SHOWS = "no_shows"
    NO_SHOW_RATE = "no_show_rate"
    WALK_INS = "walk_ins"
    EMERGENCIES = "emergencies"
    WAIT_MEAN_MIN = "wait_mean_min"
    WAIT_MEDIAN_MIN = "wait_median_min"
    WAIT_P90_MIN = "wait_p90_min"
    WAIT_WITHIN_15_SHARE = "wait_within_15_share"
    WAITS_MEASURED = "waits_measured"
    SERVICE_MEAN_MIN = "service_mean_min"
    SERVICE_PLANNED_MIN = "service_planned_min"
    SERVICES_MEASURED = "services_measured"
    STAFF_AT_COUNTERS = "staff_at_counters"
    STAFF_FTE_AT_COUNTERS = "staff_fte_at_counters"
    LEAD_TIME_DAYS = "lead_time_days"
    BOOKING_TO_VISIT_DAYS = "booking_to_visit_days"
    BACKOFFICE_OPENED = "backoffice_opened"
    BACKOFFICE_CLOSED = "backoffice_closed"
    BACKOFFICE_BACKLOG = "backoffice_backlog"
    BACKOFFICE_OVERDUE = "backoffice_overdue"
    EMAILS_ANSWERED = "emails_answered"
    PICKUP_ARRIVED = "pickup_arrived"
    PICKUP_NOTIFIED = "pickup_notified"
    PICKUP_HANDED_OVER = "pickup_handed_over"
    PICKUP_DAYS_TO_HANDOVER = "pickup_days_to_handover"
    PICKUP_UNCOLLECTED_4W = "pickup_uncollected_4w"
    ONLINE_SERVICES = "online_services"
    ONLINE_SHARE = "online_share"
    FEEDBACK_RECEIVED = "feedback_received"
    FEEDBACK_SCORE_MEAN = "feedback_score_mean"
    COMPLAINTS = "complaints"
    BAD_RECORDS = "bad_records"
