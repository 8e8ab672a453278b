"""DESIGN.md's house rules hold in statbotic/, and the checker that says so does catch each broken rule."""

import textwrap

import pytest

from tests.conftest import ROOT
from tests.support.layers import violations


def test_statbotic_keeps_the_house_rules():
    assert violations(ROOT / "statbotic", "statbotic") == []


def tree(tmp_path, files: dict[str, str]):
    """A small package 'bot' with the given modules (path -> source)."""
    for name, source in {"__init__.py": "", "storage/__init__.py": "", "ui/__init__.py": "", **files}.items():
        path = tmp_path / "bot" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(source))
    return tmp_path / "bot"


BROKEN = {
    "import cycle": {"cli.py": "from . import commands\n", "commands.py": "def f():\n    from .cli import main\n"},
    "domain module reaches outward": {"services.py": "from .ui import render\n", "ui/render.py": ""},
    "only storage/__init__.py chooses a backend": {"commands.py": "from .storage.sqlite import SQLiteStore\n"},
    "a database library outside its backend": {"services.py": "import sqlite3\n"},
    "get the store from cli.main": {"ui/screens.py": "from ..storage import open_store\n"},
    "through services": {"ui/screens.py": "def f(self):\n    return self.store.get_day('t', None)\n"},
    "only cli.py reads the environment": {"config.py": "import os\nHOME = os.environ.get('HOME')\n"},
    "only ui/console.py talks to the terminal": {"commands.py": "def f():\n    print('hi')\n"},
    "touches files only as a declared file edge": {"reports.py": "def f(path):\n    return path.read_text()\n"},
    "a domain module touches files": {"importing/aggregate.py": "def f(path):\n    return open(path)\n"},
    "only a declared network edge": {"commands.py": "def f():\n    from urllib.request import urlopen\n"},
    "(NETWORK_EDGES) opens connections": {"reports.py": "import smtplib\n"},
}


@pytest.mark.parametrize("rule", BROKEN)
def test_the_checker_catches_a_broken_rule(tmp_path, rule):
    found = violations(tree(tmp_path, BROKEN[rule]), "bot")
    assert any(rule in line for line in found), found


# The backends are packages: a module in one counts as that backend, and nothing else does.
BROKEN_PACKAGES = {
    "a backend's module imported from outside": (
        "only storage/__init__.py chooses a backend",
        {"commands.py": "from .storage.sqlite.schema import MIGRATIONS\n", "storage/sqlite/schema.py": ""},
    ),
    "a domain module importing a backend's module": (
        "domain module reaches outward",
        {"services.py": "from .storage.mongo import documents\n", "storage/mongo/documents.py": ""},
    ),
    "one backend importing the other": (
        "only storage/__init__.py chooses a backend",
        {"storage/mongo/days.py": "from ..sqlite import errors\n", "storage/sqlite/errors.py": ""},
    ),
    "sqlite3 in the MongoDB package": (
        "a database library outside its backend",
        {"storage/mongo/errors.py": "import sqlite3\n"},
    ),
    "pymongo beside the backends": ("a database library outside its backend", {"storage/base.py": "import pymongo\n"}),
    "bson in a module named like a backend": (
        "a database library outside its backend",
        {"storage/mongo_tools.py": "from bson import ObjectId\n"},
    ),
}


@pytest.mark.parametrize("case", BROKEN_PACKAGES)
def test_the_checker_reads_each_backend_as_its_whole_package(tmp_path, case):
    rule, files = BROKEN_PACKAGES[case]
    found = violations(tree(tmp_path, files), "bot")
    assert any(rule in line for line in found), found


def test_the_checker_passes_a_tidy_tree(tmp_path):
    tidy = {
        "cli.py": "import os\nENV = os.environ\ndef main():\n    from .storage import open_store\n",
        "services.py": "from .storage.base import Store\ndef get_day(store, day):\n    return store.get_day(day)\n",
        "storage/__init__.py": "def sqlite():\n    from .sqlite import SQLiteStore\n"
        "def mongo():\n    from .mongo import MongoStore\n",
        "storage/base.py": "class Store: ...\n",
        "storage/sqlite/__init__.py": "from .store import SQLiteStore\n",
        "storage/sqlite/store.py": "import sqlite3\nfrom .errors import _guard\nfrom ..base import Store\n",
        "storage/sqlite/errors.py": "import sqlite3\n",
        "storage/mongo/__init__.py": "from .store import MongoStore\n",
        "storage/mongo/store.py": "import pymongo\nfrom .errors import Failures\n",
        "storage/mongo/errors.py": "from bson import ObjectId\nfrom pymongo.errors import PyMongoError\n",
        "ui/console.py": "def ask():\n    return input('> ')\n",
        "ui/screens.py": "from .. import services\ndef f(self):\n    self.store.close()\n",
    }
    assert violations(tree(tmp_path, tidy), "bot") == []


@pytest.mark.parametrize("module", ["people_commands.py", "command_base.py"])
def test_the_modules_beside_commands_go_through_services_too(tmp_path, module):
    found = violations(tree(tmp_path, {module: "def f(ctx):\n    return ctx.store.teams()\n"}), "bot")
    assert any("through services" in line for line in found), found
