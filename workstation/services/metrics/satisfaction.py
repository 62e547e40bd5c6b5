"""Customer satisfaction: the feedback terminals' votes and the complaints register, as controlling reads them.

Read straight from the answers (not from the daily figures), because the time of day matters:
Oldenburg compares mornings with afternoons (`morning_until`, a setting). Scores are means on the
1–5 scale with the number of answers; a period, area or window without any answer has no score
("keine Daten"), never 0. Complaints count per 1,000 customer contacts served (the stored daily
figure); without stored contacts there is no rate either.
"""

from dataclasses import dataclass
from datetime import date

import polars as pl
from sqlmodel import select

from workstation import clock, db
from workstation.config import settings
from workstation.models import FeedbackEntry
from workstation.models.metrics import MetricName as M
from workstation.services import metrics
from workstation.services.common.formatting import number
from workstation.services.metrics import report

ASPECT_COLUMNS = {
    "wait_score": "Wartezeit",
    "friendliness_score": "Freundlichkeit",
    "competence_score": "Kompetenz",
    "rooms_score": "Räume",
}
MORNING, AFTERNOON = "Vormittag", "Nachmittag"
EXPORT_COLUMNS = {
    "morning": ("Zufriedenheit vormittags (1–5)", "score"),
    "afternoon": ("Zufriedenheit nachmittags (1–5)", "score"),
    "complaints_per_1000": ("Beschwerden je 1.000 Kontakte", "number"),
}
NO_DATA = "keine Daten"
_SCHEMA = {
    "at": pl.Datetime,
    "area": pl.String,
    "score": pl.Int64,
    "complaint": pl.Boolean,
    **dict.fromkeys(ASPECT_COLUMNS, pl.Int64),
}


@dataclass(frozen=True)
class ScoreCell:
    """One mean score as the page shows it: "4,6 (312 Antworten)" or "keine Daten"."""

    label: str
    mean: float | None
    answers: int

    @property
    def text(self) -> str:
        if self.mean is None:
            return NO_DATA
        return f"{number(self.mean, 1)} ({number(self.answers)} Antworten)"


@dataclass(frozen=True)
class Satisfaction:
    """Satisfaction and complaints of a period, broken down as Oldenburg evaluates them."""

    overall: ScoreCell
    weeks: list[ScoreCell]
    months: list[ScoreCell]
    areas: list[ScoreCell]
    windows: list[ScoreCell]
    aspects: list[ScoreCell]
    complaints: int
    contacts: int | None
    complaints_per_1000: float | None

    @property
    def complaints_text(self) -> str:
        if self.complaints_per_1000 is None:
            return NO_DATA
        return f"{number(self.complaints_per_1000, 2)} ({number(self.complaints)} von {number(self.contacts)})"


def _answers(office_id: int, first: date, last: date, area: str) -> pl.DataFrame:
    """The period's answers with their Berlin day and whether they came in the morning."""
    start, _ = clock.local_day_bounds(first)
    _, end = clock.local_day_bounds(last)
    query = select(
        FeedbackEntry.at,
        FeedbackEntry.area,
        FeedbackEntry.score,
        FeedbackEntry.complaint,
        *(getattr(FeedbackEntry, c) for c in ASPECT_COLUMNS),
    ).where(FeedbackEntry.office_id == office_id, FeedbackEntry.at >= start, FeedbackEntry.at < end)
    if area:
        query = query.where(FeedbackEntry.area == area)
    with db.read_scope() as session:
        rows = session.exec(query).all()
    frame = pl.DataFrame([tuple(r) for r in rows], schema=_SCHEMA, orient="row")
    local = pl.col("at").dt.replace_time_zone("UTC").dt.convert_time_zone(settings().timezone)
    return frame.with_columns(
        local.dt.date().alias("day"), (local.dt.time() < settings().morning_until).alias("morning")
    )


def _cell(label: str, scores: pl.Series) -> ScoreCell:
    scores = scores.drop_nulls()
    return ScoreCell(label, float(scores.mean()) if scores.len() else None, scores.len())


def _by_period(answers: pl.DataFrame, grain: str, first: date, last: date) -> list[ScoreCell]:
    """Every period of the range, also those without answers."""
    starts = (
        pl.DataFrame({"day": pl.date_range(first, last, eager=True)})
        .select(report.period_start(grain).alias("period"))
        .unique()
        .sort("period")["period"]
        .to_list()
    )
    votes = answers.filter(pl.col("score").is_not_null()).with_columns(report.period_start(grain).alias("period"))
    return [
        _cell(report.period_label(start, grain), votes.filter(pl.col("period") == start)["score"]) for start in starts
    ]


def _contacts(office_id: int, first: date, last: date, area: str) -> int | None:
    rows = metrics.figures(first, last, office_id).filter(
        (pl.col("metric") == M.CONTACTS_SERVED) & (pl.col("area") == area) & (pl.col("service_code") == "")
    )
    return int(rows["value"].sum()) if rows.height else None


def summary(office_id: int, first: date, last: date, area: str = "") -> Satisfaction:
    """Satisfaction of the Berlin days `first`..`last` (one area or all) per week, month, area, time window
    and aspect, and the complaints per 1,000 contacts."""
    answers = _answers(office_id, first, last, area)
    votes = answers.filter(pl.col("score").is_not_null())
    contacts = _contacts(office_id, first, last, area)
    complaints = int(answers["complaint"].sum())
    until = settings().morning_until.strftime("%H:%M")
    return Satisfaction(
        overall=_cell("gesamt", votes["score"]),
        weeks=_by_period(answers, "week", first, last),
        months=_by_period(answers, "month", first, last),
        areas=[
            _cell(label, votes.filter(pl.col("area") == code)["score"])
            for code, label in report.AREA_LABELS.items()
            if code and (not area or code == area)
        ],
        windows=[
            _cell(f"{MORNING} (bis {until} Uhr)", votes.filter(pl.col("morning"))["score"]),
            _cell(f"{AFTERNOON} (ab {until} Uhr)", votes.filter(~pl.col("morning"))["score"]),
        ],
        aspects=[_cell(label, votes[column]) for column, label in ASPECT_COLUMNS.items()],
        complaints=complaints,
        contacts=contacts,
        complaints_per_1000=1000 * complaints / contacts if contacts else None,
    )


def export_table(
    office_id: int, first: date, last: date, grain: str, area: str = "", service_code: str = ""
) -> pl.DataFrame:
    """The controlling export with the satisfaction of mornings and afternoons and the complaint rate per period."""
    table = report.export_table(office_id, first, last, grain, area, service_code)
    answers = _answers(office_id, first, last, area).with_columns(report.period_start(grain).alias("Beginn"))
    per_period = answers.group_by("Beginn").agg(
        pl.col("score").filter(pl.col("morning")).mean().alias(EXPORT_COLUMNS["morning"][0]),
        pl.col("score").filter(~pl.col("morning")).mean().alias(EXPORT_COLUMNS["afternoon"][0]),
        pl.col("complaint").sum().alias("_complaints"),
    )
    contacts = pl.col(report.LABELS[M.CONTACTS_SERVED][0])
    return (
        table.join(per_period, on="Beginn", how="left")
        .with_columns(
            pl.when(contacts > 0)
            .then(1000 * pl.col("_complaints").fill_null(0) / contacts)
            .alias(EXPORT_COLUMNS["complaints_per_1000"][0])
        )
        .drop("_complaints")
    )


def export_units() -> dict[str, str]:
    """How the CSV writes the added columns (see `report.to_csv`)."""
    return dict(EXPORT_COLUMNS.values())
