"""Only an admin defines metrics: a lead, a viewer, a lead's token or a disabled user's token trying to add,
edit, retire, restore or move one is refused in one line, and the whole store -- its definitions too --
is unchanged.  The use cases refuse them as well, whatever the caller (menus, CLI, the web page)."""

import pytest

from statbotic import metric_admin
from statbotic.errors import Forbidden
from statbotic.metric_kinds import Kind
from tests.security.conftest import snapshot

CHANGES = [
    ["metrics", "add", "mine", "--label", "Mine", "--kind", "count"],
    ["metrics", "add", "mine", "--label", "Mine", "--kind", "count", "--team", "beta"],
    ["metrics", "edit", "chats", "--label", "Hijacked"],
    ["metrics", "edit", "csat_percent", "--target", "1"],
    ["metrics", "retire", "comments_per_solve"],
    ["metrics", "restore", "comments_per_solve"],
    ["metrics", "move", "chats", "1"],
]
WHO = ["lead ann", "viewer vic", "lead bob", "token of ann", "token of vic", "token of dis"]  # bob: a lead of B


def everything(store) -> dict:
    return {**snapshot(store), "metrics": store.metric_definitions()}


def as_someone(attacker, world, who: str):
    name = who.split()[-1]
    return attacker.with_token(world[name]) if who.startswith("token") else attacker.as_user(name)


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("argv", CHANGES, ids=lambda argv: " ".join(argv[1:3]))
def test_a_non_admin_cant_change_a_definition(attacker, world, store, who, argv):
    before = everything(store)
    message = as_someone(attacker, world, who).refused(*argv)
    assert message.startswith("Only an admin can") or "disabled" in message, message
    assert everything(store) == before


def test_the_use_cases_refuse_them_too(world, store):
    before = everything(store)
    for name in ("ann", "vic", "bob", "dis"):
        user = store.get_user(name)
        for change, args in (
            (metric_admin.add_metric, ("mine", "Mine", Kind.COUNT)),
            (metric_admin.edit_metric, ("chats",)),
            (metric_admin.retire_metric, ("comments_per_solve",)),
            (metric_admin.restore_metric, ("comments_per_solve",)),
            (metric_admin.move_metric, ("chats", 1)),
        ):
            with pytest.raises(Forbidden, match="Only an admin can"):
                change(store, user, *args)
    assert everything(store) == before


def test_a_lead_listing_metrics_learns_no_other_team(attacker, world, store):
    root = store.get_user("root")
    metric_admin.add_metric(store, root, "secret_b", "Beta only", Kind.COUNT, teams=("beta",))
    status, out, err = as_someone(attacker, world, "lead ann").run("metrics", "list", "--all", "--json")
    assert status == 0 and "secret_b" not in out and "beta" not in out, out
