"""`statbotic metrics ...`: admins define metrics (list, add, edit, retire, restore, move), every bad
definition refused in one line with nothing changed, and each change in the audit log with its version.

On both backends (``org`` in conftest.py: admin 'lead', teams billing and support, a viewer, leads, a
disabled user with a token)."""

import json
from datetime import date

import pytest

from statbotic.records import DayRecord
from statbotic.storage import open_store
from tests.cli.conftest import DAY, FIGURES, NOW, snapshot
from tests.cli.test_commands import run
from tests.cli.test_refusals import act_as


def everything(store) -> dict:
    return {**snapshot(store), "metrics": store.metric_definitions()}


def listed(capsys, *extra) -> dict:
    status, out, err = run(capsys, "metrics", "list", "--json", *extra)
    assert status == 0, err
    return {metric["key"]: metric for metric in json.loads(out)["metrics"]}


def ok(capsys, *argv) -> str:
    status, out, err = run(capsys, *argv)
    assert (status, err) == (0, ""), (argv, err)
    return out


def refused(capsys, store, *argv, status: int = 1) -> str:
    """A change refused: the exit status, nothing on stdout, one line on stderr (returned), nothing changed."""
    before = everything(store)
    code, out, err = run(capsys, *argv)
    assert (code, out) == (status, ""), (argv, code, out, err)
    assert err.startswith("statbotic: ") and (status == 2 or err.count("\n") == 1), err
    assert everything(store) == before
    return err.removeprefix("statbotic: ").rstrip("\n")


def test_the_builtins_are_listed_in_order_with_their_kinds(org, capsys):
    out = ok(capsys, "metrics", "list")
    lines = [line for line in out.splitlines() if "│" in line or "|" in line]
    assert "Key" in lines[0] and "Retired" in lines[0]
    assert "wait_seconds" in out and "duration of chats" in out and "ratio comments / solves" in out
    metrics = listed(capsys)
    assert list(metrics) == [
        "comments", "solves", "chats", "wait_seconds", "csat_ratings", "csat_percent", "comments_per_solve"
    ]  # fmt: skip
    csat = metrics["csat_percent"]
    assert (csat["kind"], csat["bases"], csat["target"], csat["min_sample"], csat["builtin"]) == (
        "share", ["csat_ratings"], "95", 30, True
    )  # fmt: skip
    assert csat["every_team"] and csat["teams"] == ["billing", "default", "support"] and csat["version"] == 1


def test_an_admin_adds_each_kind_and_they_come_last_in_order(org, capsys):
    out = ok(capsys, "metrics", "add", "calls", "--label", "Calls answered", "--kind", "count", "--source", "phone")
    assert out == "Added Calls answered (calls, count), 8th of 8 metrics, for every team.\n"
    out = ok(
        capsys,
        *("metrics", "add", "handle_time", "--label", "Average handle time", "--kind", "duration"),
        *("--base", "calls", "--lower-is-better", "--team", "support", "--max", "3600"),
    )
    assert out == "Added Average handle time (handle_time, duration of calls), 9th of 9 metrics, for team support.\n"
    ok(
        capsys,
        *("metrics", "add", "sla_met", "--label", "SLA met", "--kind", "share", "--base", "solves"),
        *("--target", "92.5%", "--min-sample", "20", "--team", "billing", "--team", "support"),
    )
    ok(
        capsys,
        "metrics",
        "add",
        "calls_per_solve",
        "--label",
        "Calls per solve",
        "--kind",
        "ratio",
        "--base",
        "calls",
        "--base",
        "solves",
    )
    metrics = listed(capsys)
    assert list(metrics)[-4:] == ["calls", "handle_time", "sla_met", "calls_per_solve"]
    aht, sla = metrics["handle_time"], metrics["sla_met"]
    assert (aht["better"], aht["maximum"], aht["places"], aht["teams"], aht["every_team"]) == (
        "lower",
        3600,
        1,
        ["support"],
        False,
    )
    assert (sla["target"], sla["min_sample"], sla["teams"], sla["formula"]) == (
        "92.5", 20, ["billing", "support"], "100 x sum of sla_met / sum of solves"
    )  # fmt: skip
    assert metrics["calls"]["teams"] == ["billing", "default", "support"] and metrics["calls"]["source"] == "phone"


@pytest.mark.parametrize(
    "argv, message",
    [
        (
            ["solves", "--kind", "count"],
            "There is a metric 'solves' already (Ticket solves): choose another key, or edit it.",
        ),
        (["aht", "--kind", "duration", "--base", "calls"], "X is built on 'calls', which is not a metric."),
        (
            ["per", "--kind", "ratio", "--base", "solves", "--base", "solves"],
            "X divides solves by itself: that is always 1.",
        ),
        (
            ["per", "--kind", "ratio", "--base", "per", "--base", "solves"],
            "X can't be built on itself: name a count metric.",
        ),
        (["calls", "--kind", "count", "--min", "50", "--max", "10"], "X: the lowest value 50 is above the highest 10."),
        (["aht", "--kind", "duration"], "X is a duration averaged per item: it names 1 base metric."),
        (["Calls", "--kind", "count"], "'Calls' is not a metric key: use lower-case letters, digits and _, starting"),
        (
            ["calls", "--kind", "count", "--team", "sales"],
            "There is no team 'sales'. Teams: billing, default, support.",
        ),
        (
            ["sla", "--kind", "share", "--base", "solves", "--target", "120"],
            "A target for X is a percentage from 0 to 100.",
        ),
    ],
)
def test_bad_definitions_are_refused_in_one_line_and_change_nothing(org, capsys, store, argv, message):
    key, *options = argv
    assert refused(capsys, store, "metrics", "add", key, "--label", "X", *options).startswith(message)


@pytest.mark.parametrize(
    "argv, message",
    [
        (["add", "calls", "--label", "X", "--kind", "gauge"], "argument --kind: invalid choice: 'gauge'"),
        (["add", "calls", "--label", "X", "--kind", "count", "--places", "9"], "a whole number from 0 to 4"),
        (["add", "calls", "--label", "X", "--kind", "count", "--min", "-1"], "a whole number from 0 to 1,000,000"),
        (["add", "calls", "--label", "X", "--kind", "count", "--target", "lots"], "A target is a number, e.g. 95"),
        (["add", "calls", "--kind", "count"], "the following arguments are required: --label"),
        (["edit", "chats"], "say what to change: --label, --prompt, --target, --team... (see --help)."),
        (["edit", "chats", "--team", "billing", "--all-teams"], "not allowed with argument --team"),
        (["move", "chats", "sideways"], "a position (1 = first), or up, down, first or last"),
    ],
)
def test_options_that_cant_be_read_are_usage_errors(org, capsys, store, argv, message):
    assert message in refused(capsys, store, "metrics", *argv, status=2)


def test_edit_changes_what_was_asked_and_raises_the_version(org, capsys):
    out = ok(capsys, "metrics", "edit", "chats", "--label", "Chats", "--source", "Intercom and Slack")
    assert out == "Changed Chats (chats, count): version 2.\n"
    assert (
        ok(capsys, "metrics", "edit", "chats", "--label", "Chats")
        == "Nothing changed: Chats (chats, count) was already so.\n"
    )
    ok(capsys, "metrics", "add", "sla", "--label", "SLA", "--kind", "share", "--base", "solves", "--team", "billing")
    ok(capsys, "metrics", "edit", "sla", "--target", "90", "--all-teams", "--prompt", "Tickets within SLA")
    sla = listed(capsys)["sla"]
    assert (sla["target"], sla["every_team"], sla["prompt"], sla["version"]) == ("90", True, "Tickets within SLA", 2)
    ok(capsys, "metrics", "edit", "sla", "--target", "none", "--team", "support", "--lower-is-better")
    sla = listed(capsys)["sla"]
    assert (sla["target"], sla["teams"], sla["better"], sla["version"]) == (None, ["support"], "lower", 3)


def test_a_kind_change_is_refused_once_a_day_has_data_for_it(org, capsys, store, settings):
    ok(capsys, "metrics", "add", "calls", "--label", "Calls", "--kind", "count")
    ok(capsys, "metrics", "edit", "calls", "--kind", "duration", "--base", "chats")  # no data yet: allowed
    ok(capsys, "metrics", "edit", "calls", "--kind", "count")
    fresh = open_store(settings)  # another process's view: ``store`` may have read the definitions ahead
    try:
        fresh.upsert_day(DayRecord("billing", date(2026, 11, 4), {**FIGURES, "calls": 40}, "lena", NOW))
    finally:
        fresh.close()
    assert store.metric_has_data("calls")
    assert refused(capsys, store, "metrics", "edit", "calls", "--kind", "duration", "--base", "chats") == (
        "Calls has data, so it stays a count of the same metrics: add a new metric and retire this one."
    )
    assert refused(capsys, store, "metrics", "edit", "wait_seconds", "--base", "solves").startswith(
        "Average chat wait is built in: its kind and the metrics it is built on stay."
    )


def test_retire_and_restore_keep_the_data_and_refuse_what_would_break(org, capsys, store):
    assert refused(capsys, store, "metrics", "retire", "solves") == (
        "Ticket solves can't be retired while Public comments per solve is built on it: retire it first."
    )
    out = ok(capsys, "metrics", "retire", "comments_per_solve")
    assert out.startswith("Retired Public comments per solve: its data and history are kept;")
    ok(capsys, "metrics", "retire", "solves")
    assert "solves" not in listed(capsys) and listed(capsys, "--all")["solves"]["retired"] is True
    assert refused(capsys, store, "metrics", "restore", "comments_per_solve") == (
        "Public comments per solve can't be restored while Ticket solves, which it is built on, is retired:"
        " restore Ticket solves first."
    )
    assert (
        refused(capsys, store, "metrics", "retire", "solves")
        == "Ticket solves is retired already (restore brings it back)."
    )
    day = store.get_day("billing", date.fromisoformat(DAY))
    assert day.entered["solves"] == FIGURES["solves"]  # a retired metric's data is kept
    ok(capsys, "metrics", "restore", "solves")
    assert ok(capsys, "metrics", "restore", "comments_per_solve") == (
        "Restored Public comments per solve (comments_per_solve, ratio comments / solves).\n"
    )
    assert listed(capsys)["comments_per_solve"]["version"] == 3
    assert store.get_day("billing", date.fromisoformat(DAY)).entered["solves"] == FIGURES["solves"]


def test_move_to_a_position_up_down_first_and_last(org, capsys):
    ok(capsys, "metrics", "add", "calls", "--label", "Calls", "--kind", "count")
    assert ok(capsys, "metrics", "move", "calls", "up") == "Calls is 7th of 8 metrics.\n"
    assert ok(capsys, "metrics", "move", "calls", "1") == "Calls is 1st of 8 metrics.\n"
    assert ok(capsys, "metrics", "move", "calls", "up") == "Calls is 1st of 8 metrics.\n"
    assert ok(capsys, "metrics", "move", "calls", "down") == "Calls is 2nd of 8 metrics.\n"
    assert ok(capsys, "metrics", "move", "calls", "last") == "Calls is 8th of 8 metrics.\n"
    assert ok(capsys, "metrics", "move", "calls", "3") == "Calls is 3rd of 8 metrics.\n"
    assert list(listed(capsys))[:4] == ["comments", "solves", "calls", "chats"]


def test_the_audit_log_shows_each_definition_change_with_its_version(org, capsys):
    ok(capsys, "metrics", "add", "calls", "--label", "Calls", "--kind", "count")
    ok(capsys, "metrics", "edit", "calls", "--label", "Calls answered")
    ok(capsys, "metrics", "retire", "calls")
    status, out, _ = run(capsys, "audit", "--since", "1d", "--json")
    entries = [e for e in json.loads(out)["entries"] if e["subject"] == "calls"]
    assert [(e["action"], e["by"]) for e in entries] == [
        ("metric added", "lead"), ("metric changed", "lead"), ("metric changed", "lead")
    ]  # fmt: skip
    assert entries[0]["before"] is None and entries[0]["after"]["version"] == 1
    assert [(e["before"]["version"], e["after"]["version"]) for e in entries[1:]] == [(1, 2), (2, 3)]
    assert (entries[1]["before"]["label"], entries[1]["after"]["label"]) == ("Calls", "Calls answered")
    assert (entries[2]["before"]["retired"], entries[2]["after"]["retired"]) == (False, True)
    text = " ".join(run(capsys, "audit", "--since", "1d")[1].split())
    assert "metric changed: calls: label Calls, version 1 → label Calls answered, version 2" in text


def test_anyone_lists_their_teams_metrics_naming_only_their_teams(org, capsys, monkeypatch):
    ok(capsys, "metrics", "add", "refunds", "--label", "Refunds", "--kind", "count", "--team", "support")
    act_as(monkeypatch, org, "vic")  # a viewer of billing
    metrics = listed(capsys, "--all")
    assert "refunds" not in metrics and metrics["chats"]["teams"] == ["billing"]
    assert "support" not in json.dumps(metrics)


CHANGES = [
    ["add", "calls", "--label", "Calls", "--kind", "count"],
    ["edit", "chats", "--label", "Chats"],
    ["edit", "nothere", "--label", "Chats"],  # nobody else learns which keys exist
    ["retire", "comments_per_solve"],
    ["restore", "comments_per_solve"],
    ["move", "chats", "1"],
]


@pytest.mark.parametrize("who", ["vic", "lena", "token of dis"])
@pytest.mark.parametrize("argv", CHANGES, ids=lambda argv: " ".join(argv[:2]))
def test_only_admins_change_definitions(org, capsys, store, monkeypatch, who, argv):
    act_as(monkeypatch, org, who)
    message = refused(capsys, store, "metrics", *argv)
    assert message.startswith("Only an admin can") or "disabled" in message, message
