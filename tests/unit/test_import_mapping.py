"""statbotic/importing/mapping.py: the TOML mapping and its presets; a bad mapping refused naming the
file and key; the statbotic-daily preset reads the app's own daily CSV export back to the digit."""

from __future__ import annotations

import json
import re
import tomllib
from datetime import date, timedelta
from pathlib import Path

import pytest

from statbotic import metric_admin, services
from statbotic.export import csv_day_chunks
from statbotic.importing.mapping import (
    COUNT,
    COUNT_SET,
    COUNT_WHERE,
    DAILY,
    ITEMS,
    MEAN,
    PRESET_FOLDER,
    PRESETS,
    SUM,
    TENTHS,
    VALUE,
    Filter,
    MetricMapping,
    load_mapping,
    preset,
    resolve,
)
from statbotic.importing.problems import ImportRefused
from statbotic.importing.readers import read_rows
from statbotic.metric_kinds import Kind
from statbotic.metrics import BUILTIN
from tests.conftest import ROOT

DAILY_MAPPING = """
[rows]
kind = "daily"
date = "Date"
date_format = "%d/%m/%Y"
agent = "Assignee"

[[filter]]
column = "Channel"
one_of = ["email", "chat"]

[metrics.solves]
column = "Solved tickets"

[metrics.wait_seconds]
column = "Wait"
unit = "tenths"
"""


def mapping_file(folder: Path, text: str, name: str = "map.toml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def refused(folder: Path, text: str) -> str:
    with pytest.raises(ImportRefused) as caught:
        load_mapping(mapping_file(folder, text))
    return caught.value.message


def test_a_daily_mapping_is_read_with_its_filters_and_metrics(tmp_path):
    mapping = load_mapping(mapping_file(tmp_path, DAILY_MAPPING))
    assert (mapping.source, mapping.kind, mapping.date, mapping.date_format) == ("map.toml", DAILY, "Date", "%d/%m/%Y")
    assert mapping.timezone == "UTC" and mapping.zone.key == "UTC" and mapping.agent == "Assignee"
    assert mapping.filters == (Filter("Channel", one_of=("email", "chat")),)
    assert mapping.metrics == (
        MetricMapping("solves", "Solved tickets", VALUE),
        MetricMapping("wait_seconds", "Wait", VALUE, TENTHS),
    )
    assert mapping.metrics[1].tenths_per_unit == 1 and mapping.metrics[0].tenths_per_unit == 10
    assert mapping.columns == ("Date", "Assignee", "Channel", "Solved tickets", "Wait")
    assert mapping.keeps({"Channel": "chat"}) and not mapping.keeps({"Channel": "phone"}) and not mapping.keeps({})


def test_filters_and_count_where_conditions():
    assert Filter("s", equals="closed").holds({"s": " closed "}) and not Filter("s", equals="closed").holds({})
    assert Filter("s", not_empty=True).holds({"s": "x"}) and not Filter("s", not_empty=True).holds({"s": "  "})
    at_least = MetricMapping("csat_good", "rating", COUNT_WHERE, at_least=4)
    assert [at_least.counts(c) for c in ("5", "4", "3", "4.0", "", "great", "1,000")] == [
        True,
        True,
        False,
        True,
        False,
        False,
        True,
    ]
    assert MetricMapping("x", "c", COUNT_WHERE, equals="good").counts("good")
    assert not MetricMapping("x", "c", COUNT_WHERE, one_of=("a", "b")).counts("c")


def test_every_preset_loads_and_resolves_against_the_builtins():
    assert sorted(PRESETS) == sorted(p.stem for p in PRESET_FOLDER.glob("*.toml"))
    filled = {name: {r.entry_key: r.mapping.aggregate for r in resolve(preset(name), BUILTIN)} for name in PRESETS}
    assert filled == {
        "statbotic-daily": dict.fromkeys(BUILTIN.entry_keys, VALUE),
        "zendesk-explore-daily": {"comments": VALUE, "solves": VALUE},
        "intercom-conversations": {
            "chats": COUNT,
            "wait_tenths": MEAN,
            "csat_ratings": COUNT_SET,
            "csat_good": COUNT_WHERE,
        },
        "zendesk-tickets": {"solves": COUNT, "comments": SUM},
    }
    intercom = preset("intercom-conversations")
    assert intercom.source == "preset intercom-conversations" and intercom.kind == ITEMS
    assert (intercom.date, intercom.date_format, intercom.agent) == ("created_at", "unix", "admin_assignee_id")
    assert intercom.metrics[-1].at_least == 4
    tickets = preset("zendesk-tickets")
    assert tickets.date_format == "iso" and not tickets.keeps({"status": "solved"})
    assert tickets.keeps({"status": "closed", "metric_set.solved_at": "2024-05-01T10:00:00Z"})
    wait = next(r for r in resolve(preset("statbotic-daily"), BUILTIN) if r.entry_key == "wait_tenths")
    assert wait.kind is Kind.DURATION and wait.mapping.unit == TENTHS and wait.mapping.optional


def test_an_unknown_preset_is_refused_with_the_list():
    with pytest.raises(ImportRefused, match="is not a preset; the presets are statbotic-daily, zendesk-explore"):
        preset("freshdesk")


def test_the_presets_ship_in_the_package():
    package_data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    assert "statbotic*" in package_data["packages"]["find"]["include"]
    assert package_data["package-data"]["statbotic.importing"] == ["presets/*.toml"]
    assert not (PRESET_FOLDER / "__init__.py").exists()  # data, not a package: the glob above ships it


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("[rows]\nkind='daily'\ndate='D'\nextra=1\n[metrics.solves]\ncolumn='S'\n", "key 'rows.extra': unknown"),
        (
            "[rows]\nkind='weekly'\ndate='D'\n[metrics.solves]\ncolumn='S'\n",
            "key 'rows.kind': 'weekly' is not one of daily",
        ),
        ("[rows]\ndate='D'\n[metrics.solves]\ncolumn='S'\n", "key 'rows.kind': missing is not one of daily, items"),
        ("[metrics.solves]\ncolumn='S'\n", "key 'rows': missing"),
        ("[rows]\nkind='daily'\n[metrics.solves]\ncolumn='S'\n", "key 'rows.date': needs a column name"),
        ("[rows]\nkind='daily'\ndate='D'\n[metrics.solves]\n", "key 'metrics.solves.column': needs a column name"),
        ("[rows]\nkind='daily'\ndate='D'\n[metrics.solves]\ncolumn=3\n", "key 'metrics.solves.column': must be a text"),
        ("[rows]\nkind='daily'\ndate='D'\n[metrics.solves]\ncolum='S'\n", "key 'metrics.solves.colum': unknown"),
        ("[rows]\nkind='daily'\ndate='D'\n", "key 'metrics': maps no figure"),
        (
            "[rows]\nkind='items'\ndate='D'\ntimezone='Mars/Olympus'\n[metrics.chats]\naggregate='count'\n",
            "key 'rows.timezone': 'Mars/Olympus' is not a time zone",
        ),
        (
            "[rows]\nkind='items'\ndate='D'\n[metrics.chats]\naggregate='avg'\n",
            "key 'metrics.chats.aggregate': 'avg' is not one of count, sum, mean, count_where, count_set.",
        ),
        ("[rows]\nkind='items'\ndate='D'\n[metrics.chats]\n", "key 'metrics.chats.aggregate': missing"),
        ("[rows]\nkind='daily'\ndate='D'\n[metrics.s]\ncolumn='S'\naggregate='sum'\n", "'sum' is not one of value."),
        ("[rows]\nkind='daily'\ndate='D'\ndate_format='YYYY-MM-DD'\n[metrics.s]\ncolumn='S'\n", "rows.date_format"),
        ("[rows]\nkind='items'\ndate='D'\nentry_columns=true\n", "key 'rows.entry_columns': applies to daily rows"),
        (
            "[rows]\nkind='items'\ndate='D'\n[metrics.g]\ncolumn='r'\naggregate='count_where'\n",
            "key 'metrics.g': count_where needs exactly one of at_least, equals or one_of.",
        ),
        (
            "[rows]\nkind='items'\ndate='D'\n[metrics.g]\ncolumn='r'\naggregate='count_set'\nat_least=4\n",
            "key 'metrics.g.at_least': applies to aggregate = 'count_where' only.",
        ),
        (
            "[rows]\nkind='items'\ndate='D'\n[metrics.g]\ncolumn='r'\naggregate='count_where'\nat_least='4'\n",
            "key 'metrics.g.at_least': must be a number.",
        ),
        (
            "[rows]\nkind='daily'\ndate='D'\n[metrics.w]\ncolumn='W'\nunit='hours'\n",
            "key 'metrics.w.unit': 'hours' is not one of seconds, minutes, tenths.",
        ),
        (
            "[rows]\nkind='daily'\ndate='D'\n[[filter]]\ncolumn='s'\nequals='a'\nnot_empty=true\n[metrics.s]\ncolumn='S'\n",
            "key 'filter[1]': needs exactly one of equals, one_of or not_empty.",
        ),
        (
            "[rows]\nkind='daily'\ndate='D'\n[[filter]]\nequals='a'\n[metrics.s]\ncolumn='S'\n",
            "key 'filter[1].column': needs a column name",
        ),
        (
            "[rows]\nkind='daily'\ndate='D'\n[[filter]]\ncolumn='s'\nnot_empty=false\n[metrics.s]\ncolumn='S'\n",
            "true only",
        ),
        ("[rows\nkind='daily'\n", "is not valid TOML"),
    ],
)
def test_a_bad_mapping_is_refused_naming_the_file_and_key(tmp_path, text, says):
    message = refused(tmp_path, text)
    assert message.startswith("map.toml: ") and says in message, message


def test_a_mapping_that_is_not_utf8_or_missing_is_refused(tmp_path):
    path = tmp_path / "latin.toml"
    path.write_bytes("[rows]\nkind='daily'\ndate='Büro'\n".encode("latin-1"))
    with pytest.raises(ImportRefused, match=r"^latin.toml: is not UTF-8 text\.$"):
        load_mapping(path)
    with pytest.raises(ImportRefused, match=r"^gone.toml: can't be read"):
        load_mapping(tmp_path / "gone.toml")


@pytest.mark.parametrize(
    ("table", "says"),
    [
        ("[metrics.calls]\ncolumn='C'", "key 'metrics.calls': 'calls' is not a metric this team tracks."),
        ("[metrics.comments_per_solve]\ncolumn='C'", "is a ratio, worked out from its counts: map those instead."),
        (
            "[metrics.csat_good]\ncolumn='G'\n[metrics.csat_percent]\ncolumn='P'",
            "fills 'csat_good', which metrics.csat_good",
        ),
    ],
)
def test_resolving_refuses_a_key_the_team_cant_fill(tmp_path, table, says):
    mapping = load_mapping(mapping_file(tmp_path, f"[rows]\nkind='daily'\ndate='D'\n{table}\n"))
    with pytest.raises(ImportRefused) as caught:
        resolve(mapping, BUILTIN)
    assert caught.value.message.startswith("map.toml: ") and says in caught.value.message


@pytest.mark.parametrize(
    ("table", "says"),
    [
        (
            "[metrics.chats]\ncolumn='C'\naggregate='mean'",
            "key 'metrics.chats.aggregate': Live chats (count) takes count, sum, count_where or count_set.",
        ),
        ("[metrics.wait_seconds]\ncolumn='W'\naggregate='sum'", "Average chat wait (duration) takes mean."),
    ],
)
def test_resolving_refuses_an_aggregate_the_kind_cant_take(tmp_path, table, says):
    mapping = load_mapping(mapping_file(tmp_path, f"[rows]\nkind='items'\ndate='D'\n{table}\n"))
    with pytest.raises(ImportRefused, match=re.escape(says)):
        resolve(mapping, BUILTIN)


def test_entry_keys_and_metric_keys_name_the_same_figure(tmp_path):
    text = "[rows]\nkind='daily'\ndate='D'\n[metrics.csat_percent]\ncolumn='P'\n[metrics.wait_tenths]\ncolumn='W'\n"
    resolved = resolve(load_mapping(mapping_file(tmp_path, text)), BUILTIN)
    assert [(r.entry_key, r.kind, r.mapping.key) for r in resolved] == [
        ("csat_good", Kind.SHARE, "csat_percent"),
        ("wait_tenths", Kind.DURATION, "wait_tenths"),
    ]


# --- the round trip: the app's own daily CSV export, read back through the statbotic-daily preset ----


@pytest.mark.parametrize("backend", ["sqlite"])
def test_the_statbotic_daily_preset_reads_an_export_back_to_the_digit(store, alice, tmp_path, backend):
    team, first = "default", date(2024, 3, 1)
    builtin_days = {
        first + timedelta(days=n): {
            "comments": 40 + n,
            "solves": 20 + n * 3,
            "chats": 100 + n,
            "wait_tenths": 651 + n * 7,  # 65.1 s and on
            "csat_ratings": 30 + n,
            "csat_good": 28 + n,
        }
        for n in range(3)
    }
    for day, entered in builtin_days.items():
        services.record_day(store, team, alice, day, entered)
    metric_admin.add_metric(store, alice, "calls", "Calls", Kind.COUNT)
    metric_admin.add_metric(store, alice, "handle", "Average handle time", Kind.DURATION, bases=("calls",))
    metric_admin.add_metric(store, alice, "sla_met", "SLA met", Kind.SHARE, bases=("calls",))
    later = {
        first + timedelta(days=n): {
            **builtin_days[first] | {"comments": 1234 + n},
            "calls": 80 + n,
            "handle": 1805 + n,  # 180.5 s
            "sla_met": 70 + n,
        }
        for n in range(3, 6)
    }
    for day, entered in later.items():
        services.record_day(store, team, alice, day, entered)
    metrics = services.team_metrics(store, team)
    export = tmp_path / "stats.csv"
    days = store.iter_days(team, first, first + timedelta(days=10))
    export.write_text("".join(csv_day_chunks(days, metrics)), encoding="utf-8", newline="")
    assert "handle.total" in export.read_text(encoding="utf-8").splitlines()[0]  # format 4's components

    resolved = resolve(preset("statbotic-daily"), metrics)
    assert [r.entry_key for r in resolved] == list(metrics.entry_keys)
    mapping = preset("statbotic-daily")
    read_back = {}
    for row in read_rows(export):
        day = date.fromisoformat(row.cells[mapping.date])
        read_back[day] = {
            r.entry_key: int(row.cells[r.mapping.column]) for r in resolved if row.cells[r.mapping.column]
        }
    assert read_back == builtin_days | later


# --- the presets against the shapes their tools save --------------------------------------------

INTERCOM_PAGE = {
    "type": "conversation.list",
    "pages": {"type": "pages", "next": {"page": 2, "starting_after": "WzE3MTQ1NTA0MDAwMDAsMV0="}, "per_page": 20},
    "total_count": 2,
    "conversations": [
        {
            "type": "conversation",
            "id": "1911149811",
            "created_at": 1714550400,
            "state": "closed",
            "admin_assignee_id": 814860,
            "team_assignee_id": None,
            "statistics": {
                "type": "conversation_statistics",
                "time_to_admin_reply": 65,
                "first_admin_reply_at": 1714550465,
            },
            "conversation_rating": {"rating": 5, "remark": "", "contact": {"type": "contact", "id": "5ba682d2"}},
            "tags": {"type": "tag.list", "tags": []},
        },
        {
            "type": "conversation",
            "id": "1911149812",
            "created_at": 1714636800,
            "state": "open",
            "admin_assignee_id": None,
            "statistics": {"time_to_admin_reply": None},
            "conversation_rating": None,
        },
    ],
}
ZENDESK_PAGE = {
    "tickets": [
        {
            "id": 35436,
            "status": "solved",
            "assignee_id": 235323,
            "created_at": "2024-05-01T08:00:00Z",
            "via": {"channel": "web"},
            "metric_set": {"ticket_id": 35436, "solved_at": "2024-05-01T10:38:52Z", "replies": 3, "reopens": 0},
        }
    ],
    "after_cursor": "MTU4MDc1Mzc5OC4wfHw0MzJ8",
    "end_of_stream": True,
}


@pytest.mark.parametrize(
    ("name", "page"), [("intercom-conversations", INTERCOM_PAGE), ("zendesk-tickets", ZENDESK_PAGE)]
)
def test_each_json_preset_reads_columns_its_tool_saves(tmp_path, name, page):
    path = tmp_path / "page.json"
    path.write_text(json.dumps(page), encoding="utf-8")
    rows = list(read_rows(path))
    mapping = preset(name)
    seen = set().union(*(row.cells for row in rows))  # a null object (an unrated conversation) has no keys
    assert set(mapping.columns) <= seen and all(mapping.date in row.cells for row in rows), mapping.columns
    assert mapping.keeps(rows[0].cells)


def test_the_intercom_preset_counts_ratings_of_four_and_up_as_positive(tmp_path):
    positive = next(m for m in preset("intercom-conversations").metrics if m.aggregate == COUNT_WHERE)
    assert [positive.counts(str(r)) for r in range(1, 6)] == [False, False, False, True, True]
    assert not positive.counts("")


AGENTS_BASE = '[rows]\nkind = "items"\ndate = "at"\nagent = "who"\n[metrics.solves]\naggregate = "count"\n'


def test_the_agents_table_names_ids_and_knows_its_agents(tmp_path):
    mapping = load_mapping(mapping_file(tmp_path, AGENTS_BASE + '[agents]\n101 = "Ana Lima"\n"a7" = " Bo  Chen "\n'))
    assert mapping.agent_names == (("101", "Ana Lima"), ("a7", "Bo Chen"))
    assert mapping.agent_named("101") == "Ana Lima" and mapping.agent_named("Bo Chen") == "Bo Chen"
    assert mapping.agent_named("999") is None
    assert load_mapping(mapping_file(tmp_path, AGENTS_BASE)).agent_named("999") == "999"  # no table: as written


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (AGENTS_BASE.replace('agent = "who"\n', "") + '[agents]\n1 = "Ana"\n', "has no agent column"),
        (AGENTS_BASE + "[agents]\n1 = 5\n", "needs the agent's name"),
        (AGENTS_BASE + '[agents]\n1 = "  "\n', "needs the agent's name"),
    ],
)
def test_a_bad_agents_table_is_refused_naming_its_key(tmp_path, text, message):
    assert message in refused(tmp_path, text)
