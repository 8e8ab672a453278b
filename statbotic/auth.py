"""Password hashing and the rules for usernames and passwords.

Hashes are PBKDF2-HMAC-SHA256 from hashlib at the OWASP 2023+ strength (600,000 iterations),
stored as one self-describing string: ``pbkdf2_sha256$<iterations>$<salt b64>$<hash b64>``.
The parameters travel with the hash, so they can be raised later: ``needs_rehash`` tells
when a stored hash is weaker than today's setting and login re-hashes it.
"""

from __future__ import annotations

import re

from .errors import InvalidInput
from .frozen import frozen
from .limits import MAX_PASSWORD_LENGTH

ALGORITHM = "pbkdf2_sha256"
ITERATIONS = 600_000
SALT_BYTES = 16
HASH_BYTES = 32

USERNAME_RULE = re.compile(r"[A-Za-z0-9._-]{3,32}")
MIN_PASSWORD_LENGTH = 8


@frozen
class HashParameters:
    algorithm: str
    iterations: int
    salt: bytes
    digest: bytes


def hash_password(password: str, iterations: int = ITERATIONS) -> str:
    """A salted, slow hash of ``password`` with its parameters in the returned string."""
    import secrets  # this module's crypto imports wait until a password is hashed: start-up speed

    salt = secrets.token_bytes(SALT_BYTES)
    digest = _derive(password, salt, iterations)
    return "$".join((ALGORITHM, str(iterations), _b64(salt), _b64(digest)))


def parse_hash(stored: str) -> HashParameters:
    """Read the parameters back from a stored hash string; ValueError if it is not one of ours."""
    algorithm, iterations, salt, digest = stored.split("$")
    if algorithm != ALGORITHM or not iterations.isdigit():
        raise ValueError("unknown password hash format")
    return HashParameters(algorithm, int(iterations), _unb64(salt), _unb64(digest))


def verify_password(password: str, stored: str) -> bool:
    """True when ``password`` matches the stored hash (compared in constant time)."""
    try:
        params = parse_hash(stored)
    except ValueError:
        return False
    import hmac

    candidate = _derive(password, params.salt, params.iterations, len(params.digest))
    return hmac.compare_digest(candidate, params.digest)


def needs_rehash(stored: str, iterations: int = ITERATIONS) -> bool:
    try:
        return parse_hash(stored).iterations < iterations
    except ValueError:
        return True


def burn_equal_time(password: str) -> None:
    """Spend as long as a real verification would, so unknown names can't be told apart by timing."""
    _derive(password, b"statbotic-decoy!", ITERATIONS)


TOKEN_PREFIX = "sbt_"


def new_token() -> str:
    """A random access token for scripts: 256 bits, so a fast hash is enough to store it safely."""
    import secrets

    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """What is stored for a token (SHA-256): a high-entropy secret needs no slow hash, and lookups stay fast."""
    import hashlib

    return hashlib.sha256(token.strip().encode("utf-8")).hexdigest()


def check_username(username: str) -> str:
    """The username as typed, if it follows the rule; InvalidInput otherwise."""
    username = username.strip()
    if not USERNAME_RULE.fullmatch(username):
        raise InvalidInput("A username has 3 to 32 characters: letters, digits, '.', '_' or '-'.")
    return username


def username_key(username: str) -> str:
    """What uniqueness compares: names differing only in case are the same user."""
    return username.strip().lower()


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(f"A password needs at least {MIN_PASSWORD_LENGTH} characters.")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise InvalidInput(f"A password can have at most {MAX_PASSWORD_LENGTH} characters.")
    if not password.strip():
        raise InvalidInput("A password can't be only spaces.")
    return password


def _derive(password: str, salt: bytes, iterations: int, length: int = HASH_BYTES) -> bytes:
    import hashlib

    return hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, iterations, length)


def _b64(raw: bytes) -> str:
    import base64

    return base64.b64encode(raw).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    import base64

    return base64.b64decode(text + "=" * (-len(text) % 4))
