"""Class analytics as one self-contained HTML page: inline CSS, charts as inline SVG, no script, nothing to
fetch (a Content-Security-Policy forbids it). Every text from the batch (ids, names, messages) is escaped.

Sections: the class at a glance, the score histogram, the pass rate of each objective, the most frequent
failure reasons (objective and normalised message), the students flagged (report warnings, identical outputs
where variants should differ), refused and not graded students, and every student's result.
"""

from __future__ import annotations

from html import escape
from urllib.parse import quote

from grader.model.class_results import ClassResults
from grader.model.classwork import JournalEntry
from grader.model.report import Outcome
from grader.reporters.class_charts import histogram, rate_bars
from grader.reporters.class_stats import BINS, ClassStats, clean_entry, collect, one_line
from grader.reporters.registry import PLAIN, RenderOptions, report_format
from grader.reporters.text import num

TOP_REASONS = 15
TOP_PAIRS = 50
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
STYLE = """
body { font: 15px/1.45 system-ui, "DejaVu Sans", sans-serif; color: #1a202c; margin: 0; background: #f7fafc; }
main { max-width: 1080px; margin: 0 auto; padding: 24px 28px 48px; }
h1 { font-size: 26px; margin: 0 0 4px; } h2 { font-size: 19px; margin: 24px 0 10px; }
h3 { font-size: 16px; margin: 20px 0 8px; }
.meta, .note { color: #4a5568; margin: 0; } .note { font-size: 13px; }
code { font: 13px ui-monospace, "DejaVu Sans Mono", monospace; background: #edf2f7; padding: 0 3px; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 20px 0 4px; padding: 0; list-style: none; }
.cards li { background: #fff; border: 1px solid #e2e8f0; border-radius: 6px; padding: 10px 16px; min-width: 92px; }
.cards b { display: block; font-size: 22px; } .cards span { color: #4a5568; font-size: 13px; }
.cards .warn b { color: #c05621; }
section { background: #fff; border: 1px solid #e2e8f0; border-radius: 6px; padding: 4px 20px 16px;
          margin-top: 20px; }
svg.chart { display: block; max-width: 100%; height: auto; }
svg .label { fill: #4a5568; } svg .value { fill: #1a202c; } svg .bar { fill: #2b6cb0; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid #edf2f7; vertical-align: top; }
th { background: #f7fafc; font-weight: 600; } td.n, th.n { text-align: right; white-space: nowrap; }
td ul { margin: 0; padding-left: 18px; } .empty { color: #4a5568; font-style: italic; }
.status-refused, .status-error { color: #c05621; font-weight: 600; }
"""


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _table(header: list[str], body: list[list[str]], numeric: set[int] | None = None, empty: str = "") -> str:
    """A table whose cells are already HTML; ``numeric`` columns are right-aligned."""
    if not body:
        return f'<p class="empty">{_e(empty)}</p>'
    numeric = numeric or set()
    head = "".join(f'<th{" class=n" if n in numeric else ""}>{_e(h)}</th>' for n, h in enumerate(header))
    rows = "".join("<tr>" + "".join(f'<td{" class=n" if n in numeric else ""}>{cell}</td>'
                                    for n, cell in enumerate(row)) + "</tr>" for row in body)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def _student(entry: JournalEntry) -> str:
    if entry.html:  # a path inside the batch folder (checked on reading); quoted, so never a scheme
        return f'<a href="{_e(quote(entry.html, safe="/"))}">{_e(entry.student)}</a>'
    return _e(entry.student)


def _list(items: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{_e(one_line(item))}</li>" for item in items) + "</ul>"


def _score(entry: JournalEntry) -> str:
    return _e(f"{num(entry.score)}/{num(entry.max_score)}") if entry.status == "graded" else "—"


def _glance(results: ClassResults, stats: ClassStats, flagged: int) -> str:
    summary = stats.summary()
    cards = [("students", str(len(results.entries)), False), ("graded", str(results.count("graded")), False),
             ("refused", str(results.count("refused")), results.count("refused") > 0),
             ("not graded (error)", str(results.count("error")), results.count("error") > 0),
             ("flagged", str(flagged), flagged > 0)]
    if summary:
        cards[2:2] = [("mean score", f"{summary['mean']:.1f} %", False),
                      ("median score", f"{summary['median']:.1f} %", False)]
    return '<ul class="cards">' + "".join(
        f'<li{" class=warn" if warn else ""}><b>{_e(value)}</b><span>{_e(label)}</span></li>'
        for label, value, warn in cards) + "</ul>"


def _histogram(stats: ClassStats) -> str:
    step = 100 // BINS
    labels = [f"{n * step}-{(n + 1) * step}" for n in range(BINS)]
    chart = histogram(stats.histogram(), labels, title="Students per score band (% of the maximum)")
    return (f"<h2>Scores</h2>{chart}<p class=note>Graded students per band of the percentage scored "
            f"(100 % counts in the last band).</p>")


def _objectives(stats: ClassStats) -> str:
    objectives = list(stats.objectives.values())
    bars = [(o.id, o.pass_rate, f"{o.id}: {o.counts[Outcome.PASS]} of {o.graded} passed") for o in objectives]
    chart = rate_bars(bars, title="Pass rate per objective") if objectives else ""
    body = [[f"<code>{_e(o.id)}</code>", _e(o.title + (" (hidden)" if o.hidden else "")), _e(num(o.points)),
             *(_e(o.counts[outcome]) for outcome in Outcome), _e(f"{100 * o.pass_rate:.0f} %")]
            for o in objectives]
    table = _table(["Objective", "Title", "Points", "Pass", "Fail", "Error", "Skip", "Pass rate"], body,
                   numeric={2, 3, 4, 5, 6, 7}, empty="No graded student yet.")
    return f"<h2>Pass rate per objective</h2>{chart}{table}"


def _reasons(stats: ClassStats, graded: int) -> str:
    body = [[f"<code>{_e(objective)}</code>", _e(reason), _e(count), _e(f"{100 * count / max(graded, 1):.0f} %")]
            for (objective, reason), count in stats.reasons.most_common(TOP_REASONS)]
    table = _table(["Objective", "Reason (addresses and numbers generalised)", "Students", "Share"], body,
                   numeric={2, 3}, empty="No failure.")
    return f"<h2>Most frequent failure reasons</h2>{table}"


def _flagged(entries: list[JournalEntry], stats: ClassStats) -> str:
    body = [[_student(e), _e(e.name), _score(e), _list(stats.flags(e))] for e in entries if stats.flags(e)]
    table = _table(["Student", "Name", "Score", "Flags"], body, numeric={2}, empty="No student flagged.")
    note = ("<p class=note>Warnings come from the reports (e.g. a capture taken with other variables). Identical "
            "outputs: every output the same as another student's, or the same output for a command whose "
            "expected result depends on the variables although the students' variables differ.</p>")
    return f"<h2>Students flagged</h2>{table}{note}{_identical(stats)}"


def _identical(stats: ClassStats) -> str:
    similar = stats.similar
    body = [[_e(", ".join(group)), "every output"] for group in similar.identical]
    body += [[_e(f"{a}, {b}"), _list(list(commands))] for a, b, commands in similar.pairs()]
    if not body:
        return ""
    more = f"<p class=note>… and {len(body) - TOP_PAIRS} more.</p>" if len(body) > TOP_PAIRS else ""
    return ("<h3>Identical outputs</h3>" + _table(["Students", "Identical output"], body[:TOP_PAIRS]) + more)


def _not_graded(entries: list[JournalEntry]) -> str:
    body = [[_student(e), _e(e.name), f'<span class="status-{_e(e.status)}">{_e(e.status)}</span>',
             _e(one_line(e.reason or ""))] for e in entries if e.status != "graded"]
    table = _table(["Student", "Name", "Status", "Reason"], body, empty="Every student was graded.")
    return f"<h2>Refused and not graded</h2>{table}"


def _everyone(entries: list[JournalEntry], stats: ClassStats) -> str:
    body = [[_student(e), _e(e.name), _e(e.status), _score(e),
             _e(f"{e.percentage:.1f} %") if e.status == "graded" else "—", _e(len(stats.flags(e)) or "")]
            for e in entries]
    return "<h2>Every student</h2>" + _table(["Student", "Name", "Status", "Score", "%", "Flags"], body,
                                             numeric={3, 4, 5}, empty="The journal names no student yet.")


@report_format("class-report", reads="class", suffix=".html",
               summary="class analytics: one self-contained HTML page (histogram, objectives, reasons, flags)")
def render(results: ClassResults, options: RenderOptions = PLAIN) -> str:
    """The class report page."""
    stats = collect(results)
    entries = [clean_entry(e) for e in results.entries]
    batch = results.batch
    title = one_line(batch.lab_title) or batch.lab
    flagged = sum(bool(stats.flags(e)) for e in entries)
    meta = (f"lab <code>{_e(batch.lab)}</code> · maximum {_e(num(batch.max_score))} points · batch started "
            f"{_e(batch.started.strftime('%Y-%m-%d %H:%M %Z').strip())}"
            + (f" · shard {_e(batch.shard)}" if batch.shard else "") + f" · labgrader {_e(batch.tool_version)}")
    notes = "".join(f"<p class=note>Note: {_e(one_line(note))}</p>" for note in results.notes)
    sections = [_histogram(stats), _objectives(stats), _reasons(stats, results.count("graded")),
                _flagged(entries, stats), _not_graded(entries), _everyone(entries, stats)]
    body = "".join(f"<section>{section}</section>" for section in sections)
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{_e(title)} — class report</title><style>{STYLE}</style></head>\n"
            f"<body><main><h1>{_e(title)}</h1><p class=meta>{meta}</p>{notes}"
            f"{_glance(results, stats, flagged)}{body}</main></body></html>\n")
