"""Rows out of other tools' files, streamed: memory stays flat however long the file.

CSV: the delimiter is any of , ; TAB | (csv.Sniffer on the first lines, else the header's most
frequent, else ','); UTF-8 with or without a BOM; quoted fields may hold delimiters and newlines;
Windows line endings; the first record is the header (a column without a name, or a name twice, is
refused); blank lines are skipped; a short record's missing cells are empty.

JSON: an array of objects, or an object holding such an array under one key (a saved page of a list
API: {"type": "conversation.list", "conversations": [...], "pages": {...}}); nested objects are
flattened with "." ("statistics.time_to_admin_reply"), null is an empty cell, a list is its JSON text.
Items are decoded one at a time from a sliding buffer, so a large page is never held whole.

``read_rows`` returns ``Rows``, an iterator of Row; a CSV file's records can also be read as plain lists
(``Rows.csv_records``), as aggregate does for speed.  ``Row.line`` is the CSV record's first line, or the
JSON item's index + 1; ``Row.file`` the file's name.
A file that can't be read as either raises ImportRefused naming it.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from ..frozen import frozen
from .problems import ImportRefused

DELIMITERS = ",;\t|"
SNIFF_CHARS = 16 * 1024  # the first lines the delimiter is guessed from
CHUNK_BYTES = 64 * 1024
# A saved page of a list API names its list; an object with one of these keys uses it even when
# another key also holds a list of objects.
LIST_KEYS = ("data", "conversations", "tickets", "results", "items", "records", "rows", "ticket_metrics", "users")
JSON_SUFFIXES = (".json",)


@frozen
class Row:
    """One record: ``cells`` by column (or flattened key) name, all text ('' for nothing)."""

    line: int
    cells: Mapping[str, str]
    file: str = ""


def read_all(paths: Iterable[Path]) -> Iterator[Row]:
    """The rows of several files (a list's pages) in order, each row naming its file."""
    for path in paths:
        yield from read_rows(path)


def read_rows(path: Path) -> Rows:
    """The rows of one CSV or JSON file, streamed; ImportRefused for a file that is neither.  Nothing is
    read before the first row is asked for."""
    return Rows(Path(path))


class Rows:
    """An iterator over a file's rows (read_rows).  A CSV file's records can also be read as plain lists
    through ``csv_records()`` before iterating: the fast path of aggregate (no Row, no dict per record)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._rows: Iterator[Row] | None = None
        self._source = None  # the open file's binary stream, once reading has begun (``position``)

    def __iter__(self) -> Rows:
        return self

    @property
    def fresh(self) -> bool:
        """Whether no row has been asked for yet (csv_records can still be used)."""
        return self._rows is None

    def __next__(self) -> Row:
        if self._rows is None:
            self._rows = _read(self.path, self._opened)
        return next(self._rows)

    def _opened(self, source) -> None:
        self._source = getattr(source, "buffer", source)  # a text file's bytes are read by its buffer

    @property
    def position(self) -> int:
        """The bytes of the file read so far (what a progress bar shows against the file's size): 0
        before reading, the buffer's position while reading (ahead of the rows given by at most a
        buffer's worth), the file's size once it is closed."""
        source = self._source
        if source is None:
            return 0
        try:
            return source.tell()
        except (OSError, ValueError):  # closed: read to the end (or given up on a refusal)
            return self.path.stat().st_size

    @contextmanager
    def csv_records(self) -> Iterator[CsvRecords | None]:
        """The file as a CSV table (None for a JSON file): its header and a csv.reader positioned after it.
        A record of the reader's whose length is not the header's, or whose first cell is blank, goes
        through ``CsvRecords.fix`` (a blank line is skipped, a short record padded, a long one refused);
        errors inside the block are refused as iterating would refuse them."""
        if self._rows is not None:
            raise RuntimeError("the rows are being read already")
        path = self.path
        if _kind(path) == "json":
            yield None  # iterate the rows instead
            return
        self._rows = iter(())
        with _csv_table(path, self._opened) as table:
            yield table


class CsvRecords:
    """A CSV file's header and its csv.reader after the header (``reader.line_num``: the last line read)."""

    def __init__(self, name: str, header: tuple[str, ...], reader) -> None:
        self.name, self.header, self.reader = name, header, reader

    def fix(self, record: list[str], line: int) -> list[str] | None:
        """A record as read_rows has it, as a list as long as the header: None for a blank line."""
        if not any(cell.strip() for cell in record):
            return None
        width = len(self.header)
        if len(record) > width:
            _cells(self.header, record, self.name, line)  # refuses a stray delimiter
            return record[:width]
        return record + [""] * (width - len(record))

    def rows(self) -> Iterator[Row]:
        """The records left as Row objects, as read_rows gives them."""
        header, name, reader = self.header, self.name, self.reader
        first_line = reader.line_num + 1
        for record in reader:
            line, first_line = first_line, reader.line_num + 1
            if any(cell.strip() for cell in record):
                yield Row(line, _cells(header, record, name, line), name)


def _ignore(source) -> None:
    """The default ``opened`` callback: nobody watches the file's position."""


def _kind(path: Path) -> str:
    """ "json" or "csv"; ImportRefused for a file that can't be read, empty, binary, HTML or not UTF-8."""
    name = path.name
    try:
        start = _first_text(path)
    except OSError as exc:
        raise ImportRefused.one(name, f"can't be read: {exc.strerror or exc}.") from exc
    if start == "":
        raise ImportRefused.one(name, "is empty.")
    if path.suffix.lower() in JSON_SUFFIXES or start[0] in "[{":
        return "json"
    if start[0] == "<":
        raise ImportRefused.one(name, "looks like HTML or XML, not CSV or JSON.")
    return "csv"


def _read(path: Path, opened=_ignore) -> Iterator[Row]:
    """The file's rows; ``opened(source)`` is called with the file object once it is open."""
    if _kind(path) == "json":
        yield from _json_rows(path, opened)
    else:
        yield from _csv_rows(path, opened)


def file_digest(path: Path) -> str:
    """The file's SHA-256, hex, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as source:
        while chunk := source.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def _first_text(path: Path) -> str:
    """The file's first non-blank characters ('' for an empty or blank file); ImportRefused if not UTF-8."""
    with open(path, "rb") as source:
        head = source.read(4096)
    try:
        text = head.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not a character cut at the end of what was read
            raise ImportRefused.one(path.name, "is not UTF-8 text (save it as UTF-8 CSV or JSON).") from exc
        text = head[: exc.start].decode("utf-8-sig")
    if "\x00" in text:
        raise ImportRefused.one(path.name, "holds binary data: it is not a CSV or JSON file.")
    return text.lstrip()[:16]


# --- CSV ---------------------------------------------------------------------------------------


def _delimiter(sample: str) -> str:
    """The delimiter of a CSV whose first characters are ``sample``."""
    complete = sample[: sample.rfind("\n") + 1] or sample  # whole lines only
    try:
        return csv.Sniffer().sniff(complete, delimiters=DELIMITERS).delimiter
    except csv.Error:
        header = complete.splitlines()[0] if complete.strip() else ""
        counts = {d: header.count(d) for d in DELIMITERS}
        best = max(counts, key=counts.get)
        return best if counts[best] else ","


def _csv_rows(path: Path, opened=_ignore) -> Iterator[Row]:
    with _csv_table(path, opened) as table:
        yield from table.rows()


@contextmanager
def _csv_table(path: Path, opened=_ignore) -> Iterator[CsvRecords]:
    """A CSV file opened as a table: its header (the first line that isn't blank) and its csv.reader after
    it.  A bad encoding, a CSV error or no header, whether met here or while the block reads the records,
    is refused naming the file (and the line where the reader was)."""
    name = path.name
    with open(path, encoding="utf-8-sig", newline="") as source:
        opened(source)
        reader = None
        try:
            delimiter = _delimiter(source.read(SNIFF_CHARS))
            source.seek(0)
            reader = csv.reader(source, delimiter=delimiter, quotechar='"', doublequote=True, strict=False)
            header, line = None, 1
            for record in reader:
                if any(cell.strip() for cell in record):
                    header = _header(record, name, line)
                    break
                line = reader.line_num + 1
            if header is None:
                raise ImportRefused.one(name, "has no header row (the first line must name the columns).")
            yield CsvRecords(name, header, reader)
        except UnicodeDecodeError as exc:
            raise ImportRefused.one(name, "is not UTF-8 text (save it as UTF-8 CSV).") from exc
        except csv.Error as exc:
            raise ImportRefused.one(
                name, f"is not a CSV file we can read: {exc}.", (reader and reader.line_num) or None
            ) from exc


def _header(record: list[str], name: str, line: int) -> tuple[str, ...]:
    header = tuple(cell.strip() for cell in record)
    for number, column in enumerate(header, start=1):
        if not column:
            raise ImportRefused.one(name, f"the header's column {number} has no name.", line)
        if header.index(column) != number - 1:
            raise ImportRefused.one(name, f"the header names {column!r} twice.", line)
    return header


def _cells(header: tuple[str, ...], record: list[str], name: str, line: int) -> dict[str, str]:
    extra = record[len(header) :]
    if any(cell.strip() for cell in extra):
        raise ImportRefused.one(
            name, f"has {len(record)} cells where the header has {len(header)} columns (a stray delimiter?).", line
        )
    cells = dict(zip(header, record, strict=False))
    for column in header[len(record) :]:
        cells[column] = ""
    return cells


# --- JSON --------------------------------------------------------------------------------------

_WHITESPACE = " \t\r\n"


class _Buffer:
    """The file's text, decoded chunk by chunk, read through a position; what is behind it is dropped."""

    def __init__(self, source, name: str) -> None:
        self.source, self.name = source, name
        self.decoder = codecs.getincrementaldecoder("utf-8-sig")()
        self.text, self.at, self.ended = "", 0, False

    def more(self) -> bool:
        if self.ended:
            return False
        chunk = self.source.read(CHUNK_BYTES)
        try:
            decoded = self.decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError as exc:
            raise ImportRefused.one(self.name, "is not UTF-8 text (save it as UTF-8 JSON).") from exc
        self.ended = not chunk
        self.text = self.text[self.at :] + decoded
        self.at = 0
        return True

    def peek(self) -> str:
        """The next character that is not white space ('' at the end of the file)."""
        while True:
            while self.at < len(self.text) and self.text[self.at] in _WHITESPACE:
                self.at += 1
            if self.at < len(self.text):
                return self.text[self.at]
            if not self.more():
                return ""

    def expect(self, characters: str) -> str:
        found = self.peek()
        if not found or found not in characters:
            raise self.wrong(f"expected {' or '.join(repr(c) for c in characters)}")
        self.at += 1
        return found

    def value(self, decoder: json.JSONDecoder) -> object:
        """The next whole JSON value (read further until it is complete)."""
        self.peek()
        while True:
            try:
                value, end = decoder.raw_decode(self.text, self.at)
            except json.JSONDecodeError:
                if self.more():
                    continue
                raise self.wrong("a value is cut short or malformed") from None
            if end == len(self.text) and self.more():
                continue  # a number at the end of what was read may go on in the next chunk
            self.at = end
            return value

    def peek_after(self) -> str:
        """The first character after the one at the position that is not white space, not moving."""
        index = self.at + 1
        while True:
            while index < len(self.text) and self.text[index] in _WHITESPACE:
                index += 1
            if index < len(self.text):
                return self.text[index]
            offset = index - self.at
            if not self.more():
                return ""
            index = self.at + offset

    def wrong(self, what: str) -> ImportRefused:
        return ImportRefused.one(self.name, f"is not valid JSON ({what}).")


def _json_rows(path: Path, opened=_ignore) -> Iterator[Row]:
    name = path.name
    decoder = json.JSONDecoder()
    with open(path, "rb") as source:
        opened(source)
        buffer = _Buffer(source, name)
        first = buffer.peek()
        if first == "[":
            yield from _items(buffer, decoder, name)
        elif first == "{":
            yield from _page(buffer, decoder, name)
        else:
            buffer.value(decoder)  # not JSON at all, or a lone string or number
            raise _shape(name)
        if buffer.peek():
            raise buffer.wrong("something follows the end of the document")


def _shape(name: str) -> ImportRefused:
    return ImportRefused.one(
        name, 'is JSON of the wrong shape: it needs a list of objects, or an object holding one (e.g. "data": [...]).'
    )


def _page(buffer: _Buffer, decoder: json.JSONDecoder, name: str) -> Iterator[Row]:
    """An object holding the list of items under one key: the first key holding a list of objects
    (or any list under a LIST_KEYS name) is read item by item; every other value is skipped."""
    buffer.expect("{")
    used = None
    if buffer.peek() == "}":
        buffer.at += 1
        raise _shape(name)
    while True:
        key = buffer.value(decoder)
        if not isinstance(key, str):
            raise buffer.wrong("an object's key is not a string")
        buffer.expect(":")
        if buffer.peek() == "[" and _holds_items(buffer, key):
            if used is not None:
                raise ImportRefused.one(name, f"holds lists under both {used!r} and {key!r}: which is the data?")
            used = key
            yield from _items(buffer, decoder, name)
        else:
            buffer.value(decoder)  # metadata: "pages", "total_count", "type"...
        if buffer.expect(",}") == "}":
            break
    if used is None:
        raise _shape(name)


def _holds_items(buffer: _Buffer, key: str) -> bool:
    """Whether the list starting at the buffer holds objects (or is empty under a LIST_KEYS name)."""
    following = buffer.peek_after()
    return following == "{" or (following == "]" and key in LIST_KEYS)


def _items(buffer: _Buffer, decoder: json.JSONDecoder, name: str) -> Iterator[Row]:
    buffer.expect("[")
    if buffer.peek() == "]":
        buffer.at += 1
        return
    index = 0
    while True:
        item = buffer.value(decoder)
        index += 1
        if not isinstance(item, dict):
            raise ImportRefused.one(name, f"item {index} of the list is not an object, so it has no columns.", index)
        yield Row(index, flatten(item), name)
        if buffer.expect(",]") == "]":
            return


def flatten(item: dict, prefix: str = "") -> dict[str, str]:
    """A JSON object's values as text cells, nested objects' keys joined with '.'."""
    cells: dict[str, str] = {}
    for key, value in item.items():
        column = f"{prefix}{key}"
        if isinstance(value, dict):
            cells.update(flatten(value, column + "."))
        else:
            cells[column] = _text(value)
    return cells


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
