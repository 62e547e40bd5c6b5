"""Reflex states: view data as plain values; they call services and check roles on the server."""
