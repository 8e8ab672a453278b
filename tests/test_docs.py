"""The documentation stays true: every menu option and every setting the code reads is documented."""

import re

import pytest

from tests.conftest import ROOT
from tests.transcript import EXIT, LOGIN, play

README = (ROOT / "README.md").read_text(encoding="utf-8")
ENV_EXAMPLE = (ROOT / ".env.example").read_text(encoding="utf-8")


def settings_read_by_the_code() -> set[str]:
    names = set()
    for source in (ROOT / "statbotic").rglob("*.py"):
        names |= set(re.findall(r"\b(STATBOTIC_[A-Z_]+|MONGODB_URI|NO_COLOR)\b", source.read_text(encoding="utf-8")))
    return names


def test_every_setting_is_in_the_readme_and_env_example():
    names = settings_read_by_the_code()
    assert {"STATBOTIC_DATA_DIR", "STATBOTIC_EXPORT_DIR", "MONGODB_URI", "NO_COLOR"} <= names
    for name in names:
        assert f"`{name}`" in README, f"{name} is missing from README's settings table"
        assert name in ENV_EXAMPLE, f"{name} is missing from .env.example"


@pytest.mark.parametrize("backend", ["sqlite"])
def test_every_menu_option_is_in_the_readme(store, settings, alice):
    console = play(store, settings, [*LOGIN, ("Choose an option", "10"), ("Choose an option", "0"), *EXIT])
    options = re.findall(r"^ +(\d+)  (.+)$", console.text, flags=re.MULTILINE)  # login, main, administration
    assert len(options) >= 25
    for key, label in options:
        assert f"`{key}` **{label}**" in README, f"menu option {key} {label!r} is not documented"


def test_the_readme_starts_with_the_two_commands():
    block = README.split("```bash\n", 1)[1].split("```", 1)[0]
    assert [line.split()[0] for line in block.strip().splitlines()] == ["./scripts/run", "./scripts/test"]
    assert README.index("```bash") < README.index("Statbotic records")


def test_the_readme_session_is_what_the_app_shows():
    from tests.support.readme_session import session_text

    block = README.split("## A session", 1)[1].split("```text\n", 1)[1].split("```", 1)[0]
    assert block == session_text(), "README's session is stale: .venv/bin/python -m tests.support.readme_session"
