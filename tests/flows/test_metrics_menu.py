"""Administration → 13 Metrics: the list, the guided add form (each kind explained before anything is
asked), edit, retire, restore and move; every bad answer said and asked again, Ctrl-C and end of input
leaving with nothing half-saved."""

import pytest

from statbotic import metric_admin
from statbotic.errors import ExitApp
from statbotic.goals import Direction
from statbotic.metric_kinds import Kind
from tests.flows.test_admin_menu import flat
from tests.flows.test_fits_80_columns import long_lines
from tests.transcript import EXIT, LOGIN, answers, menu, play

METRICS = [("Choose a team", "1"), *menu("10"), *menu("13")]  # alice: a team, Administration, Metrics
BACK = menu("0", "0")  # Metrics -> Administration -> the main menu


def definitions(store) -> dict:
    return {d.key: d for d in store.metric_definitions()}


def test_the_list_shows_label_kind_key_teams_and_retired_within_80_columns(teams, as_alice):
    metric_admin.add_metric(teams, teams.get_user("alice"), "refunds", "Refunds issued", Kind.COUNT, teams=("billing",))
    metric_admin.retire_metric(teams, teams.get_user("alice"), "comments_per_solve")
    console = as_alice(METRICS, BACK)
    assert long_lines(console.text) == []
    assert "  1  Ticket public comments: count, key comments, every team" in console.text
    assert "  4  Average chat wait: duration of chats, key wait_seconds, every team" in console.text
    text = flat(console.text)  # a long line wraps, indented under its label
    assert "7 Public comments per solve: ratio comments / solves, key comments_per_solve, every team, retired" in text
    assert "  8  Refunds issued: count, key refunds, billing" in console.text


def test_add_explains_the_kinds_asks_again_on_each_bad_answer_and_saves_at_the_end(teams, as_alice):
    before = definitions(teams)
    console = as_alice(
        METRICS,
        menu("1"),
        answers("Choose a kind", "5", "1"),
        answers("Label", "   ", "Calls answered"),
        answers("Key", "solves", "Calls", ""),  # taken, not a key, then the one suggested
        ("question", ""),
        ("Where it comes from", "phone"),
        ("Lowest value", "10"),
        answers("Highest value", "x", "5", ""),
        answers("Decimals", "7", ""),
        ("higher figure better", ""),
        answers("Default target", "lots", "2000000", "40"),
        answers("Which teams", "sales", "billing"),
        ("Save this metric", "y"),
        BACK,
    )
    text = flat(console.text)
    for example in metric_admin.KIND_EXAMPLES.values():
        assert flat(example) in text
    assert long_lines(console.text) == []
    assert "Please choose one of: 1, 2, 3, 4." in text
    assert "A metric's label has 1 to 40 printable characters." in text
    assert "There is a metric 'solves' already (Ticket solves): choose another key." in text
    assert "'Calls' is not a metric key" in text and "[calls_answered]" in text
    assert "The highest value is a whole number from 0 to 1,000,000, not 'x'." in text
    assert "The highest value 5 is below the lowest, 10." in text
    assert "The decimals shown is a whole number from 0 to 4, not '7'." in text
    assert "A target is a number (e.g. 95 or 2.5), or none" in text or "A target is a number, e.g. 95" in text
    assert "A target is a number from 0 to 1,000,000, or none." in text
    assert "There is no team 'sales'. Teams: billing, default." in text
    assert "Added Calls answered (calls_answered, count), last in the order (5 moves it)." in text
    added = definitions(teams)["calls_answered"]
    assert (added.source, added.minimum, added.maximum, added.target, added.teams, added.order) == (
        "phone", 10, 1_000_000, 40, ("billing",), 8
    )  # fmt: skip
    assert set(definitions(teams)) - set(before) == {"calls_answered"}


def test_add_a_ratio_and_a_share_choosing_their_counts(teams, as_alice):
    counts = ["Ticket public comments (comments)", "Ticket solves (solves)", "Live chats (chats)"]
    console = as_alice(
        METRICS,
        menu("1"),
        ("Choose a kind", "4"),
        ("Label", "Chats per solve"),
        ("Key", ""),
        ("Choose a metric", "3"),  # chats ...
        answers("Choose a metric", "3", "2"),  # ... per chats: refused, then per solves
        ("Decimals", "1"),
        ("higher figure better", "n"),
        ("Default target", ""),
        ("Which teams", ""),
        ("Save this metric", "y"),
        menu("1"),
        ("Choose a kind", "3"),
        ("Label", "SLA met"),
        ("Key", "sla_met"),
        ("Choose a metric", "2"),  # of solves
        ("question", "Tickets solved within SLA (or a %)"),
        ("Where it comes from", ""),
        ("Lowest value", ""),
        ("Highest value", ""),
        ("Decimals", ""),
        ("higher figure better", "y"),
        answers("Default target", "101%", "92.5%"),
        ("Flag the figure", "20"),
        ("Which teams", "all"),
        ("Save this metric", "y"),
        BACK,
    )
    text = flat(console.text)
    assert all(label in console.text for label in counts) and "CSAT ratings (csat_ratings)" in console.text
    assert "chats per chats is always 1: choose another count." in text
    assert "A target is a number from 0 to 100, or none." in text
    ratio, share = definitions(teams)["chats_per_solve"], definitions(teams)["sla_met"]
    assert (ratio.kind, ratio.bases, ratio.places, ratio.direction, ratio.teams) == (
        Kind.RATIO, ("chats", "solves"), 1, Direction.AT_MOST, ()
    )  # fmt: skip
    assert (share.bases, share.prompt, share.target, share.min_sample, share.places) == (
        ("solves",), "Tickets solved within SLA (or a %)", 92.5, 20, 1
    )  # fmt: skip


def test_ctrl_c_in_the_add_form_saves_nothing_and_end_of_input_leaves(teams, store, settings, alice):
    before = definitions(teams)
    console = play(
        store,
        settings,
        LOGIN,
        METRICS,
        menu("1"),
        ("Choose a kind", "1"),
        ("Label", "Calls"),
        ("Key", ""),
        ("question", KeyboardInterrupt),
        menu("1"),
        ("Choose a kind", "1"),
        ("Label", "Calls"),
        ("Key", ""),
        ("question", ""),
        ("Where it comes from", EOFError),
        leaving=EOFError,
    )
    assert "Cancelled. Nothing was saved." in console.text
    assert definitions(teams) == before
    console = play(store, settings, LOGIN, METRICS, menu("1"), ("Choose a kind", "2"), ("Label", "AHT"), ("Key", ""),
                   ("Choose a metric", "1"), ("question", ""), ("Where", ""), ("Lowest", ""), ("Highest", ""),
                   ("Decimals", ""), ("better", ""), ("target", ""), ("teams", ""), ("Save this metric", "n"),
                   BACK, EXIT)  # fmt: skip
    assert "Nothing was saved." in console.text and definitions(teams) == before


def test_edit_keeps_what_enter_keeps_and_raises_the_version(teams, as_alice):
    console = as_alice(
        METRICS,
        menu("2"),
        ("Choose a metric", "3"),  # Live chats
        ("Label", "Chats"),
        ("question", ""),
        ("Where it comes from", "Intercom and Slack"),
        ("Lowest value", ""),
        answers("Highest value", "-3", "5000"),
        ("Decimals", ""),
        ("higher figure better", ""),
        ("Default target", "30"),
        ("Which teams", ""),
        menu("2"),
        ("Choose a metric", "3"),
        *[(prompt, "") for prompt in ("Label", "question", "Where", "Lowest", "Highest", "Decimals", "better")],
        ("target", ""),
        ("teams", ""),
        BACK,
    )
    chats = definitions(teams)["chats"]
    assert (chats.label, chats.source, chats.maximum, chats.target, chats.version) == (
        "Chats", "Intercom and Slack", 5000, 30, 2
    )  # fmt: skip
    assert (chats.prompt, chats.kind, chats.teams) == ("Live chats", Kind.COUNT, ())
    assert "The highest value is a whole number from 0 to 1,000,000, not '-3'." in flat(console.text)
    assert "Saved Chats (chats, count): version 2." in console.text and "Nothing was changed." in console.text


def test_retire_refused_while_built_on_then_retire_restore_and_move(teams, as_alice):
    console = as_alice(
        METRICS,
        menu("3"),
        ("Choose a metric", "2"),  # Ticket solves: comments per solve is built on it
        ("Retire Ticket solves?", "y"),
        menu("3"),
        ("Choose a metric", "7"),
        ("Retire Public comments per solve?", "y"),
        menu("3"),
        ("Choose a metric", "2"),
        ("Retire Ticket solves?", "y"),
        menu("4"),
        ("Choose a metric", "2"),  # the retired in order: Ticket solves, then comments per solve (its base retired)
        menu("4"),
        ("Choose a metric", "1"),  # Ticket solves
        menu("5"),
        ("Choose a metric", "7"),
        answers("New position", "0", "9", "1"),
        menu("5"),
        ("Choose a metric", "1"),
        ("New position", "d"),
        BACK,
    )
    text = flat(console.text)
    assert long_lines(console.text) == []
    assert "Ticket solves can't be retired while Public comments per solve is built on it: retire it first." in text
    assert "Retired Public comments per solve (4 restores it)." in text
    assert (
        "Public comments per solve can't be restored while Ticket solves, which it is built on, is retired:"
        " restore Ticket solves first." in text
    )
    assert "Restored Ticket solves (solves, count)." in text
    assert "Please type a position from 1 to 7, or u (up) or d (down)." in text
    in_order = [d.key for d in teams.metric_definitions()]
    assert in_order[:2] == ["comments", "comments_per_solve"]
    assert definitions(teams)["comments_per_solve"].retired and not definitions(teams)["solves"].retired


def test_a_lead_never_sees_the_metrics_screen(teams, store, settings, password_hash):
    from tests.flows.conftest import add_member
    from tests.transcript import log_in_as

    add_member(teams, password_hash, "lena", default="lead")
    console = play(store, settings, log_in_as("lena"), EXIT)
    assert "Metrics" not in console.text and "Administration" not in console.text
    with pytest.raises(ExitApp):
        raise ExitApp
