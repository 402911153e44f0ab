"""How a rule is declared: its check, written as a small function, with the id, severity and fix its findings carry,
in the family (RSS, Apple, …) whose module it is written in.

A check looks at a FeedDocument and yields (element or location, message) for every problem it finds:

    family = Family("RSS 2.0 and XML")

    @family.rule("rss.date", "error", "Write dates as RFC 2822, e.g. 'Wed, 02 Oct 2002 13:00:00 +0000'.")
    def rfc2822_dates(doc: FeedDocument) -> Problems: ...
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TypeAlias

from lxml import etree

from briefing.validate.document import FeedDocument
from briefing.validate.findings import Rule, Severity

Where: TypeAlias = etree._Element | str
Problems: TypeAlias = Iterator[tuple[Where, str]]
Check: TypeAlias = Callable[[FeedDocument], Problems]


@dataclass(frozen=True)
class FeedRule(Rule):
    """A rule checked on a parsed feed."""

    check: Check


class Family:
    """The rules of one family, in the order they are declared: the order their findings are reported in."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.rules: list[FeedRule] = []

    def rule(self, rule_id: str, severity: Severity, fix: str) -> Callable[[Check], Check]:
        """Declare the check below as the rule `rule_id`; the function itself stays as it is written."""

        def declare(check: Check) -> Check:
            self.rules.append(FeedRule(rule_id, severity, fix, check))
            return check

        return declare
