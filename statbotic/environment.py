"""The settings as text: the .env file read with care, and every setting checked before anything heavy loads.

cli.main checks the settings at start, before the banner: a bad value stops the app with one line
naming the setting (a bad .env names the file and the line).  Settings.from_env checks them again and
builds the typed values from them.  Nothing heavy is imported here (benchmarks/startup.py): the
metrics' table, with fractions, loads only when a STATBOTIC_ variable not listed here (a target, which
the metric definitions name) is set.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from .errors import ConfigError, InvalidInput
from .limits import MAX_ANSWER, MAX_NAME, MAX_PASSWORD_LENGTH, MAX_PATH, MAX_SETTINGS_FILE, shown, text_problem

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
URI_SCHEMES = ("mongodb://", "mongodb+srv://")
DB_NAME_BYTES = 63  # MongoDB's limit, in UTF-8 bytes
DB_NAME_FORBIDDEN = '/\\. "$\0'  # on every platform MongoDB runs on
PREFIX = "STATBOTIC_"
SECRETS = ("STATBOTIC_PASSWORD", "STATBOTIC_SMTP_PASSWORD")  # taken as they are: not stripped, any character allowed
BOM = b"\xef\xbb\xbf"


def read_dotenv(path: str) -> dict[str, str]:
    """The variables a .env file sets.  ConfigError naming the file, and the line, when it is larger
    than MAX_SETTINGS_FILE bytes, not UTF-8 text, holds a NUL byte or a line that is not NAME=value."""
    try:
        with open(path, "rb") as file:
            data = file.read(MAX_SETTINGS_FILE + 1).removeprefix(BOM)  # some editors start with a BOM
    except OSError as problem:
        raise ConfigError(f"Can't read {path}: {problem.strerror or problem}.") from None
    if len(data) > MAX_SETTINGS_FILE:
        raise ConfigError(f"{path} is larger than {MAX_SETTINGS_FILE:,} bytes: it holds settings, one a line.")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as problem:
        line = data.count(b"\n", 0, problem.start) + 1
        raise ConfigError(f"{path} line {line} is not UTF-8 text: save the file as UTF-8.") from None
    if "\0" in text:
        line = text.count("\n", 0, text.index("\0")) + 1
        raise ConfigError(f"{path} line {line} holds a NUL byte: a .env file is text, one NAME=value a line.")
    return _variables(path, text)


def _variables(path: str, text: str) -> dict[str, str]:
    import io

    from dotenv import dotenv_values
    from dotenv.parser import parse_stream

    for binding in parse_stream(io.StringIO(text)):
        if binding.error:
            line = binding.original.line
            raise ConfigError(f"{path} line {line} is not a setting: write NAME=value (a # starts a comment).")
    return {name: value for name, value in dotenv_values(stream=io.StringIO(text)).items() if value is not None}


def check_settings(environ: Mapping[str, str]) -> None:
    """Every setting the app reads, checked as text (bounded, UTF-8, no control characters) and by its
    own rule; ConfigError naming the first one that is wrong.  An empty value means the default."""
    for name, (limit, rule) in SETTINGS.items():
        value = environ.get(name)
        if value is None:
            continue
        check_text(name, value, limit)
        if rule is not None and value.strip():
            rule(name, value.strip())
    if any(name.startswith(PREFIX) and name not in SETTINGS and value.strip() for name, value in environ.items()):
        targets_of(environ)
    smtp_security_of(environ)


def check_text(name: str, value: str, limit: int) -> None:
    problem = text_problem(value, limit)
    if problem:
        raise ConfigError(f"{name} is {problem}.")
    if name not in SECRETS and any(ord(c) < 32 or ord(c) == 127 for c in value):
        raise ConfigError(f"{name} holds a control character (a tab, a NUL, an escape...): remove it.")


def week_start_of(raw: str) -> int:
    """0 (Monday) to 6 (Sunday), from STATBOTIC_WEEK_START's text."""
    try:
        return WEEKDAYS.index(raw.strip().lower())
    except ValueError:
        raise ConfigError(
            f"STATBOTIC_WEEK_START must be a weekday name such as monday or sunday, not {shown(raw.strip())}."
        ) from None


def check_db_name(name: str, where: str) -> str:
    """``name`` if MongoDB accepts it as a database name; ConfigError naming ``where`` it came from."""
    if not name or len(name.encode("utf-8")) > DB_NAME_BYTES or any(c in DB_NAME_FORBIDDEN for c in name):
        raise ConfigError(
            f"{where} must be a MongoDB database name: 1 to {DB_NAME_BYTES} bytes, without spaces "
            f'or any of / \\ . " $ (not {shown(name)}).'
        )
    return name


def _mongodb_uri(name: str, uri: str) -> None:
    # The whole URI is parsed with pymongo when the store opens (storage/mongo/store.py); importing it here
    # would cost more than the whole start-up.  The URI is never shown: it may hold a password.
    if not uri.startswith(URI_SCHEMES):
        raise ConfigError(
            f"{name} is not a usable MongoDB connection string: it starts with mongodb:// or mongodb+srv://."
        )


def public_url_of(name: str, url: str) -> str:
    """STATBOTIC_PUBLIC_URL as an origin (http(s)://host[:port], no path, user or query; a final / dropped);
    ConfigError naming the setting otherwise."""
    from urllib.parse import urlsplit

    origin = url.strip().rstrip("/")
    try:
        parts = urlsplit(origin)
        port_ok = parts.port is None or parts.port > 0
    except ValueError:
        parts, port_ok = None, False
    if (
        parts is None
        or not port_ok
        or parts.scheme not in ("http", "https")
        or not parts.hostname
        or "@" in parts.netloc
        or parts.path
        or parts.query
        or parts.fragment
        or any(c.isspace() for c in origin)
    ):
        given = "one with a user or password" if "@" in url else shown(url.strip())  # never echo a password
        raise ConfigError(
            f"{name} is the web page's address, like https://statbotic.example.com (http or https, "
            f"a host name, an optional port, no path), not {given}."
        )
    return f"{parts.scheme}://{parts.netloc.lower()}"


SMTP_SECURITIES = {"starttls": 587, "tls": 465, "none": 25}  # each with its usual port
LONGEST_TIMEOUT = 300  # seconds


def smtp_security_of(environ: Mapping[str, str]) -> str:
    """STATBOTIC_SMTP_SECURITY (starttls, the default; tls; none).  ``none`` sends the password and the
    report in clear, so it is taken only for a mail server on this machine (a local relay): anywhere else
    ConfigError says to use starttls or tls."""
    raw = environ.get("STATBOTIC_SMTP_SECURITY", "").strip().lower() or "starttls"
    if raw not in SMTP_SECURITIES:
        raise ConfigError(f"STATBOTIC_SMTP_SECURITY must be starttls, tls or none, not {shown(raw)}.")
    host = environ.get("STATBOTIC_SMTP_HOST", "").strip()
    from .addresses import is_loopback  # only then: start-up never needs it

    if raw == "none" and host and not is_loopback(host):
        raise ConfigError(
            "STATBOTIC_SMTP_SECURITY=none sends the password and the report unencrypted: it is allowed only for a "
            f"mail server on this machine (localhost), not {shown(host)}. Use starttls or tls."
        )
    return raw


def _host(name: str, host: str) -> None:
    import re

    bare = host.removeprefix("[").removesuffix("]")
    if not re.fullmatch(r"[A-Za-z0-9._-]+|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*", bare, re.ASCII) or len(bare) > 253:
        raise ConfigError(f"{name} must be a host name or an IP address, such as smtp.example.com, not {shown(host)}.")


def _port(name: str, port: str) -> None:
    if not (port.isascii() and port.isdigit() and 1 <= int(port) <= 65535):
        raise ConfigError(f"{name} must be a port number from 1 to 65535, not {shown(port)}.")


def _timeout(name: str, seconds: str) -> None:
    if not (seconds.isascii() and seconds.isdigit() and 1 <= int(seconds) <= LONGEST_TIMEOUT):
        raise ConfigError(f"{name} must be a whole number of seconds, 1 to {LONGEST_TIMEOUT}, not {shown(seconds)}.")


def _sender(name: str, value: str) -> None:
    from .addresses import sender_of

    try:
        sender_of(value)
    except InvalidInput as problem:
        raise ConfigError(f"{name}: {problem.message}") from None


def _username(name: str, username: str) -> None:
    from .auth import check_username

    try:
        check_username(username)
    except InvalidInput as problem:
        raise ConfigError(f"{name}: {problem.message}") from None


def targets_of(environ: Mapping[str, str]) -> dict:
    """Each metric's default target (metric key -> Fraction) from its setting (exact, as typed), its
    built-in default, or none ('none'/'off'); ConfigError naming a setting that is not such a number."""
    import re

    from .exact import fraction_of
    from .metrics import RANGE_METRICS, Unit

    targets = {}
    for metric in RANGE_METRICS:
        if metric.target_setting is None:
            continue
        check_text(metric.target_setting, environ.get(metric.target_setting, ""), MAX_NAME)
        raw = environ.get(metric.target_setting, "").strip()
        if raw.lower() in ("none", "off"):
            continue
        highest = 100 if metric.unit is Unit.PERCENT else None
        if not raw:
            value = metric.target_default
        else:
            value = fraction_of(raw) if re.fullmatch(r"\d+(?:\.\d+)?", raw, re.ASCII) else None
        if value is None or (highest is not None and value > highest):
            limits = "from 0 to 100" if highest is not None else "of 0 or more"
            raise ConfigError(f"{metric.target_setting} must be a number {limits} (or 'none'), not {shown(raw)}.")
        targets[metric.key] = value
    return targets


Rule = Callable[[str, str], object]
# Every setting read as text (the targets are the metric definitions'): its longest value and its rule, if any.
SETTINGS: dict[str, tuple[int, Rule | None]] = {
    "STATBOTIC_DATA_DIR": (MAX_PATH, None),
    "STATBOTIC_EXPORT_DIR": (MAX_PATH, None),
    "STATBOTIC_TEAM": (MAX_NAME, None),
    "MONGODB_URI": (MAX_PATH, _mongodb_uri),
    "STATBOTIC_DB_NAME": (MAX_NAME, lambda name, value: check_db_name(value, name)),
    "STATBOTIC_WEEK_START": (MAX_NAME, lambda name, value: week_start_of(value)),
    "STATBOTIC_WEB": (MAX_NAME, None),
    "STATBOTIC_USER": (MAX_NAME, _username),
    "STATBOTIC_PASSWORD": (MAX_PASSWORD_LENGTH, None),
    "STATBOTIC_TOKEN": (MAX_ANSWER, None),
    "STATBOTIC_PUBLIC_URL": (MAX_PATH, public_url_of),
    # digests (digest.py): the mail server, and the timeout and CA bundle of both the mail and the webhook
    "STATBOTIC_SMTP_HOST": (MAX_NAME * 4, _host),
    "STATBOTIC_SMTP_PORT": (MAX_NAME, _port),
    "STATBOTIC_SMTP_SECURITY": (MAX_NAME, None),  # smtp_security_of, with the host
    "STATBOTIC_SMTP_USER": (MAX_ANSWER, None),
    "STATBOTIC_SMTP_PASSWORD": (MAX_PASSWORD_LENGTH, None),
    "STATBOTIC_SMTP_FROM": (MAX_ANSWER, _sender),
    "STATBOTIC_DIGEST_TIMEOUT": (MAX_NAME, _timeout),
    "STATBOTIC_DIGEST_CA_FILE": (MAX_PATH, None),
}
