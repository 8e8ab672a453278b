"""The use cases: plain values in, records and summaries out, domain errors raised.

Every function takes the store as an argument; none prints or prompts.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import suppress
from datetime import UTC, date, datetime, timedelta
from fractions import Fraction
from pathlib import Path

from . import access, auth, plausibility, targets, throttle
from .agent_figures import agent_name, check_agents, team_of_agents, with_agent
from .department import Department, build_department
from .errors import (
    AuthenticationFailed,
    DuplicateTeam,
    DuplicateUser,
    InvalidInput,
    LoginLocked,
    NoData,
    StoreUnavailable,
)
from .frozen import frozen
from .metric_kinds import check_day
from .metrics import BUILTIN, Goal, Metrics, RangeMetric
from .periods import Period
from .plausibility import Doubt
from .records import AuditEntry, DayRecord, LoginState, RangeTotals, Registration, Target, User
from .reports import Report, Summary, build_report, summarise
from .storage.base import Store
from .targets import EffectiveTarget


@frozen
class LoggedIn:
    """A successful login: the user, and the one before it (None: the first) with the failures since."""

    user: User
    last_login: datetime | None
    failed_since: int


SAVE_TRIES = 10  # compare-and-set writes of a login state retried after losing a race


@frozen
class CopyReport:
    users_copied: int
    users_present: int
    days_copied: int
    days_unchanged: int
    targets_copied: int = 0
    targets_unchanged: int = 0
    audit_entries_left: int = 0  # the source's audit log is not copied: it stays in the source
    metrics_copied: int = 0
    metrics_unchanged: int = 0


def utc_now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def ensure_username_free(store: Store, username: str) -> str:
    """The checked username if nobody has it yet (so the password isn't asked for nothing)."""
    username = auth.check_username(username)
    if store.get_user(username) is not None:
        raise DuplicateUser(f"The username {username!r} is taken. Please choose another.")
    return username


def login(store: Store, username: str, password: str, now: datetime | None = None) -> User:
    """The user, if the password matches; AuthenticationFailed otherwise (see log_in)."""
    return log_in(store, username, password, now).user


def log_in(store: Store, username: str, password: str, now: datetime | None = None) -> LoggedIn:
    """The user and their previous login, if the password matches and the name is not locked.

    AuthenticationFailed (one message for an unknown name and a wrong password), or LoginLocked after
    throttle.LIMIT failures (unknown names too, and whatever the password: no oracle).  Every failure is
    counted in the store, so restarting the app or using the CLI changes nothing (throttle.py)."""
    now = now or utc_now()
    name = username.strip()
    user, state = store.get_login(name)
    if throttle.minutes_left(state, now) is None:
        if user is None:
            auth.burn_equal_time(password)
            correct = False
        else:
            correct = auth.verify_password(password, user.password_hash)
        if correct and user.disabled:  # only someone who knows the password learns this
            raise AuthenticationFailed("This account is disabled: ask an admin to enable it.")
        if correct:
            return _succeed(store, user, state, password, now)
    state = count_failure(store, name, user is not None, state, now)
    minutes = throttle.minutes_left(state, now)
    raise LoginLocked(minutes) if minutes is not None else AuthenticationFailed()


def count_failure(store: Store, name: str, known: bool, state: LoginState, now: datetime) -> LoginState:
    """Record one failed login of the name (compare and set: concurrent failures are all counted); the state written."""
    for _ in range(SAVE_TRIES):
        new = throttle.after_failure(state, now)
        if store.save_login_state(name, known, state, new):
            return new
        user, state = store.get_login(name)
        known = user is not None
    raise StoreUnavailable(f"{store.description} is too busy to record a login. Try again in a moment.")


def _succeed(store: Store, user: User, state: LoginState, password: str, now: datetime) -> LoggedIn:
    """Record the login, unless a failure was recorded since the state was read and locked the name."""
    for _ in range(SAVE_TRIES):
        try:
            saved = store.save_login_state(user.username, True, state, throttle.after_success(state, now))
        except StoreUnavailable:  # e.g. the data file locked by a long write: the login stands, unrecorded
            return LoggedIn(user, state.last_login, state.failed_since)
        if saved:
            if auth.needs_rehash(user.password_hash):
                store.set_password_hash(user.username, auth.hash_password(password))
            return LoggedIn(user, state.last_login, state.failed_since)
        _, state = store.get_login(user.username)
        minutes = throttle.minutes_left(state, now)
        if minutes is not None:
            raise LoginLocked(minutes)
    raise StoreUnavailable(f"{store.description} is too busy to record a login. Try again in a moment.")


def unlock(store: Store, username: str, *, actor: User) -> bool:
    """Clear a name's failures and lock (admins only); True if it had any.  The last login and the count
    of failures since it stay, for the user to see at the next login."""
    access.require_admin(actor, "unlock a name")
    for _ in range(SAVE_TRIES):
        user, state = store.get_login(username.strip())
        if not state.failures and state.locked_until is None:
            return False
        if store.save_login_state(username.strip(), user is not None, state, throttle.unlocked(state)):
            return True
    raise StoreUnavailable(f"{store.description} is too busy to record a login. Try again in a moment.")


def current_user(store: Store, username: str) -> User | None:
    """The user's record as it is now (None: not there): a menu session reads it at each use, so an
    admin's change -- a role taken away, the user disabled -- holds at once, not at the next login."""
    return store.get_user(username)


def issue_token(store: Store, user: User) -> str:
    """A new access token for the user (shown once); any previous token stops working."""
    token = auth.new_token()
    store.set_token_hash(user.username, auth.token_hash(token), utc_now())  # audited: never the token
    return token


def login_with_token(store: Store, token: str) -> User:
    user = store.get_user_by_token_hash(auth.token_hash(token)) if token.startswith(auth.TOKEN_PREFIX) else None
    if user is None:
        raise AuthenticationFailed("That access token is not valid (it may have been replaced by a newer one).")
    if user.disabled:
        raise AuthenticationFailed(f"That access token's user, {user.username}, is disabled: ask an admin.")
    return user


def team_metrics(store: Store, team: str | None = None) -> Metrics:
    """The metrics a team tracks, in the admin's order: the store's live definitions the team tracks,
    with the counts they are built on (a team tracking CSAT enters its ratings).  ``team`` None: every
    live metric of the store (the department view, the admin's list)."""
    live = {d.key: d for d in store.metric_definitions() if not d.retired}
    chosen = {key: d for key, d in live.items() if team is None or d.tracked_by(team)}
    wanted = list(chosen.values())
    while wanted:
        for base in wanted.pop().bases:
            if base not in chosen and base in live:
                chosen[base] = live[base]
                wanted.append(live[base])
    return Metrics(tuple(chosen.values()))


def store_metrics(store: Store) -> Metrics:
    """Every metric of the store, retired ones too: what names the figures of any day's history."""
    return Metrics(tuple(store.metric_definitions()))


def check_entered(entered: Mapping[str, int], metrics: Metrics = BUILTIN, partial: bool = False) -> dict[str, int]:
    """Every entry field of ``metrics`` (the team's: team_metrics) present, a whole number within its
    bounds, and no part larger than its whole (metric_kinds.check_day); the day's figures by entry key.
    ``partial``: only some fields (a file of some metrics: the day has no data for the others yet)."""
    missing = [f.label for f in metrics.entry_fields if f.key not in entered]
    if missing and (not partial or len(missing) == len(metrics.entry_fields)):
        raise InvalidInput(f"Missing figures: {', '.join(missing)}.")
    metrics.check_bounds(entered)
    typed = metrics.typed_entry(entered)
    check_day(metrics.definitions, metrics.by_metric(typed))
    return typed


def record_day(
    store: Store,
    team: str,
    user: User,
    day: date,
    entered: Mapping[str, int],
    metrics: Metrics | None = None,
    *,
    agents: Mapping[str, Mapping[str, int]] | None = None,
    sources: Mapping[str, Mapping[str, object]] | None = None,
    partial: bool = False,
) -> DayRecord:
    """Save a whole day in one atomic upsert: a re-entered day is updated in place (a value of a metric
    the team no longer tracks, a retired one's, stays: the store keeps it).  ``metrics``: the team's
    (team_metrics; read from the store when not given).  ``agents``: the day's figures per agent; the
    team's figure of each metric they carry is their sum (agent_figures), and a metric entered without
    agent rows has a typed total (its agent rows, if it had any, go).  ``sources``: the imports the figures
    came from (none: typed).  ``partial``: the day may lack some metrics (an import of some).  Leads and
    admins."""
    access.require_edit(user, team, "add or change days")
    metrics = metrics or team_metrics(store, team)
    checked_agents = check_agents(agents or {}, metrics)
    figures = {**entered, **team_of_agents(checked_agents, metrics)}
    record = DayRecord(
        team,
        day,
        check_entered(figures, metrics, partial),
        user.username,
        utc_now(),
        checked_agents,
        dict(sources or {}),
    )
    store.upsert_day(record)
    return record


def record_agent_day(
    store: Store,
    team: str,
    user: User,
    day: date,
    agent: str,
    figures: Mapping[str, int],
    metrics: Metrics | None = None,
    stands: str | None = None,
) -> DayRecord:
    """Save one agent's figures of a day (the "by agent" form): the team's figure of each of those metrics
    is then the sum of its agents (agent_figures.with_agent: a typed team total gives way only when
    ``stands`` says the agents stand).  Leads and admins."""
    access.require_edit(user, team, "add or change days")
    metrics = metrics or team_metrics(store, team)
    name = agent_name(agent)
    checked = check_agents({name: figures}, metrics)[name]
    existing = store.get_day(team, day)
    stored_agents = existing.agents if existing is not None else {}
    stored = existing.entered if existing is not None else {}
    agents = with_agent(stored_agents, stored, name, checked, stands)
    return record_day(store, team, user, day, {}, metrics, agents=agents, partial=True)


def delete_day(store: Store, team: str, user: User, day: date) -> bool:
    """Remove the team's figures for one day (audited: its history keeps them); True if it had any.
    Leads and admins."""
    access.require_edit(user, team, "delete days")
    return store.delete_day(team, day, user.username, utc_now())


def same_figures(record: DayRecord, entered: Mapping[str, int], metrics: Metrics = BUILTIN) -> bool:
    """True when ``entered`` holds exactly the figures ``record`` stores of ``metrics`` (the team's):
    saving it again changes nothing (values of metrics the team no longer tracks stay as they are)."""
    return metrics.typed_entry(record.entered) == check_entered(entered, metrics)


def day_and_doubts(
    store: Store,
    team: str,
    day: date,
    entered: Mapping[str, int],
    percents: Mapping[str, Fraction] | None = None,
    *,
    user: User,
    metrics: Metrics | None = None,
) -> tuple[DayRecord | None, list[Doubt]]:
    """The day's stored record (None when it has none) and why ``entered`` looks wrong, if it does
    (plausibility.py: judged against the team's same weekday over the weeks before; ``percents``: the
    percentages typed, by field key), from one range read: the weeks before the day and the day itself.
    ``metrics``: the team's (team_metrics; read from the store when not given).  Leads and admins (it
    comes before a save)."""
    access.require_edit(user, team, "add or change days")
    metrics = metrics or team_metrics(store, team)
    start, _ = plausibility.history_window(day)
    history = {record.day: record for record in store.iter_days(team, start, day)}
    existing = history.pop(day, None)
    entries = {past: record.entered for past, record in history.items()}
    return existing, plausibility.warnings(day, entered, entries, percents, metrics)


def get_day(store: Store, team: str, day: date, *, user: User) -> DayRecord | None:
    """The team's record for one day, or None when nothing was entered for it."""
    access.require_view(user, team)
    return store.get_day(team, day)


def summarise_range(store: Store, team: str, start: date, end: date, metrics: Metrics | None = None) -> Summary:
    """The team's figures from start to end (one range read); ``metrics``: the team's (team_metrics;
    read from the store when not given)."""
    return summarise(store.range_totals(team, start, end), metrics or team_metrics(store, team))


def effective_targets(
    store: Store, team: str, defaults: Mapping[str, Fraction], *, user: User, metrics: Metrics | None = None
) -> tuple[EffectiveTarget, ...]:
    """Each of the team's range metrics' target (``metrics``: team_metrics, read when not given): the
    team's, set in the app, else ``defaults`` (Settings.targets, from the environment), else the metric's
    definition's (a metric without a setting), else none; in the metrics' order."""
    access.require_view(user, team)
    metrics = metrics or team_metrics(store, team)
    return targets.effective_targets(store.get_targets(team), defaults, metrics)


def effective_target(
    store: Store,
    team: str,
    defaults: Mapping[str, Fraction],
    metric: RangeMetric,
    *,
    user: User,
    metrics: Metrics | None = None,
) -> EffectiveTarget:
    """The target that applies to one metric (see effective_targets)."""
    effective = effective_targets(store, team, defaults, user=user, metrics=metrics)
    return next(t for t in effective if t.metric.key == metric.key)


def set_target(store: Store, team: str, user: User, metric: RangeMetric, goal: Goal | None) -> Target:
    """Set the team's target for a metric (``goal`` None turns it off, overriding a default); InvalidInput
    when the value doesn't fit the metric.  Leads and admins."""
    access.require_edit(user, team, "set targets")
    target = Target(metric.key, None if goal is None else targets.check_goal(metric, goal), user.username, utc_now())
    store.set_target(team, target)
    return target


def clear_target(store: Store, team: str, user: User, metric: RangeMetric) -> bool:
    """Remove the team's own target for a metric, so the default applies again; True if there was one.
    Leads and admins."""
    access.require_edit(user, team, "set targets")
    return store.clear_target(team, metric.key, user.username, utc_now())


def day_history(store: Store, team: str, day: date, *, user: User) -> list[AuditEntry]:
    """Every version of the team's day, oldest first, from the audit log (empty: none recorded)."""
    access.require_view(user, team)
    return store.day_history(team, day)


def audit_log(store: Store, since: datetime, *, user: User) -> list[AuditEntry]:
    """Every audit entry at or after ``since`` (UTC), oldest first.  Admins only."""
    access.require_admin(user, "read the audit log")
    return store.audit_since(since)


AUDIT_SINCE_UNITS = {"d": "days", "h": "hours", "w": "weeks"}


def audit_since(text: str, now: datetime) -> datetime:
    """When ``--since`` starts: 7d, 12h, 2w back from ``now``, or a date (its midnight, UTC)."""
    text = text.strip().lower()
    number, unit = text[:-1], text[-1:]
    if unit in AUDIT_SINCE_UNITS and number.isdigit() and len(number) <= 5:
        return now - timedelta(**{AUDIT_SINCE_UNITS[unit]: int(number)})
    try:
        return datetime.combine(date.fromisoformat(text), datetime.min.time(), UTC)
    except ValueError:
        raise InvalidInput(f"--since takes 7d, 12h, 2w or a date (YYYY-MM-DD), not {text[:40]!r}.") from None


def view_report(
    store: Store,
    team: str,
    period: Period,
    defaults: Mapping[str, Fraction],
    *,
    user: User,
    metrics: Metrics | None = None,
) -> Report:
    """The period's summary, its targets (effective_targets), the previous period (Period.previous) and every day,
    of the team's metrics (``metrics``: team_metrics, read from the store when not given).

    One range read from the previous period's start to the period's end, split here: on a remote store
    a round trip costs more than reading the few days between the two periods, when there are any."""
    return view_and_days(store, team, period, defaults, user=user, metrics=metrics)[0]


def view_and_days(
    store: Store,
    team: str,
    period: Period,
    defaults: Mapping[str, Fraction],
    *,
    user: User,
    metrics: Metrics | None = None,
    since: date | None = None,
    until: date | None = None,
) -> tuple[Report, list[DayRecord]]:
    """view_report's report and the days it read, in its one range read: from the previous period's start
    (or ``since``, when earlier) to the period's end (or ``until``, when later).  Pacing widens the read
    to its recent window and the period's last day this way rather than read again."""
    access.require_view(user, team)
    metrics = metrics or team_metrics(store, team)
    before = period.previous()
    first, last = min(before.start, since or before.start), max(period.end, until or period.end)
    days = list(store.iter_days(team, first, last))
    current = [record for record in days if period.start <= record.day <= period.end]
    previous = [record for record in days if before.start <= record.day <= before.end]
    goals = targets.goals_of(effective_targets(store, team, defaults, user=user, metrics=metrics))
    report = build_report(
        summarise(totals_of(current, period, metrics), metrics),
        summarise(totals_of(previous, before, metrics), metrics),
        current,
        goals,
        metrics=metrics,
    )
    return report, days


def department_view(
    store: Store,
    team: str,
    period: Period,
    defaults: Mapping[str, Fraction],
    teams: Sequence[str] | None = None,
    *,
    user: User,
) -> Department:
    """Every team the user may see that has data in the period (or only ``teams``, each of which must be
    a team the user may see) in one range read, across the store's live metrics (each over the teams
    tracking it), judged against the targets that apply to ``team`` (effective_targets).  InvalidInput
    naming a chosen team the store doesn't have (a typo, most likely); Forbidden for one the user may
    not see."""
    access.require_view(user, team)
    known = [record.name for record in store.teams()]
    if teams is not None:
        unknown = [name for name in teams if name not in known]
        if unknown:
            listed = ", ".join(access.visible_teams(user, known)) or "none yet"
            raise InvalidInput(f"There is no team {', '.join(map(repr, unknown))}. Your teams: {listed}.")
        for name in teams:
            access.require_view(user, name)
    elif not access.is_admin(user):
        teams = access.visible_teams(user, known)
    by_team = store.team_range_totals(period.start, period.end, teams)
    metrics = team_metrics(store)  # every live metric, each summed over the teams that track it
    goals = targets.goals_of(targets.effective_targets(store.get_targets(team), defaults, metrics))
    return build_department(period.start, period.end, by_team, goals, teams or (), metrics)


def totals_of(records: Sequence[DayRecord], period: Period, metrics: Metrics = BUILTIN) -> RangeTotals:
    """The period's RangeTotals of ``metrics`` from its days' records (what Store.range_totals sums in the
    store): the components summed, and each entered metric's days with data."""
    sums = dict.fromkeys(metrics.component_keys, 0)
    metric_days = dict.fromkeys((d.key for d in metrics.definitions if d.entered), 0)
    for record in records:
        for key, value in metrics.components_of(record.entered).items():
            sums[key] += value
        for key in metrics.by_metric(record.entered):
            metric_days[key] += 1
    return RangeTotals(period.start, period.end, sums, tuple(record.day for record in records), metric_days)


def _report(
    store: Store, team: str, period: Period, defaults: Mapping[str, Fraction], metrics: Metrics | None = None
) -> Report:
    """The report without its days, which exports stream from the store instead (memory stays flat)."""
    metrics = metrics or team_metrics(store, team)
    summary = summarise_range(store, team, period.start, period.end, metrics)
    before = period.previous()
    previous = summarise_range(store, team, before.start, before.end, metrics)
    goals = targets.goals_of(targets.effective_targets(store.get_targets(team), defaults, metrics))
    records = store.iter_days(team, period.start, period.end) if summary.has_data else ()
    return build_report(summary, previous, records, goals, keep_days=False, metrics=metrics)


def export_stream(
    store: Store, team: str, period: Period, fmt: str, defaults: Mapping[str, Fraction], *, user: User
) -> tuple[Summary, Iterator[str]]:
    """The period in one export format as text chunks (days streamed from the store); NoData without data.
    The summary carries each target (effective_targets) and the comparison with the previous period."""
    from .export import export_chunks

    access.require_view(user, team)
    metrics = team_metrics(store, team)
    report = _report(store, team, period, defaults, metrics)
    if not report.summary.has_data:
        raise NoData(period.describe())
    days = store.iter_days(team, period.start, period.end)
    agents = export_agent_summaries(store, team, period, metrics) if fmt == "json" else None
    return report.summary, export_chunks(fmt, team, report, days, utc_now(), metrics, agents)


def export_agent_summaries(store: Store, team: str, period: Period, metrics: Metrics) -> dict[str, Summary]:
    """Each agent's summary of the period (one read: Store.agent_range_totals), for the JSON exports."""
    return {
        name: summarise(totals, metrics)
        for name, totals in store.agent_range_totals(team, period.start, period.end).items()
    }


def export_range(
    store: Store,
    team: str,
    period: Period,
    export_dir: Path,
    fmt: str = "json",
    output: Path | None = None,
    *,
    defaults: Mapping[str, Fraction],
    user: User,
) -> tuple[Path, Summary]:
    """Write the period in one format into export_dir (or to ``output``); NoData, and no file, without data."""
    from .export import export_path, write_atomic

    summary, chunks = export_stream(store, team, period, fmt, defaults, user=user)
    if output is not None:
        return write_atomic(output, chunks, rename_if_taken=False), summary
    return write_atomic(export_path(export_dir, period.start, period.end, fmt), chunks), summary


def export_department(
    store: Store,
    team: str,
    period: Period,
    export_dir: Path,
    fmt: str,
    output: Path | None = None,
    *,
    defaults: Mapping[str, Fraction],
    teams: Sequence[str] | None = None,
    user: User,
) -> tuple[Path | Iterator[str], Department]:
    """The department view (department_view) in json or summary-csv: written into export_dir (or to
    ``output``; ``output`` '-' gives the chunks instead of a path); NoData, and no file, without data."""
    from .export import department_chunks, department_export_path, write_atomic

    department = department_view(store, team, period, defaults, teams, user=user)
    if not department.has_data:
        raise NoData(period.describe())
    agents = None
    if fmt == "json":  # each team's agents, summed over the department's metrics as its row is
        agents = {
            row.team: export_agent_summaries(store, row.team, period, department.metrics) for row in department.rows
        }
    chunks = department_chunks(fmt, period.describe(), department, team, utc_now(), agents)
    if output is not None and str(output) == "-":
        return chunks, department
    if output is not None:
        return write_atomic(output, chunks, rename_if_taken=False), department
    return write_atomic(department_export_path(export_dir, period.start, period.end, fmt), chunks), department


def copy_data(source: Store, target: Store) -> CopyReport:
    """Copy every team, user, day and target and the registration setting from source to target,
    idempotently (a second run changes nothing).

    Copies are not audited in the target (nobody changed anything) -- but for a registration setting that
    differs from the target's, saved as set by "copy-data" -- and the source's audit log is not copied: it
    stays in the source, whose entries are counted in the report (audit_entries_left)."""
    for team in source.teams():
        with suppress(DuplicateTeam):  # there already: its display name stays the target's
            target.add_team(team, by=None)
    registration = source.get_registration()
    if registration != Registration() and registration != target.get_registration():
        target.set_registration(registration, by="copy-data", at=utc_now())
    users_copied = users_present = 0
    for user in source.iter_users():
        try:
            target.add_user(user, audit=False)
            users_copied += 1
        except DuplicateUser:
            users_present += 1
    metrics_copied, metrics_unchanged = copy_definitions(source, target)  # before the days that use them
    existing = {(d.team, d.day): d for d in target.iter_all_days()}
    unchanged = 0

    def changed_days():
        nonlocal unchanged
        for record in source.iter_all_days():
            if existing.get((record.team, record.day)) == record:
                unchanged += 1
            else:
                yield record

    copied = target.upsert_days(changed_days())  # streamed: the source is never all in memory
    targets_copied, targets_unchanged = copy_targets(source, target)
    left = len(source.audit_since(datetime(1970, 1, 1, tzinfo=UTC)))
    return CopyReport(
        users_copied,
        users_present,
        copied,
        unchanged,
        targets_copied,
        targets_unchanged,
        left,
        metrics_copied,
        metrics_unchanged,
    )


def copy_definitions(source: Store, target: Store) -> tuple[int, int]:
    """Save in ``target`` every metric definition of ``source`` it doesn't hold as it is (audited, by
    "copy-data": the target's history says where its definitions came from); (copied, already identical).
    InvalidInput, copying none, when the target has data for a metric of the same key but another kind
    or bases (its figures would mean something else)."""
    theirs = {d.key: d for d in target.metric_definitions()}
    ours = source.metric_definitions()
    changed = [d for d in ours if theirs.get(d.key) != d]
    for definition in changed:
        there = theirs.get(definition.key)
        other_kind = there and (there.kind, there.bases) != (definition.kind, definition.bases)
        if other_kind and target.metric_has_data(definition.key):
            raise InvalidInput(
                f"The metric {definition.key!r} is another kind of figure in the target, which has data"
                " for it: rename one of them (a new metric, the other retired) and copy again."
            )
    for definition in changed:
        target.save_metric_definition(definition, by="copy-data", at=utc_now())
    return len(changed), len(ours) - len(changed)


def copy_targets(source: Store, target: Store) -> tuple[int, int]:
    """Every team's targets set in the app, copied unless identical there; (copied, already identical)."""
    copied = unchanged = 0
    present: dict[str, dict] = {}
    for team, goal in source.iter_all_targets():
        if team not in present:
            present[team] = target.get_targets(team)
        if present[team].get(goal.metric) == goal:
            unchanged += 1
        else:
            target.set_target(team, goal, audit=False)
            copied += 1
    return copied, unchanged


# --- The commands' use cases over the team's catalogue of metrics (issue 12: the CLI, exports, targets) ---
