"""Pacing (issue 14) on the menus' View screen: a running period ends with what the rest of it needs for
each target; one that has ended shows none.  The transcripts' today is 2026-11-26 (tests/transcript.py)."""

from tests.transcript import EXIT, LOGIN, menu, period, play


def test_the_view_of_this_month_ends_with_its_pacing(november, settings):
    console = play(november, settings, LOGIN, menu("2"), period("this month"), ("View more", "n"), EXIT)
    text = " ".join(console.text.split())  # the block's lines are wrapped to fit 80 columns
    # so far: 164 positive of 175 ratings on 7 days (93.7 %), 160 comments on 70 solves (2.29); the usual
    # volume is those 7 days' (25 ratings, 10 solves a day); the 26th to the 30th are still to come:
    # (95 x (175 + 125) - 100 x 164) / 125 = 96.8 %, and (2 x (70 + 50) - 160) / 50 = 1.60
    assert "Pacing Chat CSAT 93.7 % so far this month; at the usual ~25 ratings a day, the remaining 5 days" in text
    assert "the remaining 5 days need 96.8 % positive to reach 95.0 %." in text
    assert (
        "Public comments per solve 2.29 so far this month; at the usual ~10 ticket solves a day, the remaining"
        " 5 days need at most 1.60 public comments per solve to reach 2.00." in text
    )


def test_a_week_that_has_ended_shows_no_pacing(november, settings):
    console = play(november, settings, LOGIN, menu("2"), period("2026-W47"), ("View more", "n"), EXIT)
    assert "Pacing" not in console.text
