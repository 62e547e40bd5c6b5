"""The demo office itself: Offenbach-like desks, opening hours, service catalogue and dealers.

Static data only; the generators in this package turn it into rows.
"""

from dataclasses import dataclass

from workstation.models.enums import Area, CounterKind, DocumentType

OFFICE_NAME = "Bürgerbüro Offenbach am Main"
OFFICE_CITY = "Offenbach am Main"
OFFICE_ADDRESS = "Berliner Straße 100, 63065 Offenbach am Main"

# Opening hours by weekday (Monday = 0) as (open, close) in minutes after midnight, Berlin time.
OPENING_MINUTES: dict[int, tuple[int, int]] = {
    0: (8 * 60, 13 * 60),
    1: (8 * 60, 13 * 60),
    2: (8 * 60, 13 * 60),
    3: (8 * 60, 18 * 60),
    4: (8 * 60, 13 * 60),
}
OPENING_HOURS_TEXT = "Mo, Di, Mi und Fr 8:00–13:00 Uhr, Do 8:00–18:00 Uhr"

COUNTER_LAYOUT: tuple[tuple[CounterKind, str, int, str], ...] = (
    (CounterKind.REGULAR, "Schalter", 24, "Erdgeschoss"),
    (CounterKind.DEALER, "Händlerschalter", 4, "1. Obergeschoss"),
    (CounterKind.RECEPTION, "Empfang", 2, "Foyer"),
    (CounterKind.PICKUP, "Ausgabe", 2, "Foyer"),
)


@dataclass(frozen=True)
class DemoService:
    """One catalogue entry; `weight` is its share of first concerns within its area."""

    code: str
    name: str
    area: Area
    planned_minutes: int
    documents: tuple[str, ...]
    weight: float
    doc_type: DocumentType | None = None
    online_bookable: bool = True
    max_count: int = 1


_ID = ("Personalausweis oder Reisepass",)
_PHOTO = "Ein aktuelles biometrisches Passfoto (35 × 45 mm)"
_VEHICLE = (
    "Zulassungsbescheinigung Teil I und Teil II",
    "eVB-Nummer der Kfz-Versicherung",
    "Personalausweis oder Reisepass",
    "SEPA-Lastschriftmandat für die Kfz-Steuer",
)

SERVICES: tuple[DemoService, ...] = (
    DemoService("UMM", "Ummeldung", Area.REGISTRATION, 10,
                (*_ID, "Wohnungsgeberbestätigung des Vermieters"), 0.34),
    DemoService("ANM", "Anmeldung", Area.REGISTRATION, 10,
                (*_ID, "Wohnungsgeberbestätigung des Vermieters", "Heirats- oder Geburtsurkunde bei Familien"), 0.30),
    DemoService("ABM", "Abmeldung", Area.REGISTRATION, 5, (*_ID, "Neue Anschrift im Ausland"), 0.07),
    DemoService("MELD", "Meldebescheinigung", Area.REGISTRATION, 5, _ID, 0.15),
    DemoService("FZ", "Führungszeugnis beantragen", Area.REGISTRATION, 5, (*_ID, "Gebühr 13 € (EC-Karte)"), 0.09),
    DemoService("BEGL", "Beglaubigung", Area.REGISTRATION, 5, (*_ID, "Original und Kopie des Schriftstücks"), 0.05),
    DemoService("PA", "Personalausweis beantragen", Area.ID_DOCUMENTS, 10,
                ("Bisheriger Personalausweis oder Reisepass", _PHOTO,
                 "Geburts- oder Heiratsurkunde bei Namensänderung"), 0.48, DocumentType.ID_CARD),
    DemoService("KIA", "Kinderausweis", Area.ID_DOCUMENTS, 10,
                ("Geburtsurkunde des Kindes", _PHOTO, "Zustimmung beider Sorgeberechtigten",
                 "Ausweise der Sorgeberechtigten"), 0.12, DocumentType.ID_CARD, max_count=4),
    DemoService("RP", "Reisepass beantragen", Area.ID_DOCUMENTS, 10,
                ("Bisheriger Reisepass oder Personalausweis", _PHOTO), 0.24, DocumentType.PASSPORT),
    DemoService("RPX", "Express-Reisepass", Area.ID_DOCUMENTS, 10,
                ("Bisheriger Reisepass oder Personalausweis", _PHOTO, "Expresszuschlag 32 €"), 0.05,
                DocumentType.EXPRESS_PASSPORT),
    DemoService("KRP", "Kinderreisepass", Area.ID_DOCUMENTS, 10,
                ("Geburtsurkunde des Kindes", _PHOTO, "Zustimmung beider Sorgeberechtigten"), 0.07, max_count=4),
    DemoService("VPA", "Vorläufiger Personalausweis", Area.ID_DOCUMENTS, 10,
                ("Bisheriger Personalausweis", _PHOTO), 0.04),
    DemoService("UMS", "Umschreibung Fahrzeug", Area.VEHICLES, 15,
                (*_VEHICLE, "Reservierungsbestätigung bei Wunschkennzeichen", "Bisherige Kennzeichenschilder"), 0.42),
    DemoService("NZL", "Neuzulassung", Area.VEHICLES, 15,
                (*_VEHICLE, "Certificate of Conformity (CoC)"), 0.28),
    DemoService("ABS", "Außerbetriebsetzung", Area.VEHICLES, 10,
                ("Zulassungsbescheinigung Teil I", "Kennzeichenschilder"), 0.20),
    DemoService("ADRF", "Adressänderung Fahrzeugpapiere", Area.VEHICLES, 10,
                ("Zulassungsbescheinigung Teil I", *_ID), 0.10),
    DemoService("FSU", "Führerschein Umtausch", Area.DRIVING_LICENCES, 10,
                ("Bisheriger Führerschein", *_ID, _PHOTO, "Karteikartenabschrift bei Papierführerschein"),
                0.55, DocumentType.DRIVING_LICENCE),
    DemoService("FSE", "Ersterteilung Fahrerlaubnis", Area.DRIVING_LICENCES, 15,
                (*_ID, _PHOTO, "Sehtestbescheinigung", "Nachweis Erste-Hilfe-Kurs"), 0.20,
                DocumentType.DRIVING_LICENCE),
    DemoService("IFS", "Internationaler Führerschein", Area.DRIVING_LICENCES, 10,
                ("Kartenführerschein", *_ID, _PHOTO), 0.15),
    DemoService("FSV", "Ersatzführerschein bei Verlust", Area.DRIVING_LICENCES, 10,
                (*_ID, _PHOTO, "Verlusterklärung"), 0.10, DocumentType.DRIVING_LICENCE),
    DemoService("ESO", "Abfall und Straßenreinigung (ESO)", Area.PARTNER, 10,
                ("Kundennummer oder Anschrift des Grundstücks",), 0.55),
    DemoService("EVO", "Energie und Wasser (EVO)", Area.PARTNER, 10,
                ("Kundennummer", "Zählerstand"), 0.45),
)

SERVICE_BY_CODE = {s.code: s for s in SERVICES}

BOOKING_LANES: dict[Area, int] = {
    Area.REGISTRATION: 6,
    Area.ID_DOCUMENTS: 4,
    Area.VEHICLES: 4,
    Area.DRIVING_LICENCES: 3,
    Area.PARTNER: 2,
}
"""Bookable counters per area, open for appointments all opening hours: 19 of the 24 regular counters, a little
less than a day's appointments need (the demo day's own appointments nearly fill them), the rest serves walk-ins.
The highest lane of each area is the emergency quota. With the bookings of the coming weeks
(`bookings_ahead`) the first free time lies on the fourth working day, Offenbach's lead time."""

CONFLICTS: tuple[tuple[str, str], ...] = (("ANM", "ABM"), ("RP", "RPX"))
"""Services that cannot share an appointment (moving in and out; a passport and an express passport)."""

DEALER_NAMES: tuple[str, ...] = (
    "Autohaus am Kaiserlei GmbH",
    "Mainauto Offenbach GmbH & Co. KG",
    "Autozentrum Offenbach-Ost",
    "Autohaus Bieber GmbH",
    "Rhein-Main Automobile GmbH",
    "Autohaus Rumpenheim",
    "Kfz-Handel Tempelsee",
    "Autohaus Lauterborn GmbH",
    "Mobilität Bürgel GmbH",
    "Zulassungsdienst Schnell & Partner",
    "Autowelt Buchhügel",
    "Nutzfahrzeuge Hafen Offenbach GmbH",
)
