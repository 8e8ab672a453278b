"""Exact numbers: decimals typed by people read as fractions, and rounding half up, stated.

Figures are ratios of integer sums, kept as ``Fraction`` until they are shown or exported, so
nothing depends on binary floating point (83.6 % of 375 ratings is exactly 313.5, which rounds
half up to 314; 94.25 % shows as 94.3 %).
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

EXPORT_PLACES = 4  # decimals of a ratio in JSON and CSV exports (numerator and denominator are exact)
ROUNDING_NOTE = f"ratios are rounded half up: {EXPORT_PLACES} decimals in exports, as shown on screen"


def round_half_up(value: Fraction | int, places: int = 0) -> Decimal:
    """``value`` rounded to ``places`` decimals, halves away from zero (0.25 -> 0.3, -0.25 -> -0.3)."""
    scaled = Fraction(value) * 10**places
    whole = (abs(scaled.numerator) * 2 + scaled.denominator) // (2 * scaled.denominator)
    return Decimal(-whole if scaled < 0 else whole).scaleb(-places)


def decimal_text(value: Fraction | int, places: int, grouped: bool = True) -> str:
    """The value rounded half up to ``places`` decimals, as text (thousands grouped with commas)."""
    return format(round_half_up(value, places), f"{',' if grouped else ''}.{places}f")


def shortest_text(value: Fraction | int, most_places: int = 6) -> str:
    """A decimal with no more places than it needs (96, 0.96, 180.5; thousands grouped), up to
    ``most_places`` (rounded half up beyond): a typed percentage or a median shown as it is."""
    places = decimal_places(Fraction(value))
    return decimal_text(value, most_places if places is None else min(places, most_places))


def exported(value: Fraction | int | None) -> int | float | None:
    """A figure for JSON and CSV: integers as they are, ratios rounded half up to EXPORT_PLACES.

    The float is the decimal itself (its shortest repr prints exactly those digits), never float noise."""
    if value is None or isinstance(value, int):
        return value
    if value.denominator == 1:
        return int(value)
    return float(round_half_up(value, EXPORT_PLACES))


def fraction_of(text: str) -> Fraction:
    """A plain decimal as typed (e.g. '96.25') as an exact fraction."""
    return Fraction(Decimal(text))


def decimal_places(value: Fraction) -> int | None:
    """How many decimals write the fraction exactly (91/2 -> 1, 95 -> 0), or None when no finite
    decimal does (1/3): only a denominator of 2s and 5s has one."""
    places, rest = 0, value.denominator
    for factor in (2, 5):
        count = 0
        while rest % factor == 0:
            rest, count = rest // factor, count + 1
        places = max(places, count)
    return places if rest == 1 else None


def plain_decimal(value: Fraction) -> str:
    """The exact decimal of a fraction that has one (91/2 -> '45.5', 95 -> '95'), as fraction_of reads it
    back; ValueError for a fraction without a finite decimal (1/3)."""
    places = decimal_places(value)
    if places is None:
        raise ValueError(f"{value} has no finite decimal")
    return decimal_text(value, places, grouped=False)
