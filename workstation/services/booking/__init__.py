"""Appointments booked ahead: online by citizens, by phone or at the desk by staff, with the same rules.

Owns: the catalogue rules of a booking (`catalogue`: counts, combinations, duration, documents), the
bookable capacity (`capacity`: lanes per area and weekday, the emergency share, closing days, public
holidays, Sundays, the horizon), the free-time search (`search`), claiming time so that the database
refuses a double booking (`claims`), holds, confirmation, cancelling and moving (`holds`, `bookings`,
`changes`), the abuse limits (`limits`: rate limit per client, bookings per e-mail, proof of work),
the contact checks (`contact`), the mails with calendar file and QR code (`mails`, `attachments`) and
the reminder and clean-up job steps (`upkeep`). A booking is an ordinary `Visit` (kind appointment,
status booked) with its `Concern` rows, so the counter queue shows it like any other appointment.
Imports `common` (change signals) and `staff` (audit of setup changes); writes outbox rows directly (messaging
sends them). `setup` is what the team lead keeps: closing days, lanes, the catalogue's booking rules.
"""
