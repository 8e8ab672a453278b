"""Importing figures from other tools' files (issue 13): a pure layer, no store writes.

- problems.py: ImportProblem (a file, line and column, and what is wrong) and ImportRefused;
- readers.py: Row, read_rows / read_all (CSV with any common delimiter, or JSON), file_digest;
- mapping.py: the TOML mapping from a file's columns to the team's metrics, and the PRESETS;
- aggregate.py: rows and a mapping into each day's (and agent's) entered figures.
"""
