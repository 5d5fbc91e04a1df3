"""What every simulator reader shares: the device record, bounded reading of an untrusted file, XML without
entities or DTDs (defusedxml), JSON with a size and depth bound, and platform hints from image names.

A simulator's project file comes from a student: it may be huge, nested without end, carry XML entities
(billion laughs, external entities), odd encodings or control characters in names. Each problem is refused
in one line naming the file (and the element when there is one); nothing in the file is ever executed,
fetched or expanded.
"""

from __future__ import annotations

import codecs
import ipaddress
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element, ParseError

from grader.errors import LabFileError
from grader.text import printable

MAX_PROJECT_BYTES = 8 * 1024 * 1024  # the largest real project seen is ~300 KB (GNS3, 80 nodes)
MAX_JSON_DEPTH = 64
MAX_DEVICES = 2000


@dataclass(frozen=True)
class SimDevice:
    """One device of a simulator's project, as the student named it.

    ``port`` is its console's telnet port (None when it has none); ``platform`` the labgrader platform its
    model or image says (None when unknown); ``skip`` why it can never be graded (a PC without a CLI, a
    VNC-only console), else None. ``kind`` says what the file calls it (``AR2220``, ``qemu vios-...``)."""

    name: str
    kind: str
    host: str | None = None
    port: int | None = None
    platform: str | None = None
    skip: str | None = None


def shown(text: object, limit: int = 80) -> str:
    """Text from a student's file, safe and short enough for a one-line message."""
    value = printable(str(text), one_line=True)
    return value if len(value) <= limit else value[: limit - 1] + "…"


def read_bounded(path: Path, max_bytes: int = MAX_PROJECT_BYTES) -> bytes:
    """The file's bytes; a missing, unreadable, special or oversized file is a one-line error."""
    try:
        if not path.is_file():
            raise LabFileError([f"{path}: not found (or not a regular file)"])
        size = path.stat().st_size
        if size > max_bytes:
            raise LabFileError([f"{path}: refused: {size} bytes, more than a simulator project holds "
                                f"({max_bytes // (1024 * 1024)} MiB at most)"])
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise LabFileError([f"{path}: cannot read: {exc.strerror or exc}"]) from None
    if len(data) > max_bytes:  # grew while being read
        raise LabFileError([f"{path}: refused: more than {max_bytes // (1024 * 1024)} MiB"])
    return data


def decode_text(path: Path, data: bytes) -> str:
    """Bytes as text: a BOM decides (UTF-8, UTF-16); else UTF-8; else GB18030 (what eNSP on a Chinese
    Windows writes for names in the ANSI code page). eNSP declares ``encoding="UNICODE"`` whatever it
    writes, so the declaration is never trusted."""
    for bom, codec in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                       (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError as exc:
                raise LabFileError([f"{path}: not valid {codec} text at byte {exc.start}"]) from None
    for codec in ("utf-8", "gb18030"):
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            continue
    raise LabFileError([f"{path}: not text (neither UTF-8, UTF-16 nor GB18030)"])


def parse_xml(path: Path, text: str, what: str) -> Element:
    """The root element of ``text``; DTDs, entities and external references are refused, not expanded."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    try:
        return fromstring(text, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        kind = type(exc).__name__.removesuffix("Forbidden").lower() or "construct"
        raise LabFileError([f"{path}: refused: the XML has a {kind} declaration "
                            f"({what} never has one; entities can expand without end or read other files)"]) \
            from None
    except ParseError as exc:
        raise LabFileError([f"{path}: not {what}: XML error: {shown(exc)}"]) from None
    except (ValueError, LookupError) as exc:
        raise LabFileError([f"{path}: not {what}: {shown(exc)}"]) from None


_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_JSON_BRACKET = re.compile(r"[\[\]{}]")


def parse_json(path: Path, text: str, what: str) -> Any:
    """JSON nested at most ``MAX_JSON_DEPTH`` deep (the size is bounded by ``read_bounded``): the depth is
    counted first, outside strings, as ``json.loads`` recurses once per level."""
    depth = 0
    for bracket in _JSON_BRACKET.finditer(_JSON_STRING.sub("", text)):
        depth += 1 if bracket.group() in "[{" else -1
        if depth > MAX_JSON_DEPTH:
            raise LabFileError([f"{path}: refused: JSON nested more than {MAX_JSON_DEPTH} levels deep"])
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise LabFileError([f"{path}: not {what}: JSON error: {shown(exc)}"]) from None


_HOSTNAME = re.compile(r"(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
                       r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*")
WILDCARDS = {"", "0.0.0.0", "::", "0:0:0:0:0:0:0:0"}
LOOPBACK = "127.0.0.1"


def console_host(value: object, where: str) -> str:
    """A console address from a file: an IP address or a host name; a wildcard (``0.0.0.0``, ``::``) means
    the simulator listens everywhere, so it is reached on ``127.0.0.1``."""
    text = str(value).strip()
    if text in WILDCARDS:
        return LOOPBACK
    try:
        address = ipaddress.ip_address(text.strip("[]"))
    except ValueError:
        if _HOSTNAME.fullmatch(text):
            return text
        raise LabFileError([f"{where}: {shown(text)!r} is not an address or host name"]) from None
    return LOOPBACK if address.is_unspecified else str(address)


def console_port(value: object, where: str) -> int:
    """A TCP port from a file (a number 1-65535, possibly written as a string)."""
    text = str(value).strip()
    if isinstance(value, bool) or not text.isdigit() or not 0 < int(text) < 65536:
        raise LabFileError([f"{where}: console port {shown(text)!r} is not a port number (1-65535)"])
    return int(text)


# Image and template names → platform. Checked in order; names are lower-cased first.
_IMAGE_HINTS: tuple[tuple[str, str], ...] = (
    (r"iosxr|xrv|nxos|n9kv|asav?\b|asa\d|ftdv|fmcv", ""),  # Cisco, but not IOS: no platform of ours
    (r"huawei.?ar|^ar\d+k|^ar1000v", "huawei_vrp"),
    (r"huawei.?(?:ce|ne)|^ce\d{3,5}|^ne\d{2,4}", "huawei_vrpv8"),
    (r"vios|iosv|csr1000v|c8000v|cat8000v|cat9kv|i86bi|\biol\b|linux-?l[23]|x86_64_crb_linux|iosxe|"
     r"^c\d{4}-.*\.(?:image|bin)$|^c(?:1700|2600|2691|3620|3640|3660|3725|3745|7200)$", "cisco_ios"),
    (r"\bfrr|frrouting", "frr"),
)


def platform_from_names(*names: str | None) -> str | None:
    """The platform an image or template name points to (``vios-adventerprisek9...`` → cisco_ios), or None."""
    for name in names:
        if not name:
            continue
        lowered = str(name).lower().rsplit("/", 1)[-1]
        for pattern, platform in _IMAGE_HINTS:
            if re.search(pattern, lowered):
                if platform:
                    return platform
                break  # a known non-IOS Cisco image: look no further in this name
    return None
