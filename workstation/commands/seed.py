"""`python -m workstation.commands.seed [--reset] [--city] [--seed N] [--today YYYY-MM-DD]`: (re)create the demo
office, or with `--city` the demo city."""

import argparse
import sys
from datetime import date

from workstation.services.demo.seed import DemoAlreadySeededError, seed_demo_office
from workstation.startup import migrate


def main(argv: list[str] | None = None) -> int:
    """Bring the schema up to date, seed the demo office and print what was written."""
    parser = argparse.ArgumentParser(prog="python -m workstation.commands.seed", description=__doc__)
    parser.add_argument("--reset", action="store_true", help="wipe all tables first")
    parser.add_argument("--seed", type=int, default=None, help="random seed (default: WORKSTATION_DEMO_SEED)")
    parser.add_argument("--today", type=date.fromisoformat, default=None, help="the demo's today (YYYY-MM-DD)")
    parser.add_argument("--city", action="store_true",
                        help="the demo city: the demo office, two smaller Bürgerbüros, a foreigners' office")
    args = parser.parse_args(argv)
    migrate()
    try:
        report = seed_demo_office(seed=args.seed, today=args.today, reset=args.reset, city=args.city)
    except DemoAlreadySeededError as exc:
        print(exc, file=sys.stderr)
        return 1
    for table, count in sorted(report.rows.items()):
        print(f"{table:24} {count:>9,}")
    print(f"seed {report.seed}, today {report.today}: built in {report.build_seconds:.1f} s, "
          f"written in {report.write_seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
