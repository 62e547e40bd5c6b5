"""The city: its offices side by side.

Owns `offices` (the list of a city's offices, creating one with a catalogue copied from another) and
`comparison` (the offices' key figures next to each other, read from the stored daily figures through
`metrics.report`, so the comparison can never disagree with an office's own controlling page).
"""
