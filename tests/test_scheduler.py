"""Exactly one process runs the scheduled jobs."""

from workstation.jobs import metrics_job, scheduler


def test_only_the_first_holder_of_the_lock_runs_the_jobs(sqlite_db, tmp_path, monkeypatch):
    monkeypatch.setattr(scheduler, "DATA_DIR", tmp_path)
    with scheduler._scheduler_lock() as first, scheduler._scheduler_lock() as second:
        assert (first, second) == (True, False)
    with scheduler._scheduler_lock() as again:
        assert again is True


def test_postgres_advisory_lock_admits_one_holder(pg_db):
    with scheduler._scheduler_lock() as first, scheduler._scheduler_lock() as second:
        assert (first, second) == (True, False)


def test_every_job_module_is_registered():
    ids = {job.id for job in scheduler.build_scheduler().get_jobs()}
    assert {"pickup_ingest_inbox", "pickup_send_outbox", "pickup_deadlines", metrics_job.JOB_ID} <= ids
