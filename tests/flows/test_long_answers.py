"""A pasted essay at any prompt is refused before it is parsed, and the same question is asked again."""

from tests.conftest import PASSWORD
from tests.transcript import EXIT, answers, menu, play

HUGE = "2026-11-25" * 10_000
TOO_LONG = "That answer is too long: at most 200 characters."


def test_a_long_answer_is_refused_and_the_same_question_asked_again(store, settings, alice):
    console = play(
        store,
        settings,
        menu("1"),
        ("Username", HUGE),  # a try lost, as for a wrong password
        ("Username", "alice"),
        ("Password", PASSWORD),
        menu("2"),
        answers("Start date or period", HUGE, "2026-11-25"),
        ("extra days", "0"),
        ("View more", "n"),
        answers("Choose an option", HUGE, "0"),
    )
    assert console.text.count(TOO_LONG) == 3
    assert f"{TOO_LONG} 2 tries left." in console.text
    assert "Hello, alice!" in console.text


def test_a_long_password_is_refused_at_the_prompt(store, settings, alice):
    first = [("Username", "alice"), ("Password", "p" * 1025)]
    console = play(store, settings, menu("1"), *first, ("Username", "alice"), ("Password", PASSWORD), EXIT)
    assert "That password is too long: at most 1,024 characters. 2 tries left." in console.text
