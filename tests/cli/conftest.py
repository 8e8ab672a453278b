"""The CLI tests' environment: this test's store, a user 'lead' who logs in by environment variables."""

import io
import sys

import pytest

from statbotic.cli import main

PASSWORD = "cli-password-1"


@pytest.fixture
def cli_env(settings, monkeypatch, tmp_path):
    """Environment for the CLI on this test's backend, with a user 'lead' who logs in by env."""
    env = {
        "STATBOTIC_DATA_DIR": str(settings.data_dir),
        "STATBOTIC_EXPORT_DIR": str(settings.export_dir),
        "STATBOTIC_USER": "lead",
        "STATBOTIC_PASSWORD": PASSWORD,
        "NO_COLOR": "1",
    }
    if settings.mongodb_uri:
        env["MONGODB_URI"] = settings.mongodb_uri
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
    assert main(["users", "add", "lead", "--password-stdin"]) == 0
    return env
