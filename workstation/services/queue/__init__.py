"""The floor: check-in, the queue, the counter's steps and what the queue screens show.

Offers: `checkin` (appointments, walk-ins, emergencies and dealers into the queue), `calls` (who
is called next and every step of a visit at the counter, atomic on both databases), `floor` (the
shared queue overview of an office), `panel` (a person's concerns panel, audited), `choices`
(selection lists), `desks` (which counter an advisor sits at) and `workday` (queue or back office).
"""
