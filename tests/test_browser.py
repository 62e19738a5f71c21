"""The HTML report in a real browser (headless Chromium): it loads with no console message
and no network request, its DOM holds the figures, and a screenshot of it is not blank.

CI installs Chromium (Debian's `chromium`, with `fonts-noto-cjk`) when it is missing; on a
machine without it the test is skipped, except under CI, where it must run. The screenshot
is kept at build/report.png for a person to look at.
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sti_plan.cli import app

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SCREENSHOT = ROOT / "build" / "report.png"
CHROMIUM = next(
    (found for name in ("chromium", "chromium-browser") if (found := shutil.which(name))), None
)
# Where the browser itself calls home (updates, time, accounts): not the page's requests.
BROWSER_OWN = re.compile(r"^https?://([a-z0-9-]+\.)*(google\.com|googleapis\.com|gvt1\.com)/")

pytestmark = pytest.mark.skipif(
    CHROMIUM is None and not os.environ.get("CI"),
    reason="needs Chromium (apt-get install chromium fonts-noto-cjk)",
)


def browse(page: Path, profile: Path, *flags: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None, "CI runs this test: .ci/run installs chromium"
    command = [
        CHROMIUM,
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        "--host-resolver-rules=MAP * ~NOTFOUND",  # nothing outside resolves anyway
        "--enable-logging=stderr",
        "--v=0",
        *flags,
        page.as_uri(),
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


def requested(net_log: Path) -> set[str]:
    """The addresses the page asked for, from Chromium's network log."""
    urls = set(re.findall(r'"url":"([^"]+)"', net_log.read_text("utf-8", errors="replace")))
    return {url for url in urls if not BROWSER_OWN.match(url)}


def png_rows(data: bytes) -> tuple[int, int, bytes]:
    """A PNG's width, height and decompressed pixel rows (each led by its filter byte)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    at, idat, width, height = 8, b"", 0, 0
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind, body = data[at + 4 : at + 8], data[at + 8 : at + 8 + length]
        if kind == b"IHDR":
            width, height = struct.unpack(">II", body[:8])
        elif kind == b"IDAT":
            idat += body
        at += 12 + length
    return width, height, zlib.decompress(idat)


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("report")
    path = folder / "report.html"
    args = [
        "report",
        str(EXAMPLES / "actuals-2020-h1.csv"),
        "--tasks",
        str(EXAMPLES / "tasks-2020-h1.csv"),
        "--lang",
        "zh",
        "-o",
        str(path),
    ]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    return path


def test_the_page_loads_quietly_and_asks_for_nothing(page: Path, tmp_path: Path) -> None:
    net_log = tmp_path / "net.json"
    done = browse(page, tmp_path / "profile", f"--log-net-log={net_log}", "--dump-dom")
    assert done.returncode == 0, done.stderr
    console = [line for line in done.stderr.splitlines() if ":CONSOLE" in line]
    assert console == []
    assert requested(net_log) == set()
    dom = done.stdout
    # The figures as the status table shows them, in the document the browser built.
    assert re.search(r'data-target="hitech_enterprises">.*?812家.*?滞后', dom, re.S)
    assert "842.5家" in dom and "序时进度" in dom
    assert dom.count("<svg") == 13


def test_a_page_that_asks_for_something_is_caught(tmp_path: Path) -> None:
    """The checks above can fail: a page with a remote image and a console message."""
    bad = tmp_path / "bad.html"
    bad.write_text(
        '<html><body><img src="http://example.invalid/a.png">'
        '<script>console.error("boom")</script></body></html>',
        "utf-8",
    )
    net_log = tmp_path / "net.json"
    done = browse(bad, tmp_path / "profile", f"--log-net-log={net_log}", "--dump-dom")
    assert any(":CONSOLE" in line and "boom" in line for line in done.stderr.splitlines())
    assert "http://example.invalid/a.png" in requested(net_log)


def test_a_screenshot_of_the_page_is_not_blank(page: Path, tmp_path: Path) -> None:
    SCREENSHOT.parent.mkdir(exist_ok=True)
    SCREENSHOT.unlink(missing_ok=True)
    flags = (f"--screenshot={SCREENSHOT}", "--window-size=1000,1400", "--hide-scrollbars")
    done = browse(page, tmp_path / "profile", *flags)
    assert done.returncode == 0, done.stderr
    width, height, rows = png_rows(SCREENSHOT.read_bytes())
    assert (width, height) == (1000, 1400)
    # Text, tables and colours make many different bytes; a blank page makes one or two.
    assert len(set(rows)) > 50
    assert rows.count(0xFF) < 0.98 * len(rows)
