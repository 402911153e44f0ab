"""Downloaded voice models: where Supertonic's weights live (a user cache, or the show's `[speech] model_dir`), what a
complete model folder holds, the files' hashes (part of the engine's identity), and fetching a pinned revision.

The weights are never in the repository or the wheel: their licence (OpenRAIL-M) restricts their use, and each user
fetches them, or copies a fetched folder, themselves.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
import os
import shutil
import threading
import urllib.parse
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefing.errors import BriefingError
from briefing.fsutil import atomic_write_text

if TYPE_CHECKING:  # imported when a model is fetched
    import requests

# The files the supertonic package loads from a model folder (its loader's own paths).
MODEL_FILES = (
    "onnx/duration_predictor.onnx",
    "onnx/text_encoder.onnx",
    "onnx/vector_estimator.onnx",
    "onnx/vocoder.onnx",
    "onnx/tts.json",
    "onnx/unicode_indexer.json",
)
VOICE_STYLES = "voice_styles"
MANIFEST = "briefing-model.json"  # written by the fetch: where the files came from and their hashes
FETCHED = ("onnx/*.onnx", "onnx/*.json", "voice_styles/*.json", "LICENSE", "README.md")
HUB = "https://huggingface.co"
FETCH_COMMAND = "briefing voices fetch supertonic"
CHUNK = 1 << 20


@dataclass(frozen=True)
class PinnedModel:
    """A model's weights at one commit of their Hugging Face repository: the same bytes for everyone, always."""

    repo: str
    revision: str

    def licence_url(self, endpoint: str = HUB) -> str:
        return f"{endpoint}/{self.repo}/blob/{self.revision}/LICENSE"


# The revisions the supertonic 1.3 package itself pins; briefing keeps its own, so a package update never changes the
# voice of a show by surprise. Upstream announced it will archive the project: a mirror can stand in (--endpoint,
# HF_ENDPOINT, or --repo for a copy under another name).
PINNED = {
    "supertonic-3": PinnedModel("Supertone/supertonic-3", "724fb5abbf5502583fb520898d45929e62f02c0b"),
    "supertonic-2": PinnedModel("Supertone/supertonic-2", "75e6727618a02f323c720cba9478152d4bc16ca4"),
}


def user_cache_dir() -> Path:
    """briefing's folder in the user's cache: $XDG_CACHE_HOME/briefing, else ~/.cache/briefing."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "briefing"


def default_model_dir(model: str) -> Path:
    """Where `briefing voices fetch` puts a model, and where the engine looks when show.toml names no model_dir."""
    return user_cache_dir() / model


def voice_style_names(folder: Path) -> list[str]:
    """The voices a model folder offers: its voice_styles/<NAME>.json files."""
    styles = folder / VOICE_STYLES
    return sorted(path.stem for path in styles.glob("*.json")) if styles.is_dir() else []


def missing_files(folder: Path) -> list[str]:
    """What a model folder lacks (relative paths), cheaply: no model is loaded."""
    missing = [name for name in MODEL_FILES if not (folder / name).is_file()]
    if not voice_style_names(folder):
        missing.append(f"{VOICE_STYLES}/*.json")
    return missing


def read_manifest(folder: Path) -> dict[str, Any]:
    """The fetch's record of a folder ({} for a folder made some other way, or a damaged record)."""
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


_digests: dict[tuple[str, int, int], str] = {}
_digests_lock = threading.Lock()


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while block := file.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def file_digests(folder: Path, names: Iterable[str]) -> dict[str, str]:
    """The SHA-256 of each named file in `folder`. Hashing some 400 MB of weights takes a second, so a hash the fetch
    recorded is trusted while the file's size and modification time are the ones it recorded, and a hash made here is
    remembered for the process."""
    recorded = read_manifest(folder).get("files", {})
    digests = {}
    for name in names:
        path = folder / name
        stat = path.stat()
        entry = recorded.get(name) if isinstance(recorded, dict) else None
        if isinstance(entry, dict) and (entry.get("size"), entry.get("mtime_ns")) == (stat.st_size, stat.st_mtime_ns):
            digests[name] = str(entry.get("sha256"))
            continue
        key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
        with _digests_lock:
            known = _digests.get(key)
        if known is None:
            known = sha256_of(path)
            with _digests_lock:
                _digests[key] = known
        digests[name] = known
    return digests


# ----------------------------------------------------------------------------------------------------------- fetch

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class FetchResult:
    folder: Path
    repo: str
    revision: str
    files: int
    bytes: int
    fetched: bool  # False: the folder already held this revision


def hub_endpoint(endpoint: str | None = None) -> str:
    """The hub to fetch from: `endpoint`, else $HF_ENDPOINT (the variable Hugging Face's own tools read for a
    mirror), else huggingface.co."""
    chosen = (endpoint or os.environ.get("HF_ENDPOINT") or HUB).rstrip("/")
    parts = urllib.parse.urlsplit(chosen)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise BriefingError(f"the model hub must be an http:// or https:// URL, not '{chosen}'")
    return chosen


def fetch_model(
    model: str,
    target: Path,
    *,
    endpoint: str | None = None,
    repo: str | None = None,
    revision: str | None = None,
    force: bool = False,
    timeout: float = 30.0,
    progress: Progress | None = None,
) -> FetchResult:
    """Download `model`'s pinned revision into `target` (replaced whole, never left half-written).

    Each file is checked against the hub's own record of it — the SHA-256 of a large (LFS) file, the git blob hash of
    a small one — so a cut or altered download is refused, and the folder is moved into place only when complete.
    """
    import requests

    pinned = PINNED[model]
    repo, revision = repo or pinned.repo, revision or pinned.revision
    base = hub_endpoint(endpoint)
    manifest = read_manifest(target)
    same = manifest.get("revision") == revision and manifest.get("repo") == repo
    if same and not force and not missing_files(target):
        files = manifest.get("files", {})
        size = sum(int(entry.get("size", 0)) for entry in files.values()) if isinstance(files, dict) else 0
        return FetchResult(target, repo, revision, len(files), size, fetched=False)

    session = requests.Session()
    session.trust_env = True
    entries = _wanted(_tree(session, base, repo, revision, timeout))
    _check_listing(entries, repo, revision)
    total = sum(_size(entry) for entry in entries)
    partial = target.parent / f".{target.name}.partial-{os.getpid()}"
    shutil.rmtree(partial, ignore_errors=True)
    done = 0
    try:
        recorded = {}
        for entry in entries:
            path = entry["path"]
            url = f"{base}/{repo}/resolve/{revision}/{urllib.parse.quote(path)}"
            destination = partial / path
            sha256 = _download(session, url, destination, entry, timeout, _reporter(progress, done, total))
            done += _size(entry)
            stat = destination.stat()
            recorded[path] = {"size": stat.st_size, "sha256": sha256, "mtime_ns": stat.st_mtime_ns}
        if lacking := missing_files(partial):
            raise BriefingError(f"{repo} at {revision[:12]} has no {lacking[0]}; it is not a Supertonic model")
        record = {"model": model, "repo": repo, "revision": revision, "hub": base, "files": recorded}
        atomic_write_text(partial / MANIFEST, json.dumps(record, indent=2, sort_keys=True) + "\n")
        _swap_in(partial, target)
    finally:
        shutil.rmtree(partial, ignore_errors=True)
    return FetchResult(target, repo, revision, len(entries), total, fetched=True)


def _reporter(progress: Progress | None, before: int, total: int) -> Callable[[int], None]:
    """Reports a file's bytes received as the whole download's progress."""

    def report(received: int) -> None:
        if progress is not None:
            progress("download", before + received, total)

    return report


def _get(session: requests.Session, url: str, timeout: float, *, stream: bool = False) -> requests.Response:
    import requests

    try:
        response = session.get(url, timeout=(min(timeout, 10.0), timeout), stream=stream)
    except requests.Timeout:
        raise BriefingError(f"no answer within {timeout:g} s from {url}") from None
    except requests.RequestException as error:
        raise BriefingError(f"could not reach {url} ({type(error).__name__})") from None
    if response.status_code != 200:
        response.close()
        hint = " (is the repository or revision right?)" if response.status_code in (401, 403, 404) else ""
        raise BriefingError(f"HTTP {response.status_code} from {url}{hint}")
    return response


def _tree(session: requests.Session, base: str, repo: str, revision: str, timeout: float) -> list[dict[str, Any]]:
    """Every file of the repository at `revision`, from the hub's tree API (following its pages)."""
    url: str | None = f"{base}/api/models/{repo}/tree/{revision}?recursive=true"
    entries: list[dict[str, Any]] = []
    while url:
        response = _get(session, url, timeout)
        try:
            page = response.json()
        except ValueError:
            raise BriefingError(f"the hub's file list is not JSON ({url})") from None
        if not isinstance(page, list):
            raise BriefingError(f"the hub's file list is not a list ({url})")
        entries += [entry for entry in page if isinstance(entry, dict) and entry.get("type") == "file"]
        following = response.links.get("next", {}).get("url")
        url = urllib.parse.urljoin(url, following) if following else None
    return entries


def _wanted(entries: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(
        (entry for entry in entries if any(fnmatch.fnmatch(str(entry.get("path")), p) for p in FETCHED)),
        key=lambda entry: str(entry["path"]),
    )


def _check_listing(entries: Sequence[dict[str, Any]], repo: str, revision: str) -> None:
    paths = {str(entry["path"]) for entry in entries}
    for entry in entries:
        path = Path(str(entry["path"]))
        if path.is_absolute() or ".." in path.parts:
            raise BriefingError(f"the hub lists a file outside the model folder ('{entry['path']}')")
    lacking = [name for name in MODEL_FILES if name not in paths]
    if not any(path.startswith(f"{VOICE_STYLES}/") for path in paths):
        lacking.append(f"{VOICE_STYLES}/*.json")
    if lacking:
        raise BriefingError(f"{repo} at {revision[:12]} has no {lacking[0]}; it is not a Supertonic model")


def _size(entry: dict[str, Any]) -> int:
    lfs = entry.get("lfs")
    return int((lfs or {}).get("size", entry.get("size", 0)))


def _download(
    session: requests.Session,
    url: str,
    destination: Path,
    entry: dict[str, Any],
    timeout: float,
    progress: Callable[[int], None],
) -> str:
    """Stream `url` into `destination`; returns its SHA-256 after checking size and hash against the listing."""
    lfs = entry.get("lfs") or {}
    expected_size = _size(entry)
    sha256, blob = hashlib.sha256(), hashlib.sha1(usedforsecurity=False)
    blob.update(f"blob {expected_size}\0".encode())  # a git blob's id: sha1 of this header and the content
    destination.parent.mkdir(parents=True, exist_ok=True)
    received = 0
    with _get(session, url, timeout, stream=True) as response, destination.open("wb") as file:
        try:
            for block in response.iter_content(CHUNK):
                file.write(block)
                sha256.update(block)
                blob.update(block)
                received += len(block)
                progress(received)
        except Exception as error:  # noqa: BLE001 — requests raises several kinds for a stream cut off or stalled
            raise BriefingError(f"the download of {entry['path']} broke off ({type(error).__name__})") from None
    if received != expected_size:
        raise BriefingError(f"{entry['path']} arrived with {received:,} bytes, not the {expected_size:,} the hub lists")
    expected = lfs.get("oid") if lfs else entry.get("oid")
    actual = sha256.hexdigest() if lfs else blob.hexdigest()
    if expected and actual != expected:
        raise BriefingError(f"{entry['path']} does not match the hub's hash of it; the download was altered or damaged")
    return sha256.hexdigest()


def _swap_in(partial: Path, target: Path) -> None:
    """Put the complete folder at `target`: a folder already there is moved aside first and removed after."""
    target.parent.mkdir(parents=True, exist_ok=True)
    old = target.parent / f".{target.name}.old-{os.getpid()}"
    if target.exists():
        os.replace(target, old)
    os.replace(partial, target)
    shutil.rmtree(old, ignore_errors=True)
