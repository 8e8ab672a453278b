"""The main menu's "Report for a manager" (14): a period, the team or the department, one HTML file in the
export folder, and where it went (in the web page: Downloads, beside the terminal, to download or open)."""

from statbotic.frozen import replace
from tests.flows.test_department_menu import seed_team
from tests.flows.test_fits_80_columns import long_lines
from tests.transcript import EXIT, LOGIN, menu, period, play

TEAM = "statbotic-report-default-2026-11-16-2026-11-22.html"
DEPARTMENT = "statbotic-report-department-2026-11-16-2026-11-22.html"


def which(choice: str) -> list:
    return [("Choose a report", choice)]


def test_the_team_report_is_written_to_the_export_folder_and_the_path_said(november, as_alice, settings):
    console = as_alice(menu("14"), period("2026-W47"), which("1"))
    written = settings.export_dir / TEAM
    assert written.is_file()
    text = " ".join(console.text.split())
    assert f"Wrote the report to {written.resolve()}" in text
    page = written.read_text(encoding="utf-8")
    assert 'data-metric="csat_percent" data-value="92.8"' in page  # 116 of 125 ratings in week 47
    assert "14  Report for a manager" in console.text
    assert [line for line in long_lines(console.text) if not line.startswith("Wrote")] == []  # but the path


def test_the_department_report_has_each_team(november, store, as_alice, settings):
    seed_team(store, "support", 25, days=3)
    as_alice(menu("14"), period("2026-W47"), which("2"))
    page = (settings.export_dir / DEPARTMENT).read_text(encoding="utf-8")
    assert 'id="department"' in page and "support" in page and "default" in page


def test_in_the_web_page_the_report_is_in_downloads(november, store, settings, alice):
    console = play(store, replace(settings, web_session=True), LOGIN, menu("14"), period("2026-W47"), which("1"), EXIT)
    text = " ".join(console.text.split())
    assert f"Wrote {TEAM}: download it, or open it in a new tab, from Downloads beside the terminal." in text
    assert str(settings.export_dir) not in text


def test_a_bad_period_is_asked_again(november, as_alice, settings):
    console = as_alice(menu("14"), period("2026-13"), period("2026-W47"), which("1"))
    assert "month 13" in console.text and (settings.export_dir / TEAM).is_file()


def test_a_period_without_figures_is_written_and_said_to_have_none(november, as_alice, settings):
    console = as_alice(menu("14"), period("2025-W47"), which("1"))
    assert (settings.export_dir / "statbotic-report-default-2025-11-17-2025-11-23.html").is_file()
    assert "Those dates have no figures: the report says so." in console.text
    console = as_alice(menu("14"), period("2026-W47"), which("1"))
    assert "no figures" not in console.text
