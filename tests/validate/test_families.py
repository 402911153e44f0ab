"""The rule table: each rule declared in its family's module, ids unique, findings reported family by family."""

from __future__ import annotations

import pytest
from support.requirements import FIXTURES

from briefing.validate import RULES, validate_feed
from briefing.validate.rules import DOCUMENT_RULES, FAMILIES, apple, local_files, podcasting, podlove, rss

FEEDS = FIXTURES / "feeds"


def test_rule_ids_are_unique():
    ids = [rule.id for rule in RULES] + list(DOCUMENT_RULES)
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize(
    ("module", "prefixes"),
    [(rss, ("xml.", "rss.")), (apple, ("apple.",)), (local_files, ("local.",)), (podcasting, ("podcast.",)),
     (podlove, ("psc.",))],
)  # fmt: skip
def test_each_rule_is_written_in_the_module_of_its_family(module, prefixes):
    assert module.family in FAMILIES and module.family.rules
    for rule in module.family.rules:
        assert rule.check.__module__ == module.__name__
        assert rule.id.startswith(prefixes), rule.id
        assert getattr(module, rule.check.__name__) is rule.check  # the declared function is still the module's


def test_findings_come_in_the_order_of_the_rule_table(tmp_path):
    text = (FEEDS / "podlove-show.xml").read_text(encoding="utf-8")
    broken = tmp_path / "broken.xml"
    # One break in each of three families. In the document the channel's itunes:explicit comes before the episode's
    # date; in the report the RSS rule comes first, as in the table.
    edits = [
        ('version="1.2"', 'version="0.9"'),  # psc.version
        ("<itunes:explicit>false</itunes:explicit>", "<itunes:explicit>maybe</itunes:explicit>"),  # apple.explicit
        ("<pubDate>", "<pubDate>Someday, "),  # rss.date
    ]
    for old, new in edits:
        assert old in text
        text = text.replace(old, new, 1)
    broken.write_text(text, encoding="utf-8")
    found = [finding.rule for finding in validate_feed(str(broken)).findings]
    assert {"psc.version", "apple.explicit", "rss.date"} <= set(found)
    position = {rule.id: index for index, rule in enumerate(RULES)}
    assert [position[rule] for rule in found] == sorted(position[rule] for rule in found)
