"""Prepare the database before the app starts: schema and, on an empty database, the demo office.

Usage: python -m workstation.commands.prepare
"""

from workstation.startup import prepare_database

if __name__ == "__main__":
    prepare_database()
