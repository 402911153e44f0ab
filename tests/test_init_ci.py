"""`briefing init --ci github|gitlab`: the workflow files are valid (the GitHub Actions and GitLab CI schemas that
check-jsonschema bundles, read offline), and every briefing command they run exists with the options they give."""

from __future__ import annotations

import importlib
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import typer
import yaml

from briefing.cli import app
from briefing.errors import BriefingError
from briefing.init import CI_FILES, ci_workflow, init_ci, init_workspace

# The click typer runs on (a typer release may ship its own copy): its UsageError is what a bad command line raises.
_CLICK_CORE = next(c.__module__ for c in type(typer.main.get_command(app)).__mro__ if "click" in c.__module__)
_CLICK = importlib.import_module(_CLICK_CORE.rsplit(".", 1)[0])
UsageError = importlib.import_module(_CLICK.__name__ + ".exceptions").UsageError
CHECK_JSONSCHEMA = Path(sys.executable).parent / "check-jsonschema"
SCHEMAS = {"github": "vendor.github-workflows", "gitlab": "vendor.gitlab-ci"}
COMBINATIONS = [(kind, target) for kind in ("github", "gitlab") for target in ("pages", "s3")]


def schema_check(kind: str, path: Path) -> subprocess.CompletedProcess[str]:
    command = [str(CHECK_JSONSCHEMA), "--builtin-schema", SCHEMAS[kind], str(path)]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


def shell_lines(kind: str, workflow: dict) -> list[str]:
    """Every shell line the workflow runs."""
    if kind == "github":
        scripts = [step["run"] for job in workflow["jobs"].values() for step in job.get("steps", []) if "run" in step]
    else:
        scripts = [line for job in workflow.values() if isinstance(job, dict) for line in job.get("script", [])]
    return [line.strip() for script in scripts for line in script.splitlines() if line.strip()]


def briefing_invocations(lines: list[str]) -> list[list[str]]:
    found = []
    for line in lines:
        for match in re.finditer(r"(?:^|;|then|&&)\s*(briefing\s[^;&]*)", line):
            found.append(shlex.split(match[1])[1:])
    return found


def parses(args: list[str]) -> None:
    """Parse a command line as `briefing` would, without running it: an unknown command or option raises."""
    group = typer.main.get_command(app)
    name, *rest = args
    with group.make_context("briefing", [name]) as context:
        command = group.get_command(context, name)
        if command is None:
            raise UsageError(f"no such command '{name}'")
        command.make_context(name, rest, parent=context)


@pytest.mark.parametrize(("kind", "target"), COMBINATIONS)
def test_the_workflow_is_valid_and_runs_commands_that_exist(tmp_path, kind, target):
    path = tmp_path / "workflow.yml"
    path.write_text(ci_workflow(kind, target), encoding="utf-8")
    checked = schema_check(kind, path)
    assert checked.returncode == 0, checked.stdout + checked.stderr

    workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
    lines = shell_lines(kind, workflow)
    invocations = briefing_invocations(lines)
    assert ["run", "--new", "--strict", *(["--no-deploy"] if target == "pages" else [])] in invocations
    assert ["validate", "--strict", "feed/feed.xml"] in invocations
    for args in invocations:
        parses(args)
    assert any('pip install "$BRIEFING_PACKAGE"' in line for line in lines)
    text = path.read_text(encoding="utf-8")
    if kind == "github":
        assert workflow[True]["schedule"] and "push" in workflow[True]  # YAML reads the key `on` as true
        assert ("actions/deploy-pages" in text) == (target == "pages")
        assert ("secrets.AWS_ACCESS_KEY_ID" in text) == (target == "s3")
    else:
        sources = {rule["if"] for rule in workflow["workflow"]["rules"]}
        assert '$CI_PIPELINE_SOURCE == "schedule"' in sources and '$CI_PIPELINE_SOURCE == "push"' in sources
        assert ("pages" in workflow) == (target == "pages")


def test_the_schemas_catch_a_broken_workflow(tmp_path):
    for kind, mistake in (("github", ("runs-on:", "run-on:")), ("gitlab", ("stage: episodes", "stage: [1, 2]"))):
        path = tmp_path / f"{kind}.yml"
        path.write_text(ci_workflow(kind, "pages").replace(*mistake), encoding="utf-8")
        assert schema_check(kind, path).returncode != 0


def test_a_misspelt_option_is_caught_by_the_command_check():
    with pytest.raises(UsageError):
        parses(["run", "--neww"])
    with pytest.raises(UsageError):
        parses(["deploi"])


def test_init_writes_the_workflow_for_a_new_or_existing_show_and_never_over_one(tmp_path):
    command = [sys.executable, "-m", "briefing", "init", str(tmp_path / "show"), "--ci", "github"]
    made = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert made.returncode == 0, made.stderr
    show = tmp_path / "show"
    assert (show / "show.toml").is_file() and (show / CI_FILES["github"]).is_file()
    assert set((show / ".gitignore").read_text(encoding="utf-8").split()) >= {"feed/", "audio/episodes/", ".cache/"}

    again = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert again.returncode == 2 and "a CI workflow is already here; not touching it" in again.stderr

    init_ci(show, "gitlab", "s3")  # an existing show gets another CI's file
    assert "briefing run --new --strict" in (show / ".gitlab-ci.yml").read_text(encoding="utf-8")
    with pytest.raises(BriefingError, match="unknown CI 'jenkins'"):
        ci_workflow("jenkins", "pages")


def test_init_makes_a_show_without_ci_as_before(tmp_path):
    init_workspace(tmp_path / "plain")
    assert not (tmp_path / "plain" / ".github").exists()
