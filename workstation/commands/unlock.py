"""`python -m workstation.commands.unlock NAME`: lift a login lock from the server (the trusted path).

Anyone on the network can make a name fail its logins; the throttle then refuses that name for a
while. Whoever has a shell on the server — e.g. to let the admin in at once — forgets the name's
failed attempts from every address with this command; `--everything` forgets all of them.
"""

import argparse

from sqlalchemy import delete

from workstation import db
from workstation.models import LoginFailure
from workstation.services.staff import login_throttle


def main(argv: list[str] | None = None) -> int:
    """Forget the failed attempts and say how many there were."""
    parser = argparse.ArgumentParser(prog="python -m workstation.commands.unlock", description=__doc__)
    parser.add_argument("name", nargs="?", help="the user name to unlock")
    parser.add_argument("--everything", action="store_true", help="forget every failed attempt of every name")
    args = parser.parse_args(argv)
    if not args.name and not args.everything:
        parser.error("Bitte einen Benutzernamen oder --everything angeben.")
    with db.session_scope() as session:
        if args.everything:
            count = session.connection().execute(delete(LoginFailure)).rowcount or 0
        else:
            count = login_throttle.unlock_name(session, args.name)
    print(f"{count} Fehlversuch(e) vergessen; die Anmeldung ist wieder frei.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
