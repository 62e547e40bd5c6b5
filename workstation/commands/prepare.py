"""Prepare the database before the app starts: schema and, on an empty database, the demo office.

Usage: python -m workstation.commands.prepare [--demo-clock]
With `--demo-clock` the last line printed is `WORKSTATION_NOW=<ISO instant>` when the demo clock should
start there (see `workstation.services.demo.demo_clock`); the run command exports it.
"""

import sys

from workstation.startup import prepare_database

if __name__ == "__main__":
    prepare_database()
    if "--demo-clock" in sys.argv:
        from workstation.services.demo import demo_clock

        start = demo_clock.start_instant()
        if start is not None:
            print(f"WORKSTATION_NOW={start.isoformat()}")
