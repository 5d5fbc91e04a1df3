"""What a platform is: a table of facts → (command, parser, normaliser), and a session profile.

A platform reads like a table (scrapli's habit): which command yields which fact, which TextFSM template parses
it, a small function turning rows into the shared fact shapes, and -- in ``SessionProfile`` -- the data a
session needs to talk to the device: netmiko device types, prompt patterns, paging, error markers, how to
leave a configuration view, which questions to answer. The transport reads the profile and names no platform.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

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
    check_rejected: bool = True  # False: the normaliser tells a rejected command itself (ping reports errors)

    def command_for(self, request: FactRequest) -> str:
        if callable(self.command):
            return self.command(request)
        return self.command.format(**dict(request.args))


@dataclass(frozen=True)
class Dialog:
    """A question a device may ask (regex, searched in the newest output) and the answer a grader gives.

    Answers never save or change the configuration: a password-change question is declined, a "commit before
    leaving?" question is cancelled."""

    pattern: str
    answer: str
    name: str = ""


@dataclass(frozen=True)
class Interrupt:
    """A command that never ends by itself (vtysh's ping has no count): the session stops it with Ctrl-C once
    ``enough`` lines match ``progress`` or after ``seconds``, then reads the rest up to the prompt."""

    command: str  # regex the whole command matches
    progress: str  # regex of one line of progress (a reply), searched per line
    enough: int
    seconds: float


@dataclass(frozen=True)
class Enable:
    """How to reach the privileged level from a user-level prompt (Cisco's ``R1>`` → ``enable`` → ``R1#``)."""

    user_prompt: str  # regex of a prompt that needs it
    command: str = "enable"
    password_prompt: str = r"(?i)password:\s*$"


@dataclass(frozen=True)
class SessionProfile:
    """How to hold a CLI session with a platform's devices (SSH or console telnet)."""

    dialect: Literal["vrp", "ios", "vtysh", "bash"]  # the CLI family the devices speak
    ssh_device_type: str | None  # netmiko device type over SSH (None: no SSH)
    telnet_device_type: str | None  # netmiko device type over telnet (None: no telnet)
    prompt: str  # regex matching a whole prompt line, in any view
    config_prompt: str | None = None  # regex matching a prompt of a configuration view
    leave_config: tuple[str, ...] = ()  # commands that bring a configuration view back to the user view
    paging_off: tuple[str, ...] = ()  # sent once after login; a refusal is tolerated (see more_prompts)
    more_prompts: tuple[str, ...] = ()  # regexes of paging prompts, answered with a space when paging is on
    error_markers: tuple[str, ...] = ()  # a line starting with one means the device rejected the command
    dialogs: tuple[Dialog, ...] = ()  # questions answered during login and commands
    login_prompts: tuple[str, str] = (r"(?i)(?:user ?name|login)\s*:\s*$", r"(?i)password\s*:\s*$")
    login_shell: Literal["vtysh", "bash"] | None = None  # over SSH the login lands in this known shell
    interrupts: tuple[Interrupt, ...] = ()  # commands to stop with Ctrl-C
    enable: Enable | None = None  # a user-level prompt is raised with this (the inventory's ``secret``)
    strip_ansi: bool = False  # the output carries ANSI escapes to remove


@dataclass(frozen=True)
class Platform:
    name: str
    template_platform: str  # the platform name in the TextFSM indexes (ntc-templates' naming)
    facts: Mapping[FactKind, FactSpec]
    session: SessionProfile
    unsupported: Mapping[FactKind, str] = field(default_factory=dict)  # fact kind → why it cannot be provided
    containerlab_kinds: tuple[str, ...] = ()  # containerlab node kinds whose platform this is
    container_recipe: str | None = None  # the labgrader image recipe its nodes run in, when it can be deployed

    def supports(self, kind: FactKind) -> bool:
        return kind in self.facts

    def spec(self, kind: FactKind) -> FactSpec:
        try:
            return self.facts[kind]
        except KeyError:
            why = self.unsupported.get(kind) or "labgrader has no command for it on this platform yet"
            raise UnsupportedError(f"platform {self.name!r} cannot provide fact {kind!r}: {why}") from None

    def command_for(self, request: FactRequest) -> str:
        return self.spec(request.kind).command_for(request)

    def rejected(self, text: str) -> str | None:
        """The device's error line when ``text`` says the command was rejected, else None."""
        for line in text.splitlines():
            stripped = line.strip()
            if any(stripped.startswith(marker) for marker in self.session.error_markers):
                return stripped
        return None

    def interpret(self, request: FactRequest, text: str) -> Any:
        """Turn raw output into the fact's value. Raises ParseError/TemplateError on bad output."""
        from grader import parsing

        spec = self.spec(request.kind)
        if spec.check_rejected and (line := self.rejected(text)) is not None:
            raise ParseError(f"the device rejected the command: {line}")
        rows = parsing.parse(self.template_platform, spec.command_for(request), text) if spec.parsed else []
        return spec.normalise(rows, text, request)


def collect_facts(package: str) -> dict[FactKind, FactSpec]:
    """The fact table of a platform package: the ``FACTS`` of each of its modules (one per check family, e.g.
    ``routing``, ``switching``), merged. A kind provided twice is an error."""
    import importlib
    import pkgutil

    facts: dict[FactKind, FactSpec] = {}
    for module in sorted(m.name for m in pkgutil.iter_modules(importlib.import_module(package).__path__)):
        table = getattr(importlib.import_module(f"{package}.{module}"), "FACTS", {})
        twice = sorted(set(facts) & set(table))
        if twice:
            raise ValueError(f"{package}.{module} provides fact kinds another module of it provides: {twice}")
        facts.update(table)
    return facts
