"""Admins define metrics (metric_admin.py): what each change saves, and every refusal, with its message.

The store here is a stand-in that keeps definitions only (what metric_admin reads and writes of a store:
metric_definitions, save_metric_definition, metric_has_data, teams); the real stores are exercised by
tests/cli/test_metric_commands.py and tests/flows/test_metrics_menu.py."""

from __future__ import annotations

from datetime import UTC, datetime
from fractions import Fraction

import pytest

from statbotic import metric_admin as admin
from statbotic.builtin_metrics import BUILTIN_DEFINITIONS
from statbotic.errors import Forbidden, InvalidInput
from statbotic.goals import Direction
from statbotic.metric_kinds import MAX_DURATION_SECONDS, Kind
from statbotic.records import Team, User

NOW = datetime(2026, 11, 26, tzinfo=UTC)
ROOT = User("root", "x", NOW, admin=True, teams={"support": "lead"})
LEAD = User("lena", "x", NOW, teams={"billing": "lead"})
VIEWER = User("vic", "x", NOW, teams={"support": "viewer"})


class DefinitionsOnly:
    """The part of a Store metric_admin uses, in memory; ``saved``: (definition, by) in the order saved."""

    def __init__(self, with_data=("comments", "solves", "chats", "wait_seconds", "csat_ratings", "csat_percent")):
        self.definitions = {d.key: d for d in BUILTIN_DEFINITIONS}
        self.with_data = set(with_data)
        self.saved = []

    def metric_definitions(self):
        return tuple(sorted(self.definitions.values(), key=lambda d: (d.order, d.key)))

    def save_metric_definition(self, definition, by, at):
        self.definitions[definition.key] = definition
        self.saved.append((definition, by))

    def metric_has_data(self, key):
        return key in self.with_data

    def teams(self):
        return (Team("billing", "Billing", NOW), Team("support", "Support", NOW))


@pytest.fixture
def store():
    return DefinitionsOnly()


def refused(store, change, *args, **kwargs) -> str:
    before = dict(store.definitions)
    with pytest.raises(InvalidInput) as problem:
        change(store, ROOT, *args, **kwargs)
    assert store.definitions == before and store.saved == []
    return problem.value.message


def test_add_a_count_last_in_the_order_with_the_kinds_defaults(store):
    added = admin.add_metric(store, ROOT, "calls_answered", "Calls answered", Kind.COUNT, source="phone")
    assert (added.order, added.prompt, added.maximum, added.places, added.version) == (
        8,
        "Calls answered",
        1_000_000,
        0,
        1,
    )
    assert store.saved == [(added, "root")]
    wait = admin.add_metric(store, ROOT, "handle", "Average handle time", Kind.DURATION, bases=("calls_answered",))
    assert (wait.maximum, wait.places, wait.order) == (MAX_DURATION_SECONDS, 1, 9)


def test_a_share_with_teams_bounds_target_and_sample(store):
    share = admin.add_metric(
        store,
        ROOT,
        "sla_met",
        "SLA met",
        Kind.SHARE,
        bases=("solves",),
        target=Fraction(90),
        min_sample=20,
        teams=("billing",),
        direction=Direction.AT_LEAST,
    )
    assert (share.target, share.min_sample, share.teams, share.places) == (90, 20, ("billing",), 1)
    rows = {row.key: row for row in admin.list_metrics(store, ROOT)}
    assert rows["sla_met"].teams == ("billing",) and not rows["sla_met"].every_team
    assert rows["solves"].every_team and rows["solves"].teams == ("billing", "support")
    assert admin.teams_text(rows["sla_met"]) == "billing" and admin.teams_text(rows["chats"]) == "every team"


@pytest.mark.parametrize(
    "key, kind, fields, message",
    [
        ("solves", Kind.COUNT, {}, "There is a metric 'solves' already (Ticket solves): choose another key"),
        ("Calls", Kind.COUNT, {}, "'Calls' is not a metric key: use lower-case letters"),
        ("csat_good", Kind.COUNT, {}, "'csat_good' names a built-in figure's column"),
        ("aht", Kind.DURATION, {"bases": ("calls",)}, "Average is built on 'calls', which is not a metric."),
        ("aht", Kind.DURATION, {"bases": ("aht",)}, "Average can't be built on itself: name a count metric."),
        ("aht", Kind.DURATION, {}, "Average is a duration averaged per item: it names 1 base metric."),
        ("aht", Kind.DURATION, {"bases": ("wait_seconds",)}, "Average is built on Average chat wait, a duration"),
        ("per", Kind.RATIO, {"bases": ("solves", "solves")}, "Average divides solves by itself: that is always 1."),
        ("calls", Kind.COUNT, {"minimum": 10, "maximum": 5}, "Average: the lowest value 10 is above the highest 5."),
        ("aht", Kind.DURATION, {"bases": ("chats",), "maximum": 90_000}, "values go from 0 to at most 86,400"),
        ("calls", Kind.COUNT, {"places": 7}, "a figure shows from 0 to 4 decimals"),
        (
            "sla",
            Kind.SHARE,
            {"bases": ("solves",), "target": Fraction(101)},
            "A target for Average is a percentage from 0 to 100.",
        ),
    ],
)
def test_bad_definitions_are_refused_with_a_clear_message(store, key, kind, fields, message):
    assert message in refused(store, admin.add_metric, key, "Average", kind, **fields)


def test_a_key_stays_unique_even_against_a_retired_metric(store):
    admin.add_metric(store, ROOT, "calls", "Calls", Kind.COUNT)
    admin.retire_metric(store, ROOT, "calls")
    store.saved.clear()
    assert refused(store, admin.add_metric, "calls", "Calls", Kind.COUNT) == (
        "There is a metric 'calls' already (Calls, retired): choose another key, or edit it."
    )


def test_edit_raises_the_version_and_keeps_the_key(store):
    after, changed = admin.edit_metric(store, ROOT, "chats", label="Chats", source="Intercom, Slack")
    assert changed and (after.label, after.source, after.version, after.kind) == (
        "Chats",
        "Intercom, Slack",
        2,
        Kind.COUNT,
    )
    again, changed = admin.edit_metric(store, ROOT, "chats", label="Chats")
    assert not changed and again == after and len(store.saved) == 1


def test_a_kind_change_is_refused_once_data_exists_and_allowed_before(store):
    admin.add_metric(store, ROOT, "calls", "Calls", Kind.COUNT)
    store.with_data.add("calls")
    store.saved.clear()
    assert refused(store, admin.edit_metric, "calls", kind=Kind.DURATION, bases=("chats",)) == (
        "Calls has data, so it stays a count of the same metrics: add a new metric and retire this one."
    )
    store.with_data.discard("calls")
    after, _ = admin.edit_metric(store, ROOT, "calls", kind=Kind.DURATION, bases=("chats",))
    assert (after.kind, after.bases, after.maximum, after.version) == (
        Kind.DURATION,
        ("chats",),
        MAX_DURATION_SECONDS,
        2,
    )


def test_a_builtins_kind_and_bases_stay_even_without_data():
    store = DefinitionsOnly(with_data=())
    message = refused(store, admin.edit_metric, "csat_percent", bases=("chats",))
    assert message.startswith("Chat CSAT is built in: its kind and the metrics it is built on stay.")
    edited, _ = admin.edit_metric(store, ROOT, "csat_percent", label="CSAT", target=Fraction(97))
    assert (edited.label, edited.target, edited.key) == ("CSAT", 97, "csat_percent")


def test_edit_refuses_reversed_bounds_and_a_base_that_would_stop_being_a_count(store):
    assert "the lowest value 50 is above the highest 10" in refused(
        store, admin.edit_metric, "solves", minimum=50, maximum=10
    )
    admin.add_metric(store, ROOT, "calls", "Calls", Kind.COUNT)
    admin.add_metric(store, ROOT, "per_call", "Solves per call", Kind.RATIO, bases=("solves", "calls"))
    store.saved.clear()
    message = refused(store, admin.edit_metric, "calls", kind=Kind.SHARE, bases=("chats",))
    assert "Solves per call is built on Calls, a share of a count: it needs a count." in message


def test_retire_is_refused_while_a_live_metric_is_built_on_it_naming_it(store):
    assert refused(store, admin.retire_metric, "solves") == (
        "Ticket solves can't be retired while Public comments per solve is built on it: retire it first."
    )
    assert refused(store, admin.retire_metric, "chats") == (
        "Live chats can't be retired while Average chat wait and CSAT ratings are built on it: retire them first."
    )
    retired = admin.retire_metric(store, ROOT, "comments_per_solve")
    assert retired.retired and retired.version == 2
    assert admin.retire_metric(store, ROOT, "solves").retired
    assert "is retired already" in refused_again(store, admin.retire_metric, "solves")


def refused_again(store, change, *args):
    store.saved.clear()
    return refused(store, change, *args)


def test_restore_is_refused_while_its_base_is_retired(store):
    admin.retire_metric(store, ROOT, "comments_per_solve")
    admin.retire_metric(store, ROOT, "solves")
    assert refused_again(store, admin.restore_metric, "comments_per_solve") == (
        "Public comments per solve can't be restored while Ticket solves, which it is built on, is retired:"
        " restore Ticket solves first."
    )
    assert not admin.restore_metric(store, ROOT, "solves").retired
    restored = admin.restore_metric(store, ROOT, "comments_per_solve")
    assert (restored.retired, restored.version) == (False, 3)
    assert refused_again(store, admin.restore_metric, "solves") == "Ticket solves is not retired."


def test_the_last_live_entered_metric_stays(store):
    for key in ("comments_per_solve", "csat_percent", "csat_ratings", "wait_seconds", "chats", "solves"):
        admin.retire_metric(store, ROOT, key)
    assert refused_again(store, admin.retire_metric, "comments") == (
        "Ticket public comments is the last metric entered by hand: at least one stays."
    )


def test_move_renumbers_only_what_moves_and_each_save_raises_a_version(store):
    assert admin.move_metric(store, ROOT, "csat_percent", 1) == 1
    keys = [d.key for d in store.metric_definitions()]
    assert keys == ["csat_percent", "comments", "solves", "chats", "wait_seconds", "csat_ratings", "comments_per_solve"]
    assert [d.key for d, _ in store.saved] == [
        "csat_percent",
        "comments",
        "solves",
        "chats",
        "wait_seconds",
        "csat_ratings",
    ]
    assert all(d.version == 2 for d, _ in store.saved)
    store.saved.clear()
    assert admin.move_metric(store, ROOT, "comments", 99) == 7  # past the end: last
    assert admin.position_of(store, "comments") == 7 and len(store.saved) == 6
    store.saved.clear()
    assert admin.move_metric(store, ROOT, "comments", 7) == 7 and store.saved == []


def test_unknown_metric_names_the_keys(store):
    assert refused(store, admin.retire_metric, "nope").startswith(
        "There is no metric 'nope'. Metrics: comments, solves"
    )


@pytest.mark.parametrize("who", [LEAD, VIEWER, User("dis", "x", NOW, admin=True, disabled=True)])
def test_only_an_enabled_admin_changes_definitions(store, who):
    for change, args in (
        (admin.add_metric, ("calls", "Calls", Kind.COUNT)),
        (admin.edit_metric, ("chats",)),
        (admin.retire_metric, ("comments_per_solve",)),
        (admin.restore_metric, ("comments_per_solve",)),
        (admin.move_metric, ("chats", 1)),
    ):
        with pytest.raises(Forbidden, match="Only an admin can"):
            change(store, who, *args)
    assert store.saved == []


def test_a_lead_lists_only_their_teams_metrics_and_names_only_their_teams(store):
    admin.add_metric(store, ROOT, "calls", "Calls", Kind.COUNT, teams=("support",))
    admin.add_metric(store, ROOT, "refunds", "Refunds", Kind.COUNT, teams=("billing",))
    admin.retire_metric(store, ROOT, "refunds")
    lead = {row.key: row for row in admin.list_metrics(store, LEAD)}
    assert "calls" not in lead and "refunds" not in lead and lead["chats"].teams == ("billing",)
    with_retired = {row.key: row for row in admin.list_metrics(store, LEAD, include_retired=True)}
    assert with_retired["refunds"].definition.retired and with_retired["refunds"].position == 9
    everything = [row.key for row in admin.list_metrics(store, ROOT, include_retired=True)]
    assert everything[-2:] == ["calls", "refunds"]
    assert "refunds" not in [row.key for row in admin.list_metrics(store, ROOT)]


def test_a_count_is_tracked_by_the_teams_of_the_metrics_built_on_it(store):
    admin.add_metric(store, ROOT, "calls", "Calls", Kind.COUNT, teams=("support",))
    admin.add_metric(store, ROOT, "aht", "Handle time", Kind.DURATION, bases=("calls",), teams=("billing",))
    rows = {row.key: row for row in admin.list_metrics(store, ROOT)}
    assert rows["calls"].teams == ("billing", "support")


@pytest.mark.parametrize(
    "reader, text, message",
    [
        (lambda t: admin.kind_of(t), "gauge", "A kind is count, duration, share or ratio, not 'gauge'."),
        (lambda t: admin.label_of(t), "  ", "A metric's label has 1 to 40 printable characters."),
        (lambda t: admin.label_of(t), "x" * 41, "A metric's label has 1 to 40 printable characters."),
        (
            lambda t: admin.whole_of(t, "The lowest value"),
            "-1",
            "The lowest value is a whole number from 0 to 1,000,000",
        ),
        (lambda t: admin.places_of(t), "5", "The decimals shown is a whole number from 0 to 4, not '5'."),
        (lambda t: admin.target_of(t, Kind.COUNT), "lots", "A target is a number, e.g. 95 or 2.5, or none"),
        (lambda t: admin.target_of(t, Kind.COUNT), "95%", "A target is a number, e.g. 95 or 2.5, or none"),
        (lambda t: admin.key_of(t), "1st", "'1st' is not a metric key"),
    ],
)
def test_typed_answers_are_read_or_refused_specifically(reader, text, message):
    with pytest.raises(InvalidInput) as problem:
        reader(text)
    assert message in problem.value.message


def test_typed_answers_that_read(store):
    assert admin.target_of("96.5%", Kind.SHARE) == Fraction(193, 2) and admin.target_of("none", Kind.COUNT) is None
    assert admin.kind_of(" Share ") is Kind.SHARE and admin.whole_of("1,000", "x") == 1000
    assert admin.teams_of(store, ["support,billing"]) == ("billing", "support") and admin.teams_of(store, ["all"]) == ()
    with pytest.raises(InvalidInput, match="There is no team 'sales'. Teams: billing, support."):
        admin.teams_of(store, ["sales"])
    assert admin.bases_of(store.metric_definitions(), ["comments", "solves"]) == ("comments", "solves")
    with pytest.raises(InvalidInput, match="There is no metric 'calls' to build on"):
        admin.bases_of(store.metric_definitions(), ["calls"])


def test_a_decimal_target_survives_the_stores_values():
    from statbotic.metric_kinds import MetricDefinition, definition_from_values, definition_values

    sla = MetricDefinition("sla", "SLA", Kind.SHARE, bases=("solves",), target=Fraction(185, 2), places=1)
    assert definition_from_values(definition_values(sla)) == sla
