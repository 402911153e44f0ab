"""validate stage: a feed (file or URL) → findings, the checks podcast directories make."""

from __future__ import annotations

from briefing.validate.document import ParseFailure, load_document
from briefing.validate.findings import Finding, Report
from briefing.validate.rules import RULES, run_rules
from briefing.validate.rules.rss import STRUCTURE, structure_problem

__all__ = ["Finding", "Report", "RULES", "validate_feed"]


def validate_feed(source: str, *, timeout: float = 10.0) -> Report:
    """Validate the feed at `source` (a file path or an http(s) URL). Unreadable input raises BriefingError."""
    loaded = load_document(source, timeout=timeout)
    if isinstance(loaded, ParseFailure):
        return Report(source, (loaded.rule.finding(loaded.location, loaded.message),))
    problem = structure_problem(loaded.root)
    if problem:
        return Report(source, (STRUCTURE.finding(f"line {loaded.root.sourceline}", problem),))
    return Report(source, tuple(run_rules(loaded)))
