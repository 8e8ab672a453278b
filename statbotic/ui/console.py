"""The only code that reads from or writes to the terminal: the menus and the commands alike.

``TerminalConsole`` talks to the real terminal (or to piped input, line by line);
``ScriptedConsole`` plays a transcript for tests and fails on any prompt it didn't expect.
"""

from __future__ import annotations

import io
import sys

from ..limits import MAX_ANSWER, MAX_PASSWORD_LENGTH, checked_answer

READ_CHUNK = 65_536  # characters read at a time while skipping an over-long line
STYLES = {"title": "1;36", "heading": "1", "ok": "32", "error": "31", "warn": "33", "dim": "2", "accent": "35"}


class Console:
    """Base: styling and line output; subclasses supply the raw reads and writes."""

    color: bool = False

    def paint(self, text: str, style: str | None) -> str:
        if not self.color or style is None:
            return text
        return f"\x1b[{STYLES[style]}m{text}\x1b[0m"

    def say(self, text: str = "", style: str | None = None) -> None:
        self.write(self.paint(text, style) + "\n")

    def ok(self, text: str) -> None:
        self.say(text, "ok")

    def error(self, text: str) -> None:
        self.say(text, "error")

    def warn(self, text: str) -> None:
        self.say(text, "warn")

    def write(self, text: str) -> None:
        raise NotImplementedError

    def ask(self, prompt: str) -> str:
        """One line of input (without its newline); InvalidInput when it is longer than MAX_ANSWER
        characters or not UTF-8 text, before anything parses it.  EOFError at end of input."""
        return checked_answer(self.read_line(prompt, MAX_ANSWER), MAX_ANSWER)

    def ask_secret(self, prompt: str) -> str:
        """Like ask, but never echoed, and up to MAX_PASSWORD_LENGTH characters."""
        return checked_answer(self.read_secret(prompt, MAX_PASSWORD_LENGTH), MAX_PASSWORD_LENGTH, "That password")

    def read_line(self, prompt: str, limit: int) -> str:
        """The raw line: whole when at most ``limit`` characters, else at least limit + 1 of them."""
        raise NotImplementedError

    def read_secret(self, prompt: str, limit: int) -> str:
        """Like read_line, but never echoed."""
        raise NotImplementedError

    def interrupted(self) -> None:
        """After Ctrl-C: end the half-typed line so the next message starts clean."""
        self.write("\n")


class TerminalConsole(Console):
    def __init__(
        self, stdin: io.TextIOBase | None = None, stdout: io.TextIOBase | None = None, color: bool = True
    ) -> None:
        """``color``: whether the settings allow colour (NO_COLOR, TERM=dumb); it shows only on a terminal."""
        self.stdin = stdin or sys.stdin
        self.stdout = stdout or sys.stdout
        self.interactive = _isatty(self.stdin)
        self.color = color and _isatty(self.stdout)
        if hasattr(self.stdin, "reconfigure"):
            # Bytes that are not UTF-8 become lone surrogates, which ask refuses, instead of a
            # UnicodeDecodeError that loses the rest of the buffered input.
            self.stdin.reconfigure(errors="surrogateescape")

    def write(self, text: str) -> None:
        self.stdout.write(text)
        self.stdout.flush()

    def read_line(self, prompt: str, limit: int) -> str:
        if self.interactive and self.stdin is sys.stdin and self.stdout is sys.stdout:
            return input(prompt)  # a terminal's line is bounded by the terminal (4,095 bytes on Linux)
        return self._read_line(prompt, limit)

    def read_secret(self, prompt: str, limit: int) -> str:
        if self.interactive:
            import getpass

            try:
                return getpass.getpass(prompt, stream=self.stdout)
            except UnicodeDecodeError as problem:  # read as a pipe is, so ask_secret refuses it as not UTF-8
                return bytes(problem.object).decode("utf-8", "surrogateescape")
        # Piped input has no echo to hide; getpass would read /dev/tty instead of the pipe.
        return self._read_line(prompt, limit)

    def _read_line(self, prompt: str, limit: int) -> str:
        """At most limit + 2 characters are kept (a pasted megabyte is skipped, never held whole)."""
        self.write(prompt)
        line = self.stdin.readline(limit + 2)
        if not line:
            raise EOFError
        if not self.interactive:
            self.write("\n")  # piped answers are not echoed; keep the transcript readable
        if len(line) == limit + 2 and not line.endswith("\n"):
            self._skip_line()
        return line.rstrip("\r\n")

    def _skip_line(self) -> None:
        """Read and drop the rest of an over-long line, a chunk at a time."""
        while True:
            chunk = self.stdin.readline(READ_CHUNK)
            if not chunk or chunk.endswith("\n"):
                return


def _isatty(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class UnexpectedPrompt(AssertionError):
    pass


class ScriptedConsole(Console):
    """A transcript for tests: a list of (text expected in the prompt, answer) pairs.

    An answer may be the exceptions EOFError or KeyboardInterrupt, to simulate Ctrl-D / Ctrl-C,
    or a function called at that moment that returns the answer (to change the world mid-flow).
    Output is kept in ``.output``.  A prompt that doesn't contain the expected text, or a prompt
    after the script ran out, raises UnexpectedPrompt: a flow test fails instead of hanging.
    """

    def __init__(self, script: list[tuple[str, object]]) -> None:
        self.script = list(script)
        self.output: list[str] = []
        self.prompts: list[str] = []
        self.secret_prompts: list[str] = []

    @property
    def text(self) -> str:
        return "".join(self.output)

    def write(self, text: str) -> None:
        self.output.append(text)

    def read_line(self, prompt: str, limit: int) -> str:
        return self._answer(prompt)

    def read_secret(self, prompt: str, limit: int) -> str:
        self.secret_prompts.append(prompt)
        return self._answer(prompt)

    def _answer(self, prompt: str) -> str:
        self.prompts.append(prompt)
        self.output.append(prompt)
        if not self.script:
            raise UnexpectedPrompt(f"unexpected prompt {prompt!r} after the script ended; output:\n{self.text}")
        expected, answer = self.script.pop(0)
        if expected not in prompt:
            raise UnexpectedPrompt(f"expected a prompt containing {expected!r}, got {prompt!r}; output:\n{self.text}")
        if isinstance(answer, type) and issubclass(answer, BaseException):
            raise answer()
        if callable(answer):
            answer = answer()
        self.output.append(f"{answer}\n")
        return str(answer)
