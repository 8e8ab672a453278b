import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def app_env(settings, tmp_path) -> dict[str, str]:
    """The environment for a real `python3 run.py`: only what the app needs, pointing at temp folders."""
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path / "home"),
        "LANG": "C.UTF-8",
        "TERM": "xterm-256color",
        "STATBOTIC_DATA_DIR": str(settings.data_dir),
        "STATBOTIC_EXPORT_DIR": str(settings.export_dir),
        "NO_COLOR": "1",
        "PYTHONPATH": str(ROOT),
    }
    if settings.mongodb_uri:
        env["MONGODB_URI"] = settings.mongodb_uri
    return env


@pytest.fixture
def spawn_app(app_env, tmp_path):
    """Start run.py in a real pseudo-terminal (pexpect); closes it afterwards."""
    pexpect = pytest.importorskip("pexpect")
    children = []

    def spawn(*args: str, env: dict | None = None):
        child = pexpect.spawn(
            sys.executable,
            [str(ROOT / "run.py"), *args],
            env=env or app_env,
            cwd=str(tmp_path),
            encoding="utf-8",
            timeout=20,
            dimensions=(40, 120),
        )
        children.append(child)
        return child

    yield spawn
    for child in children:
        child.close(force=True)
