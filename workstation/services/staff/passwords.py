"""Password hashing with argon2 (passlib + argon2-cffi; passlib's bcrypt is broken with bcrypt 5)."""

from passlib.context import CryptContext

_context = CryptContext(schemes=["argon2"], deprecated="auto")


def hash_password(password: str) -> str:
    """A salted argon2 hash for storage."""
    return _context.hash(password)


def verify_password(password: str, password_hash: str) -> bool:
    """True if the password matches; malformed hashes count as a mismatch."""
    try:
        return _context.verify(password, password_hash)
    except (ValueError, TypeError):
        return False
