"""validate stage: a feed (file or URL) → findings, the checks podcast directories make."""

from __future__ import annotations

from lxml import etree

from briefing.validate.document import ParseFailure, load_document
from briefing.validate.findings import Finding, Report
from briefing.validate.rules import DOCUMENT_RULES, RULES, run_rules

__all__ = ["Finding", "Report", "RULES", "validate_feed"]


def _document_finding(rule: str, location: str, message: str) -> Finding:
    severity, fix = DOCUMENT_RULES[rule]
    return Finding(rule, severity, location, message, fix)


def _structure_problem(root: etree._Element) -> str | None:
    if root.tag != "rss":
        return f"the root element is <{etree.QName(root).localname}>, not <rss>"
    if root.get("version") != "2.0":
        return f"<rss> has version '{root.get('version', '')}', not 2.0"
    channels = root.findall("channel")
    if len(channels) != 1:
        return f"<rss> has {len(channels)} <channel> elements, not one"
    return None


def validate_feed(source: str, *, timeout: float = 10.0) -> Report:
    """Validate the feed at `source` (a file path or an http(s) URL). Unreadable input raises BriefingError."""
    loaded = load_document(source, timeout=timeout)
    if isinstance(loaded, ParseFailure):
        return Report(source, (_document_finding(loaded.rule, loaded.location, loaded.message),))
    problem = _structure_problem(loaded.root)
    if problem:
        return Report(source, (_document_finding("rss.structure", f"line {loaded.root.sourceline}", problem),))
    return Report(source, tuple(run_rules(loaded)))
