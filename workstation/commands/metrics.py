"""Compute and store the daily controlling figures for any range of Berlin days.

Usage: python -m workstation.commands.metrics --from 2026-01-01 --to 2026-11-21
(without arguments: yesterday). Re-running a range replaces its figures.
"""

import argparse
import sys
import time
from datetime import date, timedelta

from workstation import clock
from workstation.services import metrics


def main(argv: list[str] | None = None) -> int:
    """Parse the range, compute, print a short report; exit code 1 on a bad range."""
    parser = argparse.ArgumentParser(description="Tageskennzahlen berechnen und speichern")
    yesterday = clock.today() - timedelta(days=1)
    parser.add_argument("--from", dest="first", type=date.fromisoformat, default=yesterday, help="erster Tag")
    parser.add_argument("--to", dest="last", type=date.fromisoformat, default=None, help="letzter Tag")
    args = parser.parse_args(argv)
    last = args.last or max(args.first, yesterday)
    start = time.perf_counter()
    try:
        report = metrics.refresh(args.first, last)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"{report.first:%d.%m.%Y}–{report.last:%d.%m.%Y}: {report.rows} Kennzahlen gespeichert "
          f"in {time.perf_counter() - start:.1f} s")
    for (day, office_id), count in sorted(report.bad_records.items()):
        print(f"  {day:%d.%m.%Y} Dienststelle {office_id}: {count} fehlerhafte Datensätze nicht verwendet")
    return 0


if __name__ == "__main__":
    sys.exit(main())
