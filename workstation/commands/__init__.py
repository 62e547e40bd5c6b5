"""Command-line entry points: `python -m workstation.commands.<name>`."""
