"""Targets in the menus: set one (bad answers asked again), see it in View, turn one off, clear one."""

from fractions import Fraction

import pytest

from statbotic.frozen import replace
from statbotic.metrics import Direction, Goal
from tests.transcript import EXIT, LOGIN, answers, menu, period, play

TEAM = "default"


def targets_menu(*keys) -> list:
    return [("Choose an option", key) for key in keys]


def test_set_a_target_with_bad_answers_asked_again_and_see_it_in_view(november, store, as_alice):
    console = as_alice(
        menu("6"),
        targets_menu("1"),
        answers("Choose a metric", "7", "5"),
        answers("New target", "> 90", "abc", "101", "90.25", ">= 92.5"),
        targets_menu("1"),
        ("Choose a metric", "3"),
        ("New target per day", "<= 45"),
        targets_menu("0"),
        menu("2"),
        period("2026-W47"),
        ("View more", "n"),
    )
    text = console.text
    assert "Chat CSAT: now >= 95.0 % (environment default)." in text
    for message in ["use >= or <=", "is not a target", "from 0 to 100", "at most 1 decimal"]:
        assert message in text, message
    assert "Higher is better: a number alone means >=." in text
    assert "Chat CSAT target set to >= 92.5 %." in text
    assert "Live chats target set to <= 45.0 per day." in text
    assert "│ Chat CSAT                 │ >= 92.5 %       │ app (alice, " in text
    target = store.get_targets(TEAM)["csat_percent"]
    assert (target.goal, target.set_by) == (Goal(Direction.AT_LEAST, Fraction(185, 2)), "alice")
    # View judges by the app's targets: 92.8 % meets 92.5; each day 96, 92, 100, 96, 80 %: 3 of 5.
    assert "✓  Chat CSAT 92.8 %: target >= 92.5 % met; met on 3 of 5 days" in text
    # 250 chats over 5 days with data = 50.0 per day, more than 45; every day had 50.
    assert "✗  Live chats 50.0 per day: target <= 45.0 per day missed; met on 0 of 5 days" in text
    assert "✓  Public comments per solve 2.00: target <= 2.00 met" in text  # still the default


def test_turn_a_default_off_then_clear_it_to_bring_the_default_back(november, store, as_alice):
    console = as_alice(
        menu("6"),
        targets_menu("2"),
        targets_menu("1"),
        ("Choose a metric", "6"),
        ("New target", "none"),
        targets_menu("0"),
        menu("2"),
        period("2026-W47"),
        ("View more", "n"),
        menu("6"),
        targets_menu("2"),
        ("Choose a target to clear", "1"),
        targets_menu("0"),
        menu("5"),
        ("Choose a metric", "6"),
        period("2026-W47"),
    )
    text = console.text
    assert "No target is set in the app: the environment's defaults apply." in text
    assert "Public comments per solve target turned off." in text
    assert "│ Public comments per solve │ off" in text
    view = text.split("Stats for 2026-W47")[1]
    assert "Chat CSAT 92.8 %: target >= 95.0 % missed" in view
    assert "Public comments per solve 2.00: target" not in view.split("Compared with")[0]
    assert "  1  Public comments per solve (off)" in text
    assert "Cleared the app's Public comments per solve target: now <= 2.00 (environment default)." in text
    assert "Target line: <= 2.00." in text  # the trend chart draws the default again
    assert store.get_targets(TEAM) == {}


@pytest.mark.parametrize("backend", ["sqlite"])
def test_an_app_target_overrides_a_setting_and_ctrl_c_cancels(november, store, settings):
    no_defaults = replace(settings, targets={})
    console = play(
        november,
        no_defaults,
        LOGIN,
        menu("6"),
        targets_menu("1"),
        ("Choose a metric", "4"),
        ("New target", "45.5"),
        targets_menu("1"),
        ("Choose a metric", "5"),
        ("New target", KeyboardInterrupt),
        menu("5"),
        ("Choose a metric", "4"),
        period("2026-W47"),
        EXIT,
    )
    text = console.text
    assert "Lower is better: a number alone means <=." in text
    assert "Average chat wait target set to <= 45.5 s." in text
    assert "│ Chat CSAT                 │ none" in text
    assert "Cancelled. Nothing was saved." in text
    assert list(store.get_targets(TEAM)) == ["wait_seconds"]
    assert "Target line: <= 45.5 s." in text
