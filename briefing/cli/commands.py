"""Imports every command module so that each registers its commands on the app."""

from briefing.cli import (  # noqa: F401
    build_cmd,
    cache_cmd,
    lexicon_cmd,
    publish_cmd,
    script_cmd,
    serve_cmd,
    speech_cmd,
)
