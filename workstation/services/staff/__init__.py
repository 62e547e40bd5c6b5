"""Staff accounts and accountability: login and lock-out, passwords, account administration, audit log.

Offers: `auth` (sessions, `SessionUser`), `passwords` (argon2 hashing), `admin` (list, create,
unlock, (de)activate, reset accounts), `audit` (who read or changed citizen data, refused attempts)
and `read_audit` (batched audit entries for reads of citizen data on busy screens).
"""
