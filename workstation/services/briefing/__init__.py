"""The 07:45 team briefing: yesterday's figures, today's load, staffing, and the team lead's notes.

Offers: `review` (the last office day and today's load, from the controlling figures), `board`
(the same as display-ready German values), `notes` (news and open questions), `staffing` (who sits
at which desk on a day) and `visit_times` (a day's visits for the "Auffällig" list).
"""
