"""`python -m workstation.jobs.run`: a process that runs only the scheduler.

It stands by until it gets the scheduler lock, runs the jobs while it holds it and goes back to
standby when it loses it (see `workstation.jobs.scheduler`). SIGTERM or SIGINT stop it cleanly.
Run it beside web workers started with `WORKSTATION_SCHEDULER=off`, or beside normal ones: whichever
process holds the lock runs the jobs.
"""

from workstation.jobs.scheduler import main

if __name__ == "__main__":
    main()
