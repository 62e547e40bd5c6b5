"""Sending SMS through an exchangeable gateway.

Offices contract different SMS providers; the outbox only needs `send(phone, text)`. The default
gateway does not reach any phone network: it writes the message to the log, and the outbox page
shows it as sent, so the demo and a fresh installation work without a provider contract.
"""

import logging
from typing import Protocol

from workstation.config import settings

log = logging.getLogger(__name__)


class SmsGateway(Protocol):
    """What the outbox sender needs from an SMS provider."""

    name: str

    def send(self, phone: str, text: str) -> None:
        """Hand one message to the provider; raise an exception if it was not accepted."""


class LoggingSmsGateway:
    """Writes SMS to the application log only (no provider configured)."""

    name = "log"

    def send(self, phone: str, text: str) -> None:
        """Log the message, showing only the last digits of the number."""
        log.info("SMS (nur protokolliert, kein Anbieter konfiguriert) an …%s: %s", phone[-3:], text)


GATEWAYS: dict[str, type[SmsGateway]] = {LoggingSmsGateway.name: LoggingSmsGateway}


def gateway() -> SmsGateway:
    """The gateway chosen by `WORKSTATION_SMS_GATEWAY`."""
    name = settings().sms_gateway
    if name not in GATEWAYS:
        raise ValueError(f"Unbekanntes SMS-Gateway {name!r}; bekannt sind: {', '.join(GATEWAYS)}")
    return GATEWAYS[name]()
