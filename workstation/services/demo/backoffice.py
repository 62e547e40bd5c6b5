"""A year of back-office work (225,579 cases, ~31,000 of them e-mails) and today's open list.

Each case arrives on a working day, is due a type-specific number of days later and is closed in the
afternoon back-office hours of the same or a later day; cases not closed by this morning are still open,
some of them overdue.
"""

import numpy as np

from workstation.models import BackofficeTask
from workstation.models.enums import TaskPriority, TaskStatus, TaskType
from workstation.services.demo import calibration as cal
from workstation.services.demo.calendar import local_minutes
from workstation.services.demo.context import DemoBuild
from workstation.services.demo.plan import day_weights, expand
from workstation.services.demo.rows import frame

_PART_BACKOFFICE = 20
TYPES: tuple[TaskType, ...] = tuple(TaskType)
_SOURCE = {
    TaskType.CITIZEN_EMAIL: "email",
    TaskType.LICENCE_WITHDRAWAL: "post",
    TaskType.BDR_CORRESPONDENCE: "bdr",
    TaskType.AUTHORITY_REQUEST: "authority",
    TaskType.INSURANCE_NOTICE: "insurer",
}
_TITLES: dict[TaskType, tuple[str, ...]] = {
    TaskType.CITIZEN_EMAIL: (
        "E-Mail: Frage zur Meldebescheinigung", "E-Mail: Termin verschieben", "E-Mail: Ist mein Ausweis da?",
        "E-Mail: Unterlagen für die Neuzulassung", "E-Mail: Beschwerde über die Wartezeit",
        "E-Mail: Frist für den Führerscheinumtausch", "E-Mail: Wohnungsgeberbestätigung fehlt",
    ),
    TaskType.LICENCE_WITHDRAWAL: (
        "Entziehung der Fahrerlaubnis – Mitteilung Amtsgericht Offenbach",
        "Entziehung der Fahrerlaubnis – Mitteilung Kraftfahrt-Bundesamt",
        "Sicherstellung Führerschein – Polizeipräsidium Südosthessen",
    ),
    TaskType.BDR_CORRESPONDENCE: (
        "Bundesdruckerei: Reklamation Chipfehler", "Bundesdruckerei: Rückfrage zum Lichtbild",
        "Bundesdruckerei: Nachlieferung PIN-Brief", "Bundesdruckerei: Stornierung eines Antrags",
        "Bundesdruckerei: fehlende Unterschrift im Antrag",
    ),
    TaskType.AUTHORITY_REQUEST: (
        "Polizei: Halterauskunft", "Polizei: Fahndung nach gestohlenem Fahrzeug",
        "Bundespolizei: Prüfung eines Ausweisdokuments", "Amtshilfe Stadt Frankfurt: Meldeauskunft",
        "Staatsanwaltschaft Darmstadt: Auskunftsersuchen", "Ausländerbehörde: Abgleich Meldedaten",
    ),
    TaskType.INSURANCE_NOTICE: (
        "Versicherungsanzeige nach § 25 FZV: kein Versicherungsschutz",
        "Versicherungsanzeige: Beendigung des Versicherungsverhältnisses",
    ),
}
_OUTCOMES: dict[TaskType, tuple[str, ...]] = {
    TaskType.CITIZEN_EMAIL: ("Beantwortet", "Beantwortet, Termin angeboten", "An Fachbereich weitergeleitet"),
    TaskType.LICENCE_WITHDRAWAL: ("Führerschein eingezogen", "Anhörung versandt", "An Fahrerlaubnisbehörde abgegeben"),
    TaskType.BDR_CORRESPONDENCE: ("Mit der Bundesdruckerei geklärt", "Neuer Antrag gestellt", "Bürger informiert"),
    TaskType.AUTHORITY_REQUEST: ("Auskunft erteilt", "Kein Treffer, Rückmeldung gegeben", "Dokument geprüft"),
    TaskType.INSURANCE_NOTICE: ("Nachweis eingegangen", "Fahrzeug außer Betrieb gesetzt", "Halter angeschrieben"),
}
_PRIORITY_P: dict[TaskType, tuple[float, float, float, float]] = {  # low, normal, high, urgent
    TaskType.CITIZEN_EMAIL: (0.10, 0.85, 0.05, 0.0),
    TaskType.LICENCE_WITHDRAWAL: (0.0, 0.65, 0.30, 0.05),
    TaskType.BDR_CORRESPONDENCE: (0.10, 0.80, 0.10, 0.0),
    TaskType.AUTHORITY_REQUEST: (0.0, 0.40, 0.40, 0.20),
    TaskType.INSURANCE_NOTICE: (0.05, 0.85, 0.10, 0.0),
}
_PRIORITIES = np.array([str(p) for p in (TaskPriority.LOW, TaskPriority.NORMAL, TaskPriority.HIGH,
                                         TaskPriority.URGENT)])
_OPEN_STATUSES = np.array([str(TaskStatus.OPEN), str(TaskStatus.IN_PROGRESS), str(TaskStatus.WAITING)])
# Days until a case is closed: same day, within a week, or a long tail waiting for others.
_CLOSE_SAME_DAY, _CLOSE_WEEK = 0.55, 0.35
_BACKOFFICE_FROM, _BACKOFFICE_UNTIL = 13 * 60, 16 * 60 + 30


def build_backoffice(build: DemoBuild) -> None:
    """Cases of the year before today, most closed, the rest forming today's open list."""
    rng = build.rng(_PART_BACKOFFICE)
    calendar = build.calendar
    days = build.history_days()
    day_cal = np.array([calendar.index(d) for d in days])
    base = day_weights(build, days, rng)
    type_idx, day_pos = [], []
    for t, task_type in enumerate(TYPES):
        cases = build.scaled(cal.TASK_TYPE_CASES[task_type])
        counts = cal.allocate(cases, base * rng.lognormal(0, 0.1, size=len(days)))
        pos = expand(counts)
        day_pos.append(pos)
        type_idx.append(np.full(len(pos), t))
    day_pos = np.concatenate(day_pos)
    type_idx = np.concatenate(type_idx)
    n = len(day_pos)
    created_day = day_cal[day_pos]
    created_min = rng.uniform(7.5 * 60, 16.5 * 60, size=n)
    order = np.lexsort((created_min, created_day))
    created_day, created_min, type_idx = created_day[order], created_min[order], type_idx[order]

    u = rng.random(n)
    delay = np.where(u < _CLOSE_SAME_DAY, 0,
                     np.where(u < _CLOSE_SAME_DAY + _CLOSE_WEEK, rng.integers(1, 6, size=n),
                              rng.integers(6, 45, size=n)))
    closed_day = calendar.next_working_index(created_day + delay)
    closed_min = rng.uniform(_BACKOFFICE_FROM, _BACKOFFICE_UNTIL, size=n)
    same_day = closed_day == created_day
    closed_min = np.where(same_day, np.maximum(closed_min, created_min + rng.uniform(20, 120, size=n)), closed_min)
    created_at = calendar.to_utc(local_minutes(calendar, created_day, created_min))
    closed_at = calendar.to_utc(local_minutes(calendar, closed_day, closed_min))
    done = closed_at <= np.datetime64(build.now, "us")
    closed_at = np.where(done, closed_at, np.datetime64("NaT", "us"))

    due_days = np.array([cal.TASK_DUE_DAYS[t] for t in TYPES])[type_idx]
    due = np.array(calendar.dates, dtype="datetime64[D]")[created_day] + due_days.astype("timedelta64[D]")
    priority = np.empty(n, dtype=object)
    title = np.empty(n, dtype=object)
    outcome = np.empty(n, dtype=object)
    source = np.empty(n, dtype=object)
    for t, task_type in enumerate(TYPES):
        mask = type_idx == t
        k = int(mask.sum())
        priority[mask] = _PRIORITIES[rng.choice(4, size=k, p=_PRIORITY_P[task_type])]
        title[mask] = np.array(_TITLES[task_type])[rng.integers(len(_TITLES[task_type]), size=k)]
        outcome[mask] = np.array(_OUTCOMES[task_type])[rng.integers(len(_OUTCOMES[task_type]), size=k)]
        source[mask] = _SOURCE[task_type]
    outcome[~done] = ""
    advisors = np.asarray(build.staff_by_role["advisor"])
    assignee = advisors[rng.integers(len(advisors), size=n)].astype(object)
    nobody = rng.random(n) < 0.7
    status = np.where(done, str(TaskStatus.DONE), _OPEN_STATUSES[rng.choice(3, size=n, p=(0.55, 0.3, 0.15))])
    # As in the running office: only an open task may have nobody; working on it or waiting means someone has it.
    assignee[(status == str(TaskStatus.OPEN)) & nobody] = None
    citizen = build.citizen_ids[rng.integers(len(build.citizen_ids), size=n)].astype(object)
    citizen[np.isin(type_idx, [TYPES.index(TaskType.BDR_CORRESPONDENCE), TYPES.index(TaskType.AUTHORITY_REQUEST)])
            | (rng.random(n) < 0.3)] = None
    ids = build.ids(BackofficeTask, n)
    year = np.array([d.year for d in calendar.dates])[created_day]
    reference = [f"BO-{y}-{i:06d}" for y, i in zip(year, ids, strict=True)]
    updated = np.where(done, closed_at, created_at)
    build.add(BackofficeTask, frame({
        "id": ids,
        "office_id": build.office_id,
        "type": np.array([str(t) for t in TYPES])[type_idx],
        "title": list(title),
        "reference": reference,
        "description": "",
        "due_date": due.astype("datetime64[D]"),
        "priority": list(priority),
        "status": status,
        "assignee_id": list(assignee),
        "citizen_id": list(citizen),
        "source": list(source),
        "outcome": list(outcome),
        "created_by": None,
        "created_at": created_at,
        "updated_at": updated,
        "closed_at": closed_at,
        "version": np.where(done, 2, 0),
    }))
