"""Figures that look wrong in the add form: shown with the reason, "Save these figures anyway?" instead of
"Save?", and n back to the form with every answer kept, so only the wrong figure is typed again."""

from datetime import UTC, date, datetime, timedelta

import pytest

from statbotic.metrics import ENTRY_FIELDS
from statbotic.records import DayRecord
from tests.transcript import add_day, answers, figures, menu

TEAM = "default"
TUESDAY = date(2026, 11, 24)
USUAL = dict(comments=100, solves=50, chats=180, wait_tenths=385, csat_ratings=40, csat_good=37)


def eight_usual_tuesdays(store, team: str = TEAM) -> None:
    for weeks in range(1, 9):
        store.upsert_day(
            DayRecord(team, TUESDAY - timedelta(weeks=weeks), USUAL, "lee", datetime(2026, 11, 1, tzinfo=UTC))
        )


def saved(store) -> dict | None:
    record = store.get_day(TEAM, TUESDAY)
    return None if record is None else dict(record.entered)


def retyped(**answers) -> list:
    """n to "Save these figures anyway?", then the form again: Enter keeps each answer but those given."""
    return [("Save these figures anyway?", "n"), *[(f"{f.prompt} [", answers.get(f.key, "")) for f in ENTRY_FIELDS]]


def add_doubted(values, *after) -> list:
    return [
        *menu("1"),
        ("Date", TUESDAY.isoformat()),
        *figures(*values),
        *after,
        ("Enter more stats", "n"),
    ]


def corrected(as_alice, values, **fix):
    """Type the figures, answer n to the doubts, retype only ``fix`` (by field key), then save."""
    return as_alice(add_doubted(values, *retyped(**fix), ("Save?", "y")))


@pytest.mark.parametrize("backend", ["sqlite"])
@pytest.mark.parametrize(
    "values,warning",
    [
        (
            ("5", "5", "30", "40", "0", "96%"),
            "Positive CSAT ratings typed as 96 % with CSAT ratings 0: 0 would be saved, "
            "so the day would have no Chat CSAT.",
        ),
        (
            ("5", "5", "60", "40", "50", "0.96%"),
            "Positive CSAT ratings typed as 0.96 %: a Chat CSAT of 1 % or less. "
            "A fraction typed as a percentage (96 %)?",
        ),
        (
            ("5", "5", "30", "40", "38", "36"),
            "CSAT ratings 38 is more than Live chats 30, of which they are usually a part.",
        ),
        (
            ("5", "5", "0", "1:05", "0", "0"),
            "Average chat wait 65.0 s with Live chats 0: an average over none counts in no figure.",
        ),
        (
            ("5", "5", "30", "0", "20", "19"),
            "Average chat wait 0.0 s with Live chats 30: an average of exactly 0 is unlikely. Left at 0?",
        ),
    ],
)
def test_each_doubt_is_shown_after_the_summary_and_saving_needs_a_yes(store, as_alice, values, warning):
    console = as_alice(add_doubted(values, ("Save these figures anyway?", "y")))
    text = console.text
    assert text.index("To save for 2026-11-24") < text.index(warning) < text.index("Save these figures anyway? (y/n)")
    assert "Save? (y/n)" not in text
    assert "Saved the stats for 2026-11-24." in text
    assert saved(store) is not None


def test_a_figure_far_from_the_usual_for_that_weekday_is_doubted_on_every_backend(store, as_alice):
    eight_usual_tuesdays(store)
    console = as_alice(add_doubted(("100", "50", "950", "38.5", "40", "37"), ("Save these figures anyway?", "y")))
    assert (
        "Live chats 950 is more than 5 times the usual 180 for a Tuesday (median of the last 8 Tuesdays)."
        in console.text
    )
    assert saved(store)["chats"] == 950


def test_no_lets_the_lead_retype_only_the_wrong_figure(store, as_alice):
    eight_usual_tuesdays(store)
    console = corrected(as_alice, ("100", "50", "1800", "38.5", "40", "96%"), chats="180")
    assert "Live chats 1,800 is more than 5 times the usual 180" in console.text
    assert "Enter keeps the value in [brackets]." in console.text
    shown = [prompt.rsplit(" [", 1)[-1] for prompt in console.prompts if " [" in prompt]
    assert shown == ["100]: ", "50]: ", "1800]: ", "38.5]: ", "40]: ", "96%]: "]  # every answer as typed
    assert saved(store) == dict(USUAL, csat_good=38)  # 96 % of 40 is 38.4


def test_a_percentage_typed_before_its_ratings_is_kept_as_typed_and_read_again(store, as_alice):
    console = corrected(as_alice, ("5", "5", "40", "40", "0", "96%"), csat_ratings="38")
    assert "typed as 96 % with CSAT ratings 0" in console.text
    assert "96 % of 38 ratings = 36 positive (94.7 %)" in console.text
    assert (saved(store)["csat_ratings"], saved(store)["csat_good"]) == (38, 36)


def test_ctrl_c_at_the_question_cancels_and_no_at_save_after_correcting_keeps_nothing(store, as_alice):
    console = as_alice(
        menu("1"),
        ("Date", TUESDAY.isoformat()),
        figures("5", "5", "30", "40", "38", "36"),
        ("Save these figures anyway?", KeyboardInterrupt),
        menu("1"),
        ("Date", TUESDAY.isoformat()),
        figures("5", "5", "30", "40", "38", "36"),
        retyped(chats="38"),
        ("Save?", "n"),
        ("Enter more stats", "n"),
    )
    assert "Cancelled. Nothing was saved." in console.text
    assert "Nothing was saved for 2026-11-24." in console.text
    assert saved(store) is None


def test_the_usual_is_the_teams_own(store, as_alice):
    eight_usual_tuesdays(store, team="another team")
    console = as_alice(add_doubted(("100", "50", "950", "38.5", "40", "37"), ("Save?", "y")))
    assert "more than 5 times" not in console.text
    assert saved(store)["chats"] == 950


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_kept_answer_is_read_again_so_a_kept_count_above_new_ratings_is_asked_again(store, as_alice):
    console = as_alice(
        menu("1"),
        add_day(TUESDAY.isoformat(), "5", "5", "30", "40", "25", "24", more="y"),
        ("Date", TUESDAY.isoformat()),
        ("Overwrite", "y"),
        *[("[", "")] * 4,
        ("CSAT ratings (conversations rated) [25]", "20"),
        answers("Positive CSAT ratings (4 or 5 stars; or a %, e.g. 96%) [24]", "", "19"),
        ("Save?", "y"),
        ("Enter more stats", "n"),
    )
    assert "24 positive CSAT ratings is more than the 20 ratings." in console.text
    assert saved(store)["csat_good"] == 19
