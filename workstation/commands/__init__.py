"""Commands run by hand: `python -m workstation.commands.<name>` (one module per command)."""
