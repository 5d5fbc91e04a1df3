"""Device images built from Debian packages, without any container registry.

A recipe is a folder of ``recipes/``: ``packages.txt`` and ``setup.sh``, plus the files of ``recipes/common``
(entrypoint, ``lg-apply``, sshd settings). ``mmdebstrap`` makes a minimal root file system from the host's own
package sources, runs the setup scripts inside it, and the tarball is imported into Docker with its entrypoint.

Images are tagged ``labgrader/<recipe>:<hash12>`` where the hash covers every recipe file, the suite and the
build options, so a build is skipped when nothing changed; ``labgrader/<recipe>:latest`` names the newest.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from docker.errors import APIError, ImageNotFound

from grader.errors import DeployError
from grader.runtime.apt_sources import debian_sources
from grader.runtime.dockerapi import client

RECIPES_DIR = Path(__file__).with_name("recipes")
RECIPES: tuple[str, ...] = ("frr", "host")
REPOSITORY = "labgrader"
ENTRYPOINT = "/usr/local/sbin/lg-entrypoint"
STAGING = "/tmp/labgrader-recipe"
# Anything of the build that is not a recipe file; part of the hash.
_TRIM = ("/usr/share/man/*", "/usr/share/doc/*", "/usr/share/locale/*", "/usr/share/info/*",
         "/usr/share/lintian/*", "/usr/share/bash-completion/*")
# merged /usr set up by mmdebstrap's hook: otherwise apt pulls in usrmerge and, with it, perl (50 MB).
_HOOK_DIR = "/usr/share/mmdebstrap/hooks/maybe-merged-usr"
_BUILD_FORMAT = f"2 minbase no-recommends merged-usr trim={','.join(_TRIM)} entrypoint={ENTRYPOINT}"

Progress = Callable[[str], None]


@dataclass(frozen=True)
class ImageInfo:
    """A built device image."""

    name: str  # recipe name: frr, host
    tag: str  # labgrader/frr:0123456789ab
    id: str
    size: int  # bytes
    created: datetime
    current: bool  # built from the recipe as it is now


def recipe_files(name: str) -> dict[str, bytes]:
    """The files staged into the image build: ``recipes/common/*`` plus the recipe's own (``recipe-*``)."""
    folder = RECIPES_DIR / name
    if name not in RECIPES or not folder.is_dir():
        raise DeployError(f"no image recipe named {name!r}; known: {', '.join(RECIPES)}")
    files = {p.name: p.read_bytes() for p in sorted((RECIPES_DIR / "common").iterdir()) if p.is_file()}
    files.update({f"recipe-{p.name}": p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()})
    return files


def packages(name: str) -> list[str]:
    """The Debian packages a recipe installs."""
    text = recipe_files(name)["recipe-packages.txt"].decode()
    return [w for line in text.splitlines() for w in line.split("#", 1)[0].split()]


def recipe_hash(name: str, suite: str) -> str:
    """Hex digest of everything that decides what the image contains."""
    digest = hashlib.sha256(f"{name}\0{suite}\0{_BUILD_FORMAT}\0".encode())
    for filename, content in sorted(recipe_files(name).items()):
        digest.update(f"{filename}\0{len(content)}\0".encode())
        digest.update(content)
    return digest.hexdigest()


def current_tag(name: str) -> str:
    """The tag the recipe ``name`` has when built as it is now."""
    suite, _ = debian_sources()
    return f"{REPOSITORY}/{name}:{recipe_hash(name, suite)[:12]}"


def _exists(tag: str) -> bool:
    try:
        client().images.get(tag)
    except ImageNotFound:
        return False
    except APIError as exc:
        raise DeployError(f"cannot inspect image {tag}: {exc.explanation or exc}") from None
    return True


def _error_line(text: str) -> str:
    """The line of mmdebstrap's output that says what failed: apt's or a hook's own error when there is one,
    rather than mmdebstrap's summary (``E: setup failed: ...``, ``E: mmdebstrap failed to run``)."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("E:")]
    specific = [line for line in errors if not line.startswith(("E: setup failed", "E: mmdebstrap failed"))]
    line = (specific or errors or lines or ["(no output)"])[0]
    return line if len(line) <= 300 else line[:297] + "..."


def _mmdebstrap(name: str, suite: str, sources: list[str], staging: Path, out: Path) -> list[str]:
    cmd = ["mmdebstrap", "--variant=minbase", "--format=tar", f"--hook-dir={_HOOK_DIR}",
           "--aptopt=APT::Install-Recommends \"false\"",
           f"--include={','.join(packages(name))}"]
    cmd += [f"--dpkgopt=path-exclude={pattern}" for pattern in _TRIM]
    cmd += ["--dpkgopt=path-include=/usr/share/doc/*/copyright",
            f'--customize-hook=mkdir -p "$1{STAGING}"',
            f"--customize-hook=sync-in {staging} {STAGING}",
            f'--customize-hook=chroot "$1" sh {STAGING}/setup.sh {name}',
            f'--customize-hook=chroot "$1" sh {STAGING}/recipe-setup.sh',
            f'--customize-hook=rm -rf "$1{STAGING}"',
            suite, str(out), *sources]
    return cmd


def _build_one(name: str, suite: str, sources: list[str], full_hash: str) -> None:
    tag = full_hash[:12]
    try:
        previous: str | None = client().images.get(f"{REPOSITORY}/{name}:{tag}").id
    except ImageNotFound:
        previous = None
    with tempfile.TemporaryDirectory(prefix=f"labgrader-{name}-") as tmp:
        staging = Path(tmp, "recipe")
        staging.mkdir()
        for filename, content in recipe_files(name).items():
            (staging / filename).write_bytes(content)
        tarball = Path(tmp, "rootfs.tar")
        try:
            done = subprocess.run(_mmdebstrap(name, suite, sources, staging, tarball),
                                  capture_output=True, text=True, check=False)
        except FileNotFoundError:
            raise DeployError("building images needs mmdebstrap (apt-get install mmdebstrap)") from None
        if done.returncode != 0:
            raise DeployError(f"building image {name}: mmdebstrap failed: {_error_line(done.stderr)}")
        changes = [f'ENTRYPOINT ["{ENTRYPOINT}"]', "EXPOSE 22",
                   "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                   f"LABEL labgrader.recipe={name}", f"LABEL labgrader.hash={full_hash}"]
        try:
            result = client().api.import_image(src=str(tarball), repository=f"{REPOSITORY}/{name}",
                                               tag=tag, changes=changes)
        except APIError as exc:
            raise DeployError(f"building image {name}: docker import failed: {exc.explanation or exc}") from None
    for line in str(result).splitlines():
        try:
            message = json.loads(line)
        except ValueError:
            continue
        if isinstance(message, dict) and message.get("error"):
            raise DeployError(f"building image {name}: docker import failed: {message['error']}")
    if previous is not None:  # a forced rebuild: the image that had the tag is now nameless
        with contextlib.suppress(APIError):
            client().images.remove(previous)


def _remove_stale(name: str, keep: str, say: Progress) -> None:
    """Remove older builds of a recipe; one still used by a container stays (Docker refuses)."""
    for image in client().images.list(name=f"{REPOSITORY}/{name}"):
        for tag in image.tags:
            if tag in (keep, f"{REPOSITORY}/{name}:latest") or not tag.startswith(f"{REPOSITORY}/{name}:"):
                continue
            try:
                client().images.remove(tag)
                say(f"{name}: removed old image {tag}")
            except APIError:
                say(f"{name}: old image {tag} is still in use; kept")
    for image in client().images.list(filters={"dangling": True, "label": f"labgrader.recipe={name}"}):
        with contextlib.suppress(APIError):  # nameless leftovers of forced rebuilds, once unused
            client().images.remove(image.id)


@contextlib.contextmanager
def _build_lock() -> Iterator[None]:
    """One image build at a time on this machine (two would race for the same tags)."""
    path = Path(tempfile.gettempdir(), "labgrader-images.lock")
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _build_many(todo: list[str], suite: str, sources: list[str], hashes: dict[str, str],
                tags: dict[str, str], say: Progress) -> None:
    def build(name: str) -> None:
        say(f"{name}: building {tags[name]} from Debian {suite} packages")
        started = time.monotonic()
        _build_one(name, suite, sources, hashes[name])
        say(f"{name}: built in {time.monotonic() - started:.1f} s")

    if todo:  # the recipes build side by side: each waits on downloads and dpkg much of the time
        with ThreadPoolExecutor(max_workers=len(todo)) as pool:
            for future in [pool.submit(build, name) for name in todo]:
                future.result()


def build_images(names: list[str] | None = None, force: bool = False,
                 on_progress: Progress | None = None) -> list[ImageInfo]:
    """Build the images whose recipe changed (all of ``names`` with ``force``); tag them ``:latest``.

    Returns the current image of each recipe asked for. ``DeployError`` names the step that failed.
    """
    say = on_progress or (lambda _message: None)
    suite, sources = debian_sources()
    chosen = list(names or RECIPES)
    hashes = {name: recipe_hash(name, suite) for name in chosen}
    tags = {name: f"{REPOSITORY}/{name}:{hashes[name][:12]}" for name in chosen}
    todo = [name for name in chosen if force or not _exists(tags[name])]
    with _build_lock() if todo else contextlib.nullcontext():
        if not force:  # another process may have built them while this one waited for the lock
            todo = [name for name in todo if not _exists(tags[name])]
        _build_many(todo, suite, sources, hashes, tags, say)
    for name in chosen:
        if name not in todo:
            say(f"{name}: {tags[name]} is up to date")
        client().images.get(tags[name]).tag(f"{REPOSITORY}/{name}", "latest")
        _remove_stale(name, tags[name], say)

    wanted = set(names or RECIPES)
    return [info for info in list_images() if info.current and info.name in wanted]


def list_images() -> list[ImageInfo]:
    """Every ``labgrader/*`` image tag except ``:latest``, newest first."""
    suite, _ = debian_sources()
    current = {name: f"{REPOSITORY}/{name}:{recipe_hash(name, suite)[:12]}" for name in RECIPES}
    found: list[ImageInfo] = []
    for image in client().images.list(filters={"label": "labgrader.recipe"}):
        name = (image.labels or {}).get("labgrader.recipe", "")
        for tag in image.tags:
            if not tag.startswith(f"{REPOSITORY}/") or tag.endswith(":latest"):
                continue
            created = datetime.fromisoformat(image.attrs["Created"][:26].rstrip("Z"))
            found.append(ImageInfo(name, tag, image.short_id.removeprefix("sha256:"),
                                   int(image.attrs.get("Size", 0)), created, current.get(name) == tag))
    return sorted(found, key=lambda info: info.created, reverse=True)


def image_for(reference: str) -> str:
    """The local image to run for ``reference``.

    ``labgrader/<recipe>`` and ``labgrader/<recipe>:latest`` mean the image of the recipe as it is now; any
    other reference must already exist locally (nothing can be pulled).
    """
    last = reference.rsplit("/", 1)[-1]
    repo, tag = (reference.rsplit(":", 1) if ":" in last else (reference, ""))
    ours = repo.startswith(f"{REPOSITORY}/")
    recipe = repo.removeprefix(f"{REPOSITORY}/")
    if ours and recipe in RECIPES and tag in ("", "latest"):
        wanted = current_tag(recipe)
        if not _exists(wanted):
            raise DeployError(f"image {wanted} (recipe {recipe}) is not built: run `labgrader images build`")
        return wanted
    if not _exists(reference):
        hint = f"; known recipes: {', '.join(RECIPES)}, run `labgrader images build`" if ours else ""
        raise DeployError(f"image {reference} is not available locally and cannot be pulled{hint}")
    return reference
