"""Text from outside made safe to show: lab files, paths, capture manifests and device output may carry
terminal escape sequences, control characters, bidi overrides or lone surrogates. Everything labgrader prints
or writes for a person goes through ``printable`` (reporters, error lines, progress)."""

from __future__ import annotations

import re
from collections.abc import Callable

# ESC sequences: CSI (ESC [ ... final), OSC (ESC ] ... BEL or ESC \\), and two-character ones.
_ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-Z\\-_]")
_NEWLINE = re.compile(r"\r\n?")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Bidi embeddings, overrides and isolates (the "Trojan Source" characters) and the Arabic letter mark.
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069\u061c]")
_SURROGATE = re.compile("[\ud800-\udfff]")
REPLACEMENT = "\ufffd"


def printable(text: str, *, one_line: bool = False) -> str:
    """``text`` without terminal escapes and bidi controls; other control characters and lone surrogates
    shown as U+FFFD. Line ends become ``\\n`` (or, with ``one_line``, a U+FFFD as well)."""
    text = _ESCAPES.sub("", _NEWLINE.sub("\n", text))
    text = _BIDI.sub("", text)
    text = _SURROGATE.sub(REPLACEMENT, _CONTROL.sub(REPLACEMENT, text))
    return text.replace("\n", REPLACEMENT) if one_line else text


def printable_data(value: object, *, clean: Callable[[str], str] = printable) -> object:
    """``value`` (dicts, lists, strings: e.g. a model dump) with every string passed through ``clean``."""
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, dict):
        return {printable_data(k, clean=clean): printable_data(v, clean=clean) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [printable_data(v, clean=clean) for v in value]
    return value


def without_surrogates(text: str) -> str:
    """Lone surrogates (never valid text) replaced; everything else kept, for machine-readable output."""
    return _SURROGATE.sub(REPLACEMENT, text)
