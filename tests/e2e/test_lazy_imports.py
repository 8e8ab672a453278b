"""Start-up stays fast: the SQLite path never loads pymongo, and a session that draws no table
never loads tabulate; tqdm loads only while a file is imported, pygal only while a report is made; the
settings are checked at start without loading config, fractions or platformdirs (environment.py)."""

import subprocess
import sys

from tests.conftest import ROOT

PROBE = (
    "import sys; from statbotic.cli import main; status = main([]); "
    "sys.stderr.write('LOADED=' + ','.join(m for m in ('pymongo', 'tabulate', 'dotenv', 'argparse', "
    "'statbotic.config', 'fractions', 'platformdirs', 'tqdm', 'pygal', 'statbotic.report_page') "
    "if m in sys.modules) + '\\n'); sys.exit(status)"
)


def loaded_modules(tmp_path, env_extra, stdin) -> set[str]:
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "PYTHONPATH": str(ROOT),
        "STATBOTIC_DATA_DIR": str(tmp_path / "data"),
        **env_extra,
    }
    result = subprocess.run(
        [sys.executable, "-c", PROBE], input=stdin, capture_output=True, text=True, env=env, cwd=tmp_path, timeout=60
    )
    assert result.returncode == 0, result.stdout + result.stderr
    line = next(ln for ln in result.stderr.splitlines() if ln.startswith("LOADED="))
    return set(filter(None, line.removeprefix("LOADED=").split(",")))


def test_the_sqlite_path_never_imports_pymongo_nor_a_menu_session_without_an_import_tqdm(tmp_path):
    session = "2\nlazy_lead\npassword123\npassword123\n1\nlazy_lead\npassword123\n2\n2026-11-01\n3\nn\n0\n"
    loaded = loaded_modules(tmp_path, {}, session)
    assert "pymongo" not in loaded and "tqdm" not in loaded
    assert "pygal" not in loaded and "statbotic.report_page" not in loaded  # only when a report is made


def test_a_session_without_tables_loads_neither_tabulate_nor_argparse_nor_dotenv(tmp_path):
    assert loaded_modules(tmp_path, {}, "0\n") == set()  # nor config, fractions or platformdirs
