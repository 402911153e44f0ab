"""JSON Chapters, the chapters format of the Podcasting 2.0 namespace (podcast:chapters): its media type, the
version we write, and its JSON Schema (`json_chapters.schema.json` beside this module)."""

from __future__ import annotations

import json
from importlib.resources import files
from typing import Any

JSON_CHAPTERS_TYPE = "application/json+chapters"
JSON_CHAPTERS_VERSION = "1.2.0"
JSON_CHAPTERS_SCHEMA: dict[str, Any] = json.loads(
    files(__package__).joinpath("json_chapters.schema.json").read_text(encoding="utf-8")
)
