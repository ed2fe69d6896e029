"""The HTML report in a real headless Chromium: it renders with no console errors, makes no
request at all (checked in Chromium's own network log), and prints with the summary on
page 1 on both A4 and US Letter.

Artifacts (the report, a screenshot, the printed PDFs) are saved in test-artifacts/
(gitignored) at the top of the repository. The tests skip, saying why, only when no
Chromium binary exists (`apt-get install -y chromium`; .ci/run installs it).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from test_export_data import make_log

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")

pytestmark = pytest.mark.slow


def find_chromium() -> str | None:
    explicit = os.environ.get("SELFBACK_CHROMIUM")
    if explicit and Path(explicit).exists():
        return explicit
    for name in NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture(scope="module")
def chromium() -> str:
    found = find_chromium()
    if found is None:
        pytest.skip(
            "No Chromium binary found (looked for " + ", ".join(NAMES) + "), so the HTML "
            "report was NOT checked in a real browser. Install it: apt-get install -y chromium"
        )
    return found


def base_args(chrome: str, work: Path) -> list[str]:
    return [
        chrome,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--no-first-run",
        "--no-default-browser-check",
        f"--user-data-dir={work / 'profile'}",
        # Belt and braces: any name lookup fails, so nothing could leave this machine.
        "--host-resolver-rules=MAP * ~NOTFOUND",
    ]


def page_requests(netlog: Path) -> list[str]:
    """URLs the PAGE asked for, from Chromium's NetLog (the browser's own background
    requests have no origin; a file:// page's requests carry a null or file origin)."""
    text = netlog.read_text(encoding="utf-8", errors="replace")
    try:
        data = json.loads(text)
    except json.JSONDecodeError:  # the log is written as it goes; close it if cut short
        data = json.loads(text.rstrip().rstrip(",") + "]}")
    names = {v: k for k, v in data["constants"]["logEventTypes"].items()}
    urls = []
    for event in data.get("events", []):
        if names.get(event.get("type")) != "URL_REQUEST_START_JOB":
            continue
        params = event.get("params", {})
        url = params.get("url", "")
        from_page = params.get("initiator") != "not an origin" or "file://" in str(
            params.get("network_isolation_key", "")
        )
        if url and from_page:
            urls.append(url)
    return urls


def console_problems(stderr: str) -> list[str]:
    """Console messages (any: the report has no scripts) and load/CSP errors."""
    out = []
    for line in stderr.splitlines():
        low = line.lower()
        if (
            ":console" in low
            or "uncaught" in low
            or "content security policy" in low
            or "refused to" in low
            or "err_" in low
            and "file://" in low
        ):
            out.append(line)
    return out


def render(
    chrome: str, page: Path, work: Path, screenshot: Path
) -> tuple[str, list[str], list[str]]:
    netlog = work / "netlog.json"
    args = base_args(chrome, work) + [
        "--enable-logging=stderr",
        "--v=0",
        f"--log-net-log={netlog}",
        "--window-size=1000,1600",
        f"--screenshot={screenshot}",
        "--dump-dom",
        page.as_uri(),
    ]
    proc = subprocess.run(args, capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout, console_problems(proc.stderr), page_requests(netlog)


def print_pdf(chrome: str, page: Path, work: Path, out: Path) -> None:
    args = base_args(chrome, work) + [
        "--no-pdf-header-footer",
        f"--print-to-pdf={out}",
        page.as_uri(),
    ]
    proc = subprocess.run(args, capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0 and out.exists(), proc.stderr[-2000:]


@pytest.fixture
def report(cli: Any, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SELFBACK_NOW", "2026-11-21T10:00:00+00:00")
    make_log(days=365)
    out = tmp_path / "report.html"
    result = cli(
        "export",
        "--format",
        "html",
        "--output",
        str(out),
        "--since",
        "1y",
        "--notes",
        "--include-plan",
        "--include-crisis",
    )
    assert result.exit_code == 0, result
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copy(out, ARTIFACTS / "report.html")
    return out


def test_report_renders_with_no_errors_and_no_requests(
    chromium: str, report: Path, tmp_path: Path
) -> None:
    screenshot = ARTIFACTS / "report.png"
    screenshot.unlink(missing_ok=True)
    dom, problems, requests = render(chromium, report, tmp_path / "run", screenshot)
    assert problems == []
    assert requests == []
    # the browser really rendered the report, with the escaped note as text
    assert "Self-report, not a diagnosis." in dom
    assert dom.count("<svg") >= 4
    assert "&lt;script&gt;alert" in dom and "<script" not in dom.lower()
    assert screenshot.exists() and screenshot.stat().st_size > 10_000
    print(f"\nscreenshot: {screenshot}")


@pytest.mark.parametrize("paper, size", [("A4", (595, 842)), ("letter", (612, 792))])
def test_report_prints_summary_on_page_one(
    chromium: str, report: Path, tmp_path: Path, paper: str, size: tuple[int, int]
) -> None:
    from pypdf import PdfReader

    html = report.read_text(encoding="utf-8")
    page = tmp_path / f"report-{paper}.html"
    page.write_text(html.replace("</head>", f"<style>@page {{ size: {paper}; }}</style></head>"))
    out = ARTIFACTS / f"report-{paper}.pdf"
    out.unlink(missing_ok=True)
    print_pdf(chromium, page, tmp_path / f"print-{paper}", out)
    reader = PdfReader(str(out))
    first = reader.pages[0]
    box = (round(float(first.mediabox.width)), round(float(first.mediabox.height)))
    assert box == size
    text = first.extract_text()
    for part in (
        "selfback report",
        "Self-report, not a diagnosis.",
        "Summary",
        "Mood and anxiety",
        "Questionnaires",
        "Coping skills",
        "Safety plan",
        "My reasons for living",
    ):
        assert part in text, (paper, part)
    assert "Details" not in text  # details start on a new page
    assert "Details" in reader.pages[1].extract_text()


def test_the_checks_catch_a_request_and_a_console_error(chromium: str, tmp_path: Path) -> None:
    """The harness itself: a page that loads an image must be caught, both ways."""
    leaky = tmp_path / "leaky.html"
    leaky.write_text(
        '<!DOCTYPE html><html><body><img src="http://127.0.0.1:9/x.png"></body></html>'
    )
    _dom, _problems, requests = render(chromium, leaky, tmp_path / "a", tmp_path / "a.png")
    assert requests == ["http://127.0.0.1:9/x.png"]
    blocked = tmp_path / "blocked.html"
    blocked.write_text(
        '<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" '
        'content="default-src \'none\'"></head><body><img src="http://127.0.0.1:9/x.png">'
        "</body></html>"
    )
    _dom, problems, requests = render(chromium, blocked, tmp_path / "b", tmp_path / "b.png")
    assert requests == [] and problems
