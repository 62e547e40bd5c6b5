"""The pickup jobs register with the scheduler at the configured intervals and never overlap."""

from apscheduler.schedulers.background import BackgroundScheduler

from workstation.jobs import pickup_jobs


def test_register_adds_the_three_pickup_jobs(monkeypatch):
    monkeypatch.setenv("WORKSTATION_BDR_INGEST_MINUTES", "3")
    scheduler = BackgroundScheduler(timezone="Europe/Berlin")
    pickup_jobs.register(scheduler)
    jobs = {job.id: job for job in scheduler.get_jobs()}
    assert set(jobs) == {"pickup_ingest_inbox", "pickup_send_outbox", "pickup_deadlines"}
    assert jobs["pickup_ingest_inbox"].trigger.interval.total_seconds() == 180
    assert all(job.max_instances == 1 for job in jobs.values())
