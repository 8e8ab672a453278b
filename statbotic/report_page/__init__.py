"""The report a manager reads (issue 14): one self-contained HTML page of a period -- headline figures
against targets, the comparison with the previous period, pacing, a trend chart per metric, the daily
table, the department and agents when there are any, and how each figure is computed -- with a
plain-text twin for e-mail.  Used by `statbotic report`, the menus, `digest` and share links.

Loaded only when a report is made: its chart library never slows start-up."""

from __future__ import annotations

from .document import NO_FIGURES, ReportDocument, build_document

__all__ = ["NO_FIGURES", "ReportDocument", "build_document"]
