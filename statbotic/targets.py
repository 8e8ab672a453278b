"""Which target applies to each metric: the team's own, set in the app, else the environment's default
(a built-in's setting, e.g. STATBOTIC_TARGET_CSAT), else the default target in the metric's definition
(a metric an admin defined: it has no setting).

A target set in the app may also turn a metric's target off ("none"), overriding a default.  Pure
functions over plain values; the services fetch what the store holds.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from fractions import Fraction

from .errors import InvalidInput
from .exact import decimal_text, plain_decimal
from .frozen import frozen
from .metrics import BUILTIN, Goal, Metrics, RangeMetric
from .records import Target


class TargetSource(Enum):
    APP = "app"  # set in the app (a goal of None: turned off there)
    ENVIRONMENT = "environment"  # the default from the metric's setting (Settings.targets)
    DEFINITION = "definition"  # the default target in the metric's definition (a metric without a setting)
    NONE = "none"  # neither


@frozen
class EffectiveTarget:
    """The target that applies to one metric, and where it comes from."""

    metric: RangeMetric
    goal: Goal | None  # None: no target
    source: TargetSource
    stored: Target | None = None  # the app's target, with who set it and when


def effective_targets(
    stored: Mapping[str, Target], defaults: Mapping[str, Fraction], metrics: Metrics = BUILTIN
) -> tuple[EffectiveTarget, ...]:
    """One per range metric of the catalogue, in its order: the app's target, else the default from the
    environment (in the metric's natural direction), else the definition's default target (a metric
    without a setting), else none."""
    return tuple(_effective(m, stored.get(m.key), defaults.get(m.key)) for m in metrics.range_metrics)


def _effective(metric: RangeMetric, target: Target | None, default: Fraction | None) -> EffectiveTarget:
    if target is not None:
        return EffectiveTarget(metric, target.goal, TargetSource.APP, target)
    if default is not None:
        return EffectiveTarget(metric, Goal(metric.direction, default), TargetSource.ENVIRONMENT)
    if metric.target_setting is None and metric.target_default is not None:
        return EffectiveTarget(metric, Goal(metric.direction, metric.target_default), TargetSource.DEFINITION)
    return EffectiveTarget(metric, None, TargetSource.NONE)


def goals_of(effective: tuple[EffectiveTarget, ...]) -> dict[str, Goal]:
    """The targets that are on, by metric key (what a report judges)."""
    return {t.metric.key: t.goal for t in effective if t.goal is not None}


def check_goal(metric: RangeMetric, goal: Goal) -> Goal:
    """The goal, if its value fits the metric: from 0 to the metric's highest target, with no more
    decimals than the figure it is compared with shows (so a target always shows exactly as set)."""
    value, highest, places = goal.value, metric.highest_target, metric.target_places
    if not 0 <= value <= highest:
        raise InvalidInput(f"A {metric.label} target is a number from 0 to {highest:,}.")
    try:
        typed = plain_decimal(value)
    except ValueError:
        typed = None
    if typed is None or len(typed.partition(".")[2]) > places:
        exact = decimal_text(value, places, grouped=False)
        raise InvalidInput(
            f"A {metric.label} target has at most {places} decimal{'s' if places != 1 else ''}, as the figure"
            f" is shown (e.g. {exact})."
        )
    return goal
