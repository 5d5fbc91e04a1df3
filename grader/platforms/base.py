"""What a platform is: a table of facts → (command, parser, normaliser), plus connection data.

A platform reads like a table (scrapli's habit): which command yields which fact, which TextFSM template parses
it, and a small function turning rows into the shared fact shapes of ``grader.model.facts``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from grader.errors import ParseError, UnsupportedError
from grader.model.facts import FactKind, FactRequest

# rows (parsed by TextFSM, or [] when the fact is read from raw text), raw text, the request → fact value
Normaliser = Callable[[list[dict[str, Any]], str, FactRequest], Any]


@dataclass(frozen=True)
class FactSpec:
    """How one platform produces one kind of fact.

    ``command`` is a ``str.format`` pattern filled from the request's args (e.g. ``ping {target}``); a callable
    gets the request for anything more involved (optional arguments). ``parsed`` says whether the output goes
    through TextFSM (the template is found by platform + command) before ``normalise``.
    """

    command: str | Callable[[FactRequest], str]
    normalise: Normaliser
    parsed: bool = True

    def command_for(self, request: FactRequest) -> str:
        if callable(self.command):
            return self.command(request)
        return self.command.format(**dict(request.args))


@dataclass(frozen=True)
class Platform:
    name: str
    netmiko_device_type: str  # SSH
    netmiko_telnet_device_type: str | None
    template_platform: str  # the platform name in the TextFSM indexes (ntc-templates' naming)
    facts: dict[FactKind, FactSpec]
    # Output lines that mean the device rejected the command (so the output is not evidence of anything).
    error_markers: tuple[str, ...] = ()
    # Commands sent once after login (paging off).
    session_setup: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)

    def supports(self, kind: FactKind) -> bool:
        return kind in self.facts

    def spec(self, kind: FactKind) -> FactSpec:
        try:
            return self.facts[kind]
        except KeyError:
            why = self.extra.get("unsupported", {}).get(kind)
            raise UnsupportedError(f"platform {self.name!r} cannot provide fact {kind!r}"
                                   + (f": {why}" if why else "")) from None

    def command_for(self, request: FactRequest) -> str:
        return self.spec(request.kind).command_for(request)

    def rejected(self, text: str) -> str | None:
        """The device's error line when ``text`` says the command was rejected, else None."""
        for line in text.splitlines():
            stripped = line.strip()
            if any(stripped.startswith(marker) for marker in self.error_markers):
                return stripped
        return None

    def interpret(self, request: FactRequest, text: str) -> tuple[Any, list[dict[str, Any]]]:
        """Turn raw output into (fact value, parsed rows). Raises ParseError/TemplateError on bad output."""
        from grader import parsing

        spec = self.spec(request.kind)
        if (line := self.rejected(text)) is not None:
            raise ParseError(f"the device rejected the command: {line}")
        rows = parsing.parse(self.template_platform, spec.command_for(request), text) if spec.parsed else []
        return spec.normalise(rows, text, request), rows
