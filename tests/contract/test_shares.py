"""Share links on every backend (the ``store`` fixture runs each test on each): saved and found by their
token's hash or their id, listed by team, revoked once; each made and revoked audited, never with the
token's hash; a taken id or hash refused, writing nothing."""

from datetime import UTC, date, datetime, timedelta

import pytest

from statbotic import records
from statbotic.errors import InvalidInput
from statbotic.frozen import replace
from statbotic.records import Share, share_values

NOW = datetime(2026, 11, 26, 9, 30, tzinfo=UTC)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
HASH, OTHER_HASH = "e" * 64, "f" * 64


def share(share_id: str = "K7QM2XNP", token_hash: str = HASH, team: str = "support", minutes: int = 0) -> Share:
    made = NOW + timedelta(minutes=minutes)
    return Share(
        share_id, token_hash, team, date(2026, 10, 1), date(2026, 10, 31), "2026-10", "month", "alice", made,
        made + timedelta(days=7),
    )  # fmt: skip


def test_a_share_is_found_by_its_token_hash_and_by_its_id_as_saved(store):
    saved = share()
    store.add_share(saved)
    assert store.share_by_token_hash(HASH) == saved
    assert store.get_share("K7QM2XNP") == saved
    assert store.share_by_token_hash(OTHER_HASH) is None
    assert store.get_share("NOSUCHID") is None


def test_shares_are_listed_oldest_first_all_or_by_team(store):
    first, second, third = (
        share("AAAA2222", "1" * 64),
        share("BBBB3333", "2" * 64, "billing", 5),
        share("CCCC4444", "3" * 64, minutes=10),
    )
    for made in (third, first, second):
        store.add_share(made)
    assert store.shares() == [first, second, third]
    assert store.shares(["support"]) == [first, third]
    assert store.shares(["billing", "nobody"]) == [second]
    assert store.shares([]) == []


def test_a_share_is_revoked_once_and_audited_without_its_token_hash(store):
    store.add_share(share())
    at = NOW + timedelta(hours=1)
    assert store.revoke_share("K7QM2XNP", "bob", at) is True
    assert store.revoke_share("K7QM2XNP", "carol", at + timedelta(hours=1)) is False
    assert store.revoke_share("NOSUCHID", "bob", at) is False
    revoked = store.share_by_token_hash(HASH)
    assert (revoked.revoked_at, revoked.revoked_by) == (at, "bob")
    assert store.get_share("K7QM2XNP") == revoked
    entries = [e for e in store.audit_since(EPOCH) if e.subject == "share K7QM2XNP"]
    values = share_values(share())
    assert [(e.action, e.actor, e.team, e.at, e.before, e.after) for e in entries] == [
        (records.SHARE_CREATED, "alice", "support", NOW, None, values),
        (records.SHARE_REVOKED, "bob", "support", at, values, {**values, "revoked_at": at.isoformat()}),
    ]
    assert HASH not in repr(store.audit_since(EPOCH))


@pytest.mark.parametrize("taken", ["id", "hash"])
def test_a_taken_id_or_token_hash_is_refused_writing_nothing(store, taken):
    store.add_share(share())
    again = share("OTHER234", HASH) if taken == "hash" else share("K7QM2XNP", OTHER_HASH)
    with pytest.raises(InvalidInput):
        store.add_share(again)
    assert store.shares() == [share()]
    assert len([e for e in store.audit_since(EPOCH) if e.action == records.SHARE_CREATED]) == 1


def test_a_share_keeps_its_empty_label_and_unit(store):
    plain = replace(share(), label="", unit="days")
    store.add_share(plain)
    assert store.share_by_token_hash(HASH) == plain
