"""Every rule a podcast directory checks, family by family, in the order their findings are reported.

Each rule is a small function in its family's module (`rss`, `apple`, `local_files`, `podcasting`, `podlove`,
`placeholders`, `links`),
declared right there with its id, severity and fix (see `family`). A new rule goes in its family's module, in the
place its findings should come; a new family gets a module and a place in FAMILIES."""

from __future__ import annotations

from lxml import etree

from briefing.validate.document import ENTITY_DECLARATION, EXTERNAL_ENTITY, WELL_FORMED, FeedDocument
from briefing.validate.findings import Finding, Rule
from briefing.validate.rules import apple, links, local_files, placeholders, podcasting, podlove, rss
from briefing.validate.rules.family import FeedRule

FAMILIES = (
    rss.family,
    apple.family,
    local_files.family,
    podcasting.family,
    podlove.family,
    placeholders.family,
    links.family,
)
RULES: tuple[FeedRule, ...] = tuple(rule for family in FAMILIES for rule in family.rules)

# Findings that stop validation before RULES run: the document cannot be read as an RSS feed.
DOCUMENT_RULES: dict[str, Rule] = {
    rule.id: rule for rule in (WELL_FORMED, ENTITY_DECLARATION, EXTERNAL_ENTITY, rss.STRUCTURE)
}


def run_rules(doc: FeedDocument, rules: tuple[FeedRule, ...] = RULES) -> list[Finding]:
    findings = []
    for rule in rules:
        for where, message in rule.check(doc):
            location = doc.locate(where) if isinstance(where, etree._Element) else where
            findings.append(rule.finding(location, message))
    return findings
