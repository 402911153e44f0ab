"""`briefing deploy`: the published site feed/ to where listeners fetch it ([deploy] in show.toml)."""

from __future__ import annotations

import typer
from rich.markup import escape

from briefing.cli.options import WorkspaceOption
from briefing.cli.output import console
from briefing.settings import find_workspace


def deploy(
    delete: bool | None = typer.Option(
        None, "--delete/--keep", help="Remove files the site no longer has (default: [deploy] delete)."
    ),
    workspace: WorkspaceOption = None,
) -> None:
    """Upload what changed in feed/ to the show's [deploy] target (S3-compatible bucket, folder or rsync), the feed
    last."""
    from briefing.deploy import deploy_site

    show = find_workspace(workspace)
    with console.status("deploying") as status:
        result = deploy_site(
            show, delete=delete, progress=lambda step, done, total: status.update(f"deploying: {step} {done}/{total}")
        )
    print_deploy(result)


def print_deploy(result: object) -> None:
    from briefing.deploy import DeployResult

    assert isinstance(result, DeployResult)
    deleted = f", {len(result.deleted)} removed" if result.deleted else ""
    console.print(
        f"deployed to {escape(result.target)}: {len(result.sent)} file(s) sent, {result.unchanged} unchanged{deleted}",
        soft_wrap=True,
    )
