"""The logo kept as text is exactly pyfiglet's rendering of the name in its font."""

import pyfiglet  # a development dependency: the app itself only shows the text

from statbotic.ui.banner import FONT, LOGO, TEXT


def test_the_logo_is_pyfiglets_rendering():
    rendered = pyfiglet.figlet_format(TEXT, font=FONT)
    expected = [line.rstrip() for line in rendered.splitlines() if line.strip()]
    assert LOGO.strip("\n").splitlines() == expected
