"""Write Versandavis files for the demo office: `python -m workstation.commands.simulate_bdr [--bad]`.

Each run produces the next step for every application that is applied (→ VERSANDT, a few STORNIERT
or DIREKTVERSAND) or shipped (→ ZUGESTELLT); run the ingest in between to move them along.
"""

import argparse
from pathlib import Path

from workstation.services.pickup.feed import simulate


def main(argv: list[str] | None = None) -> None:
    """Write the files and list them."""
    parser = argparse.ArgumentParser(description="Bundesdruckerei-Versandavis simulieren")
    parser.add_argument("--inbox", type=Path, help="Eingangsordner (Standard: WORKSTATION_BDR_INBOX)")
    parser.add_argument("--bad", action="store_true", help="auch die fehlerhaften Fälle der Spezifikation")
    parser.add_argument("--per-file", type=int, default=200, help="Dokumente je Datei (1 bis 5000)")
    parser.add_argument("--seed", type=int, help="Zufallsstartwert (Standard: WORKSTATION_DEMO_SEED)")
    args = parser.parse_args(argv)
    if not 1 <= args.per_file <= 5000:
        parser.error("--per-file muss zwischen 1 und 5000 liegen")
    files = simulate.simulate(args.inbox, include_bad=args.bad, per_file=args.per_file, seed=args.seed)
    for path in files:
        print(path)
    print(f"{len(files)} Datei(en) geschrieben.")


if __name__ == "__main__":
    main()
