"""Administration 14 in a real terminal: a bad agent name is said and asked again, a name with accents is
kept as typed, and the store holds it afterwards."""

import pytest

from statbotic.storage import open_store
from tests.e2e.test_terminal import answer, expect_clean_exit, register_and_log_in

pytestmark = pytest.mark.pty


def test_an_admin_links_themselves_to_an_agent_after_a_bad_name_is_asked_again(spawn_app, settings):
    child = spawn_app()
    register_and_log_in(child, "pat")  # the first user: the admin
    answer(child, "Choose an option: ", "10")
    answer(child, "Choose an option: ", "14")
    answer(child, "Username: ", "PAT")
    child.expect_exact("pat is linked to no agent.")
    answer(child, "pat's agent, as imports name them: ", "   ")
    child.expect_exact("An agent's name has 1 to 80 printable characters, as imports spell it.")
    answer(child, "pat's agent, as imports name them: ", "  Patrícia Gonçalves ")
    child.expect_exact("pat is linked to agent Patrícia Gonçalves: Patrícia Gonçalves's figures are pat's own.")
    answer(child, "Choose an option: ", "1")
    child.expect_exact("agent: Patrícia")
    answer(child, "Choose an option: ", "0")
    answer(child, "Choose an option: ", "0")
    expect_clean_exit(child)
    store = open_store(settings)
    try:
        assert store.get_user("pat").agent == "Patrícia Gonçalves"
    finally:
        store.close()
