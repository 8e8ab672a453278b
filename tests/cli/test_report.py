"""`statbotic report` (issue 14) on both stores: one self-contained HTML file whose headline figures
(read from their data-metric / data-value attributes) equal `view --json`'s for the same period, the
department's with --all-teams, the agents' section only when there are agent figures, a viewer's
limits, usage errors (exit 2) and a place it can't write (exit 1, no file)."""

import json
import re
from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest

from statbotic.records import DayRecord
from tests.cli.conftest import DAY, NOW, PASSWORD
from tests.cli.test_commands import run
from tests.support.agent_days import generate, record

BILLING = ["--team", "billing"]
PERIOD = "2026-11-01..2026-11-10"


class Page(HTMLParser):
    """What a test reads of a report: each element's id, and each headline row's data-* attributes."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.rows: dict[str, dict[str, str]] = {}
        self.tags: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        self.tags.append(tag)
        if "id" in values:
            self.ids.add(values["id"])
        if tag == "tr" and "data-metric" in values:
            self.rows[values["data-metric"]] = values


@pytest.fixture
def billing_days(org, store):
    """Billing: org's DAY and four more days of figures in PERIOD, one day missing between them."""
    first = date.fromisoformat(DAY)
    for offset, (ratings, good) in enumerate([(40, 39), (12, 12), (60, 50), (45, 44)], start=2):
        figures = dict(comments=30 + offset, solves=10 + offset, chats=100, wait_tenths=400, csat_ratings=ratings)
        day = first + timedelta(days=offset)
        store.upsert_day(DayRecord("billing", day, {**figures, "csat_good": good}, "lena", NOW))


def figure_text(value) -> str:
    return "" if value is None else str(value)


def report_page(capsys, tmp_path, *argv) -> Page:
    target = tmp_path / "report.html"
    status, out, err = run(capsys, "report", PERIOD, *argv, "-o", str(target))
    assert status == 0, err
    assert str(target.resolve()) in out
    return Page(target.read_text(encoding="utf-8"))


def test_the_headline_figures_equal_view_json(billing_days, capsys, tmp_path):
    page = report_page(capsys, tmp_path, *BILLING)
    status, out, _ = run(capsys, "view", PERIOD, *BILLING, "--json")
    assert status == 0
    view = json.loads(out)
    assert set(page.rows) == set(view["summary"]["figures"])
    for key, figure in view["summary"]["figures"].items():
        row = page.rows[key]
        assert row["data-value"] == figure_text(figure["value"]), key
        assert row["data-per-day"] == figure_text(figure["per_day"]), key
        met = view["targets"].get(key, {}).get("met")
        assert row["data-target-met"] == ("" if met is None else str(met).lower()), key
    assert {"headline", "comparison", "notes", "trends", "daily", "method", "pacing"} <= page.ids
    assert "agents" not in page.ids and "department" not in page.ids  # no agent figures; one team


def test_the_page_is_self_contained_with_accessible_charts(billing_days, capsys, tmp_path):
    page = report_page(capsys, tmp_path, *BILLING)
    text = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "script" not in page.tags and "<script" not in text.lower()
    assert re.findall(r'(?:src|href)\s*=\s*"[^"]*"', text) == ['href="data:,"'], "nothing to fetch (no icon)"
    assert re.findall(r"https?://[^\s\"'<>]+", text) == ["http://www.w3.org/2000/svg"] * text.count("<svg ")
    ids = re.findall(r'\sid="([^"]+)"', text)
    assert len(ids) == len(set(ids)), "ids are unique across the charts"
    assert text.count('role="img"') == text.count("<svg ") == 6  # a chart per metric
    assert text.count("<title id=") == text.count("<desc id=") == 6
    assert "without a figure (gaps in the line)" in text  # 2026-11-04 and others have no figures
    assert "✗ missed" in text and "✓" in text  # words beside the marks, not colour alone


def test_default_name_in_the_export_folder_says_where_and_never_overwrites(billing_days, capsys, settings):
    status, out, _ = run(capsys, "report", PERIOD, *BILLING)
    written = settings.export_dir / "statbotic-report-billing-2026-11-01-2026-11-10.html"
    assert status == 0 and str(written.resolve()) in out and written.is_file()
    status, out, _ = run(capsys, "report", PERIOD, *BILLING)
    assert status == 0 and "statbotic-report-billing-2026-11-01-2026-11-10-2.html" in out


def test_the_department_report_equals_view_all_teams_json(billing_days, store, capsys, tmp_path):
    store.upsert_day(DayRecord("support", date(2026, 11, 5), dict(DAY_SUPPORT), "sam", NOW))
    page = report_page(capsys, tmp_path, "--all-teams")
    status, out, _ = run(capsys, "view", PERIOD, "--all-teams", "--json")
    assert status == 0
    department = json.loads(out)
    for key, figure in department["department"]["figures"].items():
        assert page.rows[key]["data-value"] == figure_text(figure["value"]), key
    for key, target in department["targets"].items():
        assert page.rows[key]["data-target-met"] == ("" if target["met"] is None else str(target["met"]).lower())
    assert "department" in page.ids and "daily" not in page.ids
    text = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "Part of the miss" in text  # each team's contribution to a missed target
    assert "(solid line)" in text and "(dotted line)" in text  # a line per team, each its own dash


DAY_SUPPORT = dict(comments=50, solves=40, chats=80, wait_tenths=300, csat_ratings=50, csat_good=49)


def test_the_agents_table_only_with_agent_figures_and_a_viewer_sees_their_own(cli_env, store, capsys, tmp_path):
    days = generate(7, date(2026, 11, 2), 5)
    record(store, "default", store.get_user("lead"), days)
    page = report_page(capsys, tmp_path)
    assert "agents" in page.ids
    text = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "Figures per agent" in text and "Ana Lima" in text and "Bo Chen" in text

    from statbotic import auth
    from statbotic.records import User

    store.add_user(User("ana", auth.hash_password(PASSWORD), NOW, teams={"default": "viewer"}), by="lead")
    store.update_user("ana", by="lead", at=NOW, agent="Ana Lima")
    mine = tmp_path / "mine.html"
    status, _, err = run(capsys, "report", PERIOD, "--user", "ana", "-o", str(mine))
    assert status == 0, err
    text = mine.read_text(encoding="utf-8")
    assert "My figures" in text and "Ana Lima" in text and "Bo Chen" not in text


def test_a_viewer_reports_their_team_only(billing_days, capsys, tmp_path):
    page = report_page(capsys, tmp_path, *BILLING, "--user", "vic")
    assert "agents" not in page.ids  # a viewer linked to no agent: no agents section
    target = tmp_path / "support.html"
    status, _, err = run(capsys, "report", PERIOD, "--team", "support", "--user", "vic", "-o", str(target))
    assert status == 1 and not target.exists()
    assert "support" in err
    department = report_page_named(capsys, tmp_path, "dept.html", "--all-teams", "--user", "vic")
    assert "support" not in department.split('id="department"', 1)[1].split("</table>", 1)[0]


def report_page_named(capsys, tmp_path, name: str, *argv) -> str:
    target = tmp_path / name
    status, _, err = run(capsys, "report", PERIOD, *argv, "-o", str(target))
    assert status == 0, err
    return target.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "argv, words",
    [
        (["report", "2026-13"], "month 13"),
        (["report", "soon"], "soon"),
        (["report", PERIOD, "--all-teams", "--teams", "billing"], "choose one"),
        (["report", PERIOD, "--teams", " , "], "--teams"),
    ],
)
def test_bad_arguments_exit_2(org, capsys, argv, words):
    status, _, err = run(capsys, *argv)
    assert status == 2 and words in err


def test_a_place_it_cannot_write_exits_1_leaving_no_file(billing_days, capsys, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    status, out, err = run(capsys, "report", PERIOD, *BILLING, "-o", str(blocker / "report.html"))
    assert (
        status == 1
        and out == ""
        and f"Can't write the report to {blocker / 'report.html'}: {blocker} is not a folder." in err
    )
    existing = tmp_path / "kept.html"
    existing.write_text("mine", encoding="utf-8")
    status, _, err = run(capsys, "report", PERIOD, *BILLING, "-o", str(existing))
    assert status == 1 and "exists already" in err and existing.read_text(encoding="utf-8") == "mine"
    assert sorted(p.name for p in Path(tmp_path).iterdir() if p.name.startswith(".partial")) == []


def test_a_period_without_figures_says_so_in_the_report(org, capsys, tmp_path):
    target = tmp_path / "empty.html"
    status, _, err = run(capsys, "report", "2026-10-01..2026-10-05", *BILLING, "-o", str(target))
    assert status == 0 and "No stats were entered for 2026-10-01 to 2026-10-05." in target.read_text(encoding="utf-8")
    assert "Those dates have no figures: the report says so." in err  # told, not only written
    status, _, err = run(capsys, "report", DAY, *BILLING, "-o", str(tmp_path / "day.html"))
    assert status == 0 and "no figures" not in err


def test_output_dash_is_standard_output_and_writes_no_file(billing_days, capsys, settings, tmp_path, monkeypatch):
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    status, out, err = run(capsys, "report", PERIOD, *BILLING, "-o", "-")
    assert status == 0 and out.startswith("<!doctype html>") and out.rstrip().endswith("</html>")
    assert list(here.iterdir()) == [] and err == ""
    assert not settings.export_dir.exists() or list(settings.export_dir.iterdir()) == []
