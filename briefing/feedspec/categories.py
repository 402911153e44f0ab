"""Apple Podcasts' current category list, and the pre-2019 categories it retired (with what replaced them)."""

from __future__ import annotations

# Apple's list as published for Podcasts Connect (19 categories since 2019; exact casing matters).
APPLE_CATEGORIES: dict[str, tuple[str, ...]] = {
    "Arts": ("Books", "Design", "Fashion & Beauty", "Food", "Performing Arts", "Visual Arts"),
    "Business": ("Careers", "Entrepreneurship", "Investing", "Management", "Marketing", "Non-Profit"),
    "Comedy": ("Comedy Interviews", "Improv", "Stand-Up"),
    "Education": ("Courses", "How To", "Language Learning", "Self-Improvement"),
    "Fiction": ("Comedy Fiction", "Drama", "Science Fiction"),
    "Government": (),
    "History": (),
    "Health & Fitness": ("Alternative Health", "Fitness", "Medicine", "Mental Health", "Nutrition", "Sexuality"),
    "Kids & Family": ("Education for Kids", "Parenting", "Pets & Animals", "Stories for Kids"),
    "Leisure": (
        "Animation & Manga",
        "Automotive",
        "Aviation",
        "Crafts",
        "Games",
        "Hobbies",
        "Home & Garden",
        "Video Games",
    ),
    "Music": ("Music Commentary", "Music History", "Music Interviews"),
    "News": (
        "Business News",
        "Daily News",
        "Entertainment News",
        "News Commentary",
        "Politics",
        "Sports News",
        "Tech News",
    ),
    "Religion & Spirituality": ("Buddhism", "Christianity", "Hinduism", "Islam", "Judaism", "Religion", "Spirituality"),
    "Science": (
        "Astronomy",
        "Chemistry",
        "Earth Sciences",
        "Life Sciences",
        "Mathematics",
        "Natural Sciences",
        "Nature",
        "Physics",
        "Social Sciences",
    ),
    "Society & Culture": ("Documentary", "Personal Journals", "Philosophy", "Places & Travel", "Relationships"),
    "Sports": (
        "Baseball",
        "Basketball",
        "Cricket",
        "Fantasy Sports",
        "Football",
        "Golf",
        "Hockey",
        "Rugby",
        "Running",
        "Soccer",
        "Swimming",
        "Tennis",
        "Volleyball",
        "Wilderness",
        "Wrestling",
    ),
    "Technology": (),
    "True Crime": (),
    "TV & Film": ("After Shows", "Film History", "Film Interviews", "Film Reviews", "TV Reviews"),
}

# Retired top-level categories → the current one to use instead.
OBSOLETE_CATEGORIES: dict[str, str] = {
    "Games & Hobbies": "Leisure",
    "Government & Organizations": "Government",
    "Health": "Health & Fitness",
    "News & Politics": "News",
    "Science & Medicine": "Science",
    "Sports & Recreation": "Sports",
}

# Retired (category, sub-category) pairs → the current pair (sub None: the category alone).
OBSOLETE_PAIRS: dict[tuple[str, str], tuple[str, str | None]] = {
    ("Technology", "Tech News"): ("News", "Tech News"),
    ("Technology", "Gadgets"): ("Technology", None),
    ("Technology", "Podcasting"): ("Technology", None),
    ("Technology", "Software How-To"): ("Technology", None),
    ("Business", "Business News"): ("News", "Business News"),
    ("Business", "Management & Marketing"): ("Business", "Management"),
    ("Business", "Shopping"): ("Business", None),
    ("Arts", "Literature"): ("Arts", "Books"),
    ("Education", "Educational Technology"): ("Education", None),
    ("Education", "Education Technology"): ("Education", None),
    ("Education", "Higher Education"): ("Education", "Courses"),
    ("Education", "K-12"): ("Kids & Family", "Education for Kids"),
    ("Education", "Language Courses"): ("Education", "Language Learning"),
    ("Education", "Training"): ("Education", "Courses"),
    ("Religion & Spirituality", "Other"): ("Religion & Spirituality", "Religion"),
    ("Society & Culture", "History"): ("History", None),
    ("Health", "Fitness & Nutrition"): ("Health & Fitness", "Fitness"),
    ("Health", "Self-Help"): ("Education", "Self-Improvement"),
    ("Science & Medicine", "Medicine"): ("Health & Fitness", "Medicine"),
    ("Games & Hobbies", "Other Games"): ("Leisure", "Games"),
}


def describe_pair(category: str, sub: str | None) -> str:
    return f"{category} › {sub}" if sub else category


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
        return f"'{category}' is not an Apple Podcasts category"
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
    return f"'{sub}' is not a sub-category of '{category}'"


def _same_but_for_case(name: str, choices) -> str | None:
    return next((choice for choice in choices if choice.casefold() == name.casefold()), None)
