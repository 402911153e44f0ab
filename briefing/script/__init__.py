"""The script stage: an `Issue` becomes a spoken `Script`, stored as the Markdown file a producer edits.

`make_script` words it with the show's templates, `render_script`/`parse_script` convert it to and from the
file format (see `briefing.script.scriptfile`), `write_script` stores it without losing a producer's edits.
"""

from briefing.script.compose import make_script
from briefing.script.scriptfile import load_script, parse_script, render_script
from briefing.script.store import WriteResult, script_files, script_path, write_script

__all__ = [
    "WriteResult",
    "load_script",
    "make_script",
    "parse_script",
    "render_script",
    "script_files",
    "script_path",
    "write_script",
]
