"""statbotic/importing/readers.py: CSV with any delimiter, BOM, quotes, CRLF; JSON lists and saved list
pages, flattened; bad files refused naming the file; streaming; problems' text."""

from __future__ import annotations

import hashlib
import json
import tracemalloc
from pathlib import Path

import pytest

from statbotic.errors import StatboticError
from statbotic.importing.problems import MAX_SHOWN, ImportProblem, ImportRefused
from statbotic.importing.readers import Row, file_digest, read_all, read_rows


def write(folder: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = folder / name
    path.write_bytes(text.encode(encoding))
    return path


def rows_of(path: Path) -> list[tuple[int, dict[str, str]]]:
    return [(row.line, dict(row.cells)) for row in read_rows(path)]


def refusal(path: Path) -> str:
    with pytest.raises(ImportRefused) as caught:
        list(read_rows(path))
    assert caught.value.count == 1
    return caught.value.message


# --- problems ------------------------------------------------------------------------------------


def test_a_problem_names_its_file_line_and_column():
    problem = ImportProblem("stats.csv", 14, "Solved tickets", "'12a' is not a whole number.")
    assert problem.text() == "stats.csv, line 14, column 'Solved tickets': '12a' is not a whole number."
    assert ImportProblem("stats.csv", None, None, "is empty.").text() == "stats.csv: is empty."
    assert ImportProblem("a.json", 3, None, "x.").text() == "a.json, line 3: x."


def test_a_refusal_lists_the_first_ten_and_counts_the_rest():
    problems = [ImportProblem("s.csv", n, "A", f"bad {n}.") for n in range(1, 26)]
    refused = ImportRefused(problems)
    assert isinstance(refused, StatboticError)
    assert refused.count == 25 and refused.problems == tuple(problems[:MAX_SHOWN]) and MAX_SHOWN == 10
    lines = refused.message.splitlines()
    assert lines[0] == "s.csv, line 1, column 'A': bad 1." and lines[9].endswith("bad 10.")
    assert lines[-1] == "… and 15 more"
    assert ImportRefused(problems[:3]).message.count("\n") == 2  # no "more" line
    assert ImportRefused(problems[:3], count=40).message.endswith("… and 37 more")


# --- CSV -----------------------------------------------------------------------------------------

TABLE = [["Date", "Public comments", "Solved tickets"], ["2024-05-01", "12", "3"], ["2024-05-02", "1,234", "4"]]


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_each_delimiter_is_recognised(tmp_path, delimiter):
    def cell(text: str) -> str:
        return f'"{text}"' if delimiter in text or "," in text else text

    text = "".join(delimiter.join(cell(c) for c in record) + "\n" for record in TABLE)
    assert rows_of(write(tmp_path, "stats.csv", text)) == [
        (2, {"Date": "2024-05-01", "Public comments": "12", "Solved tickets": "3"}),
        (3, {"Date": "2024-05-02", "Public comments": "1,234", "Solved tickets": "4"}),
    ]


def test_a_bom_crlf_and_quoted_delimiters_and_newlines(tmp_path):
    text = (
        '\ufeffDate;Note;Solved tickets\r\n2024-05-01;"a; b";3\r\n\r\n'
        '2024-05-02;"two\r\nlines ""quoted""";4\r\n2024-05-03;x;5'
    )
    assert rows_of(write(tmp_path, "s.csv", text)) == [
        (2, {"Date": "2024-05-01", "Note": "a; b", "Solved tickets": "3"}),
        (4, {"Date": "2024-05-02", "Note": 'two\r\nlines "quoted"', "Solved tickets": "4"}),
        (6, {"Date": "2024-05-03", "Note": "x", "Solved tickets": "5"}),  # the record's first line
    ]


def test_quoted_headers_and_other_delimiters_inside_cells(tmp_path):
    quoted = '"Date","Public comments","Solved tickets"\r\n"2024-05-01","12","3"\r\n'
    assert rows_of(write(tmp_path, "q.csv", quoted)) == [
        (2, {"Date": "2024-05-01", "Public comments": "12", "Solved tickets": "3"})
    ]
    german = "Datum;Wartezeit;Notiz\n01.05.2024;12,5;a, b\n02.05.2024;1,0;c\n"  # decimal commas
    assert rows_of(write(tmp_path, "de.csv", german)) == [
        (2, {"Datum": "01.05.2024", "Wartezeit": "12,5", "Notiz": "a, b"}),
        (3, {"Datum": "02.05.2024", "Wartezeit": "1,0", "Notiz": "c"}),
    ]
    commas = "Date,Wait,Note\n2024-05-01,1:05,a|b\n2024-05-02,0:30,c;d\n2024-05-03,12.5,x\n"
    assert [cells["Note"] for _, cells in rows_of(write(tmp_path, "w.csv", commas))] == ["a|b", "c;d", "x"]
    assert rows_of(write(tmp_path, "h.csv", "Date,Solves\n")) == []  # a header alone: no rows


def test_header_names_are_trimmed_and_a_short_record_has_empty_cells(tmp_path):
    rows = rows_of(write(tmp_path, "s.csv", " Date , Solves \n2024-05-01\n2024-05-02,4,\n"))
    assert rows == [(2, {"Date": "2024-05-01", "Solves": ""}), (3, {"Date": "2024-05-02", "Solves": "4"})]


def test_a_single_column_file_falls_back_to_commas(tmp_path):
    assert rows_of(write(tmp_path, "s.csv", "Date\n2024-05-01\n")) == [(2, {"Date": "2024-05-01"})]


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("empty.csv", b"", "empty.csv: is empty."),
        ("blank.csv", b"\r\n  \n", "blank.csv: is empty."),
        ("latin.csv", "Date,Büro\n2024-05-01,3\n".encode("latin-1"), "latin.csv: is not UTF-8 text"),
        ("nameless.csv", b"Date,,Solves\n1,2,3\n", "nameless.csv, line 1: the header's column 2 has no name."),
        ("twice.csv", b"Date,Solves,Solves\n1,2,3\n", "twice.csv, line 1: the header names 'Solves' twice."),
        ("wide.csv", b"Date,Solves\n1,2\n3,4,5\n", "wide.csv, line 3: has 3 cells where the header has 2"),
        ("page.csv", b"<!DOCTYPE html><html>", "page.csv: looks like HTML or XML, not CSV or JSON."),
        ("nul.csv", b"Date,Solves\n1,\x002\n", "nul.csv: holds binary data: it is not a CSV or JSON file."),
        ("huge.csv", b'Date,Note\n1,"' + b"x" * 200_000 + b'"\n', "huge.csv, line 2: is not a CSV file we can read"),
    ],
)
def test_bad_csv_files_are_refused_naming_the_file(tmp_path, name, content, says):
    path = tmp_path / name
    path.write_bytes(content)
    assert refusal(path).startswith(says)


def test_not_utf8_far_into_the_file_is_refused_too(tmp_path):
    body = "Date,Note\n" + "2024-05-01,ok\n" * 5000 + "2024-05-02,Büro\n"
    path = tmp_path / "late.csv"
    path.write_bytes(body.encode("latin-1"))
    assert refusal(path).startswith("late.csv: is not UTF-8 text")


# --- JSON ----------------------------------------------------------------------------------------


def test_a_json_array_of_objects_is_flattened(tmp_path):
    items = [
        {"id": 7, "created_at": 1714550400, "statistics": {"time_to_admin_reply": 65, "deep": {"x": 1.5}}},
        {"id": 8, "conversation_rating": None, "open": True, "tags": ["a", "b"], "name": "Zoë"},
    ]
    assert rows_of(write(tmp_path, "c.json", json.dumps(items))) == [
        (
            1,
            {"id": "7", "created_at": "1714550400", "statistics.time_to_admin_reply": "65", "statistics.deep.x": "1.5"},
        ),
        (2, {"id": "8", "conversation_rating": "", "open": "true", "tags": '["a","b"]', "name": "Zoë"}),
    ]


@pytest.mark.parametrize("key", ["data", "conversations", "tickets", "results"])
def test_a_saved_page_of_a_list_api_is_read_under_its_key(tmp_path, key):
    page = {
        "type": "list",
        "pages": {"next": {"page": 2, "starting_after": "abc"}, "total": [1, 2]},
        key: [{"id": 1}, {"id": 2}],
        "total_count": 12345,
    }
    path = write(tmp_path, "page.json", "\ufeff" + json.dumps(page, indent=2).replace("\n", "\r\n"))
    assert rows_of(path) == [(1, {"id": "1"}), (2, {"id": "2"})]


def test_an_empty_page_has_no_rows(tmp_path):
    assert rows_of(write(tmp_path, "p.json", '{"conversations": [], "pages": {}}')) == []
    assert rows_of(write(tmp_path, "q.json", "[]")) == []


def test_json_is_read_whatever_the_suffix_and_csv_whatever_the_suffix(tmp_path):
    assert rows_of(write(tmp_path, "export.txt", '[{"a": 1}]')) == [(1, {"a": "1"})]
    assert rows_of(write(tmp_path, "export.tsv", "a\tb\n1\t2\n")) == [(2, {"a": "1", "b": "2"})]


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ('"just a string"', "is JSON of the wrong shape"),
        ("[1, 2]", "line 1: item 1 of the list is not an object"),
        ('{"total": 3, "type": "list"}', "is JSON of the wrong shape"),
        ("{}", "is JSON of the wrong shape"),
        ('{"data": [{"a": 1}], "more": [{"b": 2}]}', "holds lists under both 'data' and 'more'"),
        ('[{"a": 1}, {"a": 2}', "is not valid JSON"),
        ('[{"a": 1}] [', "is not valid JSON (something follows"),
        ('{"data": [{"a": 1}] "x": 1}', "is not valid JSON"),
        ("Date,Solves", "is not valid JSON"),
    ],
)
def test_json_of_the_wrong_shape_is_refused(tmp_path, text, says):
    message = refusal(write(tmp_path, "bad.json", text))
    assert message.startswith("bad.json") and says in message


def test_json_is_decoded_across_chunk_boundaries(tmp_path, monkeypatch):
    import statbotic.importing.readers as readers

    monkeypatch.setattr(readers, "CHUNK_BYTES", 7)  # every number, string and key cut somewhere
    items = [{"n": 1234567890123, "text": "é" * 20, "nested": {"k": [1, 2, 3]}, "f": 0.5} for _ in range(30)]
    page = {"meta": {"count": 1234567}, "tickets": items, "after": 98765}
    path = write(tmp_path, "t.json", json.dumps(page))
    rows = list(read_rows(path))
    assert len(rows) == 30 and rows[-1].line == 30
    assert dict(rows[0].cells) == {"n": "1234567890123", "text": "é" * 20, "nested.k": "[1,2,3]", "f": "0.5"}


# --- several files, digests, streaming -----------------------------------------------------------


def test_several_pages_are_read_in_order_each_row_naming_its_file(tmp_path):
    first = write(tmp_path, "p1.json", json.dumps({"data": [{"id": 1}, {"id": 2}]}))
    second = write(tmp_path, "p2.csv", "id\n3\n")
    rows = list(read_all([first, second]))
    assert [(r.file, r.line, r.cells["id"]) for r in rows] == [
        ("p1.json", 1, "1"),
        ("p1.json", 2, "2"),
        ("p2.csv", 2, "3"),
    ]
    assert rows[0] == Row(1, {"id": "1"}, "p1.json")


def test_the_digest_is_the_files_sha256(tmp_path):
    content = b"Date,Solves\n" * 100_000
    path = tmp_path / "s.csv"
    path.write_bytes(content)
    assert file_digest(path) == hashlib.sha256(content).hexdigest()


def test_a_missing_file_is_refused(tmp_path):
    assert refusal(tmp_path / "nowhere.csv").startswith("nowhere.csv: can't be read")


@pytest.mark.parametrize("suffix", ["csv", "json"])
def test_reading_streams_memory_stays_well_under_the_files_size(tmp_path, suffix):
    path = tmp_path / f"big.{suffix}"
    with open(path, "w", encoding="utf-8", newline="") as out:
        if suffix == "csv":
            out.write("created_at,assignee,rating,wait\r\n")
            for n in range(100_000):
                out.write(f'{1714550400 + n * 30},"Agent, {n % 7}",{n % 5 + 1},{n % 300}\r\n')
        else:
            out.write('{"type": "conversation.list", "conversations": [')
            for n in range(100_000):
                item = {"created_at": 1714550400 + n, "statistics": {"time_to_admin_reply": n % 300}}
                out.write(("," if n else "") + json.dumps(item))
            out.write('], "pages": {"next": null}}')
    size = path.stat().st_size
    tracemalloc.start()
    try:
        count = sum(1 for _ in read_rows(path))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert count == 100_000
    assert size > 2_500_000 and peak < size / 10, (size, peak)
