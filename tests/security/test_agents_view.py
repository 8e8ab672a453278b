"""Figures per agent are for the team's leads: a viewer linked to an agent sees only that agent's row
beside the team's total (by password, by token, in the menus), a viewer not linked sees none, and a
lead of another team is refused -- no other agent's name or figures appear anywhere."""

import json
from datetime import date

import pytest

from statbotic import services
from statbotic.records import UNASSIGNED
from tests.security.conftest import NOW, A, B, snapshot
from tests.transcript import EXIT, log_in_as, menu, period, play

AGENT_DAY = "2026-11-05"
A_AGENTS = {  # figures no other number in the store equals, so a leak is caught by a plain search
    "Ada Quill": dict(comments=71, solves=37, chats=83, wait_tenths=419, csat_ratings=29, csat_good=23),
    "Ben Stroud": dict(comments=67, solves=53, chats=79, wait_tenths=613, csat_ratings=41, csat_good=39),
    UNASSIGNED: dict(comments=3, solves=2, chats=1, wait_tenths=70, csat_ratings=0, csat_good=0),
}
B_AGENTS = {"Bea Secret": dict(comments=881, solves=443, chats=617, wait_tenths=901, csat_ratings=211, csat_good=199)}
OTHERS = ("Ben Stroud", "Bea Secret", "881", "443", "617")  # what vic must never see


@pytest.fixture
def agents(world, store):
    """A day of agent rows in each team."""
    for team, lead, rows in ((A, "ann", A_AGENTS), (B, "bob", B_AGENTS)):
        user = store.get_user(lead)
        services.record_day(store, team, user, date.fromisoformat(AGENT_DAY), {}, agents=rows)
    return world


@pytest.fixture
def linked(agents, store):
    """vic, a viewer of A, linked to the agent Ada Quill by an admin."""
    store.update_user("vic", by="root", at=NOW, agent="Ada Quill")
    return agents


def assert_only_ada(text: str) -> None:
    """Ada's row and the team's total only: no other agent's name, no row of theirs, nothing of team B."""
    assert "Ada Quill" in text
    for mark in OTHERS:
        assert mark not in text, mark
    rows = [line.split("│")[1].strip() for line in text.splitlines() if line.startswith("│ ")]
    assert rows == ["Agent", "Ada Quill (you)", "Team total"], rows


def test_a_linked_viewer_by_token_sees_only_their_own_row_in_json(attacker, linked):
    status, out, _ = attacker.with_token(linked["vic"]).run("view", AGENT_DAY, "--by", "agent", "--json")
    document = json.loads(out)
    assert status == 0 and document["scope"] == "own" and document["ranked_by"] is None
    assert [(a["agent"], a["rank"], a["own"]) for a in document["agents"]] == [("Ada Quill", None, True)]
    assert document["agents"][0]["metrics"]["solves"]["value"] == 37
    assert document["team_total"]["metrics"]["solves"]["value"] == 37 + 53 + 2
    assert "Ada Quill" in out
    for mark in OTHERS:
        assert mark not in out, mark
    assert "Ben Stroud" not in out and "Bea Secret" not in out


@pytest.mark.parametrize("rank", [[], ["--rank", "csat"]], ids=["default", "ranked"])
def test_a_linked_viewer_by_password_sees_only_their_own_row_in_text(attacker, linked, rank):
    status, out, _ = attacker.as_user("vic").run("view", AGENT_DAY, "--by", "agent", *rank)
    assert status == 0 and "My stats for" in out and "Ada Quill (you)" in out and "Team total" in out
    assert "Ranked by" not in out
    assert_only_ada(out)


def test_a_viewer_not_linked_is_refused_and_told_how_to_be_linked(attacker, agents):
    message = attacker.with_token(agents["vic"]).refused("view", AGENT_DAY, "--by", "agent")
    assert message == (
        "vic is not linked to an agent, so there are no figures of yours to show: ask an admin to link you"
        ' (statbotic users edit vic --agent "Your Name").'
    )


@pytest.mark.parametrize("json_flag", [[], ["--json"]], ids=["text", "json"])
def test_a_lead_of_another_team_is_refused(attacker, agents, json_flag):
    message = attacker.as_user("bob").refused("view", AGENT_DAY, "--by", "agent", "--team", A, *json_flag)
    assert message == "bob is not in team alpha: ask an admin to add you to it."


def test_a_disabled_users_token_is_refused(attacker, agents):
    attacker.with_token(agents["dis"]).refused("view", AGENT_DAY, "--by", "agent")


def test_the_lead_of_the_team_sees_every_agent(attacker, agents):
    status, out, _ = attacker.with_token(agents["ann"]).run("view", AGENT_DAY, "--by", "agent", "--json")
    document = json.loads(out)
    assert status == 0 and document["scope"] == "every"
    assert [a["agent"] for a in document["agents"]] == ["Ben Stroud", "Ada Quill", UNASSIGNED]
    assert "Bea Secret" not in out


def test_in_the_menus_a_linked_viewer_sees_only_my_stats(linked, store, menu_settings):
    before = snapshot(store)
    console = play(store, menu_settings, log_in_as("vic"), menu("12"), period(AGENT_DAY, "0"), EXIT)
    text = console.text
    assert "  12  My stats" in text and "Ada Quill (you)" in text
    assert_only_ada(text)
    assert snapshot(store) == before
