"""Retries scripts can trust: `add` with exactly the figures already stored for the day is a success
(exit 0, "already saved"), so a script may always run the same command again -- say after "Can't reach
the database" when the write had landed but the reply was lost.  Other figures still need --overwrite."""

from statbotic import storage
from statbotic.errors import StoreUnavailable
from tests.cli.test_bad_input import figures_with
from tests.cli.test_commands import FIGURES, run

ALREADY = "The stats for 2026-11-20 are already saved (the same figures).\n"


def test_adding_the_same_figures_again_succeeds_and_other_figures_need_overwrite(cli_env, capsys):
    assert run(capsys, "add", "2026-11-20", *FIGURES) == (0, "Saved the stats for 2026-11-20.\n", "")
    assert run(capsys, "add", "2026-11-20", *FIGURES) == (0, ALREADY, "")
    status, out, err = run(capsys, "add", "2026-11-20", *figures_with("--positive", "46"))
    assert (status, out) == (1, "")
    assert err == "statbotic: 2026-11-20 has figures already; add --overwrite to replace them.\n"


def losing_replies(monkeypatch):
    """Every day written lands in the store, but the reply is lost: the command is told it failed."""
    opened = storage.open_store

    def open_store(settings):
        store = opened(settings)
        write = store.upsert_day

        def upsert_day(record):
            write(record)
            raise StoreUnavailable("Can't reach the database at 127.0.0.1:27017 — check MONGODB_URI or your network.")

        store.upsert_day = upsert_day
        return store

    monkeypatch.setattr(storage, "open_store", open_store)


def test_a_retry_after_a_lost_reply_is_safe(cli_env, capsys, monkeypatch):
    with monkeypatch.context() as patched:
        losing_replies(patched)
        status, out, err = run(capsys, "add", "2026-11-20", *FIGURES)
    assert (status, out) == (1, "") and "Can't reach the database" in err
    # The same figures, even typed another way (90.4 % of 52 ratings is the 47 stored), are already there.
    assert run(capsys, "add", "2026-11-20", *FIGURES) == (0, ALREADY, "")
    note = "90.4 % of 52 ratings = 47 positive (90.4 %)\n"
    assert run(capsys, "add", "2026-11-20", *figures_with("--positive", "90.4%")) == (0, note + ALREADY, "")
