"""The welcome banner: the figlet logo, a small robot and one line of welcome.

The logo is pyfiglet's rendering of "Statbotic" in its "slant" font, kept here as text: rendering it
at every start cost ~100 ms, and a cache file cost a cache folder.  tests/unit/test_banner.py renders
it with pyfiglet and checks it is the same, so it can't drift from the font.
"""

from __future__ import annotations

from .console import Console

TEXT = "Statbotic"
FONT = "slant"
LOGO = r"""
   _____ __        __  __          __  _
  / ___// /_____ _/ /_/ /_  ____  / /_(_)____
  \__ \/ __/ __ `/ __/ __ \/ __ \/ __/ / ___/
 ___/ / /_/ /_/ / /_/ /_/ / /_/ / /_/ / /__
/____/\__/\__,_/\__/_.___/\____/\__/_/\___/
"""

ROBOT = r"""
      .---.
     [ o o ]    beep boop: daily stats, done right
    /|  =  |\
      d   b
"""


def show_banner(console: Console) -> None:
    console.say(LOGO.strip("\n"), "title")
    console.say(ROBOT.rstrip("\n"), "accent")
    console.say("Welcome to Statbotic: your team's daily support stats, and how you're doing.")
