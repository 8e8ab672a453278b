"""The main menu's `11` Import a file, in-process on both stores: the file asked again while it is
missing, the preset by number, the preview, the conflict question, the confirmation, the refusals,
and who sees the entry.  ``november`` (flows/conftest) holds team default's week 47."""

import json
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from statbotic.frozen import replace
from tests.flows.conftest import add_member
from tests.transcript import EXIT, log_in_as, menu, play

COLUMNS = ("comments", "solves", "chats", "wait_tenths", "csat_ratings", "csat_good")
STORED_16 = dict(comments=20, solves=10, chats=50, wait_tenths=400, csat_ratings=25, csat_good=24)
STORED_17 = {**STORED_16, "csat_good": 23}
NEW_23 = dict(comments=31, solves=12, chats=60, wait_tenths=385, csat_ratings=30, csat_good=29)
CHANGED_16 = {**STORED_16, "comments": 44}


def daily_csv(tmp_path, days: dict[str, dict]) -> str:
    """Statbotic's own daily CSV (the statbotic-daily preset's columns)."""
    lines = ["team,date," + ",".join(COLUMNS)]
    lines += [f"default,{day}," + ",".join(str(figures[c]) for c in COLUMNS) for day, figures in days.items()]
    path = tmp_path / "week.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def week_file(tmp_path) -> str:
    return daily_csv(tmp_path, {"2026-11-16": CHANGED_16, "2026-11-17": STORED_17, "2026-11-23": NEW_23})


def days_of(store) -> dict:
    return {record.day: dict(record.entered) for record in store.iter_all_days() if record.team == "default"}


def choose_file(path: str, layout: str = "1") -> list:
    return [("File to import", path), ("Another page", ""), ("Choose a layout", layout)]


def test_a_lead_imports_keeping_the_saved_day_that_differs(november, as_alice, tmp_path):
    path = week_file(tmp_path)
    console = as_alice(
        menu("11"),
        ("File to import", str(tmp_path / "nope.csv")),
        ("File to import", str(tmp_path)),
        *choose_file(path),
        ("Choose an option", "1"),  # keep the saved figures
        ("Write 1 day into team default?", "y"),
    )
    text = console.text
    assert f"There is no file {str(tmp_path / 'nope.csv')!r}" in text
    assert "is a folder, not a file." in text
    assert "Team default: 3 days in the file." in text
    assert "1 day already saved with other figures (saved -> imported):" in text
    assert "  2026-11-16: Ticket public comments 20 -> 44" in text
    assert "Team default: 1 saved, 1 unchanged, 1 kept as stored." in text
    days = days_of(november)
    assert days[date(2026, 11, 23)] == NEW_23 and days[date(2026, 11, 16)] == STORED_16


def test_replace_writes_the_files_figures_over_the_saved_ones(november, as_alice, tmp_path):
    console = as_alice(menu("11"), *choose_file(week_file(tmp_path)), ("Choose an option", "2"), ("Write 2 days", "y"))
    assert "Team default: 2 saved, 1 unchanged." in console.text
    days = days_of(november)
    assert days[date(2026, 11, 16)] == CHANGED_16 and days[date(2026, 11, 23)] == NEW_23


def test_cancel_at_the_conflict_question_or_no_at_the_confirmation_writes_nothing(november, as_alice, tmp_path):
    path = week_file(tmp_path)
    before = list(november.iter_all_days())
    console = as_alice(
        menu("11"),
        *choose_file(path),
        ("Choose an option", "0"),
        menu("11"),
        *choose_file(path),
        ("Choose an option", "2"),
        ("Write 2 days", "n"),
    )
    assert console.text.count("Nothing was written.") == 2
    assert list(november.iter_all_days()) == before


def test_importing_the_same_file_again_has_nothing_to_write(november, as_alice, tmp_path):
    path = daily_csv(tmp_path, {"2026-11-17": STORED_17})
    console = as_alice(menu("11"), *choose_file(path))
    assert "Nothing to write" in console.text and "unchanged" in console.text


def test_bad_rows_are_shown_and_nothing_is_written_unless_the_rest_is_accepted(november, as_alice, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("team,date,comments,solves\ndefault,2026-11-23,12a,3\ndefault,2026-11-24,5,2\n", encoding="utf-8")
    before = list(november.iter_all_days())
    console = as_alice(menu("11"), *choose_file(str(bad)), ("Leave out the bad rows", "n"))
    assert "bad.csv, line 2, column 'comments': '12a' is not a number." in console.text
    assert "Nothing was written." in console.text
    assert list(november.iter_all_days()) == before
    console = as_alice(
        menu("11"), *choose_file(str(bad)), ("Leave out the bad rows", "y"), ("Write 1 day into team default?", "y")
    )
    assert "Left out, of 2 rows read: 1 problem." in console.text
    assert days_of(november)[date(2026, 11, 24)] == {"comments": 5, "solves": 2}
    assert date(2026, 11, 23) not in days_of(november)


def test_a_file_refused_whole_is_shown_and_the_menu_comes_back(november, as_alice, tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    console = as_alice(menu("11"), *choose_file(str(empty)))
    assert "empty.csv: is empty." in console.text
    assert "Main menu" in console.text.split("empty.csv: is empty.", 1)[1]


def test_items_ask_the_time_zone_again_until_it_is_one_and_count_into_its_local_day(november, as_alice, tmp_path):
    page = tmp_path / "page1.json"
    moment = datetime(2026, 11, 23, 23, 30, tzinfo=UTC)
    local = moment.astimezone(ZoneInfo("Europe/Paris")).date()  # the 24th in Paris
    item = {"created_at": int(moment.timestamp()), "statistics": {"time_to_admin_reply": 30}}
    item["conversation_rating"] = {"rating": 5}
    page.write_text(json.dumps({"conversations": [item]}), encoding="utf-8")
    console = as_alice(
        menu("11"),
        *choose_file(str(page), layout="3"),
        ("Time zone", "Mars/Olympus"),
        ("Time zone", "Europe/Paris"),
        ("Write 1 day", "y"),
    )
    assert "'Mars/Olympus' is not a time zone" in console.text
    assert "Team default: 1 day in the file." in console.text
    assert days_of(november)[local] == {"chats": 1, "wait_tenths": 300, "csat_ratings": 1, "csat_good": 1}


def test_a_mapping_of_ones_own_is_asked_again_while_it_is_refused(november, as_alice, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[rows]\nkind = "daily"\n', encoding="utf-8")
    good = tmp_path / "mine.toml"
    good.write_text('[rows]\nkind = "daily"\ndate = "date"\nentry_columns = true\n', encoding="utf-8")
    path = daily_csv(tmp_path, {"2026-11-23": NEW_23})
    console = as_alice(
        menu("11"),
        ("File to import", path),
        ("Another page", ""),
        ("Choose a layout", "5"),
        ("Mapping file", str(bad)),
        ("Mapping file", str(good)),
        ("Write 1 day", "y"),
    )
    assert "bad.toml: key 'rows.date'" in console.text
    assert "Team default: 1 saved, 0 unchanged." in console.text
    assert days_of(november)[date(2026, 11, 23)] == NEW_23


def test_ctrl_c_at_a_question_goes_back_to_the_menu(november, as_alice):
    console = as_alice(menu("11"), ("File to import", KeyboardInterrupt))
    assert "Cancelled. Nothing was saved." in console.text


def test_a_viewer_does_not_see_the_entry_nor_reach_it(november, settings, password_hash):
    add_member(november, password_hash, "vic", default="viewer")
    console = play(november, settings, log_in_as("vic"), menu("11"), EXIT)
    assert "Import a file" not in console.text
    assert "Please choose one of: 2, 3, 4, 5, 6, 7, 8, 12, 14, 0." in console.text


def test_the_web_page_does_not_offer_it(november, settings):
    console = play(november, replace(settings, web_session=True), log_in_as("alice"), menu("11"), EXIT)
    assert "Import a file" not in console.text and "Please choose one of:" in console.text
