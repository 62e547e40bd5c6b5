"""Scheduled jobs (APScheduler); they call services, never the UI."""
