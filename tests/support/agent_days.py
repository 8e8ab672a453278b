"""Generated days of figures per agent, and the figures expected of them worked out here by plain
arithmetic on the generated integers (not by the app's roll-ups): what the agents view's tests compare.

A day's figures are by entry key, as `statbotic add` types them: comments, solves, chats, the average
wait in tenths of a second, CSAT ratings and the positive ones.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from fractions import Fraction

from statbotic.records import UNASSIGNED

AGENTS = ("Ana Lima", "Bo Chen", "Carla Souza", "Dev", "Eve Okafor")


def generate(seed: int, first: date, days: int, agents=AGENTS, unassigned: bool = True) -> dict[date, dict]:
    """``days`` days from ``first``: each agent works about four days in five (someone every day), and
    imported rows naming no agent (UNASSIGNED) come on some days."""
    rng = random.Random(seed)
    generated = {}
    for offset in range(days):
        working = [name for name in agents if rng.random() < 0.8] or [agents[offset % len(agents)]]
        if unassigned and rng.random() < 0.5:
            working.append(UNASSIGNED)
        generated[first + timedelta(days=offset)] = {name: figures(rng) for name in working}
    return generated


def figures(rng: random.Random) -> dict[str, int]:
    chats = rng.randint(0, 40)
    ratings = rng.randint(0, chats // 2)
    return {
        "comments": rng.randint(0, 60),
        "solves": rng.randint(0, 30),
        "chats": chats,
        "wait_tenths": rng.randint(50, 1800) if chats else 0,
        "csat_ratings": ratings,
        "csat_good": rng.randint(0, ratings),
    }


def of_agent(days: Mapping[date, Mapping[str, Mapping[str, int]]], agent: str) -> list[Mapping[str, int]]:
    """The agent's figures of each day they have some."""
    return [by_agent[agent] for by_agent in days.values() if agent in by_agent]


def expected(days_figures: Iterable[Mapping[str, int]]) -> dict[str, tuple[Fraction | None, int, int | None]]:
    """Each built-in metric over these days: (value, numerator, denominator) -- a count's sum (no
    denominator); the wait as the sum of wait x chats over the chats, in seconds; CSAT as 100 x positive
    over ratings; comments per solve as comments over solves (None where the denominator is 0)."""
    rows = list(days_figures)

    def total(key: str) -> int:
        return sum(row[key] for row in rows)

    comments, solves, chats = total("comments"), total("solves"), total("chats")
    waited = sum(row["wait_tenths"] * row["chats"] for row in rows)
    ratings, good = total("csat_ratings"), total("csat_good")
    return {
        "comments": (Fraction(comments) if rows else None, comments, None),
        "solves": (Fraction(solves) if rows else None, solves, None),
        "chats": (Fraction(chats) if rows else None, chats, None),
        "wait_seconds": (Fraction(waited, 10 * chats) if chats else None, waited, chats),
        "csat_percent": (100 * Fraction(good, ratings) if ratings else None, good, ratings),
        "comments_per_solve": (Fraction(comments, solves) if solves else None, comments, solves),
    }


def every_row(days: Mapping[date, Mapping[str, Mapping[str, int]]]) -> list[Mapping[str, int]]:
    """Every agent's figures of every day (what the team's days add up to)."""
    return [figures for by_agent in days.values() for figures in by_agent.values()]


def names(days: Mapping[date, Mapping[str, Mapping[str, int]]]) -> list[str]:
    return sorted({name for by_agent in days.values() for name in by_agent})


def record(store, team: str, user, days: Mapping[date, Mapping[str, Mapping[str, int]]]) -> None:
    """Save each day with its agents' figures, as an import does (services.record_day)."""
    from statbotic import services

    metrics = services.team_metrics(store, team)
    for day, by_agent in days.items():
        services.record_day(store, team, user, day, {}, metrics, agents=by_agent)
