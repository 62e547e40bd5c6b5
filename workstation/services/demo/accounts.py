"""Staff of the demo office: the demo login accounts and ~60 colleagues who cannot log in."""

import secrets
from dataclasses import dataclass
from datetime import timedelta
from functools import cache

from workstation.models import StaffUser
from workstation.models.enums import Role
from workstation.services.demo.context import DemoBuild
from workstation.services.demo.names import FIRST_NAMES, LAST_NAMES, ascii_slug
from workstation.services.staff.passwords import hash_password

STAFF_TOTAL = 70


@dataclass(frozen=True)
class DemoAccount:
    """A login of the demo office (listed in the README)."""

    username: str
    password: str
    role: Role
    display_name: str
    desk: str | None = None  # the desk this person sits at every day in the demo


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("berater", "berater-demo", Role.ADVISOR, "Anna Berger", "Schalter 1"),
    DemoAccount("berater2", "berater-demo", Role.ADVISOR, "Jonas Keller", "Schalter 2"),
    DemoAccount("haendler", "haendler-demo", Role.ADVISOR, "Mehmet Yıldız", "Händlerschalter 1"),
    DemoAccount("empfang", "empfang-demo", Role.RECEPTION, "Sabine Hoffmann", "Empfang 1"),
    DemoAccount("abholung", "abholung-demo", Role.PICKUP, "Giulia Romano", "Ausgabe 1"),
    DemoAccount("teamleitung", "teamleitung-demo", Role.TEAM_LEAD, "Thomas Wagner"),
    DemoAccount("controlling", "controlling-demo", Role.CONTROLLING, "Claudia Neumann"),
    DemoAccount("admin", "admin-demo", Role.ADMIN, "Stefan Krüger"),
)

# Colleagues without a demo login, by role (advisors sit at the counters and dealer desks in turn).
_COLLEAGUES: tuple[tuple[Role, int], ...] = (
    (Role.ADVISOR, 52),
    (Role.RECEPTION, 3),
    (Role.PICKUP, 3),
    (Role.TEAM_LEAD, 2),
    (Role.CONTROLLING, 1),
    (Role.ADMIN, 1),
)
_PART_STAFF = 1
_PART_HOURS = 7
# Contracted weekly hours and their shares: full time under TVöD (39 h) and the usual part-time
# contracts; about a third of a Bürgerbüro's staff work part time.
WEEKLY_HOURS = (39.0, 30.0, 25.0, 19.5)
WEEKLY_HOURS_SHARE = (0.68, 0.16, 0.06, 0.10)


@cache
def _password_hashes() -> tuple[dict[str, str], str]:
    """Argon2 hashes of the demo passwords and of a random secret, computed once per process.

    Argon2 is slow on purpose (a third of a second each here); a reseed in the same process reuses them.
    """
    passwords = sorted({a.password for a in DEMO_ACCOUNTS})
    return {p: hash_password(p) for p in passwords}, hash_password(secrets.token_urlsafe(32))


def build_staff(build: DemoBuild) -> None:
    """Demo accounts with their passwords (each hashed once) and colleagues sharing an unusable hash."""
    rng = build.rng(_PART_STAFF)
    hashes, locked_hash = _password_hashes()
    people: list[tuple[str, str, Role, str]] = [
        (a.username, a.display_name, a.role, hashes[a.password]) for a in DEMO_ACCOUNTS
    ]
    taken = {a.display_name for a in DEMO_ACCOUNTS}
    for role, count in _COLLEAGUES:
        for _ in range(build.scaled(count)):
            while True:
                name = f"{FIRST_NAMES[rng.integers(len(FIRST_NAMES))]} {LAST_NAMES[rng.integers(len(LAST_NAMES))]}"
                if name not in taken:
                    break
            taken.add(name)
            people.append((ascii_slug(name), name, role, locked_hash))
    assert build.scale != 1 or len(people) == STAFF_TOTAL
    ids = build.ids(StaffUser, len(people))
    created = build.now - timedelta(days=3 * 365)
    hours = build.rng(_PART_HOURS).choice(WEEKLY_HOURS, size=len(people), p=WEEKLY_HOURS_SHARE)
    build.add(StaffUser, [
        {"id": int(i), "office_id": build.office_id, "username": username, "display_name": name,
         "role": str(role), "password_hash": pw_hash, "active": True,
         "created_at": created, "weekly_hours": float(h)}
        for i, (username, name, role, pw_hash), h in zip(ids, people, hours, strict=True)
    ])
    build.staff_ids = {username: int(i) for i, (username, *_rest) in zip(ids, people, strict=True)}
    build.staff_by_role = {}
    for i, (_u, _n, role, _h) in zip(ids, people, strict=True):
        build.staff_by_role.setdefault(str(role), []).append(int(i))
