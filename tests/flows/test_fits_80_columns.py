"""Every line the screens print fits an 80-column terminal (the web page's narrowest is 40+, phones shrink)."""

import pytest

from tests.support.readme_session import PERIOD_PROMPT, session_text
from tests.transcript import menu, period


def long_lines(text: str) -> list[str]:
    """Lines over 80 characters; a prompt counts without the answer typed after it."""
    return [
        line for line in text.splitlines() if len(line.split(PERIOD_PROMPT)[0] if PERIOD_PROMPT in line else line) > 80
    ]


def test_the_view_comparison_and_worst_days_first_fit():
    assert long_lines(session_text()) == []


@pytest.mark.parametrize("backend", ["sqlite"])
def test_the_targets_screen_and_a_daily_breakdown_with_every_target_fit(november, as_alice):
    console = as_alice(
        menu("6"),
        *[
            step
            for metric, goal in (("3", "40"), ("4", "45"))
            for step in (*menu("1"), ("metric", metric), ("target", goal))
        ],
        menu("0"),
        menu("4"),
        period("2026-W47"),
        ("Order", "2"),
        menu("5"),
        ("metric", "4"),
        period("2026-W47"),
    )
    assert long_lines(console.text) == []
