"""Rounding is exact and half up: no binary floating point between what was typed and what is shown."""

import math
from fractions import Fraction

import pytest

from statbotic.exact import decimal_text, exported, fraction_of, round_half_up, shortest_text
from statbotic.metrics import entry_field
from statbotic.parsing import parse_field

POSITIVE = entry_field("csat_good")


@pytest.mark.parametrize(
    "percent,ratings,positive",
    [
        ("83.6", 375, 314),  # exactly 313.5: floor(x + 0.5) in floating point gave 313
        ("64.6", 250, 162),  # 161.5
        ("9.2", 375, 35),  # 34.5
        ("4.6", 750, 35),  # 34.5
        ("96", 38, 36),  # 36.48
        ("50", 3, 2),  # 1.5
        ("0.1", 5000, 5),
        ("100", 4999, 4999),
    ],
)
def test_a_percentage_of_ratings_ties_round_half_up(percent, ratings, positive):
    assert parse_field(POSITIVE, f"{percent}%", {"csat_ratings": ratings})[0] == positive


def ties(ratings: int) -> range:
    """Every k (tenths of a per cent, 0-1000) for which k/10 % of ``ratings`` ends in exactly .5."""
    g = math.gcd(ratings, 1000)
    if 500 % g:
        return range(0)
    step = 1000 // g
    first = (500 // g) * pow(ratings // g, -1, step) % step
    return range(first, 1001, step)


def test_every_tie_of_a_one_decimal_percentage_rounds_half_up():
    """All (%, ratings) pairs with one decimal and up to 5,000 ratings whose count ends in .5, against the
    reference in integer arithmetic: k tenths of a per cent of r is k*r/1000, half up = (2kr + 1000) // 2000."""
    checked = float_misses = 0
    for ratings in range(1, 5001):
        for tenths in ties(ratings):
            expected = (2 * tenths * ratings + 1000) // 2000
            typed = f"{tenths // 10}.{tenths % 10}%"
            assert parse_field(POSITIVE, typed, {"csat_ratings": ratings})[0] == expected, (typed, ratings)
            checked += 1
            float_misses += math.floor(tenths / 10 * ratings / 100 + 0.5) != expected
    assert checked > 10_000
    assert float_misses == 257  # the pairs floor(% x ratings / 100 + 0.5) in floating point got wrong


@pytest.mark.parametrize(
    "value,places,text",
    [
        (Fraction(9425, 100), 1, "94.3"),  # not 94.2
        (Fraction(9435, 100), 1, "94.4"),
        (Fraction(1, 8), 2, "0.13"),
        (Fraction(-1, 8), 2, "-0.13"),
        (Fraction(2, 3), 0, "1"),
        (Fraction(1234567, 2), 1, "617,283.5"),
        (Fraction(52, 12), 2, "4.33"),
        (7, 0, "7"),
    ],
)
def test_shown_figures_round_half_up(value, places, text):
    assert decimal_text(value, places) == text


def test_exported_figures_carry_no_float_noise():
    assert exported(Fraction(6187599999999999, 10**12)) == 6187.6
    assert exported(Fraction(487177)) == 487177 and type(exported(Fraction(487177))) is int
    assert repr(exported(Fraction(689710399449036, 10**13))) == "68.971"
    assert exported(None) is None and exported(12) == 12


def test_typed_decimals_are_read_exactly():
    assert fraction_of("0.1") * 3 == Fraction(3, 10)
    assert round_half_up(fraction_of("2.675"), 2) == fraction_of("2.68")  # float 2.675 is 2.67499...


@pytest.mark.parametrize(
    "value,text",
    [
        (Fraction(96), "96"),
        (Fraction("0.96"), "0.96"),
        (Fraction(361, 2), "180.5"),
        (Fraction(1234), "1,234"),
        (Fraction(601, 20), "30.05"),
        (Fraction(1, 3), "0.333333"),  # no finite decimal: six places, rounded half up
    ],
)
def test_shortest_text_shows_a_decimal_with_the_places_it_needs(value, text):
    assert shortest_text(value) == text
