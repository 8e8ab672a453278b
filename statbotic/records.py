"""The plain records that pass between the stores and the rest of the app."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from .metrics import COMPONENT_KEYS, components_of


@dataclass(frozen=True)
class User:
    username: str
    password_hash: str
    created_at: datetime


@dataclass(frozen=True)
class DayRecord:
    """One team's figures for one day, as entered, with who last changed them and when."""

    team: str
    day: date
    entered: Mapping[str, float]
    updated_by: str
    updated_at: datetime

    @property
    def components(self) -> dict[str, float]:
        return components_of(self.entered)


@dataclass(frozen=True)
class RangeTotals:
    """Sums of every additive component over the days of a range that have data."""

    start: date
    end: date
    sums: Mapping[str, float] = field(default_factory=lambda: dict.fromkeys(COMPONENT_KEYS, 0))
    days_with_data: tuple[date, ...] = ()
