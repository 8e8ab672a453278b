"""Which way a figure is better, and a target for it: shared by today's metrics and metric definitions.

Imports nothing that lists metrics, so metric_kinds.py can use them without loading metrics.py.
"""

from __future__ import annotations

from enum import Enum
from fractions import Fraction

from .frozen import frozen


class Direction(Enum):
    AT_LEAST = ">="
    AT_MOST = "<="

    @property
    def better(self) -> str:
        return "higher is better" if self is Direction.AT_LEAST else "lower is better"


@frozen
class Goal:
    """A target: a figure meets it when it is at least (or at most) ``value``, exactly."""

    direction: Direction
    value: Fraction

    def met_by(self, figure: Fraction) -> bool:
        if self.direction is Direction.AT_MOST:
            return figure <= self.value
        return figure >= self.value
