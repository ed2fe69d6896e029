"""The FHIR bundle: questionnaire panels holding their items (verified LOINC codes, PHQ-2
included), selfback's own codes under one minted code system, partial results never
scored, and an optional patient typed at export time and never stored. Every bundle is
validated by fhir.resources (tests/test_export.py: validate_fhir)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pexpect
import pytest

from test_export import export, validate_fhir
from test_export_csv import PARTIAL_UID, add_partial
from test_export_data import make_log

NOW = "2026-11-21T10:00:00+00:00"
TZ = timezone(timedelta(hours=1))
ROOT = Path(__file__).resolve().parent.parent
STANDARD = {
    "http://loinc.org",
    "http://unitsofmeasure.org",
    "http://terminology.hl7.org/CodeSystem/observation-category",
}


@pytest.fixture(autouse=True)
def _fixed_now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SELFBACK_NOW", NOW)


def resources(path: Path) -> list[dict[str, Any]]:
    return [e["resource"] for e in json.loads(path.read_text(encoding="utf-8"))["entry"]]


def code(r: dict[str, Any]) -> tuple[str, str]:
    c = r["code"]["coding"][0]
    return c["system"], c["code"]


def by_url(path: Path) -> dict[str, dict[str, Any]]:
    return {
        e["fullUrl"]: e["resource"] for e in json.loads(path.read_text(encoding="utf-8"))["entry"]
    }


def members(path: Path, panel: dict[str, Any]) -> list[dict[str, Any]]:
    urls = by_url(path)
    return [urls[m["reference"]] for m in panel["hasMember"]]


def add_phq2(answers: tuple[int, int] = (2, 1)) -> None:
    from selfback.paths import get_paths
    from selfback.store.db import open_store

    when = datetime(2026, 11, 18, 9, 0, tzinfo=TZ)
    total = sum(answers)
    with open_store(get_paths()) as store, store.tx() as db:
        db.execute(
            "INSERT INTO measure_results (uid, instrument, instrument_version, taken_at,"
            " taken_utc, answers, total, band, flags) VALUES (?, 'phq2', 1, ?, ?, ?, ?, ?, '[]')",
            (
                "2" * 32,
                when.isoformat(),
                when.astimezone(UTC).isoformat(),
                json.dumps(list(answers)),
                total,
                "3-or-more" if total >= 3 else "below-3",
            ),
        )


@pytest.fixture
def bundle(cli: Any, home: Path, tmp_path: Path) -> Path:
    make_log(days=60)
    add_phq2()
    return export(cli, tmp_path, "fhir", name="bundle.json")


def test_each_result_is_a_panel_holding_its_total_and_items(bundle: Path) -> None:
    all_obs = resources(bundle)
    panels = [r for r in all_obs if "hasMember" in r]
    phq9 = [p for p in panels if code(p) == ("http://loinc.org", "44249-1")]
    assert phq9
    parts = members(bundle, phq9[0])
    assert [code(m)[1] for m in parts] == [
        "44261-6",  # the total first, then items 1-9 with their LOINC codes
        "44250-9",
        "44255-8",
        "44259-0",
        "44254-1",
        "44251-7",
        "44258-2",
        "44252-5",
        "44253-3",
        "44260-8",
        "phq9-item10",  # "how difficult": no verified code, so selfback's own
    ]
    total, items = parts[0], parts[1:]
    assert total["valueQuantity"]["value"] == sum(i["valueInteger"] for i in items[:9])
    assert len(total["derivedFrom"]) == 9  # made of the nine scored items, not item 10
    assert code(items[-1])[0] not in STANDARD
    assert "Not scored" in json.dumps(items[-1]["note"])
    assert items[8]["code"]["text"].startswith("PHQ-9 item 9: Thoughts that you would be")
    assert all(m["effectiveDateTime"] == phq9[0]["effectiveDateTime"] for m in parts)
    gad7 = [p for p in panels if code(p) == ("http://loinc.org", "69737-5")]
    assert [code(m)[1] for m in members(bundle, gad7[0])] == [
        "70274-6",
        "69725-0",
        "68509-9",
        "69733-4",
        "69734-2",
        "69735-9",
        "69689-8",
        "69736-7",
    ]
    # WHO-5 has no verified LOINC code: its panel, total and items carry selfback's own
    who5 = [p for p in panels if code(p)[1] == "who5"]
    assert who5 and all(code(m)[0] not in STANDARD for m in members(bundle, who5[0]))


def test_phq2_uses_its_verified_loinc_codes(bundle: Path) -> None:
    [panel] = [r for r in resources(bundle) if code(r) == ("http://loinc.org", "55757-9")]
    parts = members(bundle, panel)
    assert [code(m)[1] for m in parts] == ["55758-7", "44250-9", "44255-8"]
    assert parts[0]["valueQuantity"]["value"] == 3


def test_local_codes_use_selfbacks_code_system(bundle: Path) -> None:
    from selfback.export.fhir import SELFBACK_CODES

    text = bundle.read_text(encoding="utf-8")
    assert "urn:selfback" not in text
    systems = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if "system" in node and "code" in node:
                systems.add(node["system"])
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(json.loads(text))
    assert systems - STANDARD == {SELFBACK_CODES}
    assert SELFBACK_CODES.startswith("urn:uuid:")
    # the code system is defined where people can read it
    assert SELFBACK_CODES in (ROOT / "docs" / "export.md").read_text(encoding="utf-8")


def test_a_partial_result_is_never_a_score(cli: Any, home: Path, tmp_path: Path) -> None:
    make_log(days=30)
    add_partial(item9=2)
    out = export(cli, tmp_path, "fhir", name="b.json")
    mine = [r for r in resources(out) if r["id"].startswith(PARTIAL_UID)]
    # only the answered item 9, on its own: no panel, no total, no other item
    assert [r["id"] for r in mine] == [f"{PARTIAL_UID}-item9"]
    assert code(mine[0]) == ("http://loinc.org", "44260-8") and mine[0]["valueInteger"] == 2
    assert "stopped before the end" in json.dumps(mine[0]["note"])
    assert mine[0]["interpretation"]
    assert not any(
        m["reference"].endswith(PARTIAL_UID) for r in resources(out) for m in r.get("hasMember", [])
    )


def test_a_partial_result_without_item_9_exports_nothing(
    cli: Any, home: Path, tmp_path: Path
) -> None:
    make_log(days=30)
    add_partial(item9=None)
    out = export(cli, tmp_path, "fhir", name="b.json")
    assert not [r for r in resources(out) if r["id"].startswith(PARTIAL_UID)]


def never_stored(home: Path, *words: str) -> None:
    for path in home.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            for word in words:
                assert word.encode("utf-8") not in data, path


def test_patient_from_standard_input(cli: Any, home: Path, tmp_path: Path) -> None:
    make_log(days=30)
    out = tmp_path / "b.json"
    result = cli(
        "export", "--format", "fhir", "--patient", "-o", str(out), input="Zoë Example\nMRN 4471\n"
    )
    assert result.exit_code == 0, result
    validate_fhir(out)
    entries = resources(out)
    [patient] = [r for r in entries if r["resourceType"] == "Patient"]
    assert patient["name"] == [{"text": "Zoë Example"}]
    assert patient["identifier"] == [{"value": "MRN 4471"}]
    urls = by_url(out)
    observations = [r for r in entries if r["resourceType"] == "Observation"]
    assert observations and all(
        urls[r["subject"]["reference"]] is patient or urls[r["subject"]["reference"]] == patient
        for r in observations
    )
    never_stored(home, "Zoë Example", "MRN 4471")


def test_patient_name_only_and_clear_errors(cli: Any, home: Path, tmp_path: Path) -> None:
    make_log(days=10)
    out = tmp_path / "b.json"
    assert cli("export", "-f", "fhir", "--patient", "-o", str(out), input="Sam\n").exit_code == 0
    [patient] = [r for r in resources(out) if r["resourceType"] == "Patient"]
    assert patient["name"] == [{"text": "Sam"}] and "identifier" not in patient
    empty = cli("export", "-f", "fhir", "--patient", "-o", str(tmp_path / "c.json"))
    assert empty.exit_code == 2 and "standard input" in empty.stderr
    assert not (tmp_path / "c.json").exists()
    html = cli("export", "-f", "html", "--patient", "-o", str(tmp_path / "r.html"))
    assert html.exit_code == 2 and "--format fhir only" in html.stderr


def test_patient_is_asked_in_a_terminal(spawn: Any, home: Path, tmp_path: Path) -> None:
    make_log(days=10)
    (home / ".welcomed").write_text("welcomed\n")
    out = tmp_path / "b.json"
    child = spawn(
        "export",
        "--format",
        "fhir",
        "--patient",
        "--no-notes",
        "-o",
        str(out),
        env={"SELFBACK_NOW": NOW},
    )
    child.expect(r"selfback does\s+not\s+keep\s+it", timeout=30)
    child.expect(r"Name: ", timeout=30)
    child.sendline("Alex Doe")
    child.expect(r"Patient number or other identifier: ", timeout=30)
    child.sendline("")
    child.expect("Saved your data to", timeout=60)
    child.expect(pexpect.EOF, timeout=30)
    child.close()
    assert child.exitstatus == 0
    validate_fhir(out)
    [patient] = [r for r in resources(out) if r["resourceType"] == "Patient"]
    assert patient["name"] == [{"text": "Alex Doe"}] and "identifier" not in patient
    never_stored(home, "Alex Doe")


@pytest.mark.parametrize("instrument", ["phq9", "gad7", "who5", "pcl5", "phq2", "gad2"])
def test_the_codes_come_from_the_measures_package(instrument: str) -> None:
    """No copy of the LOINC codes: the bundle uses exactly what the measures package says."""
    from selfback.export.fhir import _instrument
    from selfback.measures.export_info import loinc_codes

    codes, verified = _instrument(instrument), loinc_codes(instrument)
    assert (codes.panel, codes.total) == (verified["panel"], verified["total"])
    assert {n: i.loinc for n, i in enumerate(codes.items, start=1) if i.loinc} == verified["items"]
