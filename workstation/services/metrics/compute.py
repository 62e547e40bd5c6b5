"""The daily figures as pure functions of the raw frames (definitions: docs/metrics.md).

Every function returns the long format of `DailyMetric`: day, office_id, area, service_code, metric,
value — area "" is the office total, service_code "" the area (or office) total. All days and offices
are computed in one vectorised pass, so a decade of a city costs seconds, a single night milliseconds."""

from datetime import date, timedelta

import polars as pl

from workstation.models.enums import Area, DocumentType, VisitKind, VisitStatus
from workstation.models.metrics import MetricName as M
from workstation.services.metrics.load import RawData, flag_sorted
from workstation.services.metrics.visit_rules import (
    bad_visit,
    local_day,
    served,
    service_minutes,
    waiting_minutes,
)

WAIT_TARGET_MIN = 15


UNCOLLECTED_AFTER_DAYS = 28


KEYS = ["day", "office_id", "area", "service_code"]


LONG_SCHEMA = {"day": pl.Date, "office_id": pl.Int64, "area": pl.String, "service_code": pl.String,
               "metric": pl.String, "value": pl.Float64}


# Office totals that exist for every day and office, zero when nothing happened.
OFFICE_METRICS = [
    M.CONTACTS_SERVED, M.APPOINTMENTS_BOOKED, M.APPOINTMENTS_CANCELLED, M.NO_SHOWS, M.NO_SHOW_RATE,
    M.WALK_INS, M.EMERGENCIES, M.WAIT_MEAN_MIN, M.WAIT_MEDIAN_MIN, M.WAIT_P90_MIN, M.WAIT_WITHIN_15_SHARE,
    M.WAITS_MEASURED, M.SERVICE_MEAN_MIN, M.SERVICE_PLANNED_MIN, M.SERVICES_MEASURED, M.BOOKING_TO_VISIT_DAYS,
    M.BACKOFFICE_OPENED, M.BACKOFFICE_CLOSED, M.BACKOFFICE_BACKLOG, M.BACKOFFICE_OVERDUE, M.EMAILS_ANSWERED,
    M.PICKUP_ARRIVED, M.PICKUP_NOTIFIED, M.PICKUP_HANDED_OVER, M.PICKUP_DAYS_TO_HANDOVER,
    M.PICKUP_UNCOLLECTED_4W, M.ONLINE_SERVICES, M.ONLINE_SHARE, M.FEEDBACK_RECEIVED, M.FEEDBACK_SCORE_MEAN,
    M.COMPLAINTS, M.STAFF_AT_COUNTERS, M.STAFF_FTE_AT_COUNTERS, M.BAD_RECORDS,
]


def _safe_div(num: pl.Expr, den: pl.Expr) -> pl.Expr:
    return pl.when(den > 0).then(num / den).otherwise(0.0)


def _long(wide: pl.DataFrame, keys: list[str]) -> pl.DataFrame:
    """Wide per-group figures → DailyMetric's long rows (missing key columns become "")."""
    if wide.is_empty():
        return pl.DataFrame(schema=LONG_SCHEMA)
    filled = wide.with_columns(*(pl.lit("").alias(k) for k in ("area", "service_code") if k not in keys))
    values = [c for c in wide.columns if c not in keys]
    return (
        filled.with_columns(pl.col(values).cast(pl.Float64).fill_null(0.0).fill_nan(0.0))
        .unpivot(index=KEYS, on=values, variable_name="metric", value_name="value")
        .select(list(LONG_SCHEMA))
        .cast(LONG_SCHEMA)
    )


def _per_levels(frame: pl.DataFrame, day_col: str, aggs: list[pl.Expr], by_area: bool = True,
                post: list[pl.Expr] | None = None) -> pl.DataFrame:
    """Aggregate per day and office (area ""), and with `by_area` also per day, office and area."""
    out = []
    for keys in [["office_id"], ["office_id", "area"]][: 2 if by_area else 1]:
        wide = frame.group_by([day_col, *keys]).agg(aggs).rename({day_col: "day"})
        if post:
            wide = wide.with_columns(post)
        out.append(_long(wide.drop([c for c in wide.columns if c.startswith("_")]), ["day", *keys]))
    return pl.concat(out)


def prepare_visits(raw: RawData) -> pl.DataFrame:
    """Visits with their day, waiting and service minutes, and flags for bad records.

    A visit with an unreadable timestamp, whose call precedes its check-in, that finished before it
    started, or whose wait or service spans more than an office day, is a bad record: it is counted
    (and still counts as served or booked), but none of its times enter an average.
    """
    concerns = flag_sorted(raw.concerns, "visit_id")
    planned = concerns.group_by("visit_id", maintain_order=concerns["visit_id"].flags["SORTED_ASC"]).agg(
        pl.col("planned_minutes").sum().alias("planned_min"))
    v = flag_sorted(raw.visits, "visit_id").join(flag_sorted(planned, "visit_id"), on="visit_id", how="left")
    return v.with_columns(
        local_day(pl.coalesce("slot_start", "checked_in_at")).alias("day"),
        waiting_minutes().alias("wait_min"),
        service_minutes().alias("service_min"),
        bad_visit().alias("bad"),
        served().alias("served"),
        (pl.col("kind") == VisitKind.APPOINTMENT).alias("appt"),
        ((pl.col("kind") == VisitKind.APPOINTMENT)
         & (pl.col("cancelled_at").is_not_null() | (pl.col("status") == VisitStatus.CANCELLED))).alias("cancelled"),
        ((pl.col("status") == VisitStatus.NO_SHOW) | pl.col("no_show_at").is_not_null()).alias("no_show"),
    ).with_columns(
        pl.when(pl.col("appt") & ~pl.col("cancelled") & pl.col("booked_at").is_not_null())
        .then((pl.col("day") - local_day(pl.col("booked_at"))).dt.total_days())
        .alias("booking_days"),
    )


def visit_metrics(v: pl.DataFrame) -> pl.DataFrame:
    """Contacts, appointments, no-shows, walk-ins, emergencies, waiting and service time, bad records."""
    wait = pl.col("wait_min")
    svc = pl.col("_svc")
    v = v.with_columns(  # plain columns aggregate faster than filters inside the aggregation
        pl.when(pl.col("served")).then(pl.col("service_min")).alias("_svc"),
        pl.when(pl.col("served") & pl.col("service_min").is_not_null()).then(pl.col("planned_min")).alias("_planned"),
        (pl.col("kind") == VisitKind.WALK_IN).alias("_walk_in"),
        (pl.col("kind") == VisitKind.EMERGENCY).alias("_emergency"),
    )
    aggs = [
        pl.col("served").sum().alias(M.CONTACTS_SERVED),
        pl.col("appt").sum().alias(M.APPOINTMENTS_BOOKED),
        pl.col("cancelled").sum().alias(M.APPOINTMENTS_CANCELLED),
        pl.col("no_show").sum().alias(M.NO_SHOWS),
        pl.col("_walk_in").sum().alias(M.WALK_INS),
        pl.col("_emergency").sum().alias(M.EMERGENCIES),
        wait.mean().alias(M.WAIT_MEAN_MIN),
        wait.median().alias(M.WAIT_MEDIAN_MIN),
        wait.quantile(0.9, "linear").alias(M.WAIT_P90_MIN),
        wait.count().alias(M.WAITS_MEASURED),
        (wait <= WAIT_TARGET_MIN).sum().alias("_within"),
        svc.mean().alias(M.SERVICE_MEAN_MIN),
        pl.col("_planned").mean().alias(M.SERVICE_PLANNED_MIN),
        svc.count().alias(M.SERVICES_MEASURED),
        pl.col("booking_days").mean().alias(M.BOOKING_TO_VISIT_DAYS),
        pl.col("bad").sum().alias(M.BAD_RECORDS),
    ]
    post = [
        _safe_div(pl.col(M.NO_SHOWS), pl.col(M.APPOINTMENTS_BOOKED) - pl.col(M.APPOINTMENTS_CANCELLED))
        .alias(M.NO_SHOW_RATE),
        _safe_div(pl.col("_within"), pl.col(M.WAITS_MEASURED)).alias(M.WAIT_WITHIN_15_SHARE),
    ]
    return _per_levels(v, "day", aggs, post=post)


def service_metrics(v: pl.DataFrame, concerns: pl.DataFrame, services: pl.DataFrame) -> pl.DataFrame:
    """Per service: contacts, and service time against plan.

    A visit's service time is split among its concerns in proportion to their planned minutes, so a visit
    with one concern counts fully and the split of a combined visit follows the plan. Grouped by service
    id; the code and area join the few result rows.
    """
    served = flag_sorted(v.filter(pl.col("served")).select("visit_id", "day", "office_id", "service_min",
                                                          "planned_min"), "visit_id")
    c = flag_sorted(concerns, "visit_id").join(served, on="visit_id").with_columns(
        (pl.col("service_min") * pl.col("planned_minutes") / pl.col("planned_min")).alias("share_min"))
    wide = c.group_by("day", "office_id", "service_id").agg(
        pl.len().alias(M.CONTACTS_SERVED),
        pl.col("share_min").mean().alias(M.SERVICE_MEAN_MIN),
        pl.when(pl.col("share_min").is_not_null()).then(pl.col("planned_minutes")).mean()
        .alias(M.SERVICE_PLANNED_MIN),
        pl.col("share_min").count().alias(M.SERVICES_MEASURED),
    ).join(services.rename({"service_area": "area"}), on="service_id").drop("service_id")
    return _long(wide, KEYS)


def _day_grid(raw: RawData) -> pl.DataFrame:
    days = pl.date_range(raw.first, raw.last, "1d", eager=True).alias("day")
    return raw.offices.select("office_id").join(days.to_frame(), how="cross")


def _active_per_day(items: pl.DataFrame, grid: pl.DataFrame, start: str, end: str, keys: list[str],
                    first: date) -> pl.DataFrame:
    """How many items are active at the end of each day, for intervals [start, end) of days (end may be null).

    Only the key and day columns are carried through the filters (millions of rows on a decade of a city).
    """
    live = items.lazy().select(*keys, pl.max_horizontal(pl.col(start), pl.lit(first)).alias("_from"), end).filter(
        pl.col(end).is_null() | (pl.col(end) > pl.col("_from")))
    starts, ends = pl.collect_all([
        live.group_by([*keys, pl.col("_from").alias("day")]).agg(pl.len().alias("_in")),
        live.filter(pl.col(end).is_not_null()).group_by([*keys, pl.col(end).alias("day")]).agg(
            pl.len().alias("_out")),
    ])
    g = grid.join(starts, on=[*keys, "day"], how="left").join(ends, on=[*keys, "day"], how="left")
    return g.sort([*keys, "day"]).with_columns(
        (pl.col("_in").fill_null(0).cum_sum() - pl.col("_out").fill_null(0).cum_sum()).over(keys).alias("active")
    ).drop("_in", "_out")


def backoffice_metrics(raw: RawData) -> pl.DataFrame:
    """Opened, closed, backlog and overdue at the end of the day, e-mails answered (office totals)."""
    t = raw.tasks.select(
        "office_id",
        "due_date",
        pl.col("email") == 1,
        local_day(pl.col("created_at")).alias("opened_day"),
        local_day(pl.col("closed_at")).alias("closed_day"),
        (pl.col("closed_at") < pl.col("created_at")).fill_null(False).alias("bad"),
    )
    bad = t.filter(pl.col("bad")).group_by("office_id", pl.col("opened_day").alias("day")).agg(
        pl.len().alias(M.BAD_RECORDS))
    t = t.filter(~pl.col("bad"))
    grid = _day_grid(raw)
    opened = t.group_by("office_id", pl.col("opened_day").alias("day")).agg(pl.len().alias(M.BACKOFFICE_OPENED))
    closed = t.filter(pl.col("closed_day").is_not_null()).group_by(
        "office_id", pl.col("closed_day").alias("day")).agg(
        pl.len().alias(M.BACKOFFICE_CLOSED),
        pl.col("email").sum().alias(M.EMAILS_ANSWERED))
    backlog = _active_per_day(t, grid, "opened_day", "closed_day", ["office_id"], raw.first).rename(
        {"active": M.BACKOFFICE_BACKLOG})
    overdue_items = t.filter(pl.col("due_date").is_not_null()).with_columns(
        pl.max_horizontal("opened_day", "due_date").alias("overdue_from"))
    overdue = _active_per_day(overdue_items, grid, "overdue_from", "closed_day", ["office_id"], raw.first).rename(
        {"active": M.BACKOFFICE_OVERDUE})
    wide = (grid.join(opened, on=["office_id", "day"], how="left").join(closed, on=["office_id", "day"], how="left")
            .join(backlog, on=["office_id", "day"], how="left").join(overdue, on=["office_id", "day"], how="left")
            .join(bad, on=["office_id", "day"], how="left"))
    return _long(wide, ["day", "office_id"])


def _doc_area() -> pl.Expr:
    return pl.when(pl.col("doc_type") == DocumentType.DRIVING_LICENCE).then(pl.lit(Area.DRIVING_LICENCES)).otherwise(
        pl.lit(Area.ID_DOCUMENTS))


def pickup_metrics(raw: RawData) -> pl.DataFrame:
    """Arrived, notified, handed over, days from arrival to hand-over, uncollected after four weeks."""
    gone_status = pl.col("status").is_in(["returned", "cancelled"])
    a = raw.applications.with_columns(
        _doc_area().alias("area"),
        local_day(pl.col("arrived_at")).alias("arrived_day"),
        local_day(pl.col("notified_at")).alias("notified_day"),
        local_day(pl.col("handed_over_at")).alias("handed_day"),
        (pl.col("handed_over_at") < pl.col("arrived_at")).fill_null(False).alias("bad"),
    ).with_columns(
        local_day(pl.coalesce(pl.col("handed_over_at"), pl.when(gone_status).then(pl.col("status_at"))))
        .alias("gone_day"),
        (pl.col("arrived_day") + timedelta(days=UNCOLLECTED_AFTER_DAYS)).alias("uncollected_from"),
    )
    good = a.filter(~pl.col("bad"))
    first, last = raw.first, raw.last

    def on_day(col: str) -> pl.Expr:
        return pl.col(col).is_between(first, last)

    parts = []
    for day_col, aggs, frame in (
        ("arrived_day", [pl.len().alias(M.PICKUP_ARRIVED)], good.filter(on_day("arrived_day"))),
        ("notified_day", [pl.len().alias(M.PICKUP_NOTIFIED)], good.filter(on_day("notified_day"))),
        ("handed_day", [pl.len().alias(M.PICKUP_HANDED_OVER),
                        (pl.col("handed_day") - pl.col("arrived_day")).dt.total_days().mean()
                        .alias(M.PICKUP_DAYS_TO_HANDOVER)], good.filter(on_day("handed_day"))),
        ("arrived_day", [pl.len().alias(M.BAD_RECORDS)], a.filter(pl.col("bad") & on_day("arrived_day"))),
    ):
        parts.append(_per_levels(frame, day_col, aggs))
    grid = _day_grid(raw)
    for keys, g in ((["office_id"], grid), (["office_id", "area"], grid.join(
            pl.DataFrame({"area": [Area.ID_DOCUMENTS.value, Area.DRIVING_LICENCES.value]}), how="cross"))):
        waiting = _active_per_day(good, g, "uncollected_from", "gone_day", keys, first).filter(
            pl.col("active") > 0).rename({"active": M.PICKUP_UNCOLLECTED_4W})
        parts.append(_long(waiting, ["day", *keys]))
    return pl.concat(parts)


def lead_time_metrics(raw: RawData) -> pl.DataFrame:
    """Days from the morning to the first free online time per area, as the booking engine offered it.

    Read from the morning's `LeadTimeRecord` (see `lead_time`); the office total is the mean over its
    areas. A day without a record has no lead time at all (not 0, not the horizon).
    """
    per_area = raw.lead_times.select("day", "office_id", "area", pl.col("lead_days").alias(M.LEAD_TIME_DAYS))
    if per_area.is_empty():
        return pl.DataFrame(schema=LONG_SCHEMA)
    office = per_area.group_by("day", "office_id").agg(pl.col(M.LEAD_TIME_DAYS).mean())
    return pl.concat([_long(per_area, ["day", "office_id", "area"]), _long(office, ["day", "office_id"])])


def online_metrics(raw: RawData, contacts: pl.DataFrame) -> pl.DataFrame:
    """Online cases and their share of all cases (online + contacts served), per office and area."""
    o = raw.online.with_columns(local_day(pl.col("completed_at")).alias("day"))
    counts = _per_levels(o, "day", [pl.len().alias(M.ONLINE_SERVICES)])
    if counts.is_empty():
        return counts
    wide = counts.pivot(on="metric", index=KEYS, values="value").join(
        contacts, on=KEYS, how="left").with_columns(
        _safe_div(pl.col(M.ONLINE_SERVICES), pl.col(M.ONLINE_SERVICES) + pl.col("contacts").fill_null(0))
        .alias(M.ONLINE_SHARE)).drop("contacts")
    return _long(wide, KEYS)


def feedback_metrics(raw: RawData) -> pl.DataFrame:
    """Feedback answers received, their mean score and complaints, per office and (where known) per area."""
    f = raw.feedback.with_columns(local_day(pl.col("at")).alias("day"))
    aggs = [pl.len().alias(M.FEEDBACK_RECEIVED), pl.col("score").mean().alias(M.FEEDBACK_SCORE_MEAN),
            pl.col("complaint").sum().alias(M.COMPLAINTS)]
    office = _per_levels(f, "day", aggs, by_area=False)
    areas = _per_levels(f.filter(pl.col("area") != ""), "day", aggs).filter(pl.col("area") != "")
    return pl.concat([office, areas])


def staff_metrics(raw: RawData, full_time_hours: float) -> pl.DataFrame:
    """Staff assigned to regular and dealer counters, as heads and as full-time equivalents (each person's
    contracted weekly hours ÷ the full-time week): the denominator of contacts per full-time staff."""
    return _long(raw.staff.select(
        "day", "office_id", pl.col("staff").alias(M.STAFF_AT_COUNTERS),
        (pl.col("weekly_hours") / full_time_hours).alias(M.STAFF_FTE_AT_COUNTERS)), ["day", "office_id"])


def compute_all(raw: RawData, full_time_hours: float = 39.0) -> pl.DataFrame:
    """All figures of the raw data's days, in no particular order; office totals exist for every day and office."""
    v = prepare_visits(raw)
    visits = visit_metrics(v)
    contacts = visits.filter(pl.col("metric") == M.CONTACTS_SERVED).select(*KEYS, pl.col("value").alias("contacts"))
    parts = pl.concat([
        visits,
        service_metrics(v, raw.concerns, raw.services),
        backoffice_metrics(raw),
        pickup_metrics(raw),
        lead_time_metrics(raw),
        online_metrics(raw, contacts),
        feedback_metrics(raw),
        staff_metrics(raw, full_time_hours),
    ]).filter(pl.col("day").is_between(raw.first, raw.last))
    # Bad records of several sources on one office day add up; every other figure has one source.
    bad = parts.filter(pl.col("metric") == M.BAD_RECORDS).group_by(*KEYS, "metric").agg(pl.col("value").sum())
    parts = pl.concat([parts.filter(pl.col("metric") != M.BAD_RECORDS), bad.select(list(LONG_SCHEMA))])
    office_grid = _day_grid(raw).join(pl.DataFrame({"metric": [m.value for m in OFFICE_METRICS]}), how="cross")
    zeros = office_grid.with_columns(pl.lit("").alias("area"), pl.lit("").alias("service_code"),
                                     pl.lit(0.0).alias("value")).join(parts, on=[*KEYS, "metric"], how="anti")
    # In no particular order: sorting 5 M rows by their string keys would cost seconds, and the rows go to
    # the database, whose readers order what they show.
    return pl.concat([parts, zeros.select(list(LONG_SCHEMA))])
