"""E-mail addresses and webhook URLs as typed (--to, STATBOTIC_SMTP_FROM, --webhook), checked before any
network is touched; and whether a host is this machine.  Light (re only): settings are checked at start."""

from __future__ import annotations

import re

from .errors import InvalidInput
from .limits import shown

MAX_ADDRESS = 254  # characters of an e-mail address (RFC 5321's path limit, less the brackets)
ADDRESS = re.compile(r"[^@\s<>(),;:\"\[\]\\]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)*", re.ASCII)
LOOPBACK_NAMES = ("localhost", "localhost.", "ip6-localhost")


def is_loopback(host: str) -> bool:
    """Whether ``host`` names this machine (localhost, 127.0.0.0/8, ::1): nothing sent to it crosses a network."""
    import ipaddress

    host = host.strip().lower().removeprefix("[").removesuffix("]")
    if host in LOOPBACK_NAMES or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def address_of(text: str) -> str:
    """``text`` when it is one plain e-mail address (name@example.com); InvalidInput saying why otherwise."""
    address = text.strip()
    if len(address) > MAX_ADDRESS or not ADDRESS.fullmatch(address):
        raise InvalidInput(f"{shown(address)} is not an e-mail address such as manager@example.com.")
    if not address.isascii():  # a server without SMTPUTF8 refuses it, and few have it
        raise InvalidInput(
            f"{shown(address)}: only plain (ASCII) e-mail addresses are sent to, such as ana@example.com."
        )
    return address


def sender_of(text: str) -> str:
    """The From: of STATBOTIC_SMTP_FROM: an address, or a name and an address ("Statbotic <stats@example.com>");
    InvalidInput quoting it otherwise."""
    text = text.strip()
    if "<" not in text and ">" not in text:
        return address_of(text)
    from email.headerregistry import Address
    from email.utils import parseaddr

    name, address = parseaddr(text)
    if not text.endswith(">") or text.count("<") != 1 or not ADDRESS.fullmatch(address):
        raise InvalidInput(
            f"{shown(text)} is not a sender such as stats@example.com or 'Statbotic <stats@example.com>'."
        )
    user, _, domain = address.rpartition("@")
    return str(Address(name, user, domain)) if name else address


def webhook_problem(url: str) -> str | None:
    """Why ``url`` can't be a webhook, or None: https, or http only to this machine (the JSON carries the
    team's figures, and Slack's and Teams' workflow URLs are https)."""
    from urllib.parse import urlsplit

    if any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in url):
        return "holds a space or a control character"
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018 -- a bad port raises ValueError here
    except ValueError:
        return "is not a URL"
    if parts.scheme not in ("https", "http") or not host:
        return "must be an https:// URL"
    if "@" in parts.netloc:  # urllib would take user:password@ for the host's name ("no such host")
        return "may not carry a user or password (user:password@): a webhook URL keeps its secret in its path"
    if parts.scheme == "http" and not is_loopback(host):
        return "must be https:// (http:// only to this machine): the report's figures must not cross a network in clear"
    return None


def webhook_name(url: str) -> str:
    """The webhook as messages show it: scheme and host, never the path (which holds the webhook's secret)."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}/…"
