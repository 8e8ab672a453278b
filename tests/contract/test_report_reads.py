"""The reads folded into one (a round trip each on a remote store), on every backend: a report reads the
previous period and the period at once and splits them; adding a day reads the day and its history at once.
Each gives what the separate reads give."""

from datetime import UTC, date, datetime, timedelta

from statbotic import plausibility, services
from statbotic.periods import Period
from statbotic.records import LEAD as LEAD_ROLE
from statbotic.records import DayRecord, User

TEAM = "default"
NOW = datetime(2026, 11, 20, tzinfo=UTC)
LEAD = User("lead", "-", NOW, teams={TEAM: LEAD_ROLE})


def day(when: date, comments: int, team: str = TEAM) -> DayRecord:
    entered = dict(comments=comments, solves=10, chats=20, wait_tenths=300, csat_ratings=10, csat_good=9)
    return DayRecord(team, when, entered, "alice", NOW)


def test_a_report_splits_one_read_into_the_period_and_the_one_before_leaving_out_the_days_between(store):
    # The first half of November compares with the first half of October: October 16-31 is in neither.
    period = Period(date(2026, 11, 1), date(2026, 11, 15), "2026-11-01..2026-11-15", "month")
    before = period.previous()
    assert (before.start, before.end) == (date(2026, 10, 1), date(2026, 10, 15))
    edges = [date(2026, 9, 30), date(2026, 10, 1), date(2026, 10, 15), date(2026, 10, 16), date(2026, 10, 31)]
    edges += [date(2026, 11, 1), date(2026, 11, 15), date(2026, 11, 16)]
    store.upsert_days([day(when, 10 + n) for n, when in enumerate(edges)] + [day(date(2026, 11, 2), 99, "other")])

    report = services.view_report(store, TEAM, period, {}, user=LEAD)

    assert report.summary == services.summarise_range(store, TEAM, period.start, period.end)
    assert report.previous == services.summarise_range(store, TEAM, before.start, before.end)
    assert (report.summary.days_with_data, report.previous.days_with_data) == (2, 2)
    assert [record.day for record, _ in report.daily] == [date(2026, 11, 1), date(2026, 11, 15)]


def test_adding_a_day_reads_it_with_its_history_as_the_separate_reads_would(store):
    tuesday = date(2026, 11, 24)
    store.upsert_days([day(tuesday - timedelta(weeks=weeks), 100) for weeks in range(1, 9)] + [day(tuesday, 7)])
    entered = dict(comments=1000, solves=10, chats=20, wait_tenths=300, csat_ratings=10, csat_good=9)

    existing, doubts = services.day_and_doubts(store, TEAM, tuesday, entered, user=LEAD)

    assert existing == store.get_day(TEAM, tuesday) and existing.entered["comments"] == 7
    start, end = plausibility.history_window(tuesday)
    history = {record.day: record.entered for record in store.iter_days(TEAM, start, end)}
    assert doubts == plausibility.warnings(tuesday, entered, history)
    assert [doubt.message for doubt in doubts] == [
        "Ticket public comments 1,000 is more than 5 times the usual 100 for a Tuesday (median of the last 8 Tuesdays)."
    ]
    assert services.day_and_doubts(store, TEAM, tuesday + timedelta(days=1), entered, user=LEAD)[0] is None
