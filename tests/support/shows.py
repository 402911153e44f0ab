"""A copy of the repository's example show (show.toml, issues, templates, lexicon, music) in a folder of a test's."""

from __future__ import annotations

import shutil
from pathlib import Path

from support.requirements import REPO


def copy_example_show(root: Path) -> Path:
    root.mkdir()
    shutil.copy(REPO / "show.toml", root / "show.toml")
    for name in ("issues", "templates"):
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, root / name)
    if (REPO / "lexicon.toml").is_file():
        shutil.copy(REPO / "lexicon.toml", root / "lexicon.toml")
    music = REPO / "audio" / "music"
    if music.is_dir():
        shutil.copytree(music, root / "audio" / "music")
    for name in ("scripts", "audio/episodes", "feed"):
        (root / name).mkdir(parents=True, exist_ok=True)
    return root
