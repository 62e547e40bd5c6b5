"""A year of customer feedback and complaints, as Oldenburg reports them (seeds 003/004).

Feedback terminals at the exit collect a few answers per opening hour; satisfaction is high (mean
about 4.5 of 5) and a little lower in the afternoon, when the waits are longer. Complaints run at
about 0.05 % of the contacts: fewer than ten a month, recorded in the register with channel, topic
and outcome.
"""

import numpy as np

from workstation.models import FeedbackEntry
from workstation.models.enums import Area
from workstation.services.demo import calibration as cal
from workstation.services.demo.calendar import local_minutes
from workstation.services.demo.context import DemoBuild
from workstation.services.demo.visitgen import AREA_SHARES, AREAS, opening

_PART_FEEDBACK = 50
VOTES_PER_DAY = 14
COMPLAINT_RATE = 0.0005  # of the year's contacts (Oldenburg: 0.05 %)
_SCORES = np.array([1, 2, 3, 4, 5])
_MORNING_P = np.array([0.01, 0.02, 0.06, 0.30, 0.61])
_AFTERNOON_P = np.array([0.02, 0.03, 0.09, 0.34, 0.52])
_ASPECT_SHARE = 0.45  # answers that also rate the aspects
_COMMENTS = np.array(
    [
        "",
        "",
        "",
        "",
        "Sehr freundlich, danke!",
        "Schnell und kompetent.",
        "Wartebereich zu warm.",
        "Alles bestens.",
        "Terminbuchung online hat gut geklappt.",
    ]
)
_TOPICS = np.array(
    [
        ("Wartezeit trotz Termin", "Entschuldigung, Ablauf am Empfang angepasst"),
        ("Unfreundliche Auskunft am Schalter", "Gespräch mit der Teamleitung, Rückmeldung an die Person"),
        ("Kein Termin innerhalb von zwei Wochen", "Auf Notfallkontingent hingewiesen"),
        ("Unterlagenliste unklar", "Text der Terminbestätigung überarbeitet"),
        ("Gebühr nicht nachvollziehbar", "Gebührenbescheid erläutert"),
        ("Telefonisch nicht erreichbar", "Rückruf erfolgt"),
    ],
    dtype=object,
)
_CHANNELS = np.array(["email", "letter", "phone", "in_person", "online"])
_CHANNEL_P = np.array([0.45, 0.15, 0.2, 0.1, 0.1])
_NOON = 12 * 60


def build_feedback(build: DemoBuild) -> None:
    """Terminal answers and complaints on every working day of the demo's year."""
    rng = build.rng(_PART_FEEDBACK)
    days = build.history_days()
    day_idx = np.array([build.calendar.index(d) for d in days])
    votes = rng.poisson(VOTES_PER_DAY, size=len(days))
    complaint_days = np.sort(rng.choice(day_idx, round(COMPLAINT_RATE * cal.YEAR_CONTACTS)))
    rows = _votes(build, rng, np.repeat(day_idx, votes)) + _complaints(build, rng, complaint_days)
    ids = build.ids(FeedbackEntry, len(rows))
    build.add(FeedbackEntry, [{"id": int(i), **row} for i, row in zip(ids, rows, strict=True)])


def _instants(build: DemoBuild, rng: np.random.Generator, day_idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    open_min, close_min = opening(build.calendar, day_idx)
    minutes = open_min + rng.random(len(day_idx)) * (close_min - open_min)
    return build.calendar.to_utc(local_minutes(build.calendar, day_idx, minutes)), minutes < _NOON


def _blank(area: str, at, **values) -> dict:
    return {
        "office_id": None,
        "area": area,
        "at": at,
        "score": None,
        "complaint": False,
        "comment": "",
        "wait_score": None,
        "friendliness_score": None,
        "competence_score": None,
        "rooms_score": None,
        "channel": None,
        "topic": None,
        "outcome": None,
        "recorded_by": None,
        **values,
    }


def _votes(build: DemoBuild, rng: np.random.Generator, day_idx: np.ndarray) -> list[dict]:
    at, morning = _instants(build, rng, day_idx)
    n = len(day_idx)
    score = np.where(morning, rng.choice(_SCORES, n, p=_MORNING_P), rng.choice(_SCORES, n, p=_AFTERNOON_P))
    area = np.array([str(a) for a in AREAS])[rng.choice(len(AREAS), n, p=AREA_SHARES)]
    with_aspects = rng.random(n) < _ASPECT_SHARE
    aspects = np.clip(score[:, None] + rng.choice([-1, 0, 0, 0, 1], (n, 4)), 1, 5)
    comment = rng.choice(_COMMENTS, n)
    rows = []
    for i in range(n):
        extra = (
            dict(
                zip(
                    ("wait_score", "friendliness_score", "competence_score", "rooms_score"),
                    (int(v) for v in aspects[i]),
                    strict=True,
                )
            )
            if with_aspects[i]
            else {}
        )
        rows.append(
            _blank(
                str(area[i]),
                at[i].item(),
                office_id=build.office_id,
                score=int(score[i]),
                channel="terminal",
                comment=str(comment[i]),
                **extra,
            )
        )
    return rows


def _complaints(build: DemoBuild, rng: np.random.Generator, day_idx: np.ndarray) -> list[dict]:
    at, _ = _instants(build, rng, day_idx)
    n = len(day_idx)
    topic = rng.integers(0, len(_TOPICS), n)
    channel = rng.choice(_CHANNELS, n, p=_CHANNEL_P)
    area = np.array([str(a) for a in (*AREAS, Area.REGISTRATION)])[rng.integers(0, len(AREAS) + 1, n)]
    return [
        _blank(
            str(area[i]),
            at[i].item(),
            office_id=build.office_id,
            complaint=True,
            channel=str(channel[i]),
            topic=str(_TOPICS[topic[i]][0]),
            outcome=str(_TOPICS[topic[i]][1]),
        )
        for i in range(n)
    ]
