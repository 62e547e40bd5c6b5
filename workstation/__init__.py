"""Bürgerbüro Workstation: the staff workstation of a German citizen office."""
