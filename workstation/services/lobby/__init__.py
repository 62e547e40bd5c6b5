"""The lobby: kiosk devices in the entrance and the waiting room, and what they show and record.

Owns the devices and their pairing (`devices`: one-time pairing codes, revocable device tokens),
the check-in terminal (`terminal`: check-in by booking code, walk-in tickets, refused scans for
reception), the call display's shared list of calls (`call_board`), and the feedback terminal and
the complaints register (`feedback`). A device never holds a staff login; every device page
verifies its token on the server (see `state/device.py`).
"""
