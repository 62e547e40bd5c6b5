"""Selection lists of the queue screens: services, dealers and areas."""

from dataclasses import dataclass

from sqlmodel import select

from workstation import db
from workstation.models import Dealer, Service
from workstation.services.common import catalogue


@dataclass(frozen=True)
class Choice:
    """An entry of a selection list (service, dealer, counter, area)."""

    value: str
    label: str


AREA_LABELS = {
    "registration": "Meldewesen",
    "id_documents": "Pass- und Ausweiswesen",
    "vehicles": "Zulassung",
    "driving_licences": "Fahrerlaubnis",
    "partner": "Partnerschalter",
}


def service_choices(office_id: int) -> list[Choice]:
    """Active services of the office's catalogue for the walk-in form and the finish dialog."""
    with db.read_scope() as session:
        rows = session.exec(
            select(Service).where(Service.active, catalogue.offered_by(office_id)).order_by(Service.area, Service.name)
        ).all()
    return [Choice(str(s.id), f"{s.name} ({AREA_LABELS.get(s.area, s.area)})") for s in rows]


def dealer_choices() -> list[Choice]:
    """Dealers reception can queue for the dealer desks."""
    with db.read_scope() as session:
        rows = session.exec(select(Dealer).order_by(Dealer.name)).all()
    return [Choice(str(d.id), f"{d.name} ({d.customer_number})") for d in rows]


def area_choices() -> list[Choice]:
    """Areas a person can be redirected to."""
    return [Choice(value, label) for value, label in AREA_LABELS.items()]
