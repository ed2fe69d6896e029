"""`selfback sos`: at once, in order, and whatever else is broken."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from selfback.paths import get_paths
from selfback.safety import crisis
from selfback.safety.plan import Contact, SafetyPlan, save_plan

NOW = datetime.fromisoformat("2026-11-21T10:00:00+00:00")
ANSI = "\x1b["


def flat(text: str) -> str:
    """The text with its line wrapping undone."""
    return " ".join(text.split())


def _env(home: Path, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    for var in ("NO_COLOR", "SELFBACK_PLAIN", "LC_ALL", "LC_MESSAGES", "LANG"):
        env.pop(var, None)
    env.update({"SELFBACK_HOME": str(home), "LANG": "C.UTF-8", "PYTHONIOENCODING": "utf-8"})
    env.update(extra)
    return env


def run_sos(
    home: Path, *args: str, stdin: Any = subprocess.DEVNULL, timeout: float = 20, **extra: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "selfback", "sos", *args],
        env=_env(home, **extra),
        stdin=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def set_config(home: Path, **values: object) -> None:
    paths = get_paths().ensure()
    data: dict[str, object] = {}
    if paths.config_file.exists():
        data = json.loads(paths.config_file.read_text(encoding="utf-8"))
    data.update(values)
    paths.config_file.write_text(json.dumps(data), encoding="utf-8")


def make_plan(home: Path) -> SafetyPlan:
    plan = SafetyPlan(
        warning_signs=["not sleeping"],
        coping=["box-breathing"],
        helpers=[Contact("Sam", "07700 900123"), Contact("Aunt Jo", "07700 900456")],
        professionals=[Contact("Dr Lee", "020 7946 0000")],
        reasons=["my dog Pip", "seeing the sea again"],
    )
    return save_plan(get_paths(), plan, now=NOW).plan


def openings(home: Path) -> list[str]:
    db = get_paths().database
    if not db.exists():
        return []
    with sqlite3.connect(db) as conn:
        return [r[0] for r in conn.execute("SELECT source FROM crisis_openings")]


def assert_full_crisis_text(out: str, *, contacts: bool = True) -> None:
    """GB lines in the content guide's order, then the plan, then the offer of a skill."""
    order = ["You reached out.", "999", "116 123", "85258"]
    if contacts:
        order += ["Sam: 07700 900123", "Dr Lee: 020 7946 0000", "my dog Pip"]
    order.append("selfback cope")
    positions = [out.find(marker) for marker in order]
    assert all(p >= 0 for p in positions), (order, out)
    assert positions == sorted(positions), out


def test_sos_prints_everything_at_once_in_order(home: Path) -> None:
    set_config(home, country="GB")
    make_plan(home)
    result = run_sos(home)
    assert result.returncode == 0
    assert result.stderr == ""
    assert_full_crisis_text(result.stdout)
    assert "Lines for the United Kingdom, from your settings." in flat(result.stdout)
    assert ANSI not in result.stdout  # not a terminal: no colour
    assert openings(home) == ["sos"]


def test_sos_works_with_the_database_deleted(home: Path) -> None:
    set_config(home, country="GB")
    make_plan(home)
    for suffix in ("", "-wal", "-shm"):
        Path(str(get_paths().database) + suffix).unlink(missing_ok=True)
    result = run_sos(home)
    assert result.returncode == 0 and result.stderr == ""
    assert_full_crisis_text(result.stdout)


def test_sos_works_with_a_corrupt_database_and_leaves_it_alone(home: Path) -> None:
    set_config(home, country="GB")
    make_plan(home)
    db = get_paths().database
    for suffix in ("-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    garbage = b"this is not a database\x00" * 400
    db.write_bytes(garbage)
    result = run_sos(home)
    assert result.returncode == 0 and result.stderr == ""
    assert_full_crisis_text(result.stdout)
    assert db.read_bytes() == garbage


def test_sos_works_with_a_locked_database_and_does_not_hang(home: Path) -> None:
    set_config(home, country="GB")
    make_plan(home)
    conn = sqlite3.connect(get_paths().database, isolation_level=None)
    conn.execute("BEGIN EXCLUSIVE")
    try:
        start = time.monotonic()
        result = run_sos(home)
        elapsed = time.monotonic() - start
    finally:
        conn.execute("ROLLBACK")
        conn.close()
    assert result.returncode == 0 and result.stderr == ""
    assert_full_crisis_text(result.stdout)
    assert elapsed < 4.5  # the opening log waits about a second at most, never 5


def test_sos_works_with_broken_skill_files(home: Path) -> None:
    set_config(home, country="GB")
    make_plan(home)
    skills = get_paths().user_skills_dir
    skills.mkdir(parents=True, exist_ok=True)
    (skills / "broken.yaml").write_text("id: [unclosed\n  : : :\n\t- nope", encoding="utf-8")
    (skills / "binary.yaml").write_bytes(b"\xff\xfe\x00garbage")
    extra = home / "more-skills"
    extra.mkdir()
    (extra / "x.yaml").write_text("{{{{", encoding="utf-8")
    result = run_sos(home, SELFBACK_SKILLS_PATH=str(extra))
    assert result.returncode == 0 and result.stderr == ""
    assert_full_crisis_text(result.stdout)


def test_sos_with_stdin_devnull_and_closed(home: Path) -> None:
    set_config(home, country="GB")
    make_plan(home)
    result = run_sos(home, stdin=subprocess.DEVNULL)
    assert result.returncode == 0
    assert_full_crisis_text(result.stdout)
    # stdin closed altogether (fd 0 not open): Python starts with sys.stdin = None
    closed = subprocess.run(
        ["/bin/sh", "-c", f'exec 0<&- "{sys.executable}" -m selfback sos'],
        env=_env(home),
        capture_output=True,
        text=True,
        timeout=20,
    )
    assert closed.returncode == 0, closed.stderr
    assert_full_crisis_text(closed.stdout)


def test_sos_with_a_damaged_settings_file_still_shows_help(home: Path) -> None:
    get_paths().ensure().config_file.write_text("{ damaged", encoding="utf-8")
    result = run_sos(home, LANG="en_NZ.UTF-8")
    assert result.returncode == 0
    assert "111" in result.stdout and "1737" in result.stdout
    assert "settings file could not be read" in result.stdout


def test_sos_no_color_and_plain_in_a_terminal(spawn: Any, home: Path) -> None:
    set_config(home, country="GB")
    child = spawn("sos")
    child.expect("selfback cope")
    assert ANSI in child.before  # a terminal without NO_COLOR: colour
    child.wait()

    child = spawn("sos", env={"NO_COLOR": "1"})
    child.expect("selfback cope")
    text = child.before
    assert "999" in text and "116 123" in text
    assert ANSI not in text
    child.wait()

    child = spawn("sos", "--plain")
    child.expect("selfback cope")
    assert ANSI not in child.before and "85258" in child.before
    child.wait()


def test_opening_not_logged_when_the_setting_is_off(home: Path) -> None:
    set_config(home, country="GB", log_crisis_openings=False)
    make_plan(home)
    result = run_sos(home)
    assert result.returncode == 0
    assert openings(home) == []
    set_config(home, log_crisis_openings=True)
    run_sos(home)
    assert openings(home) == ["sos"]


def test_sos_country_option_and_unknown_words(home: Path) -> None:
    result = run_sos(home, "--country", "au", "please")
    assert result.returncode == 0
    assert "Lines for Australia, as you asked." in flat(result.stdout)
    assert "000" in result.stdout and "13 11 14" in result.stdout
    assert "0477 13 11 14" in result.stdout
    assert "other words were ignored" in result.stderr


def test_sos_unknown_country_gives_international_fallback(home: Path) -> None:
    set_config(home, country="KE")
    result = run_sos(home)
    assert result.returncode == 0
    out = flat(result.stdout)
    assert "no checked lines for Kenya (KE, from your settings)" in out
    assert "https://findahelpline.com" in out
    assert "local emergency number" in out
    assert "112" not in out and "European Union" not in out
    assert "tell selfback where you are" not in out
    assert "To change: selfback config set country XX" in out


def test_sos_locale_guess_is_labelled_a_guess(home: Path) -> None:
    result = run_sos(home, LANG="en_CA.UTF-8")
    out = flat(result.stdout)
    assert "Lines for Canada, a guess from your system language, LANG=en_CA.UTF-8." in out
    assert "To change: selfback config set country XX" in out
    assert "911" in result.stdout and "988" in result.stdout


def test_sos_through_the_typer_path_too(cli: Any, home: Path) -> None:
    set_config(home, country="IE")
    result = cli("--plain", "sos")
    assert result.exit_code == 0
    assert "112" in result.stdout and "116 123" in result.stdout and "50808" in result.stdout


def test_sos_list_through_the_typer_path_and_in_its_help(cli: Any, home: Path) -> None:
    result = cli("--plain", "sos", "--list")
    assert result.exit_code == 0
    assert "United Kingdom" in result.stdout and "selfback sos --country XX" in result.stdout
    assert "--list" in cli("sos", "--help").stdout


IMPORT_PROBE = r"""
import json, sys
snap = {}
class Spy:
    encoding = "utf-8"
    def __init__(self): self.parts = []
    def write(self, s):
        snap.setdefault("first_write", sorted(sys.modules)); self.parts.append(s); return len(s)
    def flush(self):
        snap.setdefault("flush", sorted(sys.modules))
    def isatty(self): return False
spy = Spy()
real = sys.stdout
sys.stdout = spy
from selfback.main import run
code = run(["sos"])
snap["after"] = sorted(sys.modules)
sys.stdout = real
print(json.dumps({"code": code, "text": "".join(spy.parts), **snap}))
"""

HEAVY = (
    "typer",
    "click",
    "rich",
    "yaml",
    "pydantic",
    "sqlite3",
    "_sqlite3",
    "selfback.settings",
    "selfback.store",
    "selfback.skills",
    "selfback.cli",
)


def test_sos_imports_nothing_heavy_before_its_output_is_flushed(home: Path) -> None:
    set_config(home, country="GB")
    make_plan(home)
    result = subprocess.run(
        [sys.executable, "-c", IMPORT_PROBE],
        env=_env(home),
        capture_output=True,
        text=True,
        timeout=20,
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["code"] == 0
    assert_full_crisis_text(data["text"])
    for moment in ("first_write", "flush"):
        loaded = {m for m in data[moment] if m.split(".")[0] in HEAVY or m.startswith(HEAVY)}
        assert not loaded, f"imported before the crisis text was out: {sorted(loaded)}"
    # ...and the opening really is logged, after the flush
    assert "sqlite3" in data["after"]
    assert openings(home) == ["sos"]


def test_record_opening_never_raises(home: Path) -> None:
    paths = get_paths().ensure()
    paths.database.write_bytes(b"garbage" * 100)
    crisis.record_opening(paths, "sos")  # corrupt: silently nothing
    paths.database.unlink()
    crisis.record_opening(paths, "not-a-source")  # bad source: silently nothing
    crisis.record_opening(paths, "measure")
    assert openings(home) == ["measure"]


def test_crisis_text_compact_and_without_cope_line(home: Path) -> None:
    set_config(home, country="GB")
    make_plan(home)
    paths = get_paths()
    compact = crisis.crisis_text(paths, color=False, compact=True, cope_line=False)
    assert len(compact.splitlines()) <= 10
    # one person a line: nothing long enough to wrap mid-word in an 80-column terminal
    assert all(len(line) <= 80 for line in compact.splitlines()), compact
    assert "999" in compact and "116 123" in compact and "85258" in compact
    assert "Sam: 07700 900123" in compact and "my dog Pip" in compact
    assert "selfback cope" not in compact
    full = crisis.crisis_text(paths, color=True)
    assert ANSI in full and "selfback cope" in full
    assert compact.index("999") < compact.index("116 123") < compact.index("Sam")
