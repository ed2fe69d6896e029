"""`selfback export`: every format, safe output, notes only when chosen, private files."""

from __future__ import annotations

import csv
import io
import json
import re
import stat
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from test_export_data import FORMULA_NOTE, PLAN, SCRIPT_NOTE, make_log

NOW = "2026-11-21T10:00:00+00:00"

# Every piece of free text the fixture writes: check-in notes, a text tracker, skill answers.
PRIVATE_TEXTS = [
    "ok day",
    "long day at work",
    "private words: the sunrise",
    "a private answer",
    "alert(",
    "HYPERLINK",
]


@pytest.fixture(autouse=True)
def _fixed_now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SELFBACK_NOW", NOW)


@pytest.fixture
def log(home: Path) -> Any:
    return make_log(days=120)


def export(cli: Callable[..., Any], tmp_path: Path, fmt: str, *extra: str, name: str = "") -> Path:
    out = tmp_path / "out" / (name or f"report.{fmt}")
    out.parent.mkdir(exist_ok=True)
    result = cli("export", "--format", fmt, "--output", str(out), "--since", "all", *extra)
    assert result.exit_code == 0, result
    assert out.exists()
    if fmt == "fhir":
        validate_fhir(out)
    return out


def validate_fhir(path: Path) -> dict[str, Any]:
    """The bundle, checked by fhir.resources (R4B models: Bundle, Observation, Patient),
    with every reference pointing at an entry of the bundle."""
    from fhir.resources.R4B.bundle import Bundle

    data = json.loads(path.read_text(encoding="utf-8"))
    Bundle.model_validate(data)
    urls = {e["fullUrl"] for e in data.get("entry", [])}
    assert len(urls) == len(data.get("entry", []))
    for e in data.get("entry", []):
        r = e["resource"]
        refs = [m["reference"] for m in r.get("hasMember", []) + r.get("derivedFrom", [])]
        if "subject" in r:
            refs.append(r["subject"]["reference"])
        assert set(refs) <= urls, r["id"]
    return data


def pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(str(path)).pages)


def zip_texts(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n).decode("utf-8-sig") for n in zf.namelist()}


def all_text(path: Path, fmt: str) -> str:
    if fmt == "pdf":
        return pdf_text(path)
    if fmt == "csv":
        return "\n".join(zip_texts(path).values())
    return path.read_text(encoding="utf-8")


# -- formats --------------------------------------------------------------------------


def test_html_is_self_contained_and_honest(cli: Any, tmp_path: Path, log: Any) -> None:
    out = export(cli, tmp_path, "html", "--notes", "--include-plan", "--include-crisis")
    html = out.read_text(encoding="utf-8")
    assert "Self-report, not a diagnosis." in html
    assert html.index("Summary") < html.index("Details")
    assert "<svg" in html and "<style>" in html
    # nothing that could load or run anything
    for bad in ("<script", "<link", "<img", "<iframe", "<object", "<embed", "@import", "url("):
        assert bad not in html.lower(), bad
    assert not re.search(r"""\s(src|href|srcset|xlink:href)\s*=""", html, re.IGNORECASE)
    assert "Content-Security-Policy" in html and "default-src 'none'" in html


def test_a_script_note_is_escaped_in_html(cli: Any, tmp_path: Path, log: Any) -> None:
    html = export(cli, tmp_path, "html", "--notes").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; a &quot;quoted&quot;" in html
    assert SCRIPT_NOTE not in html
    assert "<script" not in html.lower()


def test_plan_items_are_escaped_in_html_and_markdown(cli: Any, tmp_path: Path, log: Any) -> None:
    html = export(cli, tmp_path, "html", "--include-plan").read_text(encoding="utf-8")
    assert "&lt;b&gt;pulling away&lt;/b&gt;" in html
    assert "<b>pulling away" not in html
    md = export(cli, tmp_path, "md", "--include-plan").read_text(encoding="utf-8")
    assert "&lt;b&gt;pulling away&lt;/b&gt;" in md
    assert "Sam: 07700 900123" in md


def test_markdown_summary(cli: Any, tmp_path: Path, log: Any) -> None:
    md = export(cli, tmp_path, "md", "--include-crisis").read_text(encoding="utf-8")
    assert md.startswith("# selfback report: ")
    assert "**Self-report, not a diagnosis.**" in md
    assert "| Measure | Results | First | Latest | Change | PHQ-9 item 9 |" in md
    assert "### Coping skills" in md and "Crisis screen they opened" in md
    assert "FLAG: above 0" in md  # the fixture has one PHQ-9 with item 9 above 0
    assert "findahelpline.com" in md  # crisis resources accompany the item-9 flag


def test_csv_neutralises_formulas(cli: Any, tmp_path: Path, log: Any) -> None:
    out = export(cli, tmp_path, "csv", "--notes", name="data.zip")
    files = zip_texts(out)
    assert {
        "checkins.csv",
        "checkin_tags.csv",
        "checkin_values.csv",
        "coping_sessions.csv",
        "measure_results.csv",
        "data_dictionary.csv",
    } <= set(files)
    rows = list(csv.DictReader(io.StringIO(files["checkins.csv"])))
    notes = [r["note"] for r in rows if "HYPERLINK" in r["note"]]
    assert notes == ["'" + FORMULA_NOTE]
    tags = list(csv.DictReader(io.StringIO(files["checkin_tags.csv"])))
    assert any(t["value"] == "'-minus tag" for t in tags)
    assert not any(t["value"].startswith(("=", "+", "-", "@")) for t in tags)
    # numbers stay numbers
    assert all(r["mood"].isdigit() for r in rows)
    dictionary = list(csv.DictReader(io.StringIO(files["data_dictionary.csv"])))
    described = {(d["file"], d["column"]) for d in dictionary}
    for name, text in files.items():
        if name == "data_dictionary.csv":
            continue
        header = next(csv.reader(io.StringIO(text)))
        for col in header:
            assert (name, col) in described, (name, col)


def test_safe_cell_rules() -> None:
    from selfback.export.csvfiles import safe_cell

    for raw in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert safe_cell(raw) == "'" + raw
    assert safe_cell("fine") == "fine"
    assert safe_cell(-3) == -3
    assert safe_cell(None) == ""


def test_csv_into_a_folder(cli: Any, tmp_path: Path, log: Any) -> None:
    folder = tmp_path / "csvdir"
    result = cli("export", "--format", "csv", "--output", str(folder))
    assert result.exit_code == 0, result
    assert (folder / "checkins.csv").exists() and (folder / "data_dictionary.csv").exists()
    assert stat.S_IMODE((folder / "checkins.csv").stat().st_mode) == 0o600
    assert (folder / "checkins.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_json_has_schema_version_and_everything_chosen(cli: Any, tmp_path: Path, log: Any) -> None:
    out = export(cli, tmp_path, "json", "--notes", "--include-plan", "--include-crisis")
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["format"] == "selfback-export" and data["schema_version"] == 1
    assert len(data["checkins"]) == log.checkins
    assert len(data["coping_sessions"]) == log.sessions
    assert len(data["measure_results"]) == log.measures
    assert len(data["crisis_openings"]) == log.crisis
    assert len(data["safety_plan_versions"]) == 2
    assert data["safety_plan_versions"][-1]["plan"]["reasons"] == PLAN["reasons"]
    assert data["included"] == {
        "notes": True,
        "crisis_openings": True,
        "safety_plan": True,
        "risk_flags": True,
    }


def test_fhir_bundle_is_valid_with_loinc_codes(cli: Any, tmp_path: Path, log: Any) -> None:
    out = export(cli, tmp_path, "fhir", name="bundle.json")
    bundle = json.loads(out.read_text(encoding="utf-8"))
    assert bundle["resourceType"] == "Bundle" and bundle["type"] == "collection"
    entries = bundle["entry"]
    ids = [e["resource"]["id"] for e in entries]
    assert len(ids) == len(set(ids))
    codes: dict[str, int] = {}
    moods = 0
    for e in entries:
        assert re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", e["fullUrl"])
        r = e["resource"]
        assert r["resourceType"] == "Observation" and r["status"] == "final"
        assert re.fullmatch(r"[A-Za-z0-9\-.]{1,64}", r["id"])
        assert r["effectiveDateTime"][10] == "T"
        assert "subject" not in r  # no patient unless asked for
        coding = r["code"]["coding"][0]
        if coding["system"] == "http://loinc.org":
            codes[coding["code"]] = codes.get(coding["code"], 0) + 1
        if coding["code"] == "mood":
            moods += 1
            assert 0 <= r["valueInteger"] <= 10
            assert "note" not in r  # no notes unless chosen
    results = log.measures // 3
    assert codes["44249-1"] == codes["44261-6"] == results  # PHQ-9 panels and totals
    assert codes["69737-5"] == codes["70274-6"] == results  # GAD-7 panels and totals
    assert codes["44260-8"] == results  # PHQ-9 item 9, each its own Observation
    assert moods == log.checkins
    item9 = [
        e["resource"] for e in entries if e["resource"]["code"]["coding"][0]["code"] == "44260-8"
    ]
    assert any(r["valueInteger"] > 0 and r.get("interpretation") for r in item9)
    who5 = [e for e in entries if e["resource"]["code"]["text"] == "WHO-5 total score"]
    assert who5 and all(
        c["system"] != "http://loinc.org" for e in who5 for c in e["resource"]["code"]["coding"]
    )


def test_pdf_opens_and_has_the_summary(cli: Any, tmp_path: Path, log: Any) -> None:
    from pypdf import PdfReader

    out = export(cli, tmp_path, "pdf", "--include-plan", "--include-crisis")
    reader = PdfReader(str(out))
    assert len(reader.pages) >= 2
    first = reader.pages[0].extract_text()
    for text in (
        "selfback report",
        "Self-report, not a diagnosis.",
        "Summary",
        "Check-ins",
        "Questionnaires",
        "PHQ-9",
        "Coping skills",
        "Safety plan",
        "Crisis screen",
    ):
        assert text in first, text
    assert "Details" in reader.pages[1].extract_text()
    assert reader.metadata is not None and "selfback" in str(reader.metadata.creator)


def test_pdf_without_a_unicode_font(
    cli: Any, tmp_path: Path, log: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from selfback.export import pdf

    monkeypatch.setattr(pdf, "find_font", lambda: None)
    out = export(cli, tmp_path, "pdf", "--notes")
    text = pdf_text(out)
    assert "Summary" in text and "ok day" in text


def test_pdf_letter_paper(cli: Any, tmp_path: Path, log: Any) -> None:
    from pypdf import PdfReader

    out = export(cli, tmp_path, "pdf", "--paper", "letter")
    box = PdfReader(str(out)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)
    out = export(cli, tmp_path, "pdf", "--paper", "a4", name="a4.pdf")
    box = PdfReader(str(out)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)


# -- notes ------------------------------------------------------------------------------


FORMATS = ["html", "pdf", "md", "csv", "json", "fhir"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_notes_leaves_every_note_out(cli: Any, tmp_path: Path, log: Any, fmt: str) -> None:
    name = {"csv": "data.zip"}.get(fmt, f"r.{fmt}")
    out = export(cli, tmp_path, fmt, "--no-notes", "--include-plan", "--include-crisis", name=name)
    text = all_text(out, fmt)
    for private in PRIVATE_TEXTS:
        assert private not in text, (fmt, private)


@pytest.mark.parametrize("fmt", ["html", "pdf", "csv", "json", "fhir"])
def test_notes_are_there_when_chosen(cli: Any, tmp_path: Path, log: Any, fmt: str) -> None:
    name = {"csv": "data.zip"}.get(fmt, f"r.{fmt}")
    text = all_text(export(cli, tmp_path, fmt, "--notes", name=name), fmt)
    assert "ok day" in text
    if fmt in ("csv", "json"):
        assert "private words: the sunrise" in text and "a private answer" in text


def test_notes_left_out_when_selfback_cannot_ask(cli: Any, tmp_path: Path, log: Any) -> None:
    out = tmp_path / "r.json"
    result = cli("export", "--format", "json", "--output", str(out))
    assert result.exit_code == 0
    data = json.loads(out.read_text())
    assert data["included"] == {
        "notes": False,
        "crisis_openings": False,
        "safety_plan": False,
        "risk_flags": False,
    }
    assert all(c["note"] is None for c in data["checkins"])
    assert "crisis_openings" not in data and "safety_plan_versions" not in data
    assert "Left out: notes, crisis-screen openings, safety plan" in result.stdout


# -- files --------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_files_are_private_and_written_atomically(
    cli: Any, tmp_path: Path, log: Any, fmt: str
) -> None:
    name = {"csv": "data.zip"}.get(fmt, f"r.{fmt}")
    out = export(cli, tmp_path, fmt, name=name)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert [p.name for p in out.parent.iterdir() if p.name.endswith(".tmp")] == []


def test_a_failed_export_leaves_the_old_file(
    cli: Any, tmp_path: Path, log: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "r.html"
    out.write_text("old report")
    from selfback.export import html as html_module

    def boom(*_a: Any, **_k: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(html_module, "write_html", boom)
    result = cli("export", "--format", "html", "--output", str(out))
    assert result.exit_code == 1
    assert "disk is full" in result.stderr
    assert "Traceback" not in result.output
    assert out.read_text() == "old report"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_default_file_name_in_the_current_folder(
    cli: Any, tmp_path: Path, log: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    work = tmp_path / "work"
    work.mkdir(mode=0o755)
    monkeypatch.chdir(work)
    assert cli("export").exit_code == 0
    assert cli("export").exit_code == 0  # never overwrites: a second, numbered file
    assert sorted(p.name for p in work.iterdir()) == [
        "selfback-report-2026-11-21-2.html",
        "selfback-report-2026-11-21.html",
    ]
    assert cli("export", "--format", "csv").exit_code == 0
    assert (work / "selfback-data-2026-11-21.zip").exists()
    assert stat.S_IMODE(work.stat().st_mode) == 0o755  # the folder is left as it was


def test_output_folder_gets_a_dated_file(cli: Any, tmp_path: Path, log: Any) -> None:
    folder = tmp_path / "reports"
    folder.mkdir(mode=0o755)
    assert cli("export", "--format", "md", "--output", str(folder)).exit_code == 0
    assert (folder / "selfback-report-2026-11-21.md").exists()
    assert stat.S_IMODE(folder.stat().st_mode) == 0o755  # the person's folder is untouched


def test_format_from_the_output_name(cli: Any, tmp_path: Path, log: Any) -> None:
    out = tmp_path / "x.pdf"
    assert cli("export", "--output", str(out)).exit_code == 0
    assert out.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize(
    "args, message",
    [
        (["--format", "xml"], "'xml' is not an export format. Choose one of: html, pdf, md"),
        (["--since", "yesterdayish"], "is not a period selfback understands"),
        (["--until", "31/12/2026"], "is not a date selfback understands"),
        (["--since", "2026-11-01", "--until", "2026-10-01"], "Swap --since and --until"),
        (["--paper", "a3"], "not a paper size"),
        (["--output", "/nonexistent-folder/x.html"], "does not exist"),
        (["--format", "csv", "--output", "data.csv"], "give a folder"),
    ],
)
def test_clear_errors(cli: Any, log: Any, args: list[str], message: str) -> None:
    result = cli("export", *args)
    assert result.exit_code == 2, result
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_nothing_to_export_yet(cli: Any, tmp_path: Path) -> None:
    result = cli("export", "--output", str(tmp_path / "r.html"))
    assert result.exit_code == 1
    assert "nothing to export yet" in result.stderr
    assert not (tmp_path / "r.html").exists()


def test_report_range_defaults_to_90_days(cli: Any, tmp_path: Path, log: Any) -> None:
    md = export(cli, tmp_path, "md").read_text()
    out = tmp_path / "recent.md"
    assert cli("export", "--format", "md", "--output", str(out)).exit_code == 0
    recent = out.read_text()
    assert "(90 days)" in recent.splitlines()[0]
    assert "(120 days)" in md.splitlines()[0]


def test_progress_bar_only_on_a_colour_tty(monkeypatch: pytest.MonkeyPatch) -> None:
    from selfback.cli.export import ProgressBar
    from selfback.env import Env

    class FakeTTY(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(ProgressBar, "DELAY", 0.0)
    plain_out, plain_err = io.StringIO(), io.StringIO()
    plain = Env(stdout=plain_out, stderr=plain_err)
    bar = ProgressBar(plain, "Exporting")
    bar(1, 10)
    bar.close()
    assert plain_err.getvalue() == "" and plain_out.getvalue() == ""

    tty_out, tty_err = FakeTTY(), FakeTTY()
    tty = Env(stdout=tty_out, stderr=tty_err)
    tty.__dict__["color"] = True  # as on a colour terminal
    bar = ProgressBar(tty, "Exporting")
    bar(3, 10)
    bar(9, 10)
    bar.close()
    assert "Exporting" in tty_err.getvalue()
    assert tty_out.getvalue() == ""


def test_pdf_without_fpdf2_says_what_to_do(
    cli: Any, tmp_path: Path, log: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(__import__("sys").modules, "fpdf", None)
    out = tmp_path / "r.pdf"
    result = cli("export", "--format", "pdf", "--output", str(out))
    assert result.exit_code == 1
    assert "needs the fpdf2 package" in result.stderr and "Traceback" not in result.output
    assert not out.exists()


def test_tags_tracker_values_read_as_words() -> None:
    from selfback.export.report import checkin_cells
    from selfback.store.checkins import Checkin, TrackerValue

    ts = "2026-11-01T20:00:00+00:00"
    rec = Checkin(
        id=1,
        uid="c1",
        ts=ts,
        ts_utc=ts,
        local_date="2026-11-01",
        mood=5,
        energy=None,
        anxiety=None,
        sleep_hours=None,
        note=None,
        created_at=ts,
        updated_at=ts,
        values=(
            TrackerValue("skills_used", 1, "Skills used", "tags", None, '["tipp", "stop"]'),
            TrackerValue("meds", 1, "Took meds", "yesno", 1.0),
            TrackerValue("water", 1, "Water", "number", 2.5, None, "l"),
        ),
    )
    cells = checkin_cells(rec, notes=False)
    assert cells[-1] == "Skills used: TIPP, STOP; Took meds: yes; Water: 2.5 l"
