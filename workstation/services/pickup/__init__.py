"""Documents from the Bundesdruckerei until the citizen holds them: feed, pickup desk, notices, lookup.

Offers: `feed` (the Versandavis shipment notices: parse, apply, inbox, simulator), `desk` (the
pickup desk's lists, scan and hand-over, reminders and holding periods), `notices` (the German
texts sent to citizens), `followup_tasks` (back-office tasks the pickup jobs raise) and
`status_lookup` (the public "Ist mein Dokument abholbereit?" answer, without personal data).
"""
