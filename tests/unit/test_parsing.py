from datetime import date
from fractions import Fraction

import pytest

from statbotic.errors import InvalidInput
from statbotic.metrics import ENTRY_FIELDS
from statbotic.parsing import (
    parse_date,
    parse_extra_days,
    parse_field,
    parse_past_date,
    parse_yes_no,
    typed_percents,
)

TODAY = date(2026, 11, 26)
FIELD = {f.key: f for f in ENTRY_FIELDS}


@pytest.mark.parametrize(
    "text,expected",
    [
        ("2026-11-25", date(2026, 11, 25)),
        (" 2024-02-29 ", date(2024, 2, 29)),
        ("today", TODAY),
        ("TODAY", TODAY),
        ("yesterday", date(2026, 11, 25)),
        ("2000-01-01", date(2000, 1, 1)),
    ],
)
def test_good_dates(text, expected):
    assert parse_date(text, TODAY) == expected


@pytest.mark.parametrize(
    "text,message",
    [
        ("", "enter a date"),
        ("2026-02-30", "not a real date"),
        ("2025-02-29", "not a real date"),
        ("26-11-25", "not a date"),
        ("25/11/2026", "not a date"),
        ("20261125", "not a date"),
        ("tomorrow", "not a date"),
        ("1999-12-31", "Dates from 2000-01-01 to 2999-12-31"),
        ("3000-01-01", "Dates from 2000-01-01 to 2999-12-31"),
        ("2026-13-01", "not a real date"),
    ],
)
def test_bad_dates(text, message):
    with pytest.raises(InvalidInput, match=message):
        parse_date(text, TODAY)


def test_figures_cannot_be_entered_for_the_future():
    with pytest.raises(InvalidInput, match="future"):
        parse_past_date("2026-11-27", TODAY)
    assert parse_past_date("today", TODAY) == TODAY


RATINGS = {"csat_ratings": 38}


@pytest.mark.parametrize(
    "key,text,expected",
    [
        ("comments", "0", 0),
        ("comments", "1,234", 1234),
        ("solves", " 17 ", 17),
        ("chats", "1000000", 1_000_000),
        ("csat_ratings", "52", 52),
        ("wait_tenths", "12.5", 125),
        ("wait_tenths", "0", 0),
        ("wait_tenths", "65", 650),
        ("wait_tenths", "1:05", 650),
        ("wait_tenths", "1m 5s", 650),
        ("wait_tenths", "1m5s", 650),
        ("wait_tenths", "65s", 650),
        ("wait_tenths", "2m", 1200),
        ("wait_tenths", "1:00:05", 36050),
        ("wait_tenths", "1:05.5", 655),
        ("wait_tenths", "111.85", 1119),  # kept to the tenth, rounded half up
        ("wait_tenths", "111.849", 1118),
        ("csat_good", "36", 36),
        ("csat_good", "38", 38),
        ("csat_good", "96%", 36),  # 36.48
        ("csat_good", "96 %", 36),
        ("csat_good", "100%", 38),
        ("csat_good", "0%", 0),
        ("csat_good", "25%", 10),  # 9.5 exactly: half up
    ],
)
def test_good_figures(key, text, expected):
    assert parse_field(FIELD[key], text, RATINGS)[0] == expected


def test_a_percentage_is_shown_back_as_the_count_it_became():
    assert parse_field(FIELD["csat_good"], "96%", RATINGS) == (36, "96 % of 38 ratings = 36 positive (94.7 %)")
    assert parse_field(FIELD["csat_good"], "36", RATINGS) == (36, None)


@pytest.mark.parametrize(
    "answer,expected",
    [("96%", {"csat_good": Fraction(96)}), (" 0.96 % ", {"csat_good": Fraction(24, 25)}), ("36", {})],
)
def test_the_percentages_typed_are_kept_for_the_plausibility_checks(answer, expected):
    answers = dict(comments="5", solves="5", chats="38", wait_tenths="1:05", csat_ratings="38", csat_good=answer)
    assert typed_percents(answers) == expected


@pytest.mark.parametrize(
    "key,text,message",
    [
        ("comments", "", "can't be blank"),
        ("comments", "-1", "below zero"),
        ("comments", "1.5", "not a whole number"),
        ("comments", "1e3", "not a number"),
        ("comments", "ten", "not a number"),
        ("comments", "96,2", "not a number"),  # not 962: a comma only groups thousands
        ("comments", "1,5", "not a number"),
        ("comments", ",,5", "not a number"),
        ("comments", "12,34,567", "not a number"),
        ("comments", "1_00", "not a number"),
        ("comments", "１２", "not a number"),  # fullwidth digits
        ("comments", "²", "not a number"),
        ("chats", "1000001", "too large"),
        ("csat_good", "39", "more than the 38 ratings"),
        ("csat_good", "100.1%", "not a percentage from 0 to 100"),
        ("csat_good", "-5%", "below zero"),
        ("csat_good", "95,5%", "not a percentage"),
        ("csat_good", "9.5", "not a whole number"),
        ("wait_tenths", "nan", "not a wait"),
        ("wait_tenths", "inf", "not a wait"),
        ("wait_tenths", "1e3", "not a wait"),
        ("wait_tenths", "1:75", "not a wait"),
        ("wait_tenths", "38,5", "Use a point for decimals"),
        ("wait_tenths", "-3", "below zero"),
        ("wait_tenths", "90000", "too long"),
        ("wait_tenths", "25h", "too long"),
        ("csat_ratings", "   ", "can't be blank"),
        ("wait_tenths", "", "can't be blank"),
        ("comments", "x" * 5000, "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…' is not a number"),
    ],
)
def test_bad_figures(key, text, message):
    with pytest.raises(InvalidInput, match=message):
        parse_field(FIELD[key], text, RATINGS)


@pytest.mark.parametrize("text,expected", [("0", 0), ("6", 6), ("3660", 3660), (" 30 ", 30)])
def test_good_extra_days(text, expected):
    assert parse_extra_days(text) == expected


@pytest.mark.parametrize("text", ["", "-1", "1.5", "many", "3661", "²", "３"])
def test_bad_extra_days(text):
    with pytest.raises(InvalidInput):
        parse_extra_days(text)


@pytest.mark.parametrize("text,expected", [("y", True), ("YES", True), (" n ", False), ("No", False)])
def test_yes_no(text, expected):
    assert parse_yes_no(text) is expected


@pytest.mark.parametrize("text", ["", "yep", "1", "nope"])
def test_bad_yes_no(text):
    with pytest.raises(InvalidInput, match="y \\(yes\\) or n \\(no\\)"):
        parse_yes_no(text)
