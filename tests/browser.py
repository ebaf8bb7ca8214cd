"""Headless Chromium for the tests: find it (or fail with the install command), take
screenshots, and measure a page as rendered by running a small probe script in it."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

INSTALL = "apt-get install chromium (or run: sudo bash scripts/system-deps.sh)"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run",
         "--hide-scrollbars"]

# Runs after the page's own scripts: optionally types into the first table filter, then
# reports the viewport width, horizontal overflow, visible table rows and the smallest
# rendered font size of diagram text, as JSON in <pre id="probe">.
PROBE = """
<script>
window.addEventListener("load", () => setTimeout(() => {
  const report = {innerWidth: window.innerWidth,
                  scrollWidth: document.documentElement.scrollWidth};
  const rows = () => Array.from(document.querySelectorAll("table.data-table tbody tr"))
                          .filter((r) => !r.hidden).length;
  report.rowsBefore = rows();
  const input = document.querySelector(".table-filter input");
  if (input && FILTER) {
    input.value = FILTER;
    input.dispatchEvent(new Event("input"));
  }
  report.rowsAfter = rows();
  report.filterBox = Boolean(input);
  const sizes = Array.from(document.querySelectorAll(".diagram svg text")).map((t) => {
    const size = parseFloat(getComputedStyle(t).fontSize);
    const m = t.getScreenCTM();
    return size * Math.hypot(m.a, m.b);
  });
  report.diagramTexts = sizes.length;
  report.minTextPx = sizes.length ? Math.min(...sizes) : null;
  report.wideElements = Array.from(document.querySelectorAll("body *"))
    .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1
                   && !e.closest(".table-wrapper, .diagram, .highlight, .sidebar-drawer, .toc-drawer"))
    .slice(0, 5).map((e) => e.tagName + "." + e.className);
  parent.postMessage(JSON.stringify(report), "*");
}, 200));
</script>
"""
# The page is measured inside an iframe of the wanted width (a headless window cannot be
# narrower than 500 px); the frame posts its report to this wrapper, which prints it.
WRAPPER = """<!DOCTYPE html><html><body style="margin:0">
<iframe src="SRC" style="width:WIDTHpx;height:900px;border:0"></iframe>
<script>
window.addEventListener("message", (event) => {
  const pre = document.createElement("pre");
  pre.id = "probe";
  pre.textContent = event.data;
  document.body.appendChild(pre);
});
</script></body></html>
"""


def chromium() -> str:
    """The Chromium executable; fails the test (never skips) when it is missing."""
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        pytest.fail(f"headless Chromium is needed for the docs tests: {INSTALL}")
    return path


def run(args: list[str], profile: Path) -> subprocess.CompletedProcess:
    """Run headless Chromium with a private profile folder."""
    return subprocess.run([chromium(), *FLAGS, f"--user-data-dir={profile}", *args],
                          capture_output=True, text=True, timeout=120, check=False)


def measure(page: Path, width: int, profile: Path, type_filter: str = "") -> dict:
    """Load a copy of ``page`` with the probe in a frame ``width`` px wide; return its
    report."""
    html = page.read_text(encoding="utf-8")
    probe = PROBE.replace("FILTER", json.dumps(type_filter))
    copy = page.with_name(page.stem + f".probe{width}.html")
    copy.write_text(html.replace("</body>", probe + "</body>"), encoding="utf-8")
    wrapper = page.with_name(page.stem + f".wrap{width}.html")
    wrapper.write_text(WRAPPER.replace("SRC", copy.name).replace("WIDTH", str(width)),
                       encoding="utf-8")
    try:
        done = run([f"--window-size={max(width, 600) + 40},1000", "--virtual-time-budget=8000",
                    "--dump-dom", wrapper.as_uri()], profile)
    finally:
        copy.unlink()
        wrapper.unlink()
    found = re.search(r'<pre id="probe">(.*?)</pre>', done.stdout, re.S)
    assert found, f"the probe did not report on {page.name}: {done.stderr[-800:]}"
    return json.loads(found.group(1).replace("&quot;", '"').replace("&amp;", "&"))
