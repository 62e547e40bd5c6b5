"""Apply the Versandavis inbox once by hand: `python -m workstation.commands.ingest_bdr [--send]`."""

import argparse
from pathlib import Path

from workstation.jobs import pickup_jobs
from workstation.services.pickup.feed import inbox


def main(argv: list[str] | None = None) -> None:
    """Run one pass over the inbox and print what happened."""
    parser = argparse.ArgumentParser(description="Versandavis-Eingang einmal verarbeiten")
    parser.add_argument("--inbox", type=Path, help="Eingangsordner (Standard: WORKSTATION_BDR_INBOX)")
    parser.add_argument("--send", action="store_true", help="danach fällige Benachrichtigungen senden")
    args = parser.parse_args(argv)
    report = inbox.process_inbox(args.inbox)
    print(f"Dateien: {report.files} (übernommen {report.applied_files}, schon bekannt {report.duplicate_files}, "
          f"Quarantäne {report.quarantined_files})")
    print(f"Einträge: {report.entries} (angewendet {report.applied}, ignoriert {report.ignored}, "
          f"abgelehnt {report.rejected}); Benachrichtigungen: {report.notices}; Aufgaben: {report.tasks}")
    for name in report.quarantined:
        print(f"Quarantäne: {name}")
    if args.send:
        sent = pickup_jobs.send_outbox()
        print(f"Postausgang: gesendet {sent.sent}, später erneut {sent.retrying}, fehlgeschlagen {sent.failed}")


if __name__ == "__main__":
    main()
