"""Retention steps of the booking: its mails' texts, spent holds, used challenges, rate-limit entries.

The booking job (services/booking/upkeep.py) clears holds, challenges and attempts every few minutes
already; these steps make the nightly run enforce the same periods even when that job did not run.
"""

from datetime import timedelta

from sqlalchemy import and_, delete, func, or_
from sqlmodel import Session

from workstation.models import BookingAttempt, Notification, Reservation, SlotClaim, UsedChallenge
from workstation.models.enums import OutboxStatus
from workstation.services.privacy.batches import Due, delete_due, due_ids, update_due

_NOTE = Notification.__table__  # type: ignore[attr-defined]
_RESERVATION = Reservation.__table__  # type: ignore[attr-defined]
_CLAIM = SlotClaim.__table__  # type: ignore[attr-defined]
_CHALLENGE = UsedChallenge.__table__  # type: ignore[attr-defined]
_ATTEMPT = BookingAttempt.__table__  # type: ignore[attr-defined]
_FINAL = (OutboxStatus.SENT, OutboxStatus.FAILED, OutboxStatus.CANCELLED)


def booking_mails(session: Session, due: Due, limit: int, after: int) -> list[int]:
    condition = and_(_NOTE.c.kind.like("booking\\_%", escape="\\"), _NOTE.c.status.in_(_FINAL),
                     or_(_NOTE.c.body != "", _NOTE.c.attachments != ""),
                     func.coalesce(_NOTE.c.sent_at, _NOTE.c.created_at) < due.before(due.conf.retain_booking_days))
    return update_due(session, _NOTE, condition, limit, after, body="", attachments="")


def booking_holds(session: Session, due: Due, limit: int, after: int) -> list[int]:
    condition = and_(_RESERVATION.c.expires_at.is_not(None), _RESERVATION.c.expires_at <= due.now)
    ids = due_ids(session, _RESERVATION, condition, limit, after)
    if ids:
        session.connection().execute(delete(_CLAIM).where(_CLAIM.c.reservation_id.in_(ids)))
        session.connection().execute(delete(_RESERVATION).where(_RESERVATION.c.id.in_(ids)))
    return ids


def booking_challenges(session: Session, due: Due, limit: int, after: int) -> list[int]:
    return delete_due(session, _CHALLENGE, _CHALLENGE.c.expires_at < due.now, limit, after)


def booking_attempts(session: Session, due: Due, limit: int, after: int) -> list[int]:
    window = timedelta(minutes=due.conf.booking_rate_window_minutes)
    return delete_due(session, _ATTEMPT, _ATTEMPT.c.at < due.now - window, limit, after)
