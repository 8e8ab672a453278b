"""A progress bar while files are imported: bytes read of the files' total, rows read and rows/s.

The ETA is worked out from bytes, the one total known before reading (a file's size; its rows are only
known once it is read): a file's rows are about as long at the end as at the start, so the bytes left
divided by the bytes per second so far is an honest estimate.  Rows/s is measured, never estimated.
Several files make one bar over all their bytes.

The bar shows only on a terminal (a console writing to a tty), and only once reading has taken longer
than ``DELAY`` seconds: a small file shows nothing, and a script or a pipe never sees a bar.  tqdm (a
maintained library) draws it; it is imported here, inside ``watched``, so only an import loads it.
The bar writes through the console (the one module that writes to the terminal) and is cleared when
reading ends, before the preview or a refusal is shown.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from ..importing.readers import read_all, read_rows

DELAY = 0.5  # seconds of reading before the bar appears
EVERY = 1024  # rows between two updates of the bar (an update reads the clock and the file's position)
MAX_WIDTH = 100  # columns the bar takes at most


def on_a_terminal(console) -> bool:
    """Whether the console writes to a terminal (a TerminalConsole on a tty; a scripted one never)."""
    stream = getattr(console, "stdout", None)
    try:
        return bool(stream is not None and stream.isatty())
    except (AttributeError, ValueError):
        return False


@contextmanager
def watched(console, show: bool) -> Iterator[Callable[[Sequence[Path]], Iterable]]:
    """How to read the files' rows (for import_service.plan_import's ``reading``): with a bar on
    ``console`` when ``show`` and the console is a terminal, else readers.read_all as it is.  The bar
    is closed (its line cleared) when the block ends, whatever ends it."""
    if not (show and on_a_terminal(console)):
        yield read_all
        return
    bars: list = []

    def reading(paths: Sequence[Path]) -> Iterator:
        bar = _bar(console, sum(_size(path) for path in paths))
        bars.append(bar)
        return _rows(paths, bar)

    try:
        yield reading
    finally:
        for bar in bars:
            bar.close()


def _bar(console, total: int):
    from tqdm import tqdm  # here: only an import loads tqdm (start-up stays light)

    return tqdm(
        total=total,
        desc="Reading",
        unit="B",
        unit_scale=True,
        unit_divisor=1024,
        delay=DELAY,
        leave=False,
        file=_ConsoleStream(console),
        ncols=min(shutil.get_terminal_size((80, 24)).columns - 1, MAX_WIDTH),
        bar_format="{desc} {percentage:3.0f}%|{bar}| {n_fmt}B of {total_fmt}B, ETA {remaining}{postfix}",
    )


def _rows(paths: Sequence[Path], bar) -> Iterator:
    """The rows of the files in order (as read_all), the bar moved every EVERY rows to the bytes read."""
    start, count, done = time.monotonic(), 0, 0
    for path in paths:
        rows = read_rows(path)
        for row in rows:
            yield row
            count += 1
            if count % EVERY == 0:
                _show(bar, done + rows.position, count, start)
        done += _size(path)
        _show(bar, done, count, start)


def _show(bar, position: int, count: int, start: float) -> None:
    """The bar at ``position`` bytes, with the rows read and the rows per second since ``start``."""
    elapsed = time.monotonic() - start
    rate = f"{count / elapsed:,.0f}" if elapsed > 0 else "-"
    bar.set_postfix_str(f"{count:,} rows, {rate} rows/s", refresh=False)
    bar.update(max(0, min(position, bar.total) - bar.n))


def _size(path: Path) -> int:
    try:
        return Path(path).stat().st_size
    except OSError:  # the reader refuses it, naming it
        return 0


class _ConsoleStream:
    """The file tqdm writes to: the console (so the bar goes where the console's messages go)."""

    def __init__(self, console) -> None:
        self.console = console
        self.encoding = getattr(getattr(console, "stdout", None), "encoding", None) or "utf-8"

    def write(self, text: str) -> None:
        self.console.write(text)

    def flush(self) -> None:
        """The console flushes every write."""
