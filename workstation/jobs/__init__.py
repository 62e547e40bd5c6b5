"""Scheduled work (APScheduler): calls services, never the UI."""
