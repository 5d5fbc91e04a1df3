"""HTML report: one self-contained page (inline CSS, no script, nothing fetched) per graded submission.

It shows the score, warnings about the submission, and each objective with its outcome, points, message,
hint and the evidence behind each check. Every piece of text from outside (device output, ids, messages) is
made printable and HTML-escaped.
"""

from __future__ import annotations

import html
from typing import Any

from grader.model.report import CheckResult, Evidence, GradeReport, ObjectiveResult, Outcome
from grader.reporters.registry import PLAIN, RenderOptions, report_format
from grader.reporters.text import MAX_EXCERPT_LINES, MAX_ROWS, duration_s, is_redacted, num, points, title_of
from grader.text import printable

_COLOURS = {Outcome.PASS: "#1a7f37", Outcome.FAIL: "#cf222e", Outcome.ERROR: "#8250df", Outcome.SKIP: "#9a6700"}

_CSS = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem auto;max-width:70rem;
padding:0 1rem;color:#1f2328}
h1{font-size:1.5rem;margin:0 0 .25rem}h2{font-size:1.15rem;margin:2rem 0 .5rem}
.meta{color:#59636e;font-size:.9rem}.score{font-size:1.3rem;margin:1rem 0 .25rem}
.bar{background:#eaeef2;border-radius:4px;height:10px;max-width:30rem}.bar>div{background:#1a7f37;height:10px;
border-radius:4px}.warn{background:#fff8c5;border:1px solid #d4a72c;border-radius:6px;padding:.5rem 1rem;
margin:1rem 0}table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #d1d9e0;padding:.3rem .5rem;
text-align:left;vertical-align:top}th{background:#f6f8fa}td.num{text-align:right;white-space:nowrap}
.badge{color:#fff;border-radius:4px;padding:0 .4rem;font-size:.8rem;font-weight:600;white-space:nowrap}
details{border:1px solid #d1d9e0;border-radius:6px;margin:.5rem 0;padding:.4rem .8rem}
summary{cursor:pointer;font-weight:600}.hint{font-style:italic;margin:.3rem 0}
pre{background:#f6f8fa;padding:.5rem;overflow-x:auto;font-size:.85rem;margin:.3rem 0}
table.rows{font-size:.85rem;margin:.3rem 0}table.rows td,table.rows th{padding:.1rem .4rem}
.check{margin:.4rem 0}.node-error{color:#8250df}
"""


def _e(value: Any) -> str:
    return html.escape(printable("" if value is None else str(value)))


def _badge(outcome: Outcome) -> str:
    return f'<span class="badge" style="background:{_COLOURS[outcome]}">{_e(str(outcome))}</span>'


def _rows(rows: list[dict[str, Any]]) -> str:
    columns = list(dict.fromkeys(key for row in rows for key in row))
    head = "".join(f"<th>{_e(c)}</th>" for c in columns)
    body = "".join("<tr>" + "".join(f"<td>{_e(row.get(c))}</td>" for c in columns) + "</tr>"
                   for row in rows[:MAX_ROWS])
    more = f"<p class=meta>… {len(rows) - MAX_ROWS} more rows</p>" if len(rows) > MAX_ROWS else ""
    return f'<table class="rows"><tr>{head}</tr>{body}</table>{more}'


def _evidence(evidence: Evidence) -> str:
    parts = [f"<div class=meta><code>{_e(evidence.node)}# {_e(evidence.command)}</code></div>"]
    if evidence.rows:
        parts.append(_rows(evidence.rows))
    elif evidence.excerpt:
        lines = printable(evidence.excerpt.rstrip()).splitlines()
        shown = "\n".join(lines[:MAX_EXCERPT_LINES]) + (
            f"\n… {len(lines) - MAX_EXCERPT_LINES} more lines" if len(lines) > MAX_EXCERPT_LINES else "")
        parts.append(f"<pre>{html.escape(shown)}</pre>")
    return "".join(parts)


def _check(check: CheckResult) -> str:
    evidence = "" if check.outcome is Outcome.PASS else "".join(_evidence(e) for e in check.evidence)
    return f'<div class="check">{_badge(check.outcome)} <code>{_e(check.type)}</code> {_e(check.message)}' \
           f"{evidence}</div>"


def _objective(obj: ObjectiveResult) -> str:
    head = f"<summary>{_badge(obj.outcome)} {_e(obj.id)} · {_e(title_of(obj))} · {_e(points(obj))}</summary>"
    if is_redacted(obj):
        return f"<details>{head}<p class=meta>The details of a hidden objective are not shown.</p></details>"
    body = [f"<p>{_e(obj.message)}</p>"] if obj.message else []
    if obj.feedback:
        body.append(f'<p class="hint">Hint: {_e(obj.feedback.strip())}</p>')
    body += [_check(c) for c in obj.checks]
    is_open = " open" if obj.outcome is not Outcome.PASS else ""
    return f"<details{is_open}>{head}{''.join(body)}</details>"


def _summary_table(report: GradeReport) -> str:
    rows = "".join(
        f"<tr><td><code>{_e(o.id)}</code></td><td>{_e(title_of(o))}</td><td>{_badge(o.outcome)}</td>"
        f'<td class="num">{_e(points(o))}</td><td>{_e(o.message)}</td></tr>' for o in report.objectives)
    return ("<table><tr><th>ID</th><th>Objective</th><th>Outcome</th><th>Points</th><th>Message</th></tr>"
            f"{rows}</table>")


@report_format("html", summary="a self-contained HTML page: score, objectives, evidence, hints", suffix=".html")
def render(report: GradeReport, options: RenderOptions = PLAIN) -> str:
    """The report as one HTML page that needs no network."""
    who = " · ".join(x for x in (f"student {report.student}" if report.student else "",
                                 f"submission {report.submission}" if report.submission else "") if x)
    share = max(0.0, min(100.0, report.percentage))
    parts = [
        "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(report.lab.title)}{' — ' + _e(report.student) if report.student else ''}</title>",
        f"<style>{_CSS}</style></head><body>",
        f"<h1>{_e(report.lab.title)}</h1>",
        f"<div class=meta>lab <code>{_e(report.lab.id)}</code>{' · ' + _e(who) if who else ''}</div>",
        f"<div class=meta>source {_e(report.source)} · graded {report.finished:%Y-%m-%d %H:%M:%S} UTC in "
        f"{duration_s(report):.1f} s · labgrader {_e(report.tool_version)}</div>",
        f'<div class="score"><strong>{num(report.score)}/{num(report.max_score)}</strong> '
        f"({report.percentage:.1f}%) — {'passed' if report.passed else 'not passed'}</div>",
        f'<div class="bar"><div style="width:{share:.1f}%"></div></div>',
    ]
    if report.warnings:
        items = "".join(f"<li>{_e(w)}</li>" for w in report.warnings)
        parts.append(f'<div class="warn"><strong>Warnings about this submission</strong><ul>{items}</ul></div>')
    broken = [n for n in report.nodes if n.error]
    if broken:
        items = "".join(f"<li><strong>{_e(n.node)}</strong> ({_e(n.platform)}): {_e(n.error)}</li>" for n in broken)
        parts.append(f'<h2>Nodes that could not be read</h2><ul class="node-error">{items}</ul>')
    parts += ["<h2>Objectives</h2>", _summary_table(report), "<h2>Details</h2>",
              *[_objective(o) for o in report.objectives], "</body></html>"]
    return "\n".join(parts) + "\n"
