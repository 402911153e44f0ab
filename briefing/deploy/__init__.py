"""`briefing deploy`: the published site feed/ to where listeners fetch it — an S3-compatible bucket, a folder, or an
rsync destination (`[deploy]` in show.toml).

Only what changed is sent. The audio and other files go first, the pages next and feed.xml last, so no listener's
app sees an episode before its audio is there; files the site no longer has are removed only with `delete`, and only
after the feed.
"""

from __future__ import annotations

from briefing.deploy.site import DeployResult, SiteFile, site_files
from briefing.errors import BriefingError
from briefing.progress import Progress, no_progress
from briefing.settings import SHOW_FILE, FolderDeploy, RsyncDeploy, S3Deploy, Workspace


def deploy_site(workspace: Workspace, *, delete: bool | None = None, progress: Progress = no_progress) -> DeployResult:
    """Send feed/ to the show's [deploy] target; see the module's docstring."""
    target = workspace.settings.deploy
    if target is None:
        raise BriefingError(
            "no [deploy] target: add one (s3, folder or rsync) to show.toml", workspace.root / SHOW_FILE
        )
    # Resolved once: a publish that swaps feed/ meanwhile leaves this deploy reading one complete site.
    site = workspace.feed_dir.resolve()
    files = site_files(site, target)
    removing = target.delete if delete is None else delete
    if isinstance(target, S3Deploy):
        from briefing.deploy.s3 import deploy_to_s3

        return deploy_to_s3(files, target, delete=removing, progress=progress)
    if isinstance(target, FolderDeploy):
        from briefing.deploy.folder import deploy_to_folder

        return deploy_to_folder(files, workspace.path(target.path), delete=removing, progress=progress)
    assert isinstance(target, RsyncDeploy)
    from briefing.deploy.rsync import deploy_with_rsync

    return deploy_with_rsync(site, files, target.destination, delete=removing)


__all__ = ["DeployResult", "SiteFile", "deploy_site"]
