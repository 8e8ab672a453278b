"""importing/aggregate.py: rows and a mapping into each day's (and agent's) entered figures.

Every fixture file is generated here, into tmp_path, with totals known from how it was made: the app's
own daily CSV export from a real SQLite store (the round trip), Zendesk Explore daily rows, Intercom
conversations across both DST changes of New York and the UTC-vs-local day boundary, per-agent rows
whose sums must equal the team's to the digit, bad cells (each named by file, line and column), and a
100,000-row file aggregated with flat memory.
"""

from __future__ import annotations

import csv
import json
import random
import tracemalloc
from datetime import UTC, date, datetime, timedelta, timezone
from fractions import Fraction
from pathlib import Path

import pytest

from statbotic.exact import round_half_up
from statbotic.export import csv_day_chunks
from statbotic.importing.aggregate import MAX_PROBLEMS, DayFigures, aggregate
from statbotic.importing.mapping import load_mapping, preset
from statbotic.importing.problems import ImportRefused
from statbotic.importing.readers import Row, read_all, read_rows
from statbotic.metric_kinds import Kind, MetricDefinition
from statbotic.metrics import BUILTIN, Metrics
from statbotic.records import UNASSIGNED, DayRecord
from statbotic.services import team_metrics

NOW = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)


def write_mapping(tmp_path: Path, text: str, name: str = "mine.toml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_mapping(path)


def by_day(days: list[DayFigures], agent: str | None = None) -> dict[date, dict[str, int]]:
    return {d.day: d.entered for d in days if d.agent == agent}


# --- the round trip of Statbotic's own daily CSV -----------------------------------------------------------


@pytest.mark.parametrize("backend", ["sqlite"])
def test_statbotic_daily_export_round_trips_to_the_same_entered_figures(store, tmp_path):
    calls = MetricDefinition("calls", "Calls answered", Kind.COUNT, noun="calls", order=20)
    handle = MetricDefinition("handle", "Average handle time", Kind.DURATION, maximum=3600, bases=("calls",), order=21)
    for definition in (calls, handle):
        store.save_metric_definition(definition, "admin", NOW)
    metrics = team_metrics(store, "support")
    assert {"calls", "handle"} <= set(metrics.entry_keys)
    days = {
        date(2024, 3, 1): {"comments": 1234, "solves": 56, "chats": 78, "wait_tenths": 655, "csat_ratings": 38,
                           "csat_good": 36, "calls": 40, "handle": 1805},
        date(2024, 3, 2): {"comments": 0, "solves": 0, "chats": 0, "wait_tenths": 0, "csat_ratings": 0, "csat_good": 0},
        date(2024, 3, 4): {"comments": 7, "solves": 3},  # a day with some metrics only: blank, never 0
        date(2024, 3, 5): {"chats": 12, "wait_tenths": 1, "calls": 1, "handle": 36000},
    }  # fmt: skip
    for day, entered in days.items():
        store.upsert_day(DayRecord("support", day, entered, "lead", NOW))
    export = tmp_path / "statbotic-2024-03-01-2024-03-31.csv"
    exported = store.iter_days("support", date(2024, 3, 1), date(2024, 3, 31))
    export.write_text("".join(csv_day_chunks(exported, metrics)), encoding="utf-8")

    found, problems = aggregate(read_rows(export), preset("statbotic-daily"), metrics, export.name)

    assert problems == []
    assert by_day(found) == days
    assert [d.lines for d in found] == [(2,), (3,), (4,), (5,)]
    again = store.iter_days("support", date(2024, 3, 1), date(2024, 3, 31))
    stored = {r.day: metrics.typed_entry(r.entered) for r in again}
    assert by_day(found) == stored


# --- daily rows --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_zendesk_explore_daily_rows_read_with_any_delimiter_and_thousands(tmp_path, delimiter):
    path = tmp_path / "explore.csv"
    with open(path, "w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
        writer.writerow(["Date", "Public comments", "Solved tickets"])
        writer.writerow(["2024-03-01", "1,234", "56"])
        writer.writerow(["2024-03-02", "0", ""])  # no solves figure that day: no value, never 0
        writer.writerow(["2024-03-03", "12", "3"])

    found, problems = aggregate(read_rows(path), preset("zendesk-explore-daily"), BUILTIN, path.name)

    assert problems == []
    assert by_day(found) == {
        date(2024, 3, 1): {"comments": 1234, "solves": 56},
        date(2024, 3, 2): {"comments": 0},
        date(2024, 3, 3): {"comments": 12, "solves": 3},
    }
    assert all(d.agent is None for d in found)


DAILY_AGENTS = """
[rows]
kind = "daily"
date = "Day"
date_format = "%d/%m/%Y"
agent = "Agent"

[metrics.chats]
column = "Chats"

[metrics.wait_seconds]
column = "Wait"

[metrics.csat_ratings]
column = "Ratings"

[metrics.csat_percent]
column = "Positive"
"""


def daily_rows(*rows: tuple[str, ...]) -> list[Row]:
    header = ("Day", "Agent", "Chats", "Wait", "Ratings", "Positive")
    return [Row(line, dict(zip(header, cells, strict=True))) for line, cells in enumerate(rows, start=2)]


def test_daily_rows_per_agent_read_waits_and_percentages_by_the_apps_rules_and_sum_into_the_team(tmp_path):
    mapping = write_mapping(tmp_path, DAILY_AGENTS)
    rows = daily_rows(
        ("10/03/2024", "Ana", "10", "1:05", "38", "96%"),  # 65 s; 96 % of 38 = 36.48 -> 36
        ("10/03/2024", "Bo", "30", "38.55", "2", "1"),  # 38.55 s -> 385.5 tenths -> 386
        ("10/03/2024", "", "2", "10", "0", "0"),  # a row without an agent: the team's, unassigned
        ("11/03/2024", "Ana", "4", "1m 5s", "", ""),
    )

    found, problems = aggregate(rows, mapping, BUILTIN, "agents.csv")

    assert problems == []
    ana, bo = by_day(found, "Ana"), by_day(found, "Bo")
    assert ana[date(2024, 3, 10)] == {"chats": 10, "wait_tenths": 650, "csat_ratings": 38, "csat_good": 36}
    assert bo[date(2024, 3, 10)] == {"chats": 30, "wait_tenths": 386, "csat_ratings": 2, "csat_good": 1}
    assert ana[date(2024, 3, 11)] == {"chats": 4, "wait_tenths": 650}
    team = by_day(found)
    # counts and parts are sums; the wait is weighted by the chats: (650x10 + 386x30 + 100x2) / 42 = 435.2...
    expected_wait = int(round_half_up(Fraction(650 * 10 + 386 * 30 + 100 * 2, 42)))
    assert team[date(2024, 3, 10)] == {"chats": 42, "csat_ratings": 40, "csat_good": 37, "wait_tenths": expected_wait}
    assert team[date(2024, 3, 11)] == {"chats": 4, "wait_tenths": 650}
    first = next(d for d in found if d.day == date(2024, 3, 10) and d.agent is None)
    assert first.lines == (2, 3, 4)
    assert by_day(found, UNASSIGNED)[date(2024, 3, 10)] == {
        "chats": 2,
        "wait_tenths": 100,
        "csat_ratings": 0,
        "csat_good": 0,
    }
    assert [(d.day.day, d.agent) for d in found] == [
        (10, None), (10, "Ana"), (10, "Bo"), (10, UNASSIGNED), (11, None), (11, "Ana")
    ]  # fmt: skip


def test_daily_bad_cells_are_problems_naming_file_line_and_column_and_leave_their_row_out(tmp_path):
    mapping = write_mapping(tmp_path, DAILY_AGENTS)
    rows = daily_rows(
        ("10/03/2024", "Ana", "12a", "65", "3", "2"),
        ("2024-03-10", "Bo", "3", "65", "3", "2"),
        ("11/03/2024", "Ana", "3", "-5", "3", "2"),
        ("11/03/2024", "Bo", "3", "65", "3", "4"),  # more positive ratings than ratings
        ("12/03/2024", "Ana", "3", "65", "", "2"),  # a part without its base
        ("13/03/2024", "Ana", "3", "65", "3", "2"),
        ("13/03/2024", "Ana", "4", "60", "3", "2"),  # the same day and agent twice
    )

    found, problems = aggregate(rows, mapping, BUILTIN, "agents.csv")

    texts = [p.text() for p in problems]
    assert texts[0] == (
        "agents.csv, line 2, column 'Chats': '12a' is not a number. Live chats is a whole number from 0 to 1,000,000."
    )
    assert texts[1].startswith("agents.csv, line 3, column 'Day': '2024-03-10' is not a date (expected as %d/%m/%Y")
    assert texts[2].startswith("agents.csv, line 4, column 'Wait': '-5' is below zero.")
    assert texts[3] == (
        "agents.csv, line 5, column 'Positive': 4 positive CSAT ratings is more than the 3 ratings. "
        "Positive CSAT ratings is a whole number from 0 to 3, or a percentage such as 96%."
    )
    assert problems[4].line == 6 and problems[4].column == "Positive" and "needs csat ratings" in problems[4].message
    assert texts[5] == (
        "agents.csv, line 8, column 'Day': 2024-03-13 for agent Ana is on line 7 already; "
        "a day has one row (per agent)."
    )
    assert len(problems) == 6
    thirteenth = date(2024, 3, 13)
    assert [(d.day, d.agent, d.lines) for d in found] == [(thirteenth, None, (7,)), (thirteenth, "Ana", (7,))]


def test_a_file_without_the_date_column_is_one_problem_and_a_column_no_row_has_another(tmp_path):
    rows = [Row(2, {"Day": "2024-03-01", "Public comments": "3", "Solved tickets": "1"})]
    found, problems = aggregate(rows, preset("zendesk-explore-daily"), BUILTIN, "x.csv")
    assert found == []
    assert [(p.line, p.column) for p in problems] == [(None, "Date")]
    assert "'Day', 'Public comments', 'Solved tickets'" in problems[0].message

    rows = [Row(2, {"Date": "2024-03-01", "Public comments": "3"})]
    found, problems = aggregate(rows, preset("zendesk-explore-daily"), BUILTIN, "x.csv")
    assert by_day(found) == {date(2024, 3, 1): {"comments": 3}}
    assert [p.text() for p in problems] == ["x.csv, column 'Solved tickets': no row has this column."]


def test_a_mapping_naming_a_metric_the_team_does_not_track_is_refused_naming_the_mapping(tmp_path):
    mapping = write_mapping(tmp_path, '[rows]\nkind = "daily"\ndate = "d"\n[metrics.calls]\ncolumn = "Calls"\n')
    with pytest.raises(ImportRefused) as refused:
        aggregate([], mapping, BUILTIN, "x.csv")
    assert "mine.toml" in str(refused.value) and "metrics.calls" in str(refused.value)


# --- items: Intercom conversations, time zones and DST -----------------------------------------------------

NEW_YORK = """
[rows]
kind = "items"
date = "created_at"
date_format = "unix"
timezone = "America/New_York"
agent = "admin_assignee_id"

[[filter]]
column = "state"
equals = "closed"

[metrics.chats]
aggregate = "count"

[metrics.wait_seconds]
column = "statistics.time_to_admin_reply"
aggregate = "mean"

[metrics.csat_ratings]
column = "conversation_rating.rating"
aggregate = "count_set"

[metrics.csat_percent]
column = "conversation_rating.rating"
aggregate = "count_where"
at_least = 4
"""

# New York's offsets around its DST changes of 2024 (10 March 02:00 EST -> EDT; 3 November 02:00 EDT -> EST).
EST, EDT = timezone(timedelta(hours=-5)), timezone(timedelta(hours=-4))


def local(day: date, hour: int, minute: int, second: int = 0) -> int:
    """Unix seconds of a New York wall-clock time, its offset chosen here from the known DST changes."""
    summer = (date(2024, 3, 10), 3) <= (day, hour) < (date(2024, 11, 3), 1)
    if day == date(2024, 11, 3) and hour == 1:
        summer = True  # the first 01:xx of the day the clocks go back
    return int(datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=EDT if summer else EST).timestamp())


def conversation(seconds: int, wait: int | None, rating: int | None, agent: str | None, state="closed") -> dict:
    item = {"id": str(seconds), "created_at": seconds, "state": state, "statistics": {"time_to_admin_reply": wait}}
    item["admin_assignee_id"] = agent
    item["conversation_rating"] = {"rating": rating} if rating is not None else None
    return item


def test_intercom_conversations_are_counted_into_new_york_days_across_both_dst_changes(tmp_path):
    days = [date(2024, 3, d) for d in (9, 10, 11)] + [date(2024, 11, d) for d in (2, 3, 4)]
    times = [(0, 0, 0), (0, 59, 59), (1, 30), (3, 0), (12, 0), (23, 0), (23, 59, 59)]
    rng = random.Random(13)
    items, expected = [], {}
    for day in days:
        want = {"chats": 0, "seconds": 0, "replied": 0, "csat_ratings": 0, "csat_good": 0}
        for clock in times:
            if day == date(2024, 3, 10) and clock[0] == 2:
                continue  # 02:xx doesn't exist that day
            wait, rating = rng.choice([None, 5, 61, 3600]), rng.choice([None, 1, 3, 4, 5])
            items.append(conversation(local(day, *clock), wait, rating, rng.choice(["7", "8", None])))
            want["chats"] += 1
            if wait is not None:
                want["seconds"] += wait
                want["replied"] += 1
            want["csat_ratings"] += rating is not None
            want["csat_good"] += rating is not None and rating >= 4
        items.append(conversation(local(day, 12, 30), 9999, 5, "7", state="open"))  # filtered out, silently
        expected[day] = want
    rng.shuffle(items)
    half = len(items) // 2  # two saved pages of the list API
    pages = [tmp_path / "page1.json", tmp_path / "page2.json"]
    pages[0].write_text(json.dumps({"type": "conversation.list", "conversations": items[:half]}), encoding="utf-8")
    pages[1].write_text(json.dumps({"type": "conversation.list", "conversations": items[half:]}), encoding="utf-8")

    found, problems = aggregate(read_all(pages), write_mapping(tmp_path, NEW_YORK), BUILTIN, "conversations")

    assert problems == []
    team = by_day(found)
    assert sorted(team) == days
    for day, want in expected.items():
        wait = int(round_half_up(Fraction(want["seconds"] * 10, want["replied"])))
        assert team[day] == {
            "chats": want["chats"],
            "wait_tenths": wait,
            "csat_ratings": want["csat_ratings"],
            "csat_good": want["csat_good"],
        }, day
    assert sum(d.rows for d in found if d.agent is None) == len(items) - len(days)


def test_a_utc_timestamp_falls_on_its_local_day_not_its_utc_day(tmp_path):
    mapping = write_mapping(tmp_path, NEW_YORK.replace('date_format = "unix"', 'date_format = "iso"'))
    stamps = {
        "2024-03-10T03:30:00Z": date(2024, 3, 9),  # 22:30 EST the day before
        "2024-03-10T04:59:59Z": date(2024, 3, 9),  # 23:59:59 EST
        "2024-03-10T05:00:00Z": date(2024, 3, 10),  # midnight EST
        "2024-03-11T03:59:59Z": date(2024, 3, 10),  # 23:59:59 EDT: the 23-hour day's last second
        "2024-03-11T04:00:00Z": date(2024, 3, 11),
        "2024-11-04T04:30:00Z": date(2024, 11, 3),  # 23:30 EST: the 25-hour day
        "2024-11-04T05:00:00Z": date(2024, 11, 4),
        "2024-11-03T09:00:00+01:00": date(2024, 11, 3),  # 04:00 EST, given with another offset
        "2024-11-03T05:30:00": date(2024, 11, 3),  # naive: UTC, 01:30 EDT or EST alike
    }
    blank = dict.fromkeys(("statistics.time_to_admin_reply", "conversation_rating.rating", "admin_assignee_id"), "")
    rows = [Row(n, {"created_at": s, "state": "closed", **blank}) for n, s in enumerate(stamps, start=1)]
    found, problems = aggregate(rows, mapping, BUILTIN, "c.csv")
    assert problems == []
    counted: dict[date, int] = {}
    for day in stamps.values():
        counted[day] = counted.get(day, 0) + 1
    assert {d: e["chats"] for d, e in by_day(found).items()} == counted


def test_per_agent_sums_equal_the_team_totals_to_the_digit(tmp_path):
    rng = random.Random(2024)
    start = int(datetime(2024, 3, 1, tzinfo=UTC).timestamp())
    rows, seconds_by_day = [], {}
    for line in range(2, 5002):
        moment = start + rng.randrange(0, 40 * 86400)
        wait = rng.choice(["", str(rng.randrange(0, 4000)), f"{rng.randrange(0, 600)}.{rng.randrange(10)}"])
        cells = {
            "created_at": str(moment),
            "state": "closed",
            "admin_assignee_id": rng.choice(["", "1", "2", "3", "4", "5"]),
            "statistics.time_to_admin_reply": wait,
            "conversation_rating.rating": rng.choice(["", "1", "2", "3", "4", "5"]),
        }
        rows.append(Row(line, cells))
        if wait:
            day = datetime.fromtimestamp(moment, UTC).astimezone(EST).date()  # March before the 10th: EST
            seconds_by_day.setdefault(day, []).append(Fraction(wait))

    found, problems = aggregate(rows, write_mapping(tmp_path, NEW_YORK), BUILTIN, "c.csv")

    assert problems == []
    team = by_day(found)
    agents = [d for d in found if d.agent not in (None, UNASSIGNED)]
    unassigned: dict[date, dict[str, int]] = {}
    for row in rows:
        if not row.cells["admin_assignee_id"]:
            day = datetime.fromtimestamp(int(row.cells["created_at"]), UTC).astimezone(_new_york()).date()
            counts = unassigned.setdefault(day, dict.fromkeys(("chats", "csat_ratings", "csat_good"), 0))
            rating = row.cells["conversation_rating.rating"]
            counts["chats"] += 1
            counts["csat_ratings"] += bool(rating)
            counts["csat_good"] += bool(rating) and int(rating) >= 4
    for day, figures in team.items():
        for key in ("chats", "csat_ratings", "csat_good"):
            mine = sum(d.entered[key] for d in agents if d.day == day)
            assert mine + unassigned.get(day, {}).get(key, 0) == figures[key], (day, key)
        assert sum(d.rows for d in agents if d.day == day) + unassigned.get(day, {}).get("chats", 0) == figures["chats"]
        # the rows without an agent are an agent row of their own: the team is exactly the sum of its rows
        if day in unassigned:
            assert by_day(found, UNASSIGNED)[day]["chats"] == unassigned[day]["chats"]
        assert sum(d.entered["chats"] for d in found if d.agent is not None and d.day == day) == figures["chats"]
    assert sum(e["chats"] for e in team.values()) == 5000
    for day, waits in seconds_by_day.items():
        if day in team and date(2024, 3, 1) <= day < date(2024, 3, 10):
            assert team[day]["wait_tenths"] == int(round_half_up(sum(waits) * 10 / len(waits)))


def _new_york():
    from zoneinfo import ZoneInfo

    return ZoneInfo("America/New_York")


def test_item_bad_cells_are_problems_with_file_line_and_column_and_their_row_counts_nowhere(tmp_path):
    header = ("created_at", "statistics.time_to_admin_reply", "conversation_rating.rating")
    rows = [
        Row(line, dict(zip(header, cells, strict=True)))
        for line, cells in enumerate(
            [
                ("1710000000", "65", "5"),
                ("yesterday", "65", "5"),
                ("1710000100", "soon", ""),
                ("1710000200", "", "five"),
                ("", "", ""),
            ],
            start=2,
        )
    ]
    found, problems = aggregate(rows, preset("intercom-conversations"), BUILTIN, "conversations.json")
    assert [p.text() for p in problems] == [
        "conversations.json, line 3, column 'created_at': 'yesterday' is not a date (Unix seconds expected).",
        "conversations.json, line 4, column 'statistics.time_to_admin_reply': "
        "'soon' is not a duration (a number of seconds).",
        "conversations.json, line 5, column 'conversation_rating.rating': 'five' is not a number.",
        "conversations.json, line 6, column 'created_at': the date is blank.",
    ]  # fmt: skip
    assert by_day(found) == {date(2024, 3, 9): {"chats": 1, "wait_tenths": 650, "csat_ratings": 1, "csat_good": 1}}


def test_problems_beyond_the_most_kept_are_counted_not_listed():
    blank = {"statistics.time_to_admin_reply": "", "conversation_rating.rating": ""}
    rows = [Row(n, {"created_at": "never", **blank}) for n in range(2, MAX_PROBLEMS + 502)]
    found, problems = aggregate(rows, preset("intercom-conversations"), BUILTIN, "c.csv")
    assert found == []
    assert len(problems) == MAX_PROBLEMS + 1
    assert problems[-1].message.startswith("… and 500 more problems, not listed")


def test_zendesk_tickets_sum_public_replies_of_solved_tickets_by_local_solved_day(tmp_path):
    def ticket(number, status, assignee, solved_at, replies):
        metric_set = {"solved_at": solved_at, "replies": replies}
        return {"id": number, "status": status, "assignee_id": assignee, "metric_set": metric_set}

    tickets = [
        ticket(1, "solved", 11, "2024-03-01T23:30:00Z", 3),
        ticket(2, "closed", 12, "2024-03-02T00:30:00Z", 1),
        ticket(3, "open", 12, None, 7),  # not solved: skipped
        ticket(4, "solved", None, "2024-03-02T10:00:00Z", 0),
    ]
    path = tmp_path / "tickets.json"
    path.write_text(json.dumps({"tickets": tickets, "next_page": None}), encoding="utf-8")
    found, problems = aggregate(read_rows(path), preset("zendesk-tickets"), Metrics(BUILTIN.definitions), path.name)
    assert problems == []
    assert by_day(found) == {
        date(2024, 3, 1): {"solves": 1, "comments": 3},
        date(2024, 3, 2): {"solves": 2, "comments": 1},
    }
    assert by_day(found, "12") == {date(2024, 3, 2): {"solves": 1, "comments": 1}}


# --- a large file: memory stays flat -----------------------------------------------------------------------


def test_a_100000_row_file_is_aggregated_with_flat_memory(tmp_path):
    path = tmp_path / "conversations.csv"
    start = int(datetime(2024, 1, 1, tzinfo=UTC).timestamp())
    with open(path, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["id", "created_at", "statistics.time_to_admin_reply", "conversation_rating.rating",
                         "admin_assignee_id", "state"])  # fmt: skip
        for n in range(100_000):
            writer.writerow([1_000_000 + n, start + n * 25, 30 + n % 90, "" if n % 3 else 1 + n % 5, n % 7, "closed"])
    size = path.stat().st_size

    tracemalloc.start()
    try:
        found, problems = aggregate(read_rows(path), preset("intercom-conversations"), BUILTIN, path.name)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert problems == []
    team = by_day(found)
    assert sum(e["chats"] for e in team.values()) == 100_000
    assert sum(e["csat_ratings"] for e in team.values()) == len(range(0, 100_000, 3))
    assert len(team) == 29  # a busy month: a conversation every 25 seconds from midnight UTC, 28.9 days
    # What is kept is a running total per day and agent (29 x 8 here), never the rows.
    assert peak < size / 5, f"peak {peak:,} bytes for a {size:,}-byte file"


@pytest.mark.parametrize("zone", ["America/New_York", "America/Havana", "America/Santiago", "Australia/Lord_Howe"])
def test_the_cached_day_window_gives_each_timestamps_local_day_even_where_dst_moves_midnight(tmp_path, zone):
    """Havana and Santiago move their clocks at midnight, Lord Howe by half an hour: every local day is
    the one zoneinfo gives for each timestamp, in order and out of order."""
    from zoneinfo import ZoneInfo

    mapping = write_mapping(tmp_path, NEW_YORK.replace("America/New_York", zone))
    stamps = []
    for change in (datetime(2024, 3, 8, tzinfo=UTC), datetime(2024, 4, 5, tzinfo=UTC), datetime(2024, 9, 6, tzinfo=UTC),
                   datetime(2024, 11, 1, tzinfo=UTC)):  # fmt: skip
        first = int(change.timestamp())
        stamps += range(first, first + 4 * 86400, 7 * 60 + 13)
    stamps += random.Random(7).sample(stamps, 300)  # out of order too
    blank = dict.fromkeys(("statistics.time_to_admin_reply", "conversation_rating.rating", "admin_assignee_id"), "")
    rows = [Row(n, {"created_at": str(s), "state": "closed", **blank}) for n, s in enumerate(stamps, start=2)]

    found, problems = aggregate(rows, mapping, BUILTIN, "c.csv")

    assert problems == []
    expected: dict[date, int] = {}
    for s in stamps:
        day = datetime.fromtimestamp(s, UTC).astimezone(ZoneInfo(zone)).date()
        expected[day] = expected.get(day, 0) + 1
    assert {d: e["chats"] for d, e in by_day(found).items()} == expected


def test_daily_durations_in_tenths_or_minutes_and_unix_or_iso_dates(tmp_path):
    mapping = write_mapping(
        tmp_path,
        '[rows]\nkind = "daily"\ndate = "When"\ndate_format = "unix"\ntimezone = "Europe/Berlin"\n'
        '[metrics.chats]\ncolumn = "Chats"\n[metrics.wait_seconds]\ncolumn = "Wait"\nunit = "minutes"\n',
    )
    # 23:30 UTC on 9 March is 00:30 on the 10th in Berlin; 1.25 minutes = 75 s = 750 tenths
    rows = [
        Row(2, {"When": str(int(datetime(2024, 3, 9, 23, 30, tzinfo=UTC).timestamp())), "Chats": "3", "Wait": "1.25"})
    ]
    found, problems = aggregate(rows, mapping, BUILTIN, "d.csv")
    assert problems == []
    assert by_day(found) == {date(2024, 3, 10): {"chats": 3, "wait_tenths": 750}}

    tenths = write_mapping(
        tmp_path,
        '[rows]\nkind = "daily"\ndate = "When"\ndate_format = "iso"\n'
        '[metrics.chats]\ncolumn = "Chats"\n[metrics.wait_tenths]\ncolumn = "Wait"\nunit = "tenths"\n',
        "tenths.toml",
    )
    rows = [
        Row(2, {"When": "2024-03-10", "Chats": "3", "Wait": "655"}),
        Row(3, {"When": "2024-03-11T09:00:00", "Chats": "3", "Wait": "864001"}),  # 86,400.1 s: over a day
    ]
    found, problems = aggregate(rows, tenths, BUILTIN, "d.csv")
    assert by_day(found) == {date(2024, 3, 10): {"chats": 3, "wait_tenths": 655}}
    assert [(p.line, p.column) for p in problems] == [(3, "Wait")]
    assert "'864001' is out of range" in problems[0].message


def test_an_items_day_beyond_a_metrics_bounds_is_a_problem_naming_the_day_and_column(tmp_path):
    mapping = write_mapping(
        tmp_path,
        '[rows]\nkind = "items"\ndate = "at"\ndate_format = "%Y-%m-%d %H:%M"\n'
        '[metrics.comments]\ncolumn = "replies"\naggregate = "sum"\n[metrics.solves]\naggregate = "count"\n',
    )
    rows = [Row(n, {"at": "2024-03-10 12:00", "replies": "600,000"}) for n in (2, 3)]
    rows.append(Row(4, {"at": "2024-03-11 12:00", "replies": "1,234"}))
    found, problems = aggregate(rows, mapping, BUILTIN, "t.csv")
    assert by_day(found) == {date(2024, 3, 11): {"comments": 1234, "solves": 1}}
    assert [p.text() for p in problems] == [
        "t.csv, column 'replies': 2024-03-10: Ticket public comments comes to 1,200,000, outside 0 to 1,000,000."
    ]


# --- the CSV fast path (records as lists, a tally per day) gives what the Row path gives -------------------


def messy_conversations(path: Path, seed: int, rows: int = 3000) -> None:
    """Conversations out of order across New York's DST change, with agents written with spaces, blank
    lines, short records, bad cells and dates, fractional and clock-style waits."""
    rng = random.Random(seed)
    start = int(datetime(2024, 3, 8, tzinfo=UTC).timestamp())
    lines = ["id,created_at,statistics.time_to_admin_reply,conversation_rating.rating,admin_assignee_id,state"]
    for n in range(rows):
        stamp = start + n * 97 if rng.random() < 0.9 else start + rng.randrange(0, rows * 97)
        when = rng.choice([str(stamp)] * 20 + [f"{stamp}.5", " ", "soon", f" {stamp}"])
        wait = rng.choice([str(rng.randrange(0, 400))] * 8 + ["", "1:05", "12.5", "-3", "n/a", "1,200"])
        rating = rng.choice(["", "", "1", "4", "5", "5.0", "great"])
        agent = rng.choice(["7", " 7", "7 ", "8", "", "  ", "Ann Lee"])
        state = rng.choice(["closed"] * 4 + ["open", " closed"])
        record = [str(n), when, wait, rating, agent, state]
        if rng.random() < 0.02:
            lines.append("")
        if rng.random() < 0.02:
            record = record[:3]
        lines.append(",".join(f'"{c}"' if "," in c else c for c in record))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("tally_limit", [1024, 2])
@pytest.mark.parametrize("filtered", [True, False])
def test_the_csv_fast_path_gives_the_figures_and_problems_of_the_row_path(tmp_path, monkeypatch, seed,
                                                                          tally_limit, filtered):  # fmt: skip
    from statbotic.importing import aggregate as module

    monkeypatch.setattr(module, "TALLY_LIMIT", tally_limit)
    text = NEW_YORK  # chats, the wait, ratings and positive ones, per agent, closed ones only
    if not filtered:
        text = text.replace('[[filter]]\ncolumn = "state"\nequals = "closed"\n', "")
    mapping = write_mapping(tmp_path, text)
    assert len(mapping.filters) == (1 if filtered else 0)
    path = tmp_path / "conversations.csv"
    messy_conversations(path, seed)
    tables = []
    read_table = module._ItemRows.read_table
    monkeypatch.setattr(
        module._ItemRows, "read_table", lambda self, table: tables.append(table) or read_table(self, table)
    )

    fast = aggregate(read_rows(path), mapping, BUILTIN, path.name)
    assert len(tables) == 1  # the fast path was taken
    rows = list(read_rows(path))  # Row objects: the general path
    assert all(isinstance(row, Row) for row in rows)
    slow = aggregate(rows, mapping, BUILTIN, path.name)

    assert fast[1] and fast[0]  # the file has both
    assert fast == slow


def test_the_csv_fast_path_reads_iso_dates_sums_and_a_missing_agent_column_as_the_row_path(tmp_path):
    path = tmp_path / "tickets.csv"
    lines = ["id;metric_set.solved_at;status;metric_set.replies"]
    for n in range(500):
        day = 1 + (n * 7) % 28
        solved = f"2024-02-{day:02d}T{n % 24:02d}:{n % 60:02d}:00Z" if n % 11 else ""
        replies = str(n % 9) if n % 13 else "many"
        lines.append(f"{n};{solved};{'solved' if n % 5 else 'open'};{replies}")
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    mapping = preset("zendesk-tickets")

    fast = aggregate(read_rows(path), mapping, BUILTIN, path.name)
    slow = aggregate(list(read_rows(path)), mapping, BUILTIN, path.name)

    assert fast[0] and fast[1]
    assert fast == slow


def test_a_json_file_and_a_file_partly_read_already_take_the_row_path(tmp_path):
    mapping = preset("intercom-conversations")
    page = tmp_path / "page.json"
    items = [
        {"created_at": 1_704_067_200 + n * 5000, "admin_assignee_id": n % 3, "statistics": {"time_to_admin_reply": n},
         "conversation_rating": {"rating": n % 6 or None}}
        for n in range(50)
    ]  # fmt: skip
    page.write_text(json.dumps({"type": "conversation.list", "conversations": items}), encoding="utf-8")
    found = aggregate(read_rows(page), mapping, BUILTIN, page.name)
    assert found == aggregate(list(read_rows(page)), mapping, BUILTIN, page.name)
    assert sum(d.entered["chats"] for d in found[0] if d.agent is None) == 50

    path = tmp_path / "conversations.csv"
    header = "created_at,admin_assignee_id,statistics.time_to_admin_reply,conversation_rating.rating\n"
    path.write_text(header + "1704067200,1,,\n1704067201,2,,\n1704067202,1,,\n", encoding="utf-8")
    rows = read_rows(path)
    assert next(rows).line == 2
    days, problems = aggregate(rows, mapping, BUILTIN, path.name)
    assert problems == []
    assert [(d.agent, d.entered["chats"], d.lines) for d in days] == [(None, 2, (3, 4)), ("1", 1, (4,)), ("2", 1, (3,))]
