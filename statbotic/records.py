"""The plain records that pass between the stores and the rest of the app."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime

from .frozen import frozen
from .metrics import components_of


@frozen
class User:
    username: str
    password_hash: str
    created_at: datetime


@frozen
class DayRecord:
    """One team's figures for one day, as entered, with who last changed them and when."""

    team: str
    day: date
    entered: Mapping[str, int]  # metrics.ENTRY_KEYS -> integers (the wait in tenths of a second)
    updated_by: str
    updated_at: datetime

    @property
    def components(self) -> dict[str, int]:
        return components_of(self.entered)


@frozen
class RangeTotals:
    """Sums of every additive component over the days of a range that have data."""

    start: date
    end: date
    sums: Mapping[str, int]
    days_with_data: tuple[date, ...] = ()
