"""Vanessa Graf, the customer journey of DESIGN.md: 08:00 today, three concerns, plate OF-C-777 confirmed.

Her family is registered with her; an ID card she applied for years ago was handed over, and a passport
of hers has just arrived at the pickup desk, so the advisor's pre-loaded panel has something to show.
"""

from datetime import date, timedelta

from workstation.models import Citizen, Concern, DocumentApplication, ReservedPlate, Visit
from workstation.models.enums import (
    ApplicationStatus,
    Area,
    BookingChannel,
    ConcernStatus,
    DocumentType,
    NotifyChannel,
    PlateStatus,
    VisitKind,
    VisitStatus,
)
from workstation.services.demo.calendar import utc_of
from workstation.services.demo.context import DemoBuild
from workstation.services.demo.office import OFFICE_CITY
from workstation.services.demo.rows import visit_row

VANESSA_BOOKING_CODE = "VGRAF7"
VANESSA_PLATE = "OF-C-777"
VANESSA_CONCERNS = ("UMM", "KIA", "UMS")
VANESSA_EMAIL = "vanessa.graf@example.org"
_VISIT_MINUTES = 30


def _years_before(day: date, years: int, days: int = 0) -> date:
    return date(day.year - years, day.month, 28 if (day.month, day.day) == (2, 29) else day.day) - timedelta(days)


def build_vanessa(build: DemoBuild) -> int:
    """Her family, her 08:00 visit with three concerns, her confirmed plate and her documents; returns her id."""
    today = build.today
    street, postal = "Bieberer Straße 112", "63071"
    family = [
        ("Vanessa", _years_before(today, 36, 40), VANESSA_EMAIL, "+49 151 2345678"),
        ("Markus", _years_before(today, 38, 200), None, None),
        ("Mia", _years_before(today, 7, 95), None, None),
        ("Leon", _years_before(today, 3, 150), None, None),
    ]
    ids = build.ids(Citizen, len(family))
    known = utc_of(today - timedelta(days=2_400), 9)
    build.add(Citizen, [
        {"id": int(i), "first_name": first, "last_name": "Graf", "birth_date": born, "street": street,
         "postal_code": postal, "city": OFFICE_CITY, "email": email, "phone": phone, "created_at": known}
        for i, (first, born, email, phone) in zip(ids, family, strict=True)
    ])
    vanessa = int(ids[0])
    booked = utc_of(today - timedelta(days=9), 20, 14)
    visit_id = int(build.ids(Visit, 1)[0])
    build.add(Visit, [visit_row(
        id=visit_id, office_id=build.office_id, kind=str(VisitKind.APPOINTMENT), status=str(VisitStatus.BOOKED),
        area=str(Area.REGISTRATION), citizen_id=vanessa, booking_code=VANESSA_BOOKING_CODE,
        channel=str(BookingChannel.ONLINE), booked_at=booked, slot_start=utc_of(today, 8),
        slot_end=utc_of(today, 8, _VISIT_MINUTES),
        booking_note=("Ummeldung für 4 Personen (Vanessa, Markus, Mia (7), Leon (3)) – Umzug innerhalb Offenbachs; "
                      "Kinderausweis für Mia (7); Umschreibung des Familienautos auf Wunschkennzeichen OF-C-777"),
    )])
    concern_ids = build.ids(Concern, len(VANESSA_CONCERNS))
    build.add(Concern, [
        {"id": int(cid), "visit_id": visit_id, "service_id": build.service_ids[code],
         "status": str(ConcernStatus.PLANNED), "not_done_reason": ""}
        for cid, code in zip(concern_ids, VANESSA_CONCERNS, strict=True)
    ])
    reserved = booked - timedelta(days=1)
    build.add(ReservedPlate, [{
        "id": int(build.ids(ReservedPlate, 1)[0]), "office_id": build.office_id, "plate": VANESSA_PLATE,
        "citizen_id": vanessa, "dealer_id": None, "status": str(PlateStatus.ASSIGNED), "reserved_at": reserved,
        "expires_at": reserved + timedelta(days=90), "assigned_at": reserved + timedelta(hours=20),
    }])
    _vanessa_documents(build, vanessa)
    return vanessa


def _vanessa_documents(build: DemoBuild, vanessa: int) -> None:
    today = build.today
    pickup = build.staff_by_role["pickup"][0]
    old_applied = _years_before(today, 4, 30)
    old_arrived = old_applied + timedelta(days=23)
    new_applied = today - timedelta(days=27)
    new_arrived = build.calendar.dates[int(build.calendar.next_working[build.calendar.index(today) - 3])]
    serial_old, serial_new = build.codes.serials(2)
    common = {"office_id": build.office_id, "citizen_id": vanessa, "representative_name": None,
              "pin_letter_handed": False, "notify_phone": None}
    build.add(DocumentApplication, [
        {**common, "id": int(build.ids(DocumentApplication, 1)[0]),
         "application_number": f"A-{old_applied.year}-900001", "doc_type": str(DocumentType.ID_CARD),
         "serial_number": serial_old, "status": str(ApplicationStatus.HANDED_OVER),
         "status_at": utc_of(old_arrived, 9, 40), "parcel": f"S-{old_arrived - timedelta(days=1)}-0001",
         "applied_at": utc_of(old_applied, 10, 5), "shipped_at": utc_of(old_arrived - timedelta(days=1), 16),
         "arrived_at": utc_of(old_arrived, 9, 40), "confirmed_at": utc_of(old_arrived, 11),
         "notified_at": utc_of(old_arrived, 11, 2), "reminded_at": None,
         "handed_over_at": utc_of(old_arrived + timedelta(days=6), 9, 15), "handed_over_by": pickup,
         "old_document_invalidated": True, "notify_channel": str(NotifyChannel.EMAIL), "notify_email": None},
        {**common, "id": int(build.ids(DocumentApplication, 1)[0]),
         "application_number": f"A-{new_applied.year}-900002", "doc_type": str(DocumentType.PASSPORT),
         "serial_number": serial_new, "status": str(ApplicationStatus.ARRIVED),
         "status_at": utc_of(new_arrived, 9, 35), "parcel": f"S-{new_arrived - timedelta(days=1)}-0001",
         "applied_at": utc_of(new_applied, 9, 20), "shipped_at": utc_of(new_arrived - timedelta(days=1), 16),
         "arrived_at": utc_of(new_arrived, 9, 35), "confirmed_at": utc_of(new_arrived, 10, 50),
         "notified_at": utc_of(new_arrived, 10, 52), "reminded_at": None, "handed_over_at": None,
         "handed_over_by": None, "old_document_invalidated": False, "notify_channel": str(NotifyChannel.EMAIL),
         "notify_email": VANESSA_EMAIL},
    ])
