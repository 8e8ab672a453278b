"""The welcome banner: the figlet logo, a small robot and one line of welcome.

Rendering the logo with pyfiglet costs ~100 ms of start-up, so the text is cached in the user
cache folder after the first run (keyed by where pyfiglet is installed and when).
"""

from __future__ import annotations

import os
import zlib
from importlib.util import find_spec

from .console import Console

TEXT = "Statbotic"
FONT = "slant"


def _cache_file() -> str:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    # Keyed by where pyfiglet lives and when it was installed: an upgrade re-renders the logo.
    # (importlib.metadata would tell the version, but costs more start-up than the logo saves.)
    spec = find_spec("pyfiglet")
    origin = spec.origin if spec and spec.origin else "missing"
    stamp = f"{zlib.crc32(origin.encode()):08x}-{int(os.path.getmtime(origin)) if spec else 0}"
    return os.path.join(base, "statbotic", f"logo-{FONT}-{stamp}.txt")


def logo_text() -> str:
    cache = _cache_file()
    try:
        with open(cache, encoding="utf-8") as cached:
            return cached.read()
    except OSError:
        pass
    text = _render()
    import tempfile

    try:  # a cache that can't be written only costs speed
        os.makedirs(os.path.dirname(cache), exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=os.path.dirname(cache))
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temp, cache)
    except OSError:
        pass
    return text


def _render() -> str:
    try:
        import pyfiglet
    except ImportError:
        return TEXT
    return pyfiglet.figlet_format(TEXT, font=FONT).rstrip("\n")


ROBOT = r"""
      .---.
     [ o o ]    beep boop: daily stats, done right
    /|  =  |\
      d   b
"""


def show_banner(console: Console) -> None:
    console.say(logo_text(), "title")
    console.say(ROBOT.rstrip("\n"), "accent")
    console.say("Welcome to Statbotic: record your team's daily support stats and see how you're doing.")
