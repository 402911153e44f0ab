"""`briefing init DIR`: a new show workspace with the repository's layout and a commented show.toml."""

from __future__ import annotations

import dataclasses
import json
import tomllib
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from briefing.errors import BriefingError
from briefing.fsutil import atomic_write_text
from briefing.script.identity import ascii_slug
from briefing.script.templating import TEMPLATE_NAMES
from briefing.settings import (
    PLACEHOLDER_BASE_URL,
    PLACEHOLDER_DESCRIPTION,
    PLACEHOLDER_EMAIL,
    SHOW_FILE,
    ShowSettings,
    Workspace,
    load_settings,
)

# The command-line option that sets each show.toml field init writes, for its error messages.
OPTION_OF_SETTING = {
    "title": "--title",
    "description": "--description",
    "author": "--author",
    "language": "--language",
    "base_url": "--base-url",
    "owner.email": "--email",
    "owner.name": "--author",
}

FOLDERS = ("issues", "scripts", "audio/music", "audio/episodes", "feed", "templates")

SHOW_TOML = """\
# briefing show settings. Paths are relative to this folder.
# Fields marked "required" must be set; every other line shows the default and may be removed.

title = {title}                # required: the podcast's name
description = {description}   # required
author = {author}               # required: shown as the podcast's author
language = {language}
# Where feed/ is published; every URL in the feed starts here. Required.
base_url = {base_url}
explicit = false
type = "episodic"              # episodic | serial
cadence = "weekly"             # daily | weekdays | weekly | biweekly | monthly | irregular: when the next one comes
timezone = "Asia/Seoul"        # the show's clock: episode dates, and publish_at without an offset
# cover = "audio/cover.png"   # square, 1400–3000 px, RGB JPEG or PNG; omitted: one is generated
templates = "templates"        # per-show overrides of the script templates (see templates/README.md)
lexicon = "lexicon.toml"       # pronunciation lexicon: written form = "spoken form"

[owner]                        # required: podcast directories contact the owner here
name = {author}
email = {email}

[category]                     # Apple Podcasts category and sub-category
primary = "News"
sub = "Tech News"

[speech]
engine = "auto"                # auto | supertonic | edge | gtts | espeak (auto: the best one usable here)
voice = "ko"                   # espeak-ng's and gTTS's voice for the (first) presenter
rate = 165                     # espeak words per minute
pitch = 45                     # espeak base pitch, 0–99
concurrency = 4                # online requests at once (edge, gTTS)
timeout = 10.0                 # seconds for each online request, its whole answer included
retries = 4
# gtts_tld = "com"
# gtts_endpoint = "https://..."  # a gTTS-compatible host; omitted: Google
# edge_endpoint = "wss://..."    # a host speaking Edge's read-aloud protocol; omitted: Microsoft
# edge_rate = "+0%"              # Edge's speaking rate and pitch
# edge_pitch = "+0Hz"
# model_dir = "models/supertonic-3"   # a Supertonic model folder; omitted: the one 'briefing voices fetch
#                                     # supertonic' fills in the user cache
# supertonic_model = "supertonic-3"   # or "supertonic-2"
# supertonic_steps = 8               # 5 quick … 12 best
# supertonic_speed = 1.05

# Two presenters (or more): a name, and a voice per engine (see 'briefing voices'). Without this, one unnamed
# presenter reads everything. gTTS has one Korean voice, so a show with two presenters cannot use it.
# [[presenters]]
# name = "지수"
# espeak = "ko+f3"
# edge = "ko-KR-SunHiNeural"
# supertonic = "F3"
#
# [[presenters]]
# name = "민호"
# espeak = "ko"
# edge = "ko-KR-InJoonNeural"
# supertonic = "M3"

[music]
intro = "audio/music/intro.wav"
outro = "audio/music/outro.wav"
transition = "audio/music/transition.wav"

[audio]
bitrate = 96                   # MP3 CBR kb/s
sample_rate = 44100
loudness_lufs = -16.0
true_peak_dbtp = -1.0
pause_sentence_ms = 350
pause_paragraph_ms = 700
pause_chapter_ms = 1000

[source]                       # where the newsletter publishes its issues: `briefing fetch`, `briefing run --new`
# feed = "https://example.com/newsletter/rss"

[podcast]                      # Podcasting 2.0 tags for the whole feed
locked = true                  # podcast:locked, with [owner] email: other hosts may not import the feed
# season = 1                   # every episode's podcast:season (a script's `season:` overrides it)
# season_name = "첫 시즌"
# funding = [{{ url = "https://example.com/support", text = "후원하기" }}]
# txt = [{{ text = "verification-code", purpose = "verify" }}]

# [deploy]                     # where `briefing deploy` sends feed/; credentials only from the environment
# target = "s3"                # s3 | folder | rsync
# bucket = "my-podcast"        # s3: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment
# prefix = "{slug}/"
# endpoint = "https://<account>.r2.cloudflarestorage.com"   # any S3-compatible store; omitted: AWS
# region = "auto"
# path = "/var/www/podcast"    # folder
# destination = "user@host:/var/www/podcast/"   # rsync
# short_cache = 300            # Cache-Control max-age of the feed and pages
# long_cache = 604800          # ... and of the MP3s
# delete = false               # remove files the site no longer has
"""

LEXICON_TOML = """\
# Pronunciation lexicon: how the presenter says names the spoken-form rules would get wrong.
#
# One entry a line:  written form = "spoken form". Quote a written form that is not a plain ASCII word.
# Entries apply before the other rules, longest first and case-sensitively; a Latin written form only
# matches a whole word. Try an entry with:  briefing normalize "징동은 JD Central을 열었습니다"
# Acronyms (AI, CEO, B2C) need no entry: they are spelled out by their Korean letter names. Common names and
# English words need none either (briefing's word list, the pronouncing dictionary); an entry here replaces
# theirs. See which Latin words a script has said by a guess, as lines to copy here:  briefing lexicon check
#
# JD = "징동"
# "快手" = "콰이"
"""


TEMPLATES_README = """\
# Script templates

`briefing script` words each chapter of a spoken script with a Jinja2 template. To change the wording for
this show, put a file with the same name here; it is used instead of the shipped one:

{names}

`briefing templates copy` puts the shipped ones here to edit (`briefing templates copy story.j2` for one). Each
template prints the chapter's spoken text (paragraphs separated by blank lines; a paragraph in `_underscores_` is
said but left out of the show notes, as the story lead-ins are) and sets the chapter title with
`{{% set title = "..." %}}`. Variables: `show` (show.toml), `issue` (show, number, title, date), `stories`,
`presenters` (the names in show.toml's `[[presenters]]`, lead first; empty for one unnamed presenter), `next_time`
(when the show comes back, from show.toml's `cadence`: "다음 주에", "내일", …); in story.j2 also `story` (title,
paragraphs, sources), `number` (1, 2, ...) and `count`. A speaker mark in front of a paragraph,
`**{{{{ presenters[1] }}}}:** 다음 소식입니다.`, gives it (and the chapter's next paragraphs) to that presenter; the
shipped templates show a two-presenter form.
Filters: `native` (10 → 열, for "열 가지") and `ordinal` (1 → 첫 번째). Write numbers as digits: they are
turned into spoken Korean at build time. A misspelt variable is an error naming the template and line.
"""


@dataclass(frozen=True)
class ShowDetails:
    """What `briefing init` asks for; None leaves a placeholder (the folder's name for the title, an example.com
    address) that `briefing validate` warns about until it is replaced."""

    title: str | None = None
    author: str | None = None  # None: the title
    description: str | None = None
    language: str = "ko"
    base_url: str | None = None
    email: str | None = None

    def filled(self, folder_name: str) -> ShowDetails:
        """These details with every placeholder in place."""
        title = self.title or folder_name
        slug = ascii_slug(title) or "show"
        return ShowDetails(
            title=title,
            author=self.author or title,
            description=self.description or PLACEHOLDER_DESCRIPTION,
            language=self.language,
            base_url=self.base_url or PLACEHOLDER_BASE_URL.format(slug=slug),
            email=self.email or PLACEHOLDER_EMAIL,
        )


def init_workspace(folder: Path, details: ShowDetails | None = None) -> Workspace:
    """Make a new show in `folder` (created if missing); refuse one that already has a show.toml.

    The details are checked before anything is written: a bad one is a BriefingError naming its setting."""
    show_file = folder / SHOW_FILE
    if show_file.exists():
        raise BriefingError("a show already lives here; not touching it", show_file)
    if folder.exists() and not folder.is_dir():
        raise BriefingError("is a file, not a folder", folder)
    text = show_toml((details or ShowDetails()).filled(folder.resolve().name))
    check_show_toml(text)
    for name in FOLDERS:
        (folder / name).mkdir(parents=True, exist_ok=True)
    atomic_write_text(folder / "templates" / "README.md", templates_readme())
    atomic_write_text(folder / "lexicon.toml", LEXICON_TOML)
    _render_music(folder / "audio" / "music")
    # Written last: a folder with a show.toml is a finished workspace.
    atomic_write_text(show_file, text)
    return Workspace(root=folder, settings=load_settings(show_file))


def show_toml(details: ShowDetails | str) -> str:
    """A commented show.toml for a show with these details (a bare title: placeholders for the rest)."""
    if isinstance(details, str):
        details = ShowDetails(title=details).filled(details)
    quoted = {name: json.dumps(value, ensure_ascii=False) for name, value in dataclasses.asdict(details).items()}
    return SHOW_TOML.format(**quoted, slug=ascii_slug(details.title or "") or "show")


def check_show_toml(text: str) -> None:
    """Refuse details that would make a show.toml that does not load, naming the setting as `init` takes it."""
    try:
        ShowSettings.model_validate(tomllib.loads(text))
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        option = OPTION_OF_SETTING.get(where, where)
        message = first["msg"][:1].lower() + first["msg"][1:]
        raise BriefingError(f"{option}: {message} (it is {first['input']!r})") from None


def templates_readme() -> str:
    return TEMPLATES_README.format(names="\n".join(f"- `{name}`" for name in TEMPLATE_NAMES))


def _render_music(folder: Path) -> None:
    # The show's original music comes from the mix stage's generator, when this installation has it.
    try:
        from briefing.mix.music import render_music
    except ImportError:
        return
    render_music(folder)


# ---------------------------------------------------------------------------------------------- init --ci

CI_KINDS = ("github", "gitlab")
CI_TARGETS = ("pages", "s3")
CI_FILES = {"github": ".github/workflows/episodes.yml", "gitlab": ".gitlab-ci.yml"}
# Built and cached, never committed: CI keeps them in its cache between runs, and rebuilds them when it is lost.
GITIGNORED = ("feed/", "audio/episodes/", ".cache/")
# What a run decides and a later run needs: committed back by the workflow.
KEPT_FILES = "issues scripts published.json fetched.json"
KEEP_LINE = f'for path in {KEPT_FILES}; do if [ -e "$path" ]; then git add -A "$path"; fi; done'

GITHUB_WORKFLOW = """\
# The show runs itself: every hour and on every push, fetch the newsletter's new issues, make and publish their
# episodes, fail on any feed finding, and deploy. Written by `briefing init --ci github`; edit freely.
name: episodes

on:
  schedule:
    - cron: "17 * * * *"
  push:
    branches: [main]
  workflow_dispatch:

permissions:
  contents: write{pages_permissions}

concurrency:
  group: episodes
  cancel-in-progress: false

env:
  # Where pip finds briefing: a version, or e.g. "briefing @ git+https://example.org/you/briefing@v{version}".
  BRIEFING_PACKAGE: "briefing=={version}"

jobs:
  episodes:
    runs-on: ubuntu-latest
    outputs:
      changed: ${{{{ steps.run.outputs.changed }}}}
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - name: Install briefing
        run: python -m pip install "$BRIEFING_PACKAGE"
      - name: Restore the built episodes, caches and the published site
        uses: actions/cache@v4
        with:
          path: |
            audio/episodes
            .cache
            feed
          key: briefing-${{{{ github.run_id }}}}
          restore-keys: briefing-
      - name: New issues into episodes
        id: run
        run: |
          before="$(sha256sum feed/feed.xml 2>/dev/null || true)"
          briefing run --new --strict{run_flags}
          after="$(sha256sum feed/feed.xml 2>/dev/null || true)"
          if [ "$before" != "$after" ]; then echo "changed=true" >> "$GITHUB_OUTPUT"; fi{run_env}
      - name: Check the feed (any finding fails the run)
        if: hashFiles('feed/feed.xml') != ''
        run: briefing validate --strict feed/feed.xml
      - name: Keep the fetched issues, scripts and ledgers
        run: |
          git config user.name "briefing"
          git config user.email "briefing@users.noreply.github.com"
          {kept}
          if ! git diff --cached --quiet; then git commit -m "New episodes" && git push; fi
{pages_steps}"""

GITHUB_PAGES_PERMISSIONS = """
  pages: write
  id-token: write"""

GITHUB_PAGES_STEPS = """\
      - name: Hand the site to GitHub Pages
        if: steps.run.outputs.changed == 'true'
        uses: actions/upload-pages-artifact@v3
        with:
          path: feed

  pages:
    needs: episodes
    if: needs.episodes.outputs.changed == 'true'
    runs-on: ubuntu-latest
    environment:
      name: github-pages
      url: ${{ steps.deployment.outputs.page_url }}
    steps:
      - id: deployment
        uses: actions/deploy-pages@v4
"""

GITHUB_S3_ENV = """
        env:
          AWS_ACCESS_KEY_ID: ${{ secrets.AWS_ACCESS_KEY_ID }}
          AWS_SECRET_ACCESS_KEY: ${{ secrets.AWS_SECRET_ACCESS_KEY }}"""

GITLAB_WORKFLOW = """\
# The show runs itself: on a schedule (CI/CD > Schedules, e.g. every hour) and on every push, fetch the newsletter's
# new issues, make and publish their episodes, fail on any feed finding, and deploy. Written by
# `briefing init --ci gitlab`; edit freely.
workflow:
  rules:
    - if: $CI_PIPELINE_SOURCE == "schedule"
    - if: $CI_PIPELINE_SOURCE == "push"
    - if: $CI_PIPELINE_SOURCE == "web"

variables:
  # Where pip finds briefing: a version, or e.g. "briefing @ git+https://example.org/you/briefing@v{version}".
  BRIEFING_PACKAGE: "briefing=={version}"

stages:
  - episodes
  - deploy

episodes:
  stage: episodes
  image: python:3.12
  resource_group: episodes
  cache:
    key: briefing
    paths:
      - audio/episodes/
      - .cache/
      - feed/
  script:
    - python -m pip install "$BRIEFING_PACKAGE"
    - briefing run --new --strict{run_flags}
    - if [ -f feed/feed.xml ]; then briefing validate --strict feed/feed.xml; fi
    - {kept}
    - |
      if [ -n "$BRIEFING_PUSH_TOKEN" ] && ! git diff --cached --quiet; then
        git -c user.name=briefing -c user.email=briefing@example.invalid commit -m "New episodes [skip ci]"
        remote="https://oauth2:${{BRIEFING_PUSH_TOKEN}}@${{CI_SERVER_HOST}}/${{CI_PROJECT_PATH}}.git"
        git push "$remote" "HEAD:$CI_COMMIT_BRANCH"
      fi
  artifacts:
    paths:
      - feed/
    expire_in: 1 week
{pages_job}"""

GITLAB_PAGES_JOB = """
pages:
  stage: deploy
  image: alpine:3.20
  needs: [episodes]
  script:
    - rm -rf public && cp -r feed public
  artifacts:
    paths:
      - public
"""


def ci_workflow(kind: str, target: str) -> str:
    """The CI file for `kind` (github, gitlab) deploying to `target` (pages, s3: the show's [deploy])."""
    from briefing import __version__

    if kind not in CI_KINDS:
        raise BriefingError(f"unknown CI '{kind}' (choose one of: {', '.join(CI_KINDS)})")
    if target not in CI_TARGETS:
        raise BriefingError(f"unknown deploy target '{target}' for CI (choose one of: {', '.join(CI_TARGETS)})")
    pages = target == "pages"
    run_flags = " --no-deploy" if pages else ""
    if kind == "github":
        return GITHUB_WORKFLOW.format(
            version=__version__,
            kept=KEEP_LINE,
            run_flags=run_flags,
            run_env="" if pages else GITHUB_S3_ENV,
            pages_permissions=GITHUB_PAGES_PERMISSIONS if pages else "",
            pages_steps=GITHUB_PAGES_STEPS if pages else "",
        )
    return GITLAB_WORKFLOW.format(
        version=__version__, kept=KEEP_LINE, run_flags=run_flags, pages_job=GITLAB_PAGES_JOB if pages else ""
    )


def init_ci(folder: Path, kind: str, target: str) -> Path:
    """Write the show's CI workflow (never over an existing one) and keep built files out of git."""
    path = folder / CI_FILES.get(kind, "")
    text = ci_workflow(kind, target)
    if path.exists():
        raise BriefingError("a CI workflow is already here; not touching it", path)
    atomic_write_text(path, text)
    ignore = folder / ".gitignore"
    present = ignore.read_text(encoding="utf-8").splitlines() if ignore.is_file() else []
    missing = [line for line in GITIGNORED if line not in present]
    if missing:
        atomic_write_text(ignore, "\n".join([*present, *missing]) + "\n")
    return path
