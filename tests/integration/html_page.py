"""A small HTML reader for the tests of the class report: elements with their ancestors' classes, table rows
under their section heading."""

from __future__ import annotations

from html.parser import HTMLParser


class Page(HTMLParser):
    """Elements (tag, attributes, ancestors' classes) and the text of each table row."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str], tuple[str, ...]]] = []
        self.rows: list[list[str]] = []
        self.headings: list[str] = []  # the section heading above each row
        self.text: list[str] = []
        self._stack: list[tuple[str, str]] = []
        self._heading = ""
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        self.elements.append((tag, values, tuple(c for _, c in self._stack)))
        if tag == "tr":
            self.rows.append([])
            self.headings.append(self._heading)
        if tag == "h2":
            self._heading = ""
        if tag in ("td", "th") and self.rows:
            self.rows[-1].append("")
        if tag not in ("meta", "br", "img", "link", "hr", "input"):  # void elements have no end tag
            self._stack.append((tag, values.get("class", "")))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {k: v or "" for k, v in attrs}, tuple(c for _, c in self._stack)))

    def handle_endtag(self, tag: str) -> None:
        while self._stack:
            if self._stack.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._stack and self._stack[-1][0] == "h2":
            self._heading += data
        if self.rows and self.rows[-1] and any(t in ("td", "th") for t, _ in self._stack):
            self.rows[-1][-1] += data

    def table(self, heading: str) -> list[list[str]]:
        """The rows (header first) of the table under the section heading ``heading``."""
        return [row for row, above in zip(self.rows, self.headings, strict=True) if above == heading]

    def bars(self, chart: str) -> list[dict[str, str]]:
        return [a for tag, a, up in self.elements
                if tag == "rect" and a.get("class") == "bar" and any(chart in c.split() for c in up)]
