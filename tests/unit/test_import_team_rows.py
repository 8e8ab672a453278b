"""importing: ``[rows] team_rows = "blank agent"`` (the statbotic-daily preset): in Statbotic's own CSV
(format 5) the row with a blank agent IS the team's row, not an unassigned one summed into the team.

Its figures stand for the metrics no agent row has that day; for those with agent rows it must equal
their sum as a store keeps it (a problem naming file, line and column otherwise); a format-4 file (no
agent column) still reads as team rows.  The export -> aggregate round trip runs on both stores, from
days saved with agents (services.record_day), every expected figure taken from what was saved.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

import pytest

from statbotic import services
from statbotic.export import csv_day_chunks
from statbotic.importing.aggregate import DayFigures, aggregate
from statbotic.importing.mapping import load_mapping, preset
from statbotic.importing.problems import ImportRefused
from statbotic.importing.readers import Row, read_rows
from statbotic.metrics import BUILTIN
from statbotic.records import UNASSIGNED, User

DAILY = preset("statbotic-daily")
COLUMNS = ("team", "date", "agent", "comments", "solves", "chats", "wait_tenths", "csat_ratings", "csat_good")


def rows(*records: tuple) -> list[Row]:
    """Rows of a format-5 CSV: line 2 onwards, the header's columns (a blank cell: '')."""
    return [
        Row(line, {c: str(v) for c, v in zip(COLUMNS, record, strict=True)})
        for line, record in enumerate(records, start=2)
    ]


def figures_of(found: list[DayFigures]) -> dict[tuple[date, str | None], dict[str, int]]:
    return {(d.day, d.agent): d.entered for d in found}


DAY = date(2026, 10, 1)
ANA = ("default", "2026-10-01", "Ana", 30, 10, 20, 650, 10, 9)
BO = ("default", "2026-10-01", "bo", 12, 4, 5, 100, 2, 1)


def test_the_blank_agent_row_is_the_teams_and_must_equal_its_agents_sum():
    # chats 25; the wait (650 x 20 + 100 x 5) / 25 = 540 tenths; ratings 12, positive 10
    team = ("default", "2026-10-01", "", 42, 14, 25, 540, 12, 10)
    found, problems = aggregate(rows(team, ANA, BO), DAILY, BUILTIN, "stats.csv")
    assert problems == []
    figures = figures_of(found)
    assert figures[(DAY, None)] == dict(zip(COLUMNS[3:], team[3:], strict=True))
    assert figures[(DAY, "Ana")] == dict(zip(COLUMNS[3:], ANA[3:], strict=True))
    assert [(d.agent, d.lines) for d in found] == [(None, (2, 3, 4)), ("Ana", (3,)), ("bo", (4,))]


@pytest.mark.parametrize(
    "column, says, message",
    [
        ("solves", 16, "the team's row says 16 ticket solves; its agents' rows sum to 14."),
        ("csat_good", 11, "the team's row says 11 positive CSAT ratings; its agents' rows sum to 10."),
        ("wait_tenths", 541, "the team's row says 54.1 seconds (average chat wait); its agents' rows come to "
                             "54.0 seconds."),
    ],
)  # fmt: skip
def test_a_team_row_that_is_not_its_agents_sum_is_a_problem_naming_file_line_and_column(column, says, message):
    team = dict(zip(COLUMNS, ("default", "2026-10-01", "", 42, 14, 25, 540, 12, 10), strict=True))
    team[column] = says
    found, problems = aggregate(rows(ANA, tuple(team.values()), BO), DAILY, BUILTIN, "stats.csv")
    assert [p.text() for p in problems] == [f"stats.csv, line 3, column {column!r}: {message}"]
    assert all(d.agent is not None for d in found)  # that day's team figures are left out
    with pytest.raises(ImportRefused, match="line 3"):
        raise ImportRefused(problems)


def test_metrics_without_agent_rows_take_the_team_rows_figures_and_a_blank_team_cell_the_agents_sum():
    # the agents carry Intercom's figures only; the team's row types comments and solves, leaves csat_good blank
    ana = ("default", "2026-10-01", "Ana", "", "", 20, 650, 10, 9)
    unassigned = ("default", "2026-10-01", UNASSIGNED, "", "", 5, 100, 2, 1)
    team = ("default", "2026-10-01", "", 42, 14, 25, 540, 12, "")
    found, problems = aggregate(rows(team, ana, unassigned), DAILY, BUILTIN, "stats.csv")
    assert problems == []
    figures = figures_of(found)
    assert figures[(DAY, None)] == dict(
        comments=42, solves=14, chats=25, wait_tenths=540, csat_ratings=12, csat_good=10
    )
    assert figures[(DAY, UNASSIGNED)] == dict(chats=5, wait_tenths=100, csat_ratings=2, csat_good=1)


def test_a_day_of_agent_rows_without_a_team_row_is_their_sum():
    found, problems = aggregate(rows(ANA, BO), DAILY, BUILTIN, "stats.csv")
    assert problems == []
    assert figures_of(found)[(DAY, None)] == dict(
        comments=42, solves=14, chats=25, wait_tenths=540, csat_ratings=12, csat_good=10
    )


def test_a_format_4_file_without_an_agent_column_still_imports(tmp_path):
    path = tmp_path / "stats-2026-10.csv"
    path.write_text(
        "team,date,comments,solves,chats,wait_tenths,csat_ratings,csat_good,wait_tenths_total,"
        "wait_seconds.items,csat_percent.base,updated_by,updated_at\n"
        "default,2026-10-01,42,14,25,540,12,10,13500,25,12,lead,2026-10-02T09:00:00+00:00\n"
        "default,2026-10-02,7,3,,,,,,,,lead,2026-10-03T09:00:00+00:00\n",
        encoding="utf-8",
    )
    found, problems = aggregate(read_rows(path), DAILY, BUILTIN, path.name)
    assert problems == []
    assert [(d.day, d.agent, d.entered) for d in found] == [
        (DAY, None, dict(comments=42, solves=14, chats=25, wait_tenths=540, csat_ratings=12, csat_good=10)),
        (date(2026, 10, 2), None, dict(comments=7, solves=3)),
    ]


def test_without_team_rows_a_blank_agent_row_is_summed_into_the_team_as_before(tmp_path):
    mapping = tmp_path / "m.toml"
    mapping.write_text('[rows]\nkind = "daily"\ndate = "date"\nagent = "agent"\nentry_columns = true\n')
    team = ("default", "2026-10-01", "", 1, 1, 1, 10, 0, 0)  # an unassigned row, not the team's
    found, problems = aggregate(rows(ANA, team), load_mapping(mapping), BUILTIN, "stats.csv")
    assert problems == []
    assert figures_of(found)[(DAY, None)]["solves"] == 10 + 1


@pytest.mark.parametrize(
    "rows_table, message",
    [
        ('kind = "daily"\ndate = "d"\nteam_rows = "blank agent"', "needs daily rows with an agent column"),
        ('kind = "items"\ndate = "d"\nagent = "a"\nteam_rows = "blank agent"', "needs daily rows with an agent"),
        ('kind = "daily"\ndate = "d"\nagent = "a"\nteam_rows = "blank"', "'blank' is not one of none, blank agent"),
    ],
)
def test_team_rows_is_checked_when_the_mapping_is_loaded(tmp_path, rows_table, message):
    path = tmp_path / "m.toml"
    path.write_text(f'[rows]\n{rows_table}\n\n[metrics.chats]\ncolumn = "c"\naggregate = "count"\n')
    with pytest.raises(ImportRefused) as refused:
        load_mapping(path)
    assert "m.toml: key 'rows.team_rows'" in str(refused.value) and message in str(refused.value)


NOW = datetime(2026, 10, 20, tzinfo=UTC)


def test_an_export_with_agents_reads_back_to_the_stores_team_and_agents_figures(store, tmp_path):
    """Days saved with agents (random, seeded) -> csv_day_chunks -> aggregate: each day's team figures and
    each agent's are the store's to the digit."""
    lead = User("lead", "x", NOW, admin=True)
    rng = random.Random(5)
    for n in range(12):
        agents = {}
        for name in rng.sample(["Ana", "bo", "Cy Lee", UNASSIGNED], rng.randrange(0, 4)):
            chats = rng.randrange(0, 50)
            ratings = rng.randrange(0, chats + 1)
            agents[name] = dict(chats=chats, wait_tenths=rng.randrange(0, 5000), csat_ratings=ratings,
                                csat_good=rng.randrange(0, ratings + 1))  # fmt: skip
        typed = dict(comments=rng.randrange(0, 90), solves=rng.randrange(0, 30))
        if not agents:
            typed.update(chats=3, wait_tenths=rng.randrange(0, 5000), csat_ratings=2, csat_good=1)
        services.record_day(store, "default", lead, DAY + timedelta(days=n), typed, BUILTIN, agents=agents)
    path = tmp_path / "stats.csv"
    records = list(store.iter_days("default", DAY, DAY + timedelta(days=11)))
    path.write_text("".join(csv_day_chunks(records, BUILTIN)), encoding="utf-8")

    found, problems = aggregate(read_rows(path), DAILY, BUILTIN, path.name)

    assert problems == []
    expected = {}
    for record in store.iter_days("default", DAY, DAY + timedelta(days=11)):
        expected[(record.day, None)] = BUILTIN.typed_entry(record.entered)
        expected.update({(record.day, name): dict(figures) for name, figures in record.agents.items()})
    assert figures_of(found) == expected


def test_the_readmes_statbotic_daily_example_reads_as_it_says(tmp_path):
    from tests.conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("A `statbotic-daily` file", 1)[1].split("```text\n", 1)[1].split("```", 1)[0]
    assert len(block.splitlines()) == 3
    path = tmp_path / "example.csv"
    path.write_text(block, encoding="utf-8")
    found, problems = aggregate(read_rows(path), DAILY, BUILTIN, path.name)
    assert problems == []
    header, team, ana = (line.split(",") for line in block.splitlines())
    cells = dict(zip(header[3:], team[3:], strict=True))
    assert figures_of(found)[(date(2026, 11, 2), None)] == {key: int(value) for key, value in cells.items()}
    mine = {key: int(value) for key, value in zip(header[3:], ana[3:], strict=True) if value}
    assert figures_of(found)[(date(2026, 11, 2), "Ana")] == mine
