"""Every store's figures agree to the digit with an independent reference, on random days and ranges.

Hypothesis draws days as the app stores them (integers: zeros, maxima, and small counts whose ratios end
in exactly .5 at the decimals shown), writes them through a fresh store's ``upsert_days`` and then checks
several random ranges per example -- each with the period before it, as View compares them -- against a
reference written here from first principles: integer sums over the drawn days, ``Fraction`` division
and half-up rounding in integer arithmetic (never ``statbotic.exact``).  It runs on every backend, so the
stores agree with each other too.  Checked: the store's sums and dates, the summary's exact figures, the
missing dates, each day's own figures and targets, the texts shown and the numbers exported (JSON summary,
summary CSV).
"""

from __future__ import annotations

import csv
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from fractions import Fraction

import pytest
from hypothesis import example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from statbotic import services
from statbotic.config import Settings
from statbotic.export import csv_summary_chunks, summary_document
from statbotic.periods import Period
from statbotic.records import VIEWER, DayRecord, User
from statbotic.reports import build_report
from statbotic.storage import open_store
from statbotic.ui.render import fmt_value, per_day_text
from tests.conftest import BACKENDS, database_uri

TEAM = "support"
NOW = datetime(2028, 3, 1, 12, 0, tzinfo=UTC)
READER = User("reader", "-", NOW, teams={TEAM: VIEWER})  # a viewer reads what a lead would
FIRST = date(2028, 2, 10)  # the drawn days cross the end of a leap February
WINDOW = 40  # days that may hold data: FIRST .. FIRST + 39
ENTERED_KEYS = ("comments", "solves", "chats", "wait_tenths", "csat_ratings", "csat_good")
MAX_COUNT = 1_000_000
MAX_WAIT_TENTHS = 864_000
EXPORT_PLACES = 4
EXAMPLES = 100
RANGES_PER_EXAMPLE = (3, 6)

# The reference's own definition of the figures: (key, numerator, denominator, scale, decimals shown, unit).
# A denominator of None: a total, also shown per day with data (1 decimal).
REFERENCE_FIGURES = (
    ("comments", "comments", None, 1, 0, ""),
    ("solves", "solves", None, 1, 0, ""),
    ("chats", "chats", None, 1, 0, ""),
    ("wait_seconds", "wait_tenths_total", "chats", Fraction(1, 10), 1, " s"),
    ("csat_percent", "csat_good", "csat_ratings", 100, 1, " %"),
    ("comments_per_solve", "comments", "solves", 1, 2, ""),
)
SHOWN = {key: (places, unit) for key, *_, places, unit in REFERENCE_FIGURES}
PER_DAY_PLACES = 1
TARGETS = {"csat_percent": (Fraction(95), "at least"), "comments_per_solve": (Fraction(2), "at most")}


# --- the reference -------------------------------------------------------------------------------------


def half_up(value: Fraction, places: int) -> int:
    """value x 10^places rounded half up, for value >= 0: (2n + d) // 2d on the scaled fraction."""
    n, d = value.numerator * 10**places, value.denominator
    return (2 * n + d) // (2 * d)


def half_up_text(value: Fraction, places: int, grouped: bool = True) -> str:
    scaled = half_up(value, places)
    whole, part = divmod(scaled, 10**places)
    text = f"{whole:,}" if grouped else str(whole)
    return f"{text}.{part:0{places}d}" if places else text


def is_tie(value: Fraction, places: int) -> bool:
    """value sits exactly halfway between two numbers of ``places`` decimals."""
    return (value * 10**places).denominator == 2


def sums_of(entries) -> dict[str, int]:
    entries = list(entries)
    return {
        "comments": sum(e["comments"] for e in entries),
        "solves": sum(e["solves"] for e in entries),
        "chats": sum(e["chats"] for e in entries),
        "wait_tenths_total": sum(e["wait_tenths"] * e["chats"] for e in entries),
        "csat_ratings": sum(e["csat_ratings"] for e in entries),
        "csat_good": sum(e["csat_good"] for e in entries),
        # Every built-in day has a wait and CSAT: their bases are the chats and ratings of the same days.
        "wait_seconds.items": sum(e["chats"] for e in entries),
        "csat_percent.base": sum(e["csat_ratings"] for e in entries),
    }


@dataclass
class Expected:
    value: Fraction | None
    per_day: Fraction | None
    numerator: int
    denominator: int  # the days with data for a total


def expected_figures(sums: dict[str, int], days: int) -> dict[str, Expected]:
    figures = {}
    for key, numerator, denominator, scale, _, _ in REFERENCE_FIGURES:
        top = sums[numerator]
        if denominator is None:
            value = Fraction(top) if days else None
            figures[key] = Expected(value, Fraction(top, days) if days else None, top, days)
        else:
            bottom = sums[denominator]
            figures[key] = Expected(Fraction(top * scale) / bottom if bottom else None, None, top, bottom)
    return figures


def shown(key: str, value: Fraction | None) -> str:
    if value is None:
        return "n/a"
    places, unit = SHOWN[key]
    return half_up_text(value, places) + unit


def exported_text(value: Fraction | None) -> str:
    """An exported figure as text: integers whole, ratios half up to 4 decimals; '' for none."""
    if value is None:
        return ""
    if value.denominator == 1:
        return str(value.numerator)
    return half_up_text(value, EXPORT_PLACES, grouped=False)


def meets(key: str, value: Fraction) -> bool:
    target, direction = TARGETS[key]
    return value >= target if direction == "at least" else value <= target


# --- the data ------------------------------------------------------------------------------------------

# Small counts whose ratios tie at the decimals shown or exported: 1/8 = 0.125, 100 x 1/16 = 6.25 %,
# 1/32 = 0.03125, 100 x 1/128 = 0.78125 %...
TIE_FRIENDLY = (0, 1, 2, 3, 4, 5, 8, 16, 20, 32, 40, 64, 80, 128, 160)
counts = st.one_of(st.sampled_from(TIE_FRIENDLY), st.integers(0, 2_000), st.sampled_from((MAX_COUNT - 1, MAX_COUNT)))
waits = st.one_of(st.sampled_from((0, 1, 5, 15, 25, MAX_WAIT_TENTHS)), st.integers(0, MAX_WAIT_TENTHS))


@st.composite
def entries(draw) -> dict[str, int]:
    ratings = draw(counts)
    # Never more positive ratings than ratings: a store refuses such a day (metric_kinds.check_day).
    ties = st.sampled_from((0, min(1, ratings), ratings // 8, ratings // 2, ratings))
    good = draw(st.one_of(ties, st.integers(0, ratings)))
    return {
        "comments": draw(counts),
        "solves": draw(counts),
        "chats": draw(counts),
        "wait_tenths": draw(waits),
        "csat_ratings": ratings,
        "csat_good": good,
    }


offsets = st.integers(0, WINDOW - 1)
# Sparse stretches and dense ones (each day of the window present or missing).
days_drawn = st.one_of(
    st.dictionaries(offsets, entries(), max_size=WINDOW),
    st.lists(st.one_of(st.none(), entries()), min_size=WINDOW, max_size=WINDOW).map(
        lambda drawn: {offset: entered for offset, entered in enumerate(drawn) if entered is not None}
    ),
)
lengths = st.one_of(st.integers(1, 10), st.integers(1, WINDOW + 5))
# Ranges may start before and end after the window (days missing at the edges) or hold no data at all.
ranges_drawn = st.lists(
    st.tuples(st.integers(-5, WINDOW + 2), lengths),
    min_size=RANGES_PER_EXAMPLE[0],
    max_size=RANGES_PER_EXAMPLE[1],
)


def entered(**figures: int) -> dict[str, int]:
    """A day's entered figures, zero unless given."""
    return {key: figures.get(key, 0) for key in ENTERED_KEYS}


# Named ties, checked besides the drawn examples: CSAT 1 of 16 = 6.25 % shows 6.3 %, 1 of 8 12.5 %, 2 of 8
# 25.0 %, 1 of 128 = 0.78125 % exports 0.7813; 1 comment per 8 solves shows 0.13, per 32 exports 0.0313; a
# wait of 1 tenth over 2 chats shows 0.1 s, over 16 chats exports 0.0063; 3 comments over 4 days: 0.8 a day.
TIES = {
    0: entered(chats=1, wait_tenths=1, csat_ratings=16, csat_good=1),
    1: entered(comments=1, solves=8, chats=1, csat_ratings=8, csat_good=1),
    2: entered(comments=1, csat_ratings=8, csat_good=2),
    3: entered(comments=1, solves=32, chats=15, csat_ratings=128, csat_good=1),
    4: entered(chats=1, wait_tenths=1),
    6: entered(**{key: MAX_COUNT for key in ENTERED_KEYS}) | {"wait_tenths": MAX_WAIT_TENTHS},
    7: entered(),
}
TIE_RANGES = [(0, 1), (1, 1), (2, 1), (3, 1), (0, 2), (0, 4), (3, 2), (-2, 12), (6, 2)]
STALE = {2: entered(comments=7, solves=7, chats=7, wait_tenths=7, csat_ratings=7, csat_good=7)}


def record(offset: int, entered: dict[str, int], by: str = "alice") -> DayRecord:
    return DayRecord(TEAM, FIRST + timedelta(days=offset), entered, by, NOW)


# --- the check -----------------------------------------------------------------------------------------


class Tally:
    """What the examples covered, checked after the run so the test proves it saw ties and gaps."""

    def __init__(self) -> None:
        self.ranges = self.with_data = self.with_gaps = self.ties_shown = self.ties_exported = 0


def check_summary(
    summary, data: dict[date, dict[str, int]], start: date, end: date, tally: Tally
) -> dict[str, Expected]:
    """The summary of start..end against the reference; returns the reference's figures."""
    in_range = {day: entered for day, entered in data.items() if start <= day <= end}
    days = len(in_range)
    sums = sums_of(in_range.values())
    expected = expected_figures(sums, days)
    span = [start + timedelta(days=n) for n in range((end - start).days + 1)]
    missing = [day for day in span if day not in in_range]

    assert summary.sums == sums and all(type(v) is int for v in summary.sums.values())
    assert (summary.days_in_range, summary.days_with_data) == (len(span), days)
    assert list(summary.missing) == missing
    document = summary_document(summary)
    assert document["missing_dates"] == [day.isoformat() for day in missing]
    assert (document["days_in_range"], document["days_with_data"], document["sums"]) == (len(span), days, sums)
    alone = build_report(summary, summary, (), {})  # the summary CSV's figure columns need only the summary
    rows = {row["metric"]: row for row in csv.DictReader("".join(csv_summary_chunks(alone)).splitlines())}

    for key, want in expected.items():
        figure = summary.figure(key)
        where = (key, start, end)
        assert (figure.value, figure.numerator) == (want.value, want.numerator), where
        assert fmt_value(figure.metric, figure.value) == shown(key, want.value), where
        exported = document["figures"][key]
        assert exported["numerator"]["sum"] == want.numerator and exported["denominator"]["sum"] == want.denominator
        assert_exported(exported["value"], rows[key]["value"], want.value, where)
        if figure.metric.is_total:
            assert figure.per_day == want.per_day, where
            if want.per_day is not None:
                assert per_day_text(figure) == half_up_text(want.per_day, PER_DAY_PLACES), where
            assert_exported(exported["per_day"], rows[key]["per_day"], want.per_day, where)
            tally.ties_shown += want.per_day is not None and is_tie(want.per_day, PER_DAY_PLACES)
        else:
            assert figure.denominator == want.denominator, where
        if want.value is not None:
            tally.ties_shown += is_tie(want.value, SHOWN[key][0])
            tally.ties_exported += is_tie(want.value, EXPORT_PLACES)
    tally.ranges += 1
    tally.with_data += days > 0
    tally.with_gaps += days > 0 and bool(missing)
    return expected


def assert_exported(in_json, in_csv: str, want: Fraction | None, where) -> None:
    text = exported_text(want)
    if want is None:
        assert in_json is None and in_csv == "", where
        return
    assert Fraction(in_csv) == Fraction(text), where  # the same digits: 12.5 is written for 12.5000
    if want.denominator == 1:
        assert in_csv == text and type(in_json) is int and in_json == want, where
    else:
        assert Fraction(repr(in_json)) == Fraction(text), where  # the float prints exactly those digits


def check_report(store, data: dict[date, dict[str, int]], start: date, end: date, tally: Tally) -> None:
    period = Period(start, end)
    defaults = {key: target for key, (target, _) in TARGETS.items()}
    report = services.view_report(store, TEAM, period, defaults, user=READER)
    whole = check_summary(report.summary, data, start, end, tally)
    before = period.previous()
    check_summary(report.previous, data, before.start, before.end, tally)

    # Each day is judged by its own figure: one day's sums over one day with data.
    own = {day: expected_figures(sums_of([data[day]]), 1) for day in sorted(data) if start <= day <= end}
    assert [(record.day, dict(record.entered)) for record, _ in report.daily] == [(d, data[d]) for d in own]
    for record, figures in report.daily:
        for key, figure in figures.items():
            want = own[record.day][key].value
            assert (figure.value, fmt_value(figure.metric, figure.value)) == (want, shown(key, want)), record.day
    for key, check in report.targets.items():
        judged = [figures[key].value for figures in own.values() if figures[key].value is not None]
        assert check.met == (None if whole[key].value is None else meets(key, whole[key].value)), (key, start, end)
        assert (check.days_met, check.days_judged) == (sum(meets(key, v) for v in judged), len(judged))


def fresh_store(backend: str, request, folder):
    """A new, empty store of this backend: a SQLite file in its own folder, or a new MongoDB database."""
    name = f"statbotic_prop_{uuid.uuid4().hex[:12]}"
    uri = database_uri(request.getfixturevalue("mongo_server_uri"), name) if backend == "mongo" else None
    return open_store(Settings(data_dir=folder / name, mongodb_uri=uri))


# Passing takes seconds; a failure's shrinking (one bug at a time, a fresh store per attempt) can take a
# couple of minutes on FerretDB, and Hypothesis stops shrinking at 300 s: more than the default timeout.
@pytest.mark.timeout(600)
@pytest.mark.parametrize("backend", BACKENDS)
def test_figures_match_an_independent_reference_on_random_ranges(backend, request, tmp_path):
    tally = Tally()

    @hypothesis_settings(
        max_examples=EXAMPLES, deadline=None, derandomize=True, database=None, report_multiple_bugs=False
    )
    @given(days=days_drawn, reentered=days_drawn, ranges=ranges_drawn)
    @example(days=TIES | STALE, reentered={2: TIES[2]}, ranges=TIE_RANGES)
    def check(days, reentered, ranges):
        store = fresh_store(backend, request, tmp_path)
        try:
            # Days entered, then some entered again: a re-entered day counts once, with its latest figures.
            store.upsert_days(record(offset, entered, "first") for offset, entered in days.items())
            final = {offset: entered for offset, entered in reentered.items() if offset in days}
            store.upsert_days(record(offset, entered) for offset, entered in final.items())
            data = {FIRST + timedelta(days=offset): final.get(offset, entered) for offset, entered in days.items()}
            for offset, length in ranges:
                start = FIRST + timedelta(days=offset)
                check_report(store, data, start, start + timedelta(days=length - 1), tally)
        finally:
            store.close()

    check()
    # Hundreds of ranges, with ties at the decimals shown or exported, gaps, and ranges with no data.
    assert tally.ranges >= 300 and tally.with_data >= 200 and tally.with_gaps >= 100, vars(tally)
    assert tally.ties_shown >= 30 and tally.ties_exported >= 5, vars(tally)


@pytest.mark.parametrize(
    "value,places,text",
    [
        (Fraction(625, 100), 1, "6.3"),
        (Fraction(25), 1, "25.0"),
        (Fraction(1, 8), 2, "0.13"),
        (Fraction(1, 32), 4, "0.0313"),
        (Fraction(2, 3), 0, "1"),
        (Fraction(0), 2, "0.00"),
        (Fraction(1234567, 2), 1, "617,283.5"),
        (Fraction(86_400), 1, "86,400.0"),
    ],
)
def test_the_reference_rounds_half_up(value, places, text):
    assert half_up_text(value, places) == text
