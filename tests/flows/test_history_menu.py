"""`7` History of a day: every version of a day from the audit log, reached from the main menu (and
pointed to by the add form when it shows a day that has figures)."""

from datetime import date

from tests.transcript import add_day, menu


def test_the_history_of_a_day_shows_each_version_with_who_and_what_changed(store, as_alice):
    console = as_alice(
        menu("1"),
        add_day("2026-11-20", "1", "1", "1", "1", "1", "1", more="y"),
        add_day("2026-11-20", "9", "3", "1", "1", "1", "1", overwrite="y"),
        menu("8"),
        ("Date", "2026-11-20"),
        menu("8"),
        ("Date", "2026-11-21"),
    )
    assert "Its earlier versions: 8 History of a day, in the main menu." in console.text
    history = console.text.split("History of 2026-11-20 (team default)", 1)[1].split("Main menu", 1)[0]
    lines = [line for line in history.splitlines() if " UTC  alice  " in line]
    assert len(lines) == 2
    assert "alice  day added: Ticket public comments 1" in lines[0] and "day changed: " in lines[1]
    words = " ".join(history.split())  # lines are wrapped for an 80-column terminal
    assert "day added: Ticket public comments 1, Ticket solves 1, Live chats 1" in words
    assert "day changed: Ticket public comments 1 → 9, Ticket solves 1 → 3" in words
    assert "Live chats 1 →" not in words  # only what changed
    assert max(len(line) for line in history.splitlines()) <= 79
    assert "No change of this day is in the audit log." in console.text.split("History of 2026-11-21", 1)[1]
    assert len(store.day_history("default", date(2026, 11, 20))) == 2
