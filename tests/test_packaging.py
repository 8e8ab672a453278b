"""Dependencies are declared once (pyproject.toml) and pinned in step; the version lives in one place."""

import json
import re
import tomllib

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

import statbotic
from tests.conftest import ROOT

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def pins(name: str) -> dict[str, str]:
    """package -> pinned version of a requirements file (its -r includes left out)."""
    found = {}
    for line in (ROOT / name).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line or line.startswith("-r "):
            continue
        requirement = Requirement(line)
        (spec,) = requirement.specifier
        assert spec.operator == "==", f"{name}: {line} is not pinned with =="
        found[canonicalize_name(requirement.name)] = spec.version
    return found


def assert_pinned_in_step(declared: list[str], file_name: str) -> None:
    pinned = pins(file_name)
    wanted = {canonicalize_name(Requirement(d).name): Requirement(d) for d in declared}
    assert sorted(pinned) == sorted(wanted), f"{file_name} and pyproject.toml list different packages"
    for name, requirement in wanted.items():
        assert requirement.specifier.contains(pinned[name]), f"{file_name} pins {name} {pinned[name]}: {requirement}"


def test_requirements_txt_pins_exactly_the_runtime_dependencies():
    assert_pinned_in_step(PYPROJECT["project"]["dependencies"], "requirements.txt")


def test_requirements_dev_txt_pins_exactly_the_dev_extra_on_top_of_the_runtime_set():
    assert_pinned_in_step(PYPROJECT["project"]["optional-dependencies"]["dev"], "requirements-dev.txt")
    assert "-r requirements.txt" in (ROOT / "requirements-dev.txt").read_text(encoding="utf-8").splitlines()


def test_the_version_lives_in_statbotic_init_only():
    assert PYPROJECT["project"]["dynamic"] == ["version"]
    assert "version" not in PYPROJECT["project"]
    assert PYPROJECT["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "statbotic.__version__"}
    assert re.fullmatch(r"\d+\.\d+\.\d+", statbotic.__version__)
    assert "version" not in json.loads((ROOT / "package.json").read_text(encoding="utf-8"))


def test_the_console_script_is_the_cli_and_build_leftovers_are_ignored():
    assert PYPROJECT["project"]["scripts"] == {"statbotic": "statbotic.cli:main"}
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert "*.egg-info/" in ignored
