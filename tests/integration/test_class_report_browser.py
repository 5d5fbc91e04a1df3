"""The class report in a real headless browser (Debian's chromium), with no network: the page loads, its charts
render (the DOM holds their bars) and a screenshot shows them.

Skipped where chromium is missing, except under ``CI=true`` (``scripts/setup.sh`` installs it there). Set
``LABGRADER_SCREENSHOT=FILE`` to keep the screenshot (docs/images/class-report.png is made this way).
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import zlib
from collections import Counter
from pathlib import Path

import pytest
from class_batch import write_batch
from html_page import Page

from grader.classwork.results import read_class
from grader.reporters import FORMATS, RenderOptions

BROWSERS = ("chromium", "chromium-browser", "google-chrome")
NO_NETWORK = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
              "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
              "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=http://127.0.0.1:9"]
BAR_RGB = (0x2B, 0x6C, 0xB0)  # the charts' bar colour (class_charts.BAR)


@pytest.fixture(scope="module")
def browser() -> str:
    """The path of chromium (the tests skip without it, or fail under CI=true)."""
    found = next((path for name in BROWSERS if (path := shutil.which(name))), None)
    if found is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI=true but no chromium on PATH (scripts/setup.sh installs it)", pytrace=False)
        pytest.skip("chromium is not installed (apt install chromium)")
    return found


def _chromium(browser: str, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    profile = tmp_path / f"profile-{len(list(tmp_path.glob('profile-*')))}"  # a fresh one each time
    env = {**os.environ, "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "config")}
    result = subprocess.run([browser, *NO_NETWORK, f"--user-data-dir={profile}", *args], capture_output=True,
                            text=True, timeout=120, env=env, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    return result


@pytest.fixture(scope="module")
def page(browser: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = write_batch(tmp_path_factory.mktemp("class") / "batch")
    html = FORMATS["class-report"].render(read_class(folder), RenderOptions())
    assert isinstance(html, str)
    path = folder / "class-report.html"
    path.write_text(html, encoding="utf-8")
    return path


def png_pixels(data: bytes) -> tuple[int, int, list[tuple[int, ...]]]:
    """Width, height and RGB pixels of an 8-bit RGB or RGBA PNG (what chromium writes)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, b"", b""
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, colour = struct.unpack(">IIBB", header[:10])
    assert depth == 8 and colour in (2, 6), (depth, colour)
    step = 3 if colour == 2 else 4
    raw, stride = zlib.decompress(idat), width * step
    rows: list[bytearray] = []
    previous = bytearray(stride)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            left = line[x - step] if x >= step else 0
            up, corner = previous[x], previous[x - step] if x >= step else 0
            if kind == 1:
                line[x] = (line[x] + left) & 0xFF
            elif kind == 2:
                line[x] = (line[x] + up) & 0xFF
            elif kind == 3:
                line[x] = (line[x] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[x] = (line[x] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 0xFF
        rows.append(line)
        previous = line
    pixels = [tuple(row[x:x + 3]) for row in rows for x in range(0, stride, step)]
    return width, height, pixels


def test_png_reader_reads_what_it_is_given() -> None:
    rows = [b"\x00" + bytes([10, 20, 30, 40, 50, 60]), b"\x02" + bytes([1, 1, 1, 0, 0, 0])]  # None, then Up
    chunk = b"IHDR" + struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)
    idat = b"IDAT" + zlib.compress(b"".join(rows))
    png = b"\x89PNG\r\n\x1a\n" + b"".join(struct.pack(">I", len(c) - 4) + c + b"\0\0\0\0" for c in (chunk, idat))
    assert png_pixels(png) == (2, 2, [(10, 20, 30), (40, 50, 60), (11, 21, 31), (40, 50, 60)])


def test_the_page_loads_offline_and_its_charts_are_in_the_dom(browser: str, page: Path, tmp_path: Path) -> None:
    dom = Page(_chromium(browser, tmp_path, "--dump-dom", page.as_uri()).stdout)
    assert len(dom.bars("histogram")) == 10
    assert len(dom.bars("rates")) == 6  # one per objective of hcia-static-routing
    assert "Static routing between two LANs" in dom.text
    assert not [tag for tag, _, _ in dom.elements if tag == "script"]  # a student's "<script>" stayed text
    assert any("<script>alert('ivan')</script>" in text for text in dom.text)


def test_a_screenshot_shows_the_charts(browser: str, page: Path, tmp_path: Path) -> None:
    shot = tmp_path / "class-report.png"
    _chromium(browser, tmp_path, "--window-size=1200,1400", f"--screenshot={shot}", page.as_uri())
    width, height, pixels = png_pixels(shot.read_bytes())
    assert (width, height) == (1200, 1400)
    colours = Counter(pixels)
    assert len(colours) > 50, "the screenshot is (nearly) one colour"
    assert colours[BAR_RGB] > 5000, "the chart bars are not painted"
    keep = os.environ.get("LABGRADER_SCREENSHOT")
    if keep:
        shutil.copy(shot, keep)
