"""Apple Podcasts' current category list, and the pre-2019 categories it retired (with what replaced them).

The lists are data, kept in `apple_categories.toml` beside this module."""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from importlib.resources import files

SEPARATOR = " › "


def _pair(text: str) -> tuple[str, str | None]:
    """'News › Tech News' → ('News', 'Tech News'); 'Technology' → ('Technology', None)."""
    category, _, sub = text.partition(SEPARATOR)
    return category, sub or None


_LISTS = tomllib.loads(files(__package__).joinpath("apple_categories.toml").read_text(encoding="utf-8"))
# Category → its sub-categories, in Apple's order.
APPLE_CATEGORIES: dict[str, tuple[str, ...]] = {name: tuple(subs) for name, subs in _LISTS["categories"].items()}
# Retired top-level categories → the current one to use instead.
OBSOLETE_CATEGORIES: dict[str, str] = dict(_LISTS["retired"])
# Retired (category, sub-category) pairs → the current pair (sub None: the category alone).
OBSOLETE_PAIRS: dict[tuple[str, str | None], tuple[str, str | None]] = {
    _pair(old): _pair(new) for old, new in _LISTS["retired_pairs"].items()
}


def describe_pair(category: str, sub: str | None) -> str:
    return f"{category}{SEPARATOR}{sub}" if sub else category


def category_problem(category: str, sub: str | None) -> str | None:
    """Why (category, sub) is not on Apple's current list, or None when it is."""
    if sub is not None and (category, sub) in OBSOLETE_PAIRS:
        new = OBSOLETE_PAIRS[(category, sub)]
        return f"'{describe_pair(category, sub)}' is a retired Apple category; use '{describe_pair(*new)}'"
    if category not in APPLE_CATEGORIES:
        if category in OBSOLETE_CATEGORIES:
            return f"'{category}' is a retired Apple category; use '{OBSOLETE_CATEGORIES[category]}'"
        cased = _same_but_for_case(category, APPLE_CATEGORIES)
        if cased:
            return f"category '{category}' must be spelled '{cased}' (exact casing)"
        return f"'{category}' is not an Apple Podcasts category (Apple's categories: {', '.join(APPLE_CATEGORIES)})"
    if sub is None:
        return None
    subs = APPLE_CATEGORIES[category]
    if sub in subs:
        return None
    cased = _same_but_for_case(sub, subs)
    if cased:
        return f"sub-category '{sub}' must be spelled '{cased}' (exact casing)"
    if not subs:
        return f"'{category}' has no sub-categories any more, so '{sub}' is not allowed"
    return f"'{sub}' is not a sub-category of '{category}' (its sub-categories: {', '.join(subs)})"


def _same_but_for_case(name: str, choices: Iterable[str]) -> str | None:
    return next((choice for choice in choices if choice.casefold() == name.casefold()), None)
