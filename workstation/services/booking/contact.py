"""The person's details on the booking form: names in any script, a plausible e-mail, an optional phone.

Names are checked by Unicode category (letters and combining marks of every script, spaces,
apostrophes, hyphens, dots), so Şahin, Nguyễn and O'Brien pass and markup or digits do not; every
field has a length limit. Bad input raises `BookingError` with the field in German and English.
"""

import re
import unicodedata
from dataclasses import dataclass

from workstation.services.booking.errors import BookingError

NAME_MAX = 80
EMAIL_MAX = 254
PHONE_MAX = 30
_NAME_PUNCTUATION = frozenset(" '’-.")
_EMAIL = re.compile(r"^[^@\s<>()\[\],;:\"]{1,64}@(?=.{1,253}$)([A-Za-z0-9\u00a1-\uffff-]{1,63}\.)+"
                    r"[A-Za-z\u00a1-\uffff]{2,63}$")
_PHONE = re.compile(r"^\+?[0-9 ()/\-]{6,30}$")


@dataclass(frozen=True)
class Contact:
    """Who booked: first and last name, e-mail (optional only for staff bookings) and phone."""

    first_name: str
    last_name: str
    email: str | None
    phone: str | None


def _name(raw: str, de: str, de_subject: str, en: str) -> str:
    value = unicodedata.normalize("NFC", " ".join((raw or "").split()))
    if not value:
        raise BookingError("name", f"Bitte geben Sie Ihren {de} an.", f"Please enter your {en}.")
    if len(value) > NAME_MAX:
        raise BookingError("name", f"Der {de_subject} ist zu lang (höchstens {NAME_MAX} Zeichen).",
                           f"The {en} is too long (at most {NAME_MAX} characters).")
    letters = 0
    for char in value:
        category = unicodedata.category(char)
        if category[0] == "L":
            letters += 1
        elif category[0] != "M" and char not in _NAME_PUNCTUATION:
            raise BookingError("name", f"Der {de_subject} enthält ein Zeichen, das in Namen nicht vorkommt: „{char}“.",
                               f"The {en} contains a character that names do not have: “{char}”.")
    if not letters:
        raise BookingError("name", f"Bitte geben Sie Ihren {de} an.", f"Please enter your {en}.")
    return value


def normalise_email(raw: str | None) -> str | None:
    """Trimmed, lower-case e-mail address, or None when empty."""
    value = (raw or "").strip().lower()
    return value or None


def _email(raw: str | None, required: bool) -> str | None:
    value = normalise_email(raw)
    if value is None:
        if required:
            raise BookingError("email", "Bitte geben Sie Ihre E-Mail-Adresse an.", "Please enter your e-mail address.")
        return None
    if len(value) > EMAIL_MAX or not _EMAIL.match(value):
        raise BookingError("email", "Diese E-Mail-Adresse ist nicht gültig (Beispiel: name@beispiel.de).",
                           "This e-mail address is not valid (example: name@example.com).")
    return value


def _phone(raw: str | None) -> str | None:
    value = " ".join((raw or "").split())
    if not value:
        return None
    if len(value) > PHONE_MAX or not _PHONE.match(value):
        raise BookingError("phone", "Diese Telefonnummer ist nicht gültig (nur Ziffern, Leerzeichen, + / - ( )).",
                           "This phone number is not valid (digits, spaces, + / - ( ) only).")
    return value


def check(first_name: str, last_name: str, email: str | None, phone: str | None = None, *,
          email_required: bool = True) -> Contact:
    """A valid `Contact` or `BookingError` naming the first bad field."""
    return Contact(_name(first_name, "Vornamen", "Vorname", "first name"),
                   _name(last_name, "Nachnamen", "Nachname", "last name"),
                   _email(email, email_required), _phone(phone))
