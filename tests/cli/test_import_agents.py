"""`statbotic import` of files with an agent column, on both stores: per-agent figures stored beside the
team's (the team exactly their sum), Zendesk and Intercom files filling the same days, idempotence, a
corrected file replacing what it brought, typed totals against agent rows, and the source of every
imported day in the audit trail.

The files are generated with a seeded random generator; every expected figure is worked out here from
the generated rows, independently of the app's aggregation.
"""

import hashlib
import json
import random
from datetime import UTC, date, datetime
from fractions import Fraction

from statbotic.exact import round_half_up
from statbotic.records import UNASSIGNED
from tests.cli.conftest import DAY, snapshot
from tests.cli.test_import import ok, run, write

AGENTS = ("Ana Lima", "Bo.Chen", "")  # "" : no assignee; "." in a name (MongoDB keys can't hold it)
DAYS = [date(2026, 10, day) for day in range(1, 8)]
TICKETS = "tickets.csv"
ZENDESK = ("--preset", "zendesk-tickets", "--team", "billing")
INTERCOM = ("--preset", "intercom-conversations", "--team", "billing")


def tickets(seed: int = 7, per_day: int = 40) -> list[dict]:
    rng = random.Random(seed)
    rows = []
    for day in DAYS:
        for _n in range(per_day):
            solved = datetime(day.year, day.month, day.day, rng.randrange(24), rng.randrange(60), tzinfo=UTC)
            status = rng.choice(("solved", "solved", "closed", "open"))
            rows.append(
                {"id": len(rows) + 1, "solved_at": solved, "status": status, "agent": rng.choice(AGENTS),
                 "replies": rng.randrange(0, 9)}
            )  # fmt: skip
    return rows


def tickets_csv(rows: list[dict]) -> str:
    lines = ["id,metric_set.solved_at,status,assignee_id,metric_set.replies"]
    for row in rows:
        moment = row["solved_at"].strftime("%Y-%m-%dT%H:%M:%SZ")
        lines.append(f"{row['id']},{moment},{row['status']},{row['agent']},{row['replies']}")
    return "\r\n".join(lines) + "\r\n"


def conversations(seed: int = 11, per_day: int = 30) -> list[dict]:
    rng = random.Random(seed)
    rows = []
    for day in DAYS:
        for _ in range(per_day):
            moment = datetime(day.year, day.month, day.day, rng.randrange(24), rng.randrange(60), tzinfo=UTC)
            rating = rng.choice((None, None, 1, 2, 3, 4, 5, 5))
            rows.append(
                {"created_at": int(moment.timestamp()), "admin_assignee_id": rng.choice(AGENTS) or None,
                 "statistics": {"time_to_admin_reply": rng.randrange(5, 900)},
                 "conversation_rating": {"rating": rating} if rating else None}
            )  # fmt: skip
    return rows


def expected_tickets(rows: list[dict]) -> dict:
    """(day, agent) -> {solves, comments}, agent "" for the team; UNASSIGNED for rows without one."""
    found: dict = {}
    for row in rows:
        if row["status"] not in ("solved", "closed"):
            continue
        day = row["solved_at"].date()
        for who in ("", row["agent"] or UNASSIGNED):
            figures = found.setdefault((day, who), {"solves": 0, "comments": 0})
            figures["solves"] += 1
            figures["comments"] += row["replies"]
    return found


def expected_conversations(rows: list[dict]) -> dict:
    """(day, agent) -> {chats, wait_tenths, csat_ratings, csat_good}: an agent's wait is its own mean,
    the team's the chats-weighted mean of its agents' (how the store keeps a day made of agent rows)."""
    raw: dict = {}
    for row in rows:
        day = datetime.fromtimestamp(row["created_at"], UTC).date()
        agent = row["admin_assignee_id"] or UNASSIGNED
        figures = raw.setdefault((day, agent), {"chats": 0, "seconds": 0, "csat_ratings": 0, "csat_good": 0})
        rating = (row["conversation_rating"] or {}).get("rating")
        figures["chats"] += 1
        figures["seconds"] += row["statistics"]["time_to_admin_reply"]
        figures["csat_ratings"] += rating is not None
        figures["csat_good"] += rating is not None and rating >= 4
    found: dict = {}
    for (day, agent), figures in raw.items():
        wait = int(round_half_up(Fraction(figures.pop("seconds") * 10, figures["chats"])))
        found[(day, agent)] = {**figures, "wait_tenths": wait}
        team = found.setdefault((day, ""), {"chats": 0, "wait_total": 0, "csat_ratings": 0, "csat_good": 0})
        team["chats"] += figures["chats"]
        team["wait_total"] += wait * figures["chats"]
        team["csat_ratings"] += figures["csat_ratings"]
        team["csat_good"] += figures["csat_good"]
    for (_day, agent), figures in found.items():
        if agent == "":
            figures["wait_tenths"] = int(round_half_up(Fraction(figures.pop("wait_total"), figures["chats"])))
    return found


def test_a_ticket_and_a_conversation_export_fill_the_same_days_per_agent(org, store, capsys, tmp_path):
    ticket_rows, chat_rows = tickets(), conversations()
    ok(capsys, "import", write(tmp_path, TICKETS, tickets_csv(ticket_rows)), *ZENDESK)
    page = write(tmp_path, "page.json", json.dumps({"type": "conversation.list", "conversations": chat_rows}))
    out = ok(capsys, "import", page, *INTERCOM)
    assert "with figures of 3 agents" in out

    expected = expected_tickets(ticket_rows)
    for (day, agent), figures in expected_conversations(chat_rows).items():
        expected.setdefault((day, agent), {}).update(figures)
    for day in DAYS:
        record = store.get_day("billing", day)
        assert dict(record.entered) == expected[(day, "")], day
        assert {name: dict(figures) for name, figures in record.agents.items()} == {
            agent: figures for (when, agent), figures in expected.items() if when == day and agent
        }
        assert set(record.sources) == {"preset zendesk-tickets", "preset intercom-conversations"}

    # over the range, the agents' sums are the team's to the digit
    team = store.range_totals("billing", DAYS[0], DAYS[-1])
    agents = store.agent_range_totals("billing", DAYS[0], DAYS[-1])
    assert set(agents) == {"Ana Lima", "Bo.Chen", UNASSIGNED}
    for key, total in team.sums.items():
        assert sum(a.sums.get(key, 0) for a in agents.values()) == total, key


def test_importing_again_changes_nothing_and_a_corrected_file_replaces_what_it_brought(org, store, capsys, tmp_path):
    rows = tickets()
    path = write(tmp_path, TICKETS, tickets_csv(rows))
    assert "7 saved" in ok(capsys, "import", path, *ZENDESK)
    before = snapshot(store)
    assert "0 saved, 7 unchanged" in ok(capsys, "import", path, *ZENDESK)
    assert snapshot(store) == before

    fixed = next(row for row in rows if row["status"] == "solved" and row["agent"] == "Ana Lima")
    fixed["replies"] += 5  # the helpdesk's export, corrected: no question, no --on-conflict needed
    out = ok(capsys, "import", write(tmp_path, TICKETS, tickets_csv(rows)), *ZENDESK)
    assert "1 saved, 6 unchanged (1 corrected from an earlier import of preset zendesk-tickets)" in out
    day = fixed["solved_at"].date()
    record = store.get_day("billing", day)
    assert record.agents["Ana Lima"]["comments"] == expected_tickets(rows)[(day, "Ana Lima")]["comments"]
    assert record.entered["comments"] == expected_tickets(rows)[(day, "")]["comments"]


def test_a_typed_day_and_the_agents_sum_are_a_conflict_settled_by_the_lead(org, store, capsys, tmp_path):
    rows = [row for row in tickets() if row["status"] != "open"][:6]
    for n, row in enumerate(rows):  # six solved tickets on DAY, the day billing typed
        row["solved_at"] = datetime.fromisoformat(f"{DAY}T0{n}:00:00+00:00")
    path = write(tmp_path, TICKETS, tickets_csv(rows))
    before = snapshot(store)
    status, out, err = run(capsys, "import", path, *ZENDESK)
    assert status == 1 and "nothing was written" in err
    assert "the typed totals become the sum of" in out  # the typed and the agents' figures side by side
    assert snapshot(store) == before

    ok(capsys, "import", path, *ZENDESK, "--on-conflict", "replace")
    record = store.get_day("billing", date.fromisoformat(DAY))
    assert record.entered["solves"] == 6 == sum(figures["solves"] for figures in record.agents.values())
    assert record.entered["chats"] == 120  # the figures the file doesn't carry stay as typed


def test_every_imported_day_records_its_source_in_the_audit_trail(org, store, capsys, tmp_path):
    text = tickets_csv(tickets())
    ok(capsys, "import", write(tmp_path, TICKETS, text), *ZENDESK)
    entry = store.day_history("billing", DAYS[0])[-1]
    assert entry.actor == "lead" and entry.action == "day added"
    source = entry.after["sources"]["preset zendesk-tickets"]
    assert source["files"] == TICKETS and source["sha256"] == hashlib.sha256(text.encode()).hexdigest()
    assert source["rows"] == expected_tickets(tickets())[(DAYS[0], "")]["solves"]
    assert set(entry.after["agents"]) == {"Ana Lima", "Bo.Chen", UNASSIGNED}


def names_mapping(tmp_path, *names: tuple[str, str]) -> str:
    """The zendesk-tickets preset as a mapping of one's own, with [agents] naming the assignee IDs."""
    from statbotic.importing.mapping import PRESET_FOLDER

    text = (PRESET_FOLDER / "zendesk-tickets.toml").read_text(encoding="utf-8")
    text += "\n[agents]\n" + "".join(f'"{agent_id}" = "{name}"\n' for agent_id, name in names)
    return write(tmp_path, "tickets.toml", text)


def numbered(rows: list[dict], ids: dict[str, str]) -> list[dict]:
    return [{**row, "agent": ids.get(row["agent"], row["agent"])} for row in rows]


def test_the_mappings_agents_name_the_ids_and_two_ids_of_one_name_are_one_agent(org, store, capsys, tmp_path):
    rows = numbered(tickets(), {"Ana Lima": "101", "Bo.Chen": "202"})
    for row in rows[::5]:
        if row["agent"] == "101":
            row["agent"] = "103"  # Ana's second helpdesk account
    mapping = names_mapping(tmp_path, ("101", "Ana Lima"), ("103", "Ana Lima"), ("202", "Bo Chen"))
    ok(capsys, "import", write(tmp_path, TICKETS, tickets_csv(rows)), "--mapping", mapping, "--team", "billing")
    expected = expected_tickets(numbered(rows, {"101": "Ana Lima", "103": "Ana Lima", "202": "Bo Chen"}))
    for day in DAYS:
        agents = {name: dict(figures) for name, figures in store.get_day("billing", day).agents.items()}
        assert agents == {agent: figures for (when, agent), figures in expected.items() if when == day and agent}


def test_an_unknown_agent_is_refused_with_its_line_unless_the_fine_rows_are_accepted(org, store, capsys, tmp_path):
    rows = numbered(tickets(), {"Ana Lima": "101", "Bo.Chen": "202"})
    path = write(tmp_path, TICKETS, tickets_csv(rows))
    mapping = names_mapping(tmp_path, ("101", "Ana Lima"))
    first = 2 + next(n for n, row in enumerate(rows) if row["agent"] == "202" and row["status"] != "open")
    before = snapshot(store)
    status, _, err = run(capsys, "import", path, "--mapping", mapping, "--team", "billing")
    assert status == 1
    assert f"tickets.csv, line {first}, column 'assignee_id': agent '202' is not in the mapping's [agents]" in err
    assert snapshot(store) == before

    out = ok(capsys, "import", path, "--mapping", mapping, "--team", "billing", "--skip-bad-rows")
    assert "7 saved" in out
    # Bo's tickets are left out, of the agents and of the team: the team is the sum of its agents' rows
    expected = expected_tickets([row for row in rows if row["agent"] != "202"])
    for day in DAYS:
        record = store.get_day("billing", day)
        assert set(record.agents) <= {"Ana Lima", UNASSIGNED}
        assert record.entered["solves"] == expected[(day, "")]["solves"]
