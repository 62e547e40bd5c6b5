"""Plumbing every service package may use; it imports no other service package.

Offers: `catalogue` (which services an office offers), `changes` (per-office change signals that
make the screens live), `formatting` (German numbers, dates and durations), `mail_parts` (mail attachments made
at sending time from a recipe), `insert_ignore` (bulk
insert that skips existing unique keys) and `serials` (serial numbers of identity documents and their
ICAO 9303 check digit, needed by the pickup desk and the back-office import alike).
"""
