"""The host's Debian package sources, read from /etc/apt, for building device images.

No mirror name is written anywhere in labgrader: images are built from whatever the host itself installs
packages from (deb822 ``*.sources`` files or one-line ``sources.list`` files).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from grader.errors import DeployError

APT_DIR = Path("/etc/apt")


@dataclass(frozen=True)
class AptSource:
    """One ``deb`` entry: a URI, one suite, its components and options."""

    uri: str
    suite: str
    components: tuple[str, ...]
    signed_by: str | None = None

    def line(self) -> str:
        """The entry as a one-line ``sources.list`` line."""
        options = f" [signed-by={self.signed_by}]" if self.signed_by else ""
        return f"deb{options} {self.uri} {self.suite} {' '.join(self.components)}"


def _deb822(text: str) -> list[AptSource]:
    sources: list[AptSource] = []
    for stanza in text.split("\n\n"):
        fields: dict[str, str] = {}
        key = ""
        for raw in stanza.splitlines():
            if not raw.strip() or raw.lstrip().startswith("#"):
                continue
            if raw[0] in " \t" and key:
                fields[key] += " " + raw.strip()
                continue
            key, _, value = raw.partition(":")
            key = key.strip().lower()
            fields[key] = value.strip()
        if "deb" not in fields.get("types", "").split() or fields.get("enabled", "yes").lower() == "no":
            continue
        signed_by = fields.get("signed-by") or None
        if signed_by and not signed_by.startswith("/"):
            signed_by = None  # an inline key cannot go into a one-line entry; apt falls back to its keyrings
        for uri in fields.get("uris", "").split():
            for suite in fields.get("suites", "").split():
                sources.append(AptSource(uri, suite, tuple(fields.get("components", "main").split()), signed_by))
    return sources


def _one_line(text: str) -> list[AptSource]:
    sources: list[AptSource] = []
    for raw in text.splitlines():
        words = raw.split("#", 1)[0].split()
        if not words or words[0] != "deb":
            continue
        words = words[1:]
        signed_by = None
        if words and words[0].startswith("["):
            options: list[str] = []
            while words:
                word = words.pop(0)
                options.append(word.strip("[]"))
                if word.endswith("]"):
                    break
            for option in options:
                if option.startswith("signed-by="):
                    signed_by = option.partition("=")[2]
        if len(words) >= 3:
            sources.append(AptSource(words[0], words[1], tuple(words[2:]), signed_by))
    return sources


def host_sources(apt_dir: Path = APT_DIR) -> list[AptSource]:
    """Every enabled ``deb`` entry of the host's apt configuration, in apt's reading order."""
    found: list[AptSource] = []
    listing = apt_dir / "sources.list"
    if listing.is_file():
        found += _one_line(listing.read_text(errors="replace"))
    parts = apt_dir / "sources.list.d"
    if parts.is_dir():
        for path in sorted(parts.iterdir()):
            if path.suffix == ".list":
                found += _one_line(path.read_text(errors="replace"))
            elif path.suffix == ".sources":
                found += _deb822(path.read_text(errors="replace"))
    return found


def debian_sources(suite: str | None = None, apt_dir: Path = APT_DIR) -> tuple[str, list[str]]:
    """(suite, one-line entries) for the image build: the host's entries of one release.

    The suite is ``suite``, else ``$LABGRADER_DEBIAN_SUITE``, else the host's first suite with a ``main``
    component; entries of that release (``bookworm``, ``bookworm-updates``, ``bookworm-security``) are kept.
    """
    sources = host_sources(apt_dir)
    chosen = suite or os.environ.get("LABGRADER_DEBIAN_SUITE")
    if not chosen:
        mains = [s.suite for s in sources if "main" in s.components and "-" not in s.suite]
        if not mains:
            raise DeployError(f"no Debian package source with a 'main' component found in {apt_dir}; "
                              "set LABGRADER_DEBIAN_SUITE and configure apt")
        chosen = mains[0]
    lines = [s.line() for s in sources if s.suite == chosen or s.suite.startswith(chosen + "-")]
    if not lines:
        raise DeployError(f"no package source for Debian suite {chosen!r} in {apt_dir}")
    return chosen, lines
