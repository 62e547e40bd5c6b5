"""Routes of every page and the navigation each role sees, kept in one place."""

from dataclasses import dataclass

from workstation.models.enums import Role, WorkMode

LOGIN = "/login"
HOME = "/"
COUNTER = "/schalter"
RECEPTION = "/empfang"
PICKUP = "/abholung"
BACKOFFICE = "/nacharbeit"
BRIEFING = "/briefing"
CONTROLLING = "/controlling"
OUTBOX = "/postausgang"
ADMIN = "/verwaltung"
CITY = "/stadt"
COMPARISON = "/vergleich"
CITIZEN_STATUS = "/dokument-status"
BOOKING = "/termin"
BOOKING_CHANGE = "/termin/absagen"
STAFF_BOOKING = "/terminvergabe"
BOOKING_SETUP = "/terminplanung"
DEVICES = "/geraete"
COMPLAINTS = "/beschwerden"
# Lobby devices (kiosk browsers with a device token, no staff login): pairing and the three screens.
DEVICE_PAIR = "/geraet"
TERMINAL_CHECKIN = "/geraet/checkin"
TERMINAL_DISPLAY = "/geraet/aufrufe"
TERMINAL_FEEDBACK = "/geraet/feedback"

WORK_MODE_ROUTES: dict[str, str] = {WorkMode.QUEUE: COUNTER, WorkMode.BACKOFFICE: BACKOFFICE}
"""The page an advisor's workstation shows in each work mode."""


@dataclass(frozen=True)
class NavItem:
    """One entry of the side navigation."""

    route: str
    label: str
    icon: str
    roles: frozenset[Role]


_ALL_STAFF = frozenset(Role)

NAV: tuple[NavItem, ...] = (
    NavItem(COUNTER, "Schalter", "users", frozenset({Role.ADVISOR, Role.TEAM_LEAD, Role.ADMIN})),
    NavItem(RECEPTION, "Empfang", "door-open", frozenset({Role.RECEPTION, Role.TEAM_LEAD, Role.ADMIN})),
    NavItem(STAFF_BOOKING, "Terminvergabe", "calendar-plus",
            frozenset({Role.RECEPTION, Role.ADVISOR, Role.TEAM_LEAD, Role.ADMIN})),
    NavItem(PICKUP, "Abholung", "package-check", frozenset({Role.PICKUP, Role.TEAM_LEAD, Role.ADMIN})),
    NavItem(
        BACKOFFICE,
        "Nacharbeit",
        "list-todo",
        frozenset({Role.ADVISOR, Role.PICKUP, Role.TEAM_LEAD, Role.ADMIN}),
    ),
    NavItem(BRIEFING, "Briefing", "presentation", frozenset({Role.TEAM_LEAD, Role.ADMIN})),
    NavItem(CONTROLLING, "Controlling", "chart-line",
            frozenset({Role.TEAM_LEAD, Role.CONTROLLING, Role.ADMIN, Role.CITY_ADMIN})),
    NavItem(COMPARISON, "Vergleich", "columns-3",
            frozenset({Role.TEAM_LEAD, Role.CONTROLLING, Role.ADMIN, Role.CITY_ADMIN})),
    NavItem(OUTBOX, "Postausgang", "mail", frozenset({Role.PICKUP, Role.TEAM_LEAD, Role.ADMIN})),
    NavItem(COMPLAINTS, "Beschwerden", "message-square-warning",
            frozenset({Role.RECEPTION, Role.TEAM_LEAD, Role.ADMIN})),
    NavItem(DEVICES, "Geräte", "monitor-smartphone", frozenset({Role.TEAM_LEAD, Role.ADMIN})),
    NavItem(BOOKING_SETUP, "Terminplanung", "calendar-cog", frozenset({Role.TEAM_LEAD, Role.ADMIN})),
    NavItem(ADMIN, "Verwaltung", "settings", frozenset({Role.ADMIN, Role.CITY_ADMIN})),
    NavItem(CITY, "Ämter der Stadt", "building-2", frozenset({Role.CITY_ADMIN})),
)


def nav_for(role: str) -> list[NavItem]:
    """The navigation entries of one role, in display order."""
    return [item for item in NAV if role in item.roles]


def normalize(path: str) -> str:
    """"/schalter/" and "/schalter" are the same page (the production build adds the slash)."""
    return "/" + path.strip("/")


def allowed_roles(route: str) -> frozenset[Role]:
    """Roles that may open a route or a sub-page of it; every staff role for other pages outside the navigation."""
    path = normalize(route)
    for item in NAV:
        if path == item.route or path.startswith(item.route + "/"):
            return item.roles
    return _ALL_STAFF


_START: dict[str, str] = {Role.TEAM_LEAD: BRIEFING, Role.ADMIN: ADMIN, Role.CITY_ADMIN: CITY}
"""Roles whose first navigation entry is not their work: a team lead opens the day with the briefing board,
an administrator with the staff accounts (both sit at no desk, so the counter's desk chooser is no start)."""


def home_for(role: str) -> str:
    """Where a role lands after login: its start page, else the first page of its navigation."""
    if role in _START:
        return _START[role]
    items = nav_for(role)
    return items[0].route if items else LOGIN
