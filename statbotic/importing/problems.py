"""What is wrong with an import: each problem names its file, and its line and column when known."""

from __future__ import annotations

from collections.abc import Iterable

from ..errors import StatboticError
from ..frozen import frozen

MAX_SHOWN = 10  # problems a refusal lists; the rest are counted ("… and N more")


@frozen
class ImportProblem:
    """One thing wrong: ``line`` is the file's line (a CSV record's first line, a JSON item's index + 1)."""

    file: str
    line: int | None
    column: str | None
    message: str

    def text(self) -> str:
        """E.g. "stats.csv, line 14, column 'Solved tickets': '12a' is not a whole number."."""
        where = [self.file]
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        return f"{', '.join(where)}: {self.message}"


class ImportRefused(StatboticError):
    """The import can't go ahead: ``problems`` holds the first MAX_SHOWN, ``count`` all of them."""

    def __init__(self, problems: Iterable[ImportProblem], count: int | None = None) -> None:
        listed = tuple(problems)
        self.count = len(listed) if count is None else max(count, len(listed))
        self.problems = listed[:MAX_SHOWN]
        lines = [problem.text() for problem in self.problems]
        if self.count > len(self.problems):
            lines.append(f"… and {self.count - len(self.problems)} more")
        super().__init__("\n".join(lines) if lines else "The import was refused.")

    @classmethod
    def one(cls, file: str, message: str, line: int | None = None, column: str | None = None) -> ImportRefused:
        """A refusal for a single problem (a bad file, a bad mapping key)."""
        return cls([ImportProblem(file, line, column, message)])
