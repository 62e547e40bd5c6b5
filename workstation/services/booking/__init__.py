"""Appointments booked ahead: online by citizens, by phone or at the desk by staff, with the same rules.

Owns: the catalogue rules of a booking (`catalogue`: counts, combinations, duration, documents), the
bookable capacity (`capacity`: lanes per area and weekday, the emergency share, closing days, public
holidays, Sundays, the horizon), the free-time search (`search`), claiming time so that the database
refuses a double booking (`claims`, in `txn.write_scope`), holds, confirmation, cancelling and moving
(`holds`, `bookings`, `changes`), the abuse limits (`limits`: rate limit per client, bookings per
e-mail, proof of work), the contact checks (`contact`), the mails with calendar file and QR code
(`mails`, `attachments`), the reminder and clean-up job steps (`upkeep`), which offices of a city take
online bookings and a request in another office's catalogue (`offices`), what the public pages and the
staff's Terminvergabe show (`public`, `staff`) and what the team lead keeps (`setup`). A booking is an
ordinary `Visit` (kind appointment, status booked) with its `Concern` rows, so the counter queue shows it
like any other appointment. Imports `common` (change signals, insert-or-skip) and `staff` (audit of setup
changes); writes outbox rows itself, the messaging package sends them. See docs/booking.md.
"""
