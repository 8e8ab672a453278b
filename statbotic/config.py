"""Settings, built once by cli.main from the environment (and .env) and passed down.

Nothing else reads the environment: tests build Settings directly.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from pathlib import Path
from types import MappingProxyType

from .environment import SMTP_SECURITIES, check_settings, public_url_of, smtp_security_of, targets_of, week_start_of
from .frozen import frozen
from .metrics import RANGE_METRICS

APP_NAME = "statbotic"
DB_FILE_NAME = "statbotic.sqlite3"
LOG_FILE_NAME = "statbotic.log"


def default_data_dir() -> Path:
    """The platform's user data directory (imported lazily: most runs set the variable or need nothing else)."""
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


class Secret:
    """A password or token from the environment: its repr never shows it (settings may be logged)."""

    __slots__ = ("value",)

    def __init__(self, value: str) -> None:
        self.value = value

    def __repr__(self) -> str:
        return "Secret('***')"

    def __eq__(self, other) -> bool:
        return isinstance(other, Secret) and other.value == self.value

    def __hash__(self) -> int:
        return hash(self.value)


def _secret(environ: Mapping[str, str], name: str) -> Secret | None:
    value = environ.get(name)
    return None if value is None else Secret(value)


def _public_url(environ: Mapping[str, str]) -> str | None:
    raw = environ.get("STATBOTIC_PUBLIC_URL", "").strip()
    return public_url_of("STATBOTIC_PUBLIC_URL", raw) if raw else None


@frozen
class MailSettings:
    """Where digests go out (digest.py): the SMTP server and how to reach it.  ``security`` is starttls,
    tls (implicit TLS from the first byte) or none (only to a server on this machine: environment.py);
    ``port`` defaults to that security's usual port.  ``timeout`` (seconds) and ``ca_file`` (a PEM bundle
    trusted instead of the system's, for a private CA) serve the webhook too."""

    host: str = ""  # "": no mail server configured (digest --to says so)
    port: int = 587
    security: str = "starttls"
    user: str = ""  # "": no login
    password: Secret | None = None
    sender: str = ""  # the From: address, possibly with a name: "Statbotic <stats@example.com>"
    timeout: int = 30
    ca_file: Path | None = None

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> "MailSettings":
        security = smtp_security_of(environ)
        port = environ.get("STATBOTIC_SMTP_PORT", "").strip()
        ca_file = environ.get("STATBOTIC_DIGEST_CA_FILE", "").strip()
        return cls(
            host=environ.get("STATBOTIC_SMTP_HOST", "").strip(),
            port=int(port) if port else SMTP_SECURITIES[security],
            security=security,
            user=environ.get("STATBOTIC_SMTP_USER", "").strip(),
            password=_secret(environ, "STATBOTIC_SMTP_PASSWORD"),
            sender=environ.get("STATBOTIC_SMTP_FROM", "").strip(),
            timeout=int(environ.get("STATBOTIC_DIGEST_TIMEOUT", "").strip() or 30),
            ca_file=Path(ca_file).expanduser() if ca_file else None,
        )


@frozen
class Settings:
    """Every setting the app reads; tests build it directly."""

    data_dir: Path
    export_dir: Path = Path("exports")
    team: str = "default"
    mongodb_uri: str | None = None
    db_name: str = "statbotic"
    targets: Mapping[str, Fraction] = MappingProxyType(
        {m.key: m.target_default for m in RANGE_METRICS if m.target_default is not None}
    )  # the metrics' default targets; from_env reads the settings
    week_start: int = 0  # 0 = Monday ... 6 = Sunday
    web_session: bool = False  # run by the web page: exports are offered as downloads beside the terminal
    # Who the scriptable commands log in as: STATBOTIC_USER with STATBOTIC_PASSWORD, or STATBOTIC_TOKEN.
    user: str = ""
    password: Secret | None = None  # None: not set (the command asks in a terminal); "" is a password
    token: Secret | None = None
    # The web page's address (an origin), for the share links `statbotic share` prints; None: not set.
    public_url: str | None = None
    mail: MailSettings = MailSettings()  # digests: the SMTP server (README: Digests)

    @property
    def database_path(self) -> Path:
        return self.data_dir / DB_FILE_NAME

    @property
    def log_path(self) -> Path:
        return self.data_dir / LOG_FILE_NAME

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> "Settings":
        """The settings in ``environ``; ConfigError naming the first that is wrong (environment.py's checks)."""
        check_settings(environ)
        data_dir = environ.get("STATBOTIC_DATA_DIR", "").strip()
        return cls(
            data_dir=Path(data_dir).expanduser() if data_dir else default_data_dir(),
            export_dir=Path(environ.get("STATBOTIC_EXPORT_DIR", "").strip() or "exports").expanduser(),
            team=environ.get("STATBOTIC_TEAM", "").strip() or "default",
            mongodb_uri=environ.get("MONGODB_URI", "").strip() or None,
            db_name=environ.get("STATBOTIC_DB_NAME", "").strip() or "statbotic",
            targets=targets_of(environ),
            week_start=week_start_of(environ.get("STATBOTIC_WEEK_START", "").strip() or "monday"),
            web_session=environ.get("STATBOTIC_WEB", "") == "1",
            user=environ.get("STATBOTIC_USER", "").strip(),
            password=_secret(environ, "STATBOTIC_PASSWORD"),
            token=Secret(environ["STATBOTIC_TOKEN"].strip()) if environ.get("STATBOTIC_TOKEN", "").strip() else None,
            public_url=_public_url(environ),
            mail=MailSettings.from_env(environ),
        )
