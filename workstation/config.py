"""Settings read from the environment, with the embedded defaults of the demo office.

Everything an office may want to change (its code, the 13:00 switch to back-office work, the
holding period at the pickup desk, ...) lives here rather than in code paths.
"""

import os
from dataclasses import dataclass, field
from datetime import time
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("WORKSTATION_DATA_DIR", PROJECT_ROOT / "data"))
DEFAULT_DB_URL = f"sqlite:///{DATA_DIR / 'workstation.db'}"


def _env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def _env_time(name: str, default: str) -> time:
    return time.fromisoformat(os.environ.get(name, default))


@dataclass(frozen=True)
class Settings:
    """The office's configuration; `settings()` builds it from the environment."""

    db_url: str = field(default_factory=lambda: os.environ.get("REFLEX_DB_URL", DEFAULT_DB_URL))
    office_code: str = field(default_factory=lambda: os.environ.get("WORKSTATION_OFFICE_CODE", "L6F3"))
    timezone: str = "Europe/Berlin"
    backoffice_from: time = field(default_factory=lambda: _env_time("WORKSTATION_BACKOFFICE_FROM", "13:00"))
    session_hours: int = field(default_factory=lambda: _env_int("WORKSTATION_SESSION_HOURS", 10))
    max_failed_logins: int = field(default_factory=lambda: _env_int("WORKSTATION_MAX_FAILED_LOGINS", 5))
    lockout_minutes: int = field(default_factory=lambda: _env_int("WORKSTATION_LOCKOUT_MINUTES", 15))
    demo_clock_on: bool = field(default_factory=lambda: os.environ.get("WORKSTATION_DEMO_CLOCK") == "on")
    """`make run` started the server on the demo clock (services/demo/demo_clock.py); the header says so."""
    max_failed_logins_per_client: int = field(
        default_factory=lambda: _env_int("WORKSTATION_MAX_FAILED_LOGINS_PER_CLIENT", 30)
    )
    max_failed_logins_per_account: int = field(
        default_factory=lambda: _env_int("WORKSTATION_MAX_FAILED_LOGINS_PER_ACCOUNT", 50)
    )
    noshow_after_calls: int = field(default_factory=lambda: _env_int("WORKSTATION_NOSHOW_AFTER_CALLS", 3))
    checkin_window_minutes: int = field(default_factory=lambda: _env_int("WORKSTATION_CHECKIN_WINDOW", 15))
    # The lobby (docs/lobby.md): pairing of kiosk devices, the check-in and feedback terminals.
    pairing_minutes: int = field(default_factory=lambda: _env_int("WORKSTATION_PAIRING_MINUTES", 15))
    terminal_reset_seconds: int = field(default_factory=lambda: _env_int("WORKSTATION_TERMINAL_RESET_SECONDS", 30))
    terminal_walk_ins: bool = field(default_factory=lambda: os.environ.get("WORKSTATION_TERMINAL_WALK_INS", "1") == "1")
    terminal_ticket_gap_seconds: int = field(default_factory=lambda: _env_int("WORKSTATION_TICKET_GAP_SECONDS", 5))
    terminal_wait_hint: str = field(default_factory=lambda: os.environ.get(
        "WORKSTATION_WAIT_HINT", "Bitte nehmen Sie im Wartebereich Platz und achten Sie auf die Aufrufanzeige."))
    feedback_faces: int = field(default_factory=lambda: min(5, max(3, _env_int("WORKSTATION_FEEDBACK_FACES", 5))))
    feedback_gap_seconds: int = field(default_factory=lambda: _env_int("WORKSTATION_FEEDBACK_GAP_SECONDS", 10))
    morning_until: time = field(default_factory=lambda: _env_time("WORKSTATION_MORNING_UNTIL", "12:00"))
    inbox_dir: Path = field(
        default_factory=lambda: Path(os.environ.get("WORKSTATION_BDR_INBOX", DATA_DIR / "inbox" / "bdr"))
    )
    attachments_dir: Path = field(
        default_factory=lambda: Path(os.environ.get("WORKSTATION_ATTACHMENTS", DATA_DIR / "attachments"))
    )
    attachment_max_mb: int = field(default_factory=lambda: _env_int("WORKSTATION_ATTACHMENT_MAX_MB", 10))
    import_max_lines: int = field(default_factory=lambda: _env_int("WORKSTATION_IMPORT_MAX_LINES", 5000))
    pickup_reminder_days: int = field(default_factory=lambda: _env_int("WORKSTATION_PICKUP_REMINDER_DAYS", 28))
    pickup_holding_days: int = field(default_factory=lambda: _env_int("WORKSTATION_PICKUP_HOLDING_DAYS", 90))
    smtp_host: str | None = field(default_factory=lambda: os.environ.get("WORKSTATION_SMTP_HOST"))
    smtp_port: int = field(default_factory=lambda: _env_int("WORKSTATION_SMTP_PORT", 8025))
    smtp_sender: str = field(
        default_factory=lambda: os.environ.get("WORKSTATION_SMTP_SENDER", "buergerbuero@offenbach.example")
    )
    booking_horizon_days: int = field(default_factory=lambda: _env_int("WORKSTATION_BOOKING_HORIZON_DAYS", 90))
    holiday_subdivision: str = field(default_factory=lambda: os.environ.get("WORKSTATION_HOLIDAY_SUBDIV", "HE"))
    metrics_job_at: time = field(default_factory=lambda: _env_time("WORKSTATION_METRICS_AT", "01:30"))
    metrics_catchup_days: int = field(default_factory=lambda: _env_int("WORKSTATION_METRICS_CATCHUP_DAYS", 31))
    lead_time_at: time = field(default_factory=lambda: _env_time("WORKSTATION_LEAD_TIME_AT", "06:00"))
    full_time_weekly_hours: float = field(
        default_factory=lambda: float(os.environ.get("WORKSTATION_FULL_TIME_HOURS", "39")))
    pickup_task_due_days: int = field(default_factory=lambda: _env_int("WORKSTATION_PICKUP_TASK_DUE_DAYS", 3))
    smtp_user: str | None = field(default_factory=lambda: os.environ.get("WORKSTATION_SMTP_USER"))
    smtp_password: str | None = field(default_factory=lambda: os.environ.get("WORKSTATION_SMTP_PASSWORD"))
    smtp_starttls: bool = field(default_factory=lambda: os.environ.get("WORKSTATION_SMTP_STARTTLS", "0") == "1")
    mail_sink_dir: Path = field(
        default_factory=lambda: Path(os.environ.get("WORKSTATION_MAIL_SINK_DIR", DATA_DIR / "mail_sink"))
    )
    sms_gateway: str = field(default_factory=lambda: os.environ.get("WORKSTATION_SMS_GATEWAY", "log"))
    bdr_ingest_minutes: int = field(default_factory=lambda: _env_int("WORKSTATION_BDR_INGEST_MINUTES", 5))
    bdr_max_file_bytes: int = field(default_factory=lambda: _env_int("WORKSTATION_BDR_MAX_FILE_BYTES", 8_000_000))
    outbox_send_seconds: int = field(default_factory=lambda: _env_int("WORKSTATION_OUTBOX_SEND_SECONDS", 60))
    outbox_retry_base_seconds: int = field(default_factory=lambda: _env_int("WORKSTATION_OUTBOX_RETRY_BASE", 60))
    outbox_retry_cap_seconds: int = field(default_factory=lambda: _env_int("WORKSTATION_OUTBOX_RETRY_CAP", 3600))
    outbox_lease_seconds: float = field(
        default_factory=lambda: float(os.environ.get("WORKSTATION_OUTBOX_LEASE_SECONDS", "120"))
    )
    status_lookups_per_window: int = field(default_factory=lambda: _env_int("WORKSTATION_STATUS_LOOKUPS", 10))
    status_window_minutes: int = field(default_factory=lambda: _env_int("WORKSTATION_STATUS_WINDOW_MINUTES", 10))
    status_min_response_ms: int = field(default_factory=lambda: _env_int("WORKSTATION_STATUS_MIN_MS", 400))
    status_client_salt: str = field(default_factory=lambda: os.environ.get("WORKSTATION_STATUS_SALT", "buergerbuero"))
    emergency_slots_per_day: int = field(default_factory=lambda: _env_int("WORKSTATION_EMERGENCY_SLOTS", 10))
    overrun_factor: float = field(default_factory=lambda: float(os.environ.get("WORKSTATION_OVERRUN_FACTOR", "1.5")))
    scheduler_check_seconds: float = field(
        default_factory=lambda: float(os.environ.get("WORKSTATION_SCHEDULER_CHECK_SECONDS", "5")))
    scheduler_standby_seconds: float = field(
        default_factory=lambda: float(os.environ.get("WORKSTATION_SCHEDULER_STANDBY_SECONDS", "5")))
    demo_seed: int = field(default_factory=lambda: _env_int("WORKSTATION_DEMO_SEED", 2022))
    # Booking (docs/booking.md): the public booking pages and the staff booking share these rules.
    public_url: str = field(default_factory=lambda: os.environ.get("WORKSTATION_PUBLIC_URL", "http://localhost:3000"))
    booking_hold_minutes: int = field(default_factory=lambda: _env_int("WORKSTATION_BOOKING_HOLD_MINUTES", 10))
    booking_change_until_hours: int = field(
        default_factory=lambda: _env_int("WORKSTATION_BOOKING_CHANGE_UNTIL_HOURS", 2))
    booking_cooling_minutes: int = field(default_factory=lambda: _env_int("WORKSTATION_BOOKING_COOLING_MINUTES", 30))
    booking_min_lead_minutes: int = field(default_factory=lambda: _env_int("WORKSTATION_BOOKING_MIN_LEAD_MINUTES", 30))
    booking_max_active_per_email: int = field(
        default_factory=lambda: _env_int("WORKSTATION_BOOKING_MAX_PER_EMAIL", 2))
    booking_emergency_share: str = field(
        default_factory=lambda: os.environ.get("WORKSTATION_BOOKING_EMERGENCY_SHARE", "0.1"))
    """Share of each area's lanes kept for staff (emergencies): "0.1", or per area "vehicles=0.2,*=0.1"."""
    booking_reminder_days: int = field(default_factory=lambda: _env_int("WORKSTATION_BOOKING_REMINDER_DAYS", 1))
    booking_reminder_at: time = field(default_factory=lambda: _env_time("WORKSTATION_BOOKING_REMINDER_AT", "10:00"))
    booking_rate_window_minutes: int = field(
        default_factory=lambda: _env_int("WORKSTATION_BOOKING_RATE_WINDOW_MINUTES", 10))
    booking_searches_per_window: int = field(default_factory=lambda: _env_int("WORKSTATION_BOOKING_SEARCHES", 120))
    booking_attempts_per_window: int = field(default_factory=lambda: _env_int("WORKSTATION_BOOKING_ATTEMPTS", 10))
    booking_pow_max_number: int = field(default_factory=lambda: _env_int("WORKSTATION_BOOKING_POW_MAX", 50_000))
    booking_secret: str | None = field(default_factory=lambda: os.environ.get("WORKSTATION_BOOKING_SECRET"))
    """HMAC key of the proof-of-work challenges; without it one is made once in the data directory."""
    # Retention (docs/data-protection.md, "Löschfristen"): periods in days, the nightly job applies them.
    retention_job_at: time = field(default_factory=lambda: _env_time("WORKSTATION_RETENTION_AT", "02:30"))
    retention_batch: int = field(default_factory=lambda: _env_int("WORKSTATION_RETENTION_BATCH", 500))
    retain_booking_days: int = field(default_factory=lambda: _env_int("WORKSTATION_RETAIN_BOOKING_DAYS", 14))
    retain_visit_days: int = field(default_factory=lambda: _env_int("WORKSTATION_RETAIN_VISIT_DAYS", 90))
    retain_outbox_days: int = field(default_factory=lambda: _env_int("WORKSTATION_RETAIN_OUTBOX_DAYS", 7))
    retain_uncollected_grace_days: int = field(
        default_factory=lambda: _env_int("WORKSTATION_RETAIN_UNCOLLECTED_GRACE_DAYS", 30)
    )
    retain_document_days: int = field(default_factory=lambda: _env_int("WORKSTATION_RETAIN_DOCUMENT_DAYS", 180))
    retain_plate_days: int = field(default_factory=lambda: _env_int("WORKSTATION_RETAIN_PLATE_DAYS", 90))
    retain_task_days: int = field(default_factory=lambda: _env_int("WORKSTATION_RETAIN_TASK_DAYS", 365))
    retain_audit_days: int = field(default_factory=lambda: _env_int("WORKSTATION_RETAIN_AUDIT_DAYS", 730))
    retain_session_days: int = field(default_factory=lambda: _env_int("WORKSTATION_RETAIN_SESSION_DAYS", 30))


_cached: tuple[tuple, Settings] | None = None


def _environment_key() -> tuple:
    """A cheap picture of the environment: os.environ's own raw table (public `items()` decodes every
    entry, a quarter of the cost of building the settings); any change through os.environ changes it."""
    raw = getattr(os.environ, "_data", None)
    return tuple(raw.items()) if isinstance(raw, dict) else tuple(os.environ.items())


def settings() -> Settings:
    """Current settings: built again only when the environment changed (tests change it), else the last ones.

    Every database session, screen refresh and booking asks for them, often many times; building them
    reads some sixty variables (about 0.1 ms), which on a busy floor added up to milliseconds per change.
    """
    global _cached
    key = _environment_key()
    cached = _cached
    if cached is not None and cached[0] == key:
        return cached[1]
    built = Settings()
    _cached = (key, built)
    return built
