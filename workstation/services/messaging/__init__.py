"""Notifications to citizens leave the office here: the outbox, SMTP, the SMS gateway, the demo mail sink.

Offers: `outbox` (sending queued messages with claims and retries), `sms` (exchangeable gateway)
and `mail_sink` (a local SMTP server that keeps mails for the embedded default). Any part of the
office that tells citizens something writes outbox rows and leaves the sending to this package.
"""
