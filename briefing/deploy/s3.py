"""Deploying to an S3-compatible bucket (AWS, Cloudflare R2, Backblaze B2, MinIO, ...) with boto3.

The bucket's own listing says what is there: an object is up to date when its size and ETag are what this file would
get (the MD5, or the multipart ETag for the part size used here), so a deploy needs no state of its own, and a rerun
after an interrupted one sends exactly what is missing. Credentials come from the environment only."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import boto3
from boto3.exceptions import S3UploadFailedError
from boto3.s3.transfer import TransferConfig
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from briefing.deploy.site import DeployResult, SiteFile, remote_key
from briefing.errors import BriefingError
from briefing.progress import Progress
from briefing.settings import S3Deploy

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

PART_BYTES = 8 * 1024 * 1024  # the multipart threshold and part size, so an ETag can be worked out beforehand
CREDENTIALS = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")


def deploy_to_s3(files: list[SiteFile], target: S3Deploy, *, delete: bool, progress: Progress) -> DeployResult:
    where = f"s3://{target.bucket}/{target.prefix}"
    client = s3_client(target)
    try:
        remote = remote_objects(client, target)
        sent = []
        pending = [file for file in files if remote.get(remote_key(target, file)) != (file.size, local_etag(file.path))]
        for number, file in enumerate(pending, start=1):
            upload(client, target, file)
            sent.append(file.key)
            progress("upload", number, len(pending))
        wanted = {remote_key(target, file) for file in files}
        stale = sorted(key for key in remote if key not in wanted) if delete else []
        delete_objects(client, target, stale)
    except (ClientError, BotoCoreError, S3UploadFailedError) as error:
        raise BriefingError(f"{where}: {describe(error)}") from None
    deleted = tuple(key.removeprefix(target.prefix) for key in stale)
    return DeployResult(where, tuple(sent), len(files) - len(sent), deleted)


def s3_client(target: S3Deploy) -> S3Client:
    """A client with the environment's credentials and nothing else (no shared files, no instance roles)."""
    missing = [name for name in CREDENTIALS if not os.environ.get(name)]
    if missing:
        raise BriefingError(
            f"set {' and '.join(missing)} in the environment to deploy to s3://{target.bucket} "
            "(credentials are read from the environment only)"
        )
    session = boto3.session.Session(
        aws_access_key_id=os.environ["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=os.environ["AWS_SECRET_ACCESS_KEY"],
        aws_session_token=os.environ.get("AWS_SESSION_TOKEN") or None,
        region_name=target.region or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1",
    )
    config = Config(
        connect_timeout=10,
        read_timeout=60,
        retries={"max_attempts": 3, "mode": "standard"},
        # Checksums only where S3 requires them: many S3-compatible stores refuse the newer trailing checksums.
        request_checksum_calculation="when_required",
        response_checksum_validation="when_required",
    )
    endpoint = str(target.endpoint).rstrip("/") if target.endpoint else None
    return session.client("s3", endpoint_url=endpoint, config=config)


def remote_objects(client: S3Client, target: S3Deploy) -> dict[str, tuple[int, str]]:
    """Every object under the prefix: key → (size, ETag without quotes)."""
    found: dict[str, tuple[int, str]] = {}
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=target.bucket, Prefix=target.prefix):
        for item in page.get("Contents", []):
            found[item["Key"]] = (item["Size"], item["ETag"].strip('"'))
    return found


def local_etag(path: Path) -> str:
    """The ETag S3 gives this file when it is uploaded here: its MD5, or for a multipart upload the MD5 of its parts'
    MD5s followed by the number of parts."""
    if path.stat().st_size < PART_BYTES:
        return hashlib.md5(path.read_bytes(), usedforsecurity=False).hexdigest()
    parts = [hashlib.md5(part, usedforsecurity=False).digest() for part in _parts(path)]
    return hashlib.md5(b"".join(parts), usedforsecurity=False).hexdigest() + f"-{len(parts)}"


def _parts(path: Path) -> Iterator[bytes]:
    with path.open("rb") as handle:
        while part := handle.read(PART_BYTES):
            yield part


def upload(client: S3Client, target: S3Deploy, file: SiteFile) -> None:
    client.upload_file(
        str(file.path),
        target.bucket,
        remote_key(target, file),
        ExtraArgs={"ContentType": file.content_type, "CacheControl": file.cache_control},
        Config=TransferConfig(multipart_threshold=PART_BYTES, multipart_chunksize=PART_BYTES, use_threads=False),
    )


def delete_objects(client: S3Client, target: S3Deploy, keys: list[str]) -> None:
    for start in range(0, len(keys), 1000):
        batch = keys[start : start + 1000]
        client.delete_objects(Bucket=target.bucket, Delete={"Objects": [{"Key": key} for key in batch]})


def describe(error: Exception) -> str:
    """One sentence for what S3 or the network said."""
    if isinstance(error, ClientError):
        details = error.response.get("Error", {})
        return f"{details.get('Code', 'error')} ({details.get('Message', '').rstrip('.') or 'no message'})"
    text = str(error).splitlines()[0] if str(error) else type(error).__name__
    return f"the upload failed ({text})"
