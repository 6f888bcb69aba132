"""Passwords of dashboard users: argon2id hashes and random passwords to print once.

In core (not in the dashboard) because the CLI makes users and sets passwords too.
"""

from __future__ import annotations

import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

__all__ = ["MIN_PASSWORD", "Passwords", "generate_password"]

MIN_PASSWORD = 10  # characters of a password a person chooses

# Letters and digits that cannot be mistaken for each other when read from a terminal.
_PASSWORD_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def generate_password(groups: int = 4, size: int = 4) -> str:
    """A random password like ``k7Pq-xT3m-...``: about 94 bits for the default 4×4."""
    return "-".join(
        "".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(size)) for _ in range(groups)
    )


class Passwords:
    """argon2id hashes (argon2-cffi's defaults, RFC 9106's second recommendation)."""

    def __init__(self, hasher: PasswordHasher | None = None) -> None:
        self.hasher = hasher or PasswordHasher()
        # Verified against when the username is unknown, so both take the same time.
        self._dummy = self.hasher.hash(secrets.token_hex(16))

    def hash(self, password: str) -> str:
        return self.hasher.hash(password)

    def verify(self, stored: str | None, password: str) -> bool:
        """True only for a stored hash that matches; an unknown user (``stored`` None) is
        checked against a dummy hash, so the answer takes as long as for a known one."""
        try:
            return self.hasher.verify(stored or self._dummy, password) and stored is not None
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, stored: str) -> bool:
        return self.hasher.check_needs_rehash(stored)
