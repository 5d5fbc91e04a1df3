"""Device access: ``local_user``, ``ssh_server``, ``telnet_server``, ``vty``.

VTY authentication is one vocabulary for both vendors: ``aaa`` asks for a user name and password (VRP
``authentication-mode aaa``; IOS ``login local`` or ``login authentication LIST``), ``password`` asks for the
line's password only (VRP ``authentication-mode password``; IOS ``login`` with ``password``), ``none`` asks for
nothing. Service types of local users: ssh, telnet, terminal (console), ftp, http, web, ppp, dot1x, netconf,
snmp, or ``all``; Cisco IOS users have none (any line lets them in).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field, model_validator

from grader.checks.base import CheckParams, CheckType, as_row, evidence_of, verdict
from grader.checks.registry import check_type, fact_kind
from grader.model.facts import FactRequest, FactValue
from grader.model.report import CheckResult, Outcome

LOCAL_USERS = fact_kind("local_users", "local user accounts: name, privilege level, service types")
SSH_SERVER = fact_kind("ssh_server", "whether the SSH (STelnet) server is enabled, and its version")
TELNET_SERVER = fact_kind("telnet_server", "whether the Telnet server is enabled")
VTY_LINES = fact_kind("vty_lines", "VTY lines: number, authentication mode (aaa/password/none), privilege level")
VTY_TRANSPORT = fact_kind("vty_transport", "the protocols each VTY line accepts (ssh, telnet), from the "
                          "configuration")

Service = Literal["ssh", "telnet", "terminal", "ftp", "http", "web", "ppp", "dot1x", "netconf", "snmp"]
Authentication = Literal["aaa", "password", "none"]
Transport = Literal["ssh", "telnet"]


@dataclass(frozen=True)
class LocalUser:
    name: str
    privilege: int | None = None  # None: not set
    services: tuple[str, ...] | None = None  # None: the platform has no per-user service types (Cisco IOS)
    active: bool | None = None  # False: blocked


@dataclass(frozen=True)
class ServerStatus:
    enabled: bool
    version: str | None = None


@dataclass(frozen=True)
class VtyLine:
    number: int  # VTY 0, VTY 1, ...
    authentication: str | None  # aaa, password, none
    privilege: int | None = None


@dataclass(frozen=True)
class VtyTransport:
    number: int
    protocols: tuple[str, ...] | None  # ssh, telnet; None: not configured (the device's default applies)


def _user_name(value: str) -> str:
    if re.fullmatch(r"[^\s\"'?]{1,64}", value):
        return value
    raise ValueError(f"{value!r} is not a user name (1-64 characters, no spaces or quotes)")


class LocalUserParams(CheckParams):
    name: Annotated[str, AfterValidator(_user_name)] = Field(description="the user name (case-sensitive)")
    privilege: int | None = Field(default=None, ge=0, le=15, description="expected privilege level, 0-15")
    services: list[Service] = Field(default_factory=list, description="service types the user must have "
                                    "(Huawei: ssh, telnet, terminal, ftp, http, ...)")
    absent: bool = Field(default=False, description="true: the user must not exist")


@check_type
class LocalUserCheck(CheckType[LocalUserParams]):
    name = "local_user"
    summary = "a local user exists with a privilege level and service types (ssh, telnet, terminal, ...)"
    passes_when = "the user exists (or, with `absent: true`, does not) with the given level and at least those services"
    Params = LocalUserParams
    fact_kinds = (LOCAL_USERS,)

    def judge(self, params: LocalUserParams, fact: FactValue) -> CheckResult:
        expected = self.expected(params)
        user: LocalUser | None = next((u for u in fact.value if u.name == params.name), None)
        where = f"{params.node}: local user {params.name}"
        if user is None or params.absent:
            names = ", ".join(u.name for u in fact.value) or "none"
            ok = (user is None) == params.absent
            message = (f"{where} exists, expected absent" if user is not None
                       else f"{where} does not exist" + ("" if params.absent else f" (users: {names})"))
            return self.result(params, verdict(ok), message, expected=expected,
                               observed=as_row(user) if user else None,
                               evidence=[evidence_of(fact, [as_row(u) for u in fact.value])])
        row = as_row(user)
        evidence = [evidence_of(fact, [row])]
        if params.services and user.services is None:
            return self.result(params, Outcome.ERROR, f"{where}: this platform has no per-user service types",
                               expected=expected, observed=row, evidence=evidence)
        problems = []
        if params.privilege is not None and user.privilege != params.privilege:
            problems.append(f"has privilege level {'not set' if user.privilege is None else user.privilege}, "
                            f"expected {params.privilege}")
        have = set(user.services or ())
        missing = [s for s in params.services if s not in have and "all" not in have]
        if missing:
            problems.append(f"has services {', '.join(user.services or ()) or 'none'}, expected {', '.join(missing)}")
        if user.active is False:
            problems.append("is blocked")
        message = f"{where} " + ("; ".join(problems) if problems else "is as expected")
        return self.result(params, verdict(not problems), message, expected=expected, observed=row, evidence=evidence)


class ServerParams(CheckParams):
    enabled: bool = Field(default=True, description="true: the server must be enabled; false: disabled")


class SshServerParams(ServerParams):
    """Parameters of ``ssh_server`` (a class of its own: one schema definition per check type)."""


class TelnetServerParams(ServerParams):
    """Parameters of ``telnet_server``."""


def _judge_server(check: CheckType[Any], params: ServerParams, fact: FactValue, label: str) -> CheckResult:
    status: ServerStatus = fact.value
    state = "enabled" if status.enabled else "disabled"
    version = f" (version {status.version})" if status.version and status.enabled else ""
    ok = status.enabled == params.enabled
    message = (f"{params.node}: {label} server is {state}{version}" if ok
               else f"{params.node}: {label} server is {state}, expected {'enabled' if params.enabled else 'disabled'}")
    return check.result(params, verdict(ok), message, expected=check.expected(params), observed=as_row(status),
                        evidence=[evidence_of(fact, [as_row(status)])])


@check_type
class SshServerCheck(CheckType[SshServerParams]):
    name = "ssh_server"
    summary = "the SSH server (Huawei STelnet) is enabled (or disabled)"
    passes_when = "the SSH server's state is `enabled`"
    Params = SshServerParams
    fact_kinds = (SSH_SERVER,)

    def judge(self, params: ServerParams, fact: FactValue) -> CheckResult:
        return _judge_server(self, params, fact, "SSH")


@check_type
class TelnetServerCheck(CheckType[TelnetServerParams]):
    name = "telnet_server"
    summary = "the Telnet server is enabled (or disabled)"
    passes_when = "the Telnet server's state is `enabled`"
    Params = TelnetServerParams
    fact_kinds = (TELNET_SERVER,)

    def judge(self, params: ServerParams, fact: FactValue) -> CheckResult:
        return _judge_server(self, params, fact, "Telnet")


class VtyParams(CheckParams):
    first: int = Field(default=0, ge=0, le=63, description="first VTY line of the range checked")
    last: int = Field(default=4, ge=0, le=63, description="last VTY line of the range checked")
    authentication: Authentication | None = Field(default=None, description="aaa (user name and password), "
                                                  "password (the line's password), none")
    privilege: int | None = Field(default=None, ge=0, le=15, description="the lines' privilege level")
    transport: list[Transport] | None = Field(default=None, description="exactly these protocols may log in "
                                              "(ssh, telnet); [] for none")

    @model_validator(mode="after")
    def _range(self) -> VtyParams:
        if self.first > self.last:
            raise ValueError(f"first VTY line {self.first} is after the last {self.last}")
        return self


@check_type
class VtyCheck(CheckType[VtyParams]):
    name = "vty"
    summary = "remote login lines (VTY): authentication mode, privilege level, allowed protocols"
    passes_when = "every VTY line from `first` to `last` exists and matches every given field"
    Params = VtyParams
    fact_kinds = (VTY_LINES, VTY_TRANSPORT)

    def requests(self, params: VtyParams) -> list[FactRequest]:
        kinds = [VTY_LINES] + ([VTY_TRANSPORT] if params.transport is not None else [])
        return [FactRequest.make(params.node, kind) for kind in kinds]

    def judge_all(self, params: VtyParams, facts: list[FactValue]) -> CheckResult:
        expected = self.expected(params)
        numbers = range(params.first, params.last + 1)
        where = f"{params.node}: VTY {params.first}-{params.last}"
        lines = {line.number: line for line in facts[0].value}
        rows = [as_row(lines[n]) for n in numbers if n in lines]
        evidence = [evidence_of(facts[0], rows)]
        missing = [n for n in numbers if n not in lines]
        if missing:
            return self.result(params, verdict(False), f"{where}: line VTY {missing[0]} does not exist "
                               f"(lines: {len(lines)})", expected=expected, observed=rows, evidence=evidence)
        problems = []
        for name, wanted in (("authentication", params.authentication), ("privilege", params.privilege)):
            if wanted is None:
                continue
            wrong = [lines[n] for n in numbers if getattr(lines[n], name) != wanted]
            if wrong:
                seen = getattr(wrong[0], name)
                problems.append(f"VTY {wrong[0].number} has {name} {'not set' if seen is None else seen}, "
                                f"expected {wanted}")
        if params.transport is not None:
            transports = {t.number: t for t in facts[1].value}
            evidence.append(evidence_of(facts[1], [as_row(transports[n]) for n in numbers if n in transports]))
            wanted_set = sorted(set(params.transport))
            for n in numbers:
                seen = transports.get(n)
                protocols = None if seen is None else seen.protocols
                if protocols is None:
                    problems.append(f"VTY {n} accepts the device's default protocols, expected "
                                    f"{' '.join(wanted_set) or 'none'} configured")
                    break
                if sorted(set(protocols)) != wanted_set:
                    problems.append(f"VTY {n} accepts {' '.join(sorted(set(protocols))) or 'no protocol'}, expected "
                                    f"{' '.join(wanted_set) or 'none'}")
                    break
        message = f"{where} " + ("; ".join(problems) if problems else "are as expected")
        return self.result(params, verdict(not problems), message, expected=expected, observed=rows,
                           evidence=evidence)
