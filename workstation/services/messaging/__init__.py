"""Notifications to citizens leave the office here: the outbox, SMTP, the SMS gateway, the demo mail sink.

Offers: `outbox` (sending queued messages, retries, the Postausgang listing), `outbox_leases` (claims
as leases held by one run, renewed while it works, released when it fails), `smtp_mailer` (one SMTP
connection per run; 4xx transient, 5xx permanent), `sms` (exchangeable gateway) and `mail_sink` (a
local SMTP server that keeps mails for the embedded default). Any part of the office that tells
citizens something writes outbox rows and leaves the sending to this package.
"""
