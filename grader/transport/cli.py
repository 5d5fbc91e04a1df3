"""A CLI session driven by a platform's ``SessionProfile``: prompt discovery, configuration views, paging,
dialogs and commands, each read with a deadline.

It works on any ``Channel`` (``read()`` returns what has arrived, ``write(text)`` sends) -- a netmiko connection
in production, a scripted device in tests -- and names no platform: everything device-specific comes from the
profile. Errors are exceptions of this module (``NoPrompt``, ``CommandTimeout``, ``SessionClosed``); the
transport turns them into evidence errors.
"""

from __future__ import annotations

import contextlib
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from grader.platforms.base import SessionProfile

POLL_S = 0.005
# A prompt line that arrived alone is accepted once nothing more arrives for this long; a prompt seen twice in a
# row (the login prompt, then the one our RETURN brought) is accepted at once.
QUIET_S = 0.25
# A paging prompt is erased by moving the cursor back over it and overwriting it with spaces (VRP:
# ESC[42D + spaces + ESC[42D; IOS: backspaces + spaces + backspaces): all of it goes.
_ERASE = re.compile(r"(?:\x1b\[\d*D|\x08+) +(?:\x1b\[\d*D|\x08+)")
_CONTROL = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b[=>()][0-9A-Za-z]?|\x08")
# The end of a chunk that may be the first part of an erase or escape sequence: kept for the next chunk.
_PARTIAL = re.compile(r"(?:(?:\x1b\[\d*D|\x08+) *)?\x1b(?:\[[0-?]*[ -/]*)?\Z|(?:\x1b\[\d*D|\x08+) *\Z")


class Channel(Protocol):
    def read(self) -> str:
        """What has arrived since the last read ("" when nothing), line ends normalised to ``\\n``."""
        ...

    def write(self, text: str) -> None:
        ...

    @property
    def closed(self) -> bool:
        ...


class SessionError(Exception):
    """The session cannot go on; ``str()`` is one line for a student."""


class NoPrompt(SessionError):
    """No prompt showed (after login, or after leaving a configuration view)."""


class CommandTimeout(SessionError):
    """A command's output did not end with the prompt in time: the session is in an unknown state."""


class SessionClosed(SessionError):
    """The device closed the session."""


class NotPrivileged(SessionError):
    """The device stayed at a user-level prompt (no enable secret, or a wrong one)."""


def clean(text: str) -> str:
    """Terminal control sequences (erased paging prompts, cursor moves, bracketed paste) removed."""
    return _CONTROL.sub("", _ERASE.sub("", text))


class Cleaner:
    """``clean`` applied to a stream of chunks: a sequence split between two chunks is cleaned whole."""

    def __init__(self) -> None:
        self.held = ""

    def feed(self, chunk: str) -> str:
        text = _ERASE.sub("", self.held + chunk)
        partial = _PARTIAL.search(text)
        cut = partial.start() if partial is not None else len(text)
        self.held = text[cut:]
        return _CONTROL.sub("", text[:cut])


def last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else ""


@dataclass
class CliSession:
    """One logged-in session. Call ``prepare`` once, then ``run`` per command."""

    channel: Channel
    profile: SessionProfile
    read_timeout: float = 20.0
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    secret: str | None = None  # the enable secret, for a user-level prompt (see the profile's ``enable``)
    prompt: str = ""
    paging: bool = True  # the device pages its output (paging could not be turned off)
    answered: list[str] = field(default_factory=list)  # names of the dialogs answered, in order
    _prompt_re: re.Pattern[str] = field(init=False)
    _more_re: re.Pattern[str] | None = field(init=False)
    _cleaner: Cleaner = field(init=False, default_factory=Cleaner)

    def __post_init__(self) -> None:
        self._prompt_re = re.compile(self.profile.prompt)
        self._more_re = (re.compile("(?:" + "|".join(self.profile.more_prompts) + r")\Z")
                         if self.profile.more_prompts else None)

    # -- reading ----------------------------------------------------------------------------------------
    def _read(self) -> str:
        try:
            chunk = self.channel.read()
        except (OSError, EOFError) as exc:
            raise SessionClosed(f"the session dropped ({type(exc).__name__})") from None
        except Exception as exc:  # netmiko's ReadException: "Channel stream closed by remote device."
            if "closed" in str(exc).lower():
                raise SessionClosed("the device closed the session") from None
            raise
        if not chunk and self.channel.closed:
            raise SessionClosed("the device closed the session")
        return self._cleaner.feed(chunk)

    def write(self, text: str) -> None:
        try:
            self.channel.write(text)
        except (OSError, EOFError) as exc:
            raise SessionClosed(f"the session dropped ({type(exc).__name__})") from None
        except Exception as exc:  # netmiko's WriteException
            if "channel" in str(exc).lower() or "closed" in str(exc).lower():
                raise SessionClosed("the device closed the session") from None
            raise

    def _answer_dialogs(self, buffer: str, start: int) -> int:
        """Answer a dialog question that appeared in ``buffer[start:]``; returns the new scan start."""
        tail = buffer[start:]
        for dialog in self.profile.dialogs:
            match = re.search(dialog.pattern, tail)
            if match is not None:
                self.write(dialog.answer)
                self.answered.append(dialog.name or dialog.pattern)
                return start + match.end()
        return start

    def _read_until(self, done: Callable[[str], bool], deadline: float, *, page: bool, timed: bool = False) -> str:
        """Read until ``done(buffer)`` (asked when output arrives, and while none does when ``timed``); answer
        dialogs, and paging prompts when ``page``."""
        buffer, scanned = "", 0
        while True:
            chunk = self._read()
            if chunk:
                buffer += chunk
                scanned = self._answer_dialogs(buffer, scanned)
                if page and self._more_re is not None:
                    match = self._more_re.search(buffer)
                    if match is not None:
                        buffer = buffer[:match.start()]
                        scanned = min(scanned, len(buffer))
                        self.write(" ")
                        continue
                if done(buffer):
                    return buffer
            elif timed and done(buffer):
                return buffer
            if self.clock() > deadline:
                raise CommandTimeout(f"no prompt after {self.read_timeout:g} s")
            self.sleep(POLL_S)

    # -- preparing ----------------------------------------------------------------------------------------
    def find_prompt(self, timeout: float | None = None) -> str:
        """Send RETURN and read until a prompt line shows (twice in a row, or alone and then quiet)."""
        timeout = self.read_timeout if timeout is None else timeout
        deadline = self.clock() + timeout
        buffer, scanned, seen_at, candidate = "", 0, 0.0, ""
        with contextlib.suppress(SessionClosed):  # what the device said before closing is read below
            self.write("\n")
        while True:
            try:
                chunk = self._read()
            except SessionClosed:
                said = " ".join([ln.strip() for ln in buffer.splitlines() if ln.strip()][-2:])[:200]
                raise NoPrompt("the device closed the session before showing a prompt"
                               + (f": {said}" if said else "")) from None
            now = self.clock()
            if chunk:
                buffer += chunk
                scanned = self._answer_dialogs(buffer, scanned)
                lines = [ln.strip() for ln in buffer.splitlines() if ln.strip()]
                line = lines[-1] if lines else ""
                waiting = not buffer.rstrip(" \t").endswith("\n")  # a prompt waits on its own line
                candidate = line if waiting and self._prompt_re.fullmatch(line) else ""
                seen_at = now
                if candidate and len(lines) >= 2 and lines[-2] == candidate:
                    return self._set_prompt(candidate)
            elif candidate and now - seen_at >= QUIET_S:
                return self._set_prompt(candidate)
            if now > deadline:
                said = last_line(buffer)[:80]
                raise NoPrompt(f"no prompt within {timeout:g} s" + (f" (last line: {said!r})" if said else ""))
            self.sleep(POLL_S)

    def _set_prompt(self, prompt: str) -> str:
        self.prompt = prompt
        return prompt

    def in_config_view(self) -> bool:
        pattern = self.profile.config_prompt
        return pattern is not None and re.fullmatch(pattern, self.prompt) is not None

    def prepare(self) -> str:
        """Find the prompt; leave a configuration view the device was left in; turn paging off. The prompt."""
        self.find_prompt()
        if self.in_config_view():
            for command in self.profile.leave_config:
                self._send(command)
            if self.in_config_view():
                raise NoPrompt(f"cannot leave the configuration view {self.prompt!r}")
        self._raise_privilege()
        accepted = True
        for command in self.profile.paging_off:
            output = self.run(command)
            if self.rejected(output):
                accepted = False
        self.paging = not (accepted and self.profile.paging_off)
        return self.prompt

    def _raise_privilege(self) -> None:
        """From a user-level prompt (Cisco ``R1>``) to the privileged one, with the enable secret if asked."""
        enable = self.profile.enable
        if enable is None or re.fullmatch(enable.user_prompt, self.prompt) is None:
            return
        password = re.compile(enable.password_prompt)
        self.write(enable.command + "\n")
        deadline = self.clock() + self.read_timeout

        def answered(buffer: str) -> bool:
            line = last_line(buffer)
            return password.search(line) is not None or (
                not buffer.endswith("\n") and self._prompt_re.fullmatch(line) is not None)

        buffer = self._read_until(answered, deadline, page=False)
        if password.search(last_line(buffer)):
            if self.secret is None:
                self.write("\n")
                raise NotPrivileged("asks for the enable secret: give `secret` in the inventory")
            self.write(self.secret + "\n")
            buffer = self._read_until(lambda b: not b.endswith("\n") and (
                self._prompt_re.fullmatch(last_line(b)) is not None or password.search(last_line(b)) is not None),
                deadline, page=False)
        line = last_line(buffer)
        if password.search(line) or re.fullmatch(enable.user_prompt, line):
            raise NotPrivileged("refused the enable secret (wrong `secret` in the inventory?)")
        self._set_prompt(line)

    def _send(self, command: str) -> None:
        """Send a command after which the prompt may differ (leaving a view): read until any prompt, which
        becomes the session's prompt."""
        self.write(command + "\n")
        deadline = self.clock() + self.read_timeout

        def at_prompt(buffer: str) -> bool:
            return not buffer.endswith("\n") and self._prompt_re.fullmatch(last_line(buffer)) is not None
        self._set_prompt(last_line(self._read_until(at_prompt, deadline, page=True)))

    def rejected(self, output: str) -> str | None:
        for line in output.splitlines():
            stripped = line.strip()
            if any(stripped.startswith(marker) for marker in self.profile.error_markers):
                return stripped
        return None

    # -- commands -----------------------------------------------------------------------------------------
    def run(self, command: str) -> str:
        """Run ``command`` and return its output (echo and prompt removed). ``CommandTimeout`` when the prompt
        does not come back within ``read_timeout``; ``SessionClosed`` when the device closes the session."""
        if not self.prompt:
            raise NoPrompt("the session has no prompt yet (prepare it first)")
        ending = re.compile(r"(?:\A|\n)" + re.escape(self.prompt) + r"[ \t]*\Z")

        def at_prompt(text: str) -> bool:
            return ending.search(text) is not None

        self.write(command + "\n")
        interrupt = next((i for i in self.profile.interrupts if re.fullmatch(i.command, command.strip())), None)
        if interrupt is None:
            buffer = self._read_until(at_prompt, self.clock() + self.read_timeout, page=True)
            return strip_echo_and_prompt(buffer, command, self.prompt)
        progress = re.compile(interrupt.progress, re.MULTILINE)
        started = self.clock()

        def enough(text: str) -> bool:
            return at_prompt(text) or len(progress.findall(text)) >= interrupt.enough or \
                self.clock() - started >= interrupt.seconds

        buffer = self._read_until(enough, started + interrupt.seconds + self.read_timeout, page=False, timed=True)
        if not at_prompt(buffer):
            self.write("\x03")
            buffer += self._read_until(at_prompt, self.clock() + self.read_timeout, page=False)
        return strip_echo_and_prompt(buffer, command, self.prompt)


def strip_echo_and_prompt(buffer: str, command: str, prompt: str) -> str:
    """The output of ``command``: without the echoed command line and the closing prompt."""
    lines = buffer.split("\n")
    if lines and lines[-1].strip().startswith(prompt):
        lines = lines[:-1]
    if lines and command.strip() and lines[0].strip().endswith(command.strip()):
        lines = lines[1:]
    return "\n".join(lines).rstrip("\n")
