"""The access sheet of a class: per student the host, the SSH port of each node, the user name and password.

Three renderings of the same entries: CSV (one row per student, one port column per node: for mail merge),
plain text (one block per student), and a printable HTML page (one slip per student, cut along the lines).
The files hold passwords: ``write_sheets`` creates them with mode 0600. The text rendering masks the
passwords unless asked, so what ``class up`` prints on a terminal (or into a CI log) holds none.
"""

from __future__ import annotations

import csv
import html
import io
import os
from pathlib import Path

from grader.runtime.classroom import AccessEntry
from grader.text import printable

MASK = "(in the access sheet)"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(text: str) -> str:
    """A CSV cell a spreadsheet shows as text (no formula), without control characters."""
    text = printable(text, one_line=True)
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def _nodes(entries: list[AccessEntry]) -> list[str]:
    return sorted({node for entry in entries for node in entry.ports})


def sheet_csv(entries: list[AccessEntry]) -> str:
    nodes = _nodes(entries)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["student", "name", "host", "username", "password", "state", *nodes])
    for e in entries:
        writer.writerow([_cell(e.student), _cell(e.name), _cell(e.host), _cell(e.username), e.password, e.state,
                         *(_port_cell(e, node) for node in nodes)])
    return out.getvalue()


def _port_cell(entry: AccessEntry, node: str) -> str:
    """The node's port; ``host:port`` when the node has a host of its own (a cluster's LoadBalancer)."""
    if node not in entry.ports:
        return ""
    if node in entry.node_hosts:
        return _cell(f"{entry.node_hosts[node]}:{entry.ports[node]}")
    return str(entry.ports[node])


def _ssh(entry: AccessEntry, node: str, port: int) -> str:
    host = entry.host_of(node)
    return f"ssh -p {port} {entry.username}@{f'[{host}]' if ':' in host else host}"


def sheet_text(lab_id: str, entries: list[AccessEntry], *, show_passwords: bool = False) -> str:
    lines = [f"Access to lab {lab_id}: {len(entries)} students"]
    for e in entries:
        who = printable(e.student, one_line=True) + (f" ({printable(e.name, one_line=True)})" if e.name else "")
        state = "" if e.state == "ready" else f"  [{e.state}]"
        lines += ["", f"{who}{state}",
                  f"  host {printable(e.host, one_line=True)}  user {e.username}  password "
                  f"{e.password if show_passwords else MASK}"]
        lines += [f"  {node:<10} {printable(_ssh(e, node, port), one_line=True)}"
                  for node, port in sorted(e.ports.items())]
        if not e.ports:
            lines.append("  (no node is running)")
    return "\n".join(lines) + "\n"


_STYLE = """
body { font-family: sans-serif; margin: 1cm; }
.slip { border: 1px dashed #888; padding: 0.6em 1em; margin: 0 0 0.8em; page-break-inside: avoid; }
.slip h2 { font-size: 1.1em; margin: 0 0 0.3em; }
.slip table { border-collapse: collapse; }
.slip td { padding: 0.1em 0.8em 0.1em 0; }
code { font-size: 1.05em; }
.state { color: #a00; }
"""


def sheet_html(lab_id: str, title: str, entries: list[AccessEntry]) -> str:
    esc = html.escape
    slips = []
    for e in entries:
        who = esc(printable(e.student, one_line=True)) + (
            f" &mdash; {esc(printable(e.name, one_line=True))}" if e.name else "")
        state = "" if e.state == "ready" else f' <span class="state">({esc(e.state)})</span>'
        rows = "".join(f"<tr><td>{esc(node)}</td><td><code>{esc(_ssh(e, node, port))}</code></td></tr>"
                       for node, port in sorted(e.ports.items()))
        slips.append(
            f'<div class="slip"><h2>{who}{state}</h2>'
            f"<p>Lab <b>{esc(lab_id)}</b> &middot; host <code>{esc(e.host)}</code> &middot; user "
            f"<code>{esc(e.username)}</code> &middot; password <code>{esc(e.password)}</code></p>"
            f"<table>{rows}</table></div>")
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Access: {esc(title)}</title>'
            f"<style>{_STYLE}</style></head><body>\n<h1>{esc(title)}</h1>\n" + "\n".join(slips)
            + "\n</body></html>\n")


def write_private(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically, readable by its owner only (mode 0600 from the start)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = path.with_name(f".{path.name}.tmp")
    fd = os.open(staging, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)
    os.chmod(staging, 0o600)
    os.replace(staging, path)


def write_sheets(directory: Path, lab_id: str, title: str, entries: list[AccessEntry]) -> list[Path]:
    """Write ``access.csv``, ``access.txt`` and ``access.html`` (mode 0600) into ``directory``."""
    written = {
        "access.csv": sheet_csv(entries),
        "access.txt": sheet_text(lab_id, entries, show_passwords=True),
        "access.html": sheet_html(lab_id, title, entries),
    }
    paths = []
    for name, text in written.items():
        write_private(directory / name, text)
        paths.append(directory / name)
    return paths
