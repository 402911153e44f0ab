"""The podcast-feed vocabulary shared by the writer and the validator: its data files load and agree with themselves."""

from __future__ import annotations

import jsonschema

from briefing.feedspec.categories import APPLE_CATEGORIES, OBSOLETE_CATEGORIES, OBSOLETE_PAIRS, category_problem
from briefing.feedspec.json_chapters import JSON_CHAPTERS_SCHEMA


def test_apples_list_has_its_nineteen_categories_and_every_retired_one_points_at_a_current_one():
    assert len(APPLE_CATEGORIES) == 19
    assert all(isinstance(subs, tuple) for subs in APPLE_CATEGORIES.values())
    for old, new in OBSOLETE_CATEGORIES.items():
        assert old not in APPLE_CATEGORIES and category_problem(new, None) is None
    for (category, sub), new in OBSOLETE_PAIRS.items():
        assert sub is not None and category_problem(*new) is None
        assert "retired" in category_problem(category, sub)


def test_the_json_chapters_schema_is_a_schema_and_accepts_what_it_should():
    jsonschema.Draft202012Validator.check_schema(JSON_CHAPTERS_SCHEMA)
    validator = jsonschema.Draft202012Validator(JSON_CHAPTERS_SCHEMA)
    assert validator.is_valid({"version": "1.2.0", "chapters": [{"startTime": 0, "title": "시작"}]})
    assert not validator.is_valid({"version": "1.2.0", "chapters": [{"title": "no start"}]})
    assert not validator.is_valid({"chapters": []})
