"""After passwords, a token, an invite code and a reset code have been issued, used and guessed at, none
of them is anywhere but in the one output that issued it: not in the audit log, the log file, the store's
bytes (SQLite files, or every MongoDB document), nor any other command's output."""

from datetime import date

import pytest

from tests.security.conftest import DAY, EPOCH

NEW_PASSWORD = "Newbie-Pass-1234"  # given by the admin to users add
JOINER_PASSWORD = "Joiner-Pass-5678"  # chosen at registration
RESET_PASSWORD = "Reset-Pass-9012"  # set with the reset code
GUESSED = "Guessed-Pass-3456"  # an attacker's wrong guess


def store_text(settings, backend) -> str:
    """Everything the store holds, as text: the SQLite files' bytes, or every MongoDB document."""
    if backend == "sqlite":
        files = sorted(settings.data_dir.glob("*.sqlite3*"))  # the database, its WAL and shared memory
        assert files
        return "".join(path.read_bytes().decode("latin-1") for path in files)
    import pymongo

    client = pymongo.MongoClient(settings.mongodb_uri)
    try:
        database = client.get_default_database()
        return "".join(repr(list(database[name].find())) for name in database.list_collection_names())
    finally:
        client.close()


@pytest.fixture
def issued(attacker, store):
    """Runs a working day's commands; returns {secret: the output that issued it} and every output."""
    outputs, secrets = [], {}

    def run(*argv, stdin="", issues=None):
        status, out, err = attacker.run(*argv, stdin=stdin)
        assert status in (0, 1), (argv, err)
        if issues is not None:
            secrets[issues(out)] = len(outputs)
        outputs.append(out + err)
        return out

    attacker.as_user("root")
    run("users", "add", "newbie", "--team", "alpha", "--role", "lead", "--password-stdin", stdin=NEW_PASSWORD)
    token = run("users", "token", issues=str.strip).strip()
    invite = run("users", "invite", "--role", "viewer", issues=str.strip).strip()
    reset = run("users", "reset", "vic", issues=str.strip).strip()
    attacker.nobody()
    run("users", "register", "joiner", "--invite", invite, "--password-stdin", stdin=JOINER_PASSWORD)
    run("users", "set-password", "vic", "--code", reset, "--password-stdin", stdin=RESET_PASSWORD)
    run("users", "set-password", "vic", "--code", reset, "--password-stdin", stdin=GUESSED)  # spent: refused
    run("users", "register", "late", "--invite", invite, "--password-stdin", stdin=GUESSED)  # spent: refused
    attacker.as_user("joiner", GUESSED)
    run("view", DAY)  # refused: wrong password
    attacker.with_token(token)
    run("audit", "--since", "1d", "--json")
    run("audit")
    run("users", "list", "--json")
    run("view", DAY, "--json")
    attacker.as_user("newbie", NEW_PASSWORD)
    run(
        "add",
        "2026-11-04",
        "--comments",
        "1",
        "--solves",
        "1",
        "--chats",
        "1",
        "--wait",
        "1",
        "--ratings",
        "1",
        "--positive",
        "1",
        "--force",
    )
    assert store.get_user("joiner") is not None and store.get_day("alpha", date(2026, 11, 4)) is not None
    assert "Unlocked" not in "".join(outputs) and "The password of vic is set" in "".join(outputs)
    secrets.update({NEW_PASSWORD: None, JOINER_PASSWORD: None, RESET_PASSWORD: None, GUESSED: None})
    return secrets, outputs


def test_no_secret_is_kept_or_shown_but_where_it_was_issued(issued, store, settings, backend):
    secrets, outputs = issued
    assert len(secrets) == 7
    audit = repr(store.audit_since(EPOCH))
    log = settings.log_path.read_text() if settings.log_path.exists() else ""
    kept = store_text(settings, backend)
    for secret, issuer in secrets.items():
        variants = {secret, secret.replace("-", ""), secret.lower()}
        for variant in variants:
            assert variant not in audit, secret
            assert variant not in log, secret
            assert variant not in kept, secret
        shown = [number for number, output in enumerate(outputs) if secret in output]
        assert shown == ([] if issuer is None else [issuer]), (secret, shown)
