"""The crisis text itself: whole words at 40 columns, plain text, inert plan text, the
right emergency advice for every country, a caller's gentle first line, ``sos --list``."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from selfback.paths import get_paths
from selfback.safety import crisis
from selfback.text import visible_len

SGR = re.compile(r"\x1b\[[0-9;]*m")
WIDTH = 40
COVERED = crisis.known_countries()
ISO = sorted(crisis.iso_countries())
EU_EEA = crisis.eu_eea_codes()
# Lines that name a group of people or a language; never the only thing shown.
LONG_WORDS = ("https://", "http://")

# An imported plan can carry anything: these would clear the screen, retitle the window,
# hide text, move the cursor or (8-bit) do the same through C1 controls.
HOSTILE_PLAN = {
    "format": "selfback-safety-plan",
    "schema": 1,
    "helpers": [
        {"name": "Sam\x1b]0;owned\x07", "reach": "07700\x9b2J 900123"},
        {"name": "\x1b[8mhidden\x1b[0m Jo", "reach": "07700 900456\x1b[1A\x1b[2K"},
    ],
    "professionals": [{"name": "Dr Lee\x9d0;title\x9c", "reach": "020 7946 0000"}],
    "reasons": ["\u001b[2Jmy dog Pip", "seeing the sea\x1bPq#0;2;0;0;0\x1b\\ again", "\u202eworld"],
    "warning_signs": ["not sleeping\x1b[H"],
    "coping": ["box breathing\x07"],
}


def flat(text: str) -> str:
    return " ".join(SGR.sub("", text).split())


def words(text: str) -> list[str]:
    return SGR.sub("", text).split()


def _env(home: Path, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    for var in ("NO_COLOR", "SELFBACK_PLAIN", "LC_ALL", "LC_MESSAGES", "LANG", "COLUMNS"):
        env.pop(var, None)
    env.update({"SELFBACK_HOME": str(home), "LANG": "C.UTF-8", "PYTHONIOENCODING": "utf-8"})
    env.update(extra)
    return env


def run(home: Path, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "selfback", *args],
        env=_env(home, **extra),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=30,
    )


def set_country(code: str) -> None:
    paths = get_paths().ensure()
    paths.config_file.write_text(json.dumps({"country": code}), encoding="utf-8")


def write_plan(plan: dict[str, Any]) -> None:
    """Put a plan where ``sos`` reads it, as an import or a hand edit could leave it."""
    paths = get_paths().ensure()
    paths.plan_file.write_text(json.dumps(plan), encoding="utf-8")


def a_plan() -> dict[str, Any]:
    return {
        "format": "selfback-safety-plan",
        "schema": 1,
        "helpers": [{"name": "Sam", "reach": "07700 900123"}],
        "professionals": [{"name": "Dr Lee at the Riverside practice", "reach": "020 7946 0000"}],
        "reasons": ["my dog Pip, who waits by the door every evening", "seeing the sea again"],
    }


def assert_whole_words(lines: list[str], wide: str, width: int = WIDTH) -> None:
    """No line is wider than ``width`` unless it holds one unbreakable word (such as a web
    address), and the words are exactly those of the unwrapped text: none was split."""
    for line in lines:
        plain = SGR.sub("", line)
        if visible_len(line) > width:
            assert len(plain.split()) == 1 and plain.strip().startswith(LONG_WORDS), line
    assert words("\n".join(lines)) == words(wide)


def _texts(code: str | None, **kw: Any) -> tuple[list[str], str]:
    paths = get_paths()
    narrow = crisis.crisis_lines(
        paths, color=kw.pop("color", False), country=code, width=WIDTH, **kw
    )
    wide = crisis.crisis_text(paths, color=False, country=code, width=10_000, **kw)
    return narrow, wide


# -- whole words at 40 columns ------------------------------------------------------------


@pytest.mark.parametrize("code", [*COVERED, "KE", "HR", "ZZ", None])
@pytest.mark.parametrize("compact", [False, True])
def test_crisis_text_at_40_columns_never_splits_a_word(
    code: str | None, compact: bool, home: Path
) -> None:
    write_plan(a_plan())
    for color in (False, True):
        narrow, wide = _texts(code, compact=compact, color=color)
        assert_whole_words(narrow, wide)
        assert len(narrow) > 5


def test_crisis_text_width_defaults_to_the_terminal(home: Path, monkeypatch: Any) -> None:
    monkeypatch.setenv("COLUMNS", "40")
    text = crisis.crisis_text(get_paths(), color=False, country="US")
    assert max(len(line) for line in text.splitlines()) <= 40
    monkeypatch.setenv("COLUMNS", "120")
    wider = crisis.crisis_text(get_paths(), color=False, country="US")
    assert len(wider.splitlines()) < len(text.splitlines())
    # never narrower than 40, whatever is asked
    assert all(len(x) <= 40 for x in crisis.crisis_lines(None, color=False, country="US", width=12))
    assert words(
        "\n".join(crisis.crisis_lines(None, color=False, country="US", width=12))
    ) == words(text)


@pytest.mark.parametrize("no_color", [False, True])
def test_sos_at_40_columns_in_a_real_terminal_never_splits_a_word(
    spawn: Any, home: Path, no_color: bool
) -> None:
    import pexpect

    set_country("US")
    write_plan(a_plan())
    env = {"COLUMNS": "40"}
    if no_color:
        env["NO_COLOR"] = "1"
    child = spawn("sos", env=env, timeout=30)
    child.expect(pexpect.EOF)
    shown = child.before.replace("\r\n", "\n")
    assert ("\x1b[" in shown) is not no_color
    assert "988" in shown and "selfback cope" in shown
    wide = crisis.crisis_text(get_paths(), color=False, width=10_000)
    assert_whole_words(shown.splitlines(), wide)


def test_sos_at_40_columns_through_a_pipe_too(home: Path) -> None:
    set_country("GB")
    write_plan(a_plan())
    result = run(home, "sos", COLUMNS="40")
    assert result.returncode == 0
    wide = crisis.crisis_text(get_paths(), color=False, width=10_000)
    assert_whole_words(result.stdout.splitlines(), wide)


# -- plain text: no markdown, nothing from a file can control the terminal -------------


@pytest.mark.parametrize("code", [*COVERED, "KE", None])
def test_no_markdown_backticks_or_asterisks_anywhere_in_the_crisis_text(
    code: str | None, home: Path
) -> None:
    write_plan(a_plan())
    paths = get_paths()
    for compact in (False, True):
        text = crisis.crisis_text(paths, color=False, compact=compact, country=code)
        assert "`" not in text and "*" not in text, text
    assert not any("`" in line or "*" in line for line in crisis.covered_lines())


def test_a_plan_with_escape_sequences_prints_none_of_them_and_hides_no_number(home: Path) -> None:
    set_country("GB")
    write_plan(HOSTILE_PLAN)
    result = run(home, "sos")
    assert result.returncode == 0
    out = result.stdout
    for control in ("\x1b", "\x9b", "\x9d", "\x9c", "\x07", "\u202e"):
        assert control not in out, repr(control)
    text = flat(out)
    assert "999" in text and "116 123" in text and "85258" in text
    assert "Sam: 07700 900123" in text
    assert "hidden Jo: 07700 900456" in text
    assert "Dr Lee: 020 7946 0000" in text
    assert "- my dog Pip" in text and "seeing the sea again" in text
    assert text.index("999") < text.index("my dog Pip")


@pytest.mark.parametrize("compact", [False, True])
def test_with_colour_the_only_escape_codes_are_selfbacks_own_styling(
    compact: bool, home: Path
) -> None:
    set_country("GB")
    write_plan(HOSTILE_PLAN)
    text = crisis.crisis_text(get_paths(), color=True, compact=compact)
    assert "\x1b[" in text
    rest = SGR.sub("", text)
    for control in ("\x1b", "\x9b", "\x9d", "\x9c", "\x07", "\u202e"):
        assert control not in rest, repr(control)
    assert "2J" not in rest and "owned" not in rest and "title" not in rest
    assert "116 123" in rest and "my dog Pip" in rest


def test_plan_show_prints_an_imported_plan_inert_too(cli: Any, home: Path) -> None:
    write_plan(HOSTILE_PLAN)
    result = cli("--plain", "plan", "show")
    assert result.exit_code == 0, result
    for control in ("\x1b", "\x9b", "\x9d", "\x07"):
        assert control not in result.stdout, repr(control)
    assert "my dog Pip" in result.stdout and "not sleeping" in result.stdout


# -- a gentle first line chosen by the caller ---------------------------------------------


def test_compact_text_can_start_with_a_gentle_line_chosen_by_the_caller(home: Path) -> None:
    set_country("GB")
    paths = get_paths()
    plain = crisis.crisis_text(paths, color=False, compact=True, cope_line=False)
    assert plain.splitlines()[0] == "You don't have to get through this alone."
    led = crisis.crisis_text(
        paths, color=False, compact=True, lead="What you wrote sounds really hard."
    )
    assert led.splitlines()[0] == "What you wrote sounds really hard."
    assert led.splitlines()[1] == "You don't have to get through this alone."
    assert "999" in led and "116 123" in led
    # cleaned and wrapped like everything else
    led = crisis.crisis_text(
        paths,
        color=False,
        compact=True,
        width=40,
        lead="\x1b[2JWhat you wrote sounds really hard, and it makes sense to want help.",
    )
    assert "\x1b" not in led and led.startswith("What you wrote")
    assert max(len(line) for line in led.splitlines()) <= 40
    # the full text takes it too
    full = crisis.crisis_text(paths, color=False, lead="Thank you for saying it.")
    assert full.splitlines()[0] == "Thank you for saying it."


# -- the right emergency advice for every country -----------------------------------------


@pytest.mark.parametrize("code", ISO)
def test_no_country_outside_the_eu_and_eea_is_told_about_the_european_union(code: str) -> None:
    for compact in (False, True):
        lines = crisis.crisis_lines(None, color=False, compact=compact, country=code, width=80)
        text = flat("\n".join(lines))
        if code not in EU_EEA:
            assert "European Union" not in text and "EEA" not in text, text
        assert "tell selfback where you are" not in text, text
        if code in COVERED:
            continue
        # no lines for this country: the directory and the local emergency number, and
        # 112 only where it really works
        assert "https://findahelpline.com" in text, text
        assert "local emergency number" in text, text
        assert ("112" in text) is (code in EU_EEA), text
        assert not re.search(r"\d{3}", text.replace("112", "")), text


def test_every_iso_code_is_in_the_list_and_eu_eea_codes_are_real() -> None:
    assert len(ISO) == 249 and {"GB", "US", "IN", "KE", "AQ"} <= set(ISO)
    assert set(COVERED) <= set(ISO) and set(ISO) >= EU_EEA
    assert len(EU_EEA) == 30 and "NO" in EU_EEA and "GB" not in EU_EEA and "CH" not in EU_EEA


def test_sos_says_which_country_it_shows_and_how_to_change_it_in_one_line(home: Path) -> None:
    def second_line(*args: str) -> str:
        out = run(home, "sos", *args, COLUMNS="200").stdout
        return out.splitlines()[1]

    assert second_line("--country", "GB") == (
        "Lines for the United Kingdom, as you asked. "
        "To change for good: selfback config set country XX"
    )
    set_country("AU")
    assert (
        second_line()
        == "Lines for Australia, from your settings. To change: selfback config set country XX"
    )
    set_country("KE")
    line = second_line()
    assert line.startswith("selfback has no checked lines for Kenya (KE, from your settings) yet")
    assert line.endswith("To change: selfback config set country XX")
    set_country("ZZ")  # an old or hand-edited settings file
    line = second_line()
    assert line.startswith("ZZ (from your settings) is not a country code selfback knows")
    assert "selfback config set country XX" in line


def _first_call_line(code: str) -> dict[str, Any]:
    services = crisis.load_resources()["countries"][code]["services"]
    return next(sv for sv in services if sv.get("call") and not sv.get("audience"))


@pytest.mark.parametrize("code", COVERED)
def test_sos_country_shows_an_emergency_number_and_a_crisis_line(code: str, home: Path) -> None:
    block = crisis.load_resources()["countries"][code]
    result = run(home, "sos", "--country", code)
    assert result.returncode == 0 and result.stderr == ""
    text = flat(result.stdout)
    assert f"Lines for {block['name']}, as you asked." in text
    assert f"call {block['emergency']['number']}" in text
    line = _first_call_line(code)
    assert line["name"] in text and line["call"] in text
    assert "local emergency number" not in text


def test_at_least_26_countries_are_covered() -> None:
    assert len(COVERED) >= 26


# -- sos --list -----------------------------------------------------------------------------


def test_sos_list_shows_every_covered_country_and_how_to_use_it(home: Path) -> None:
    result = run(home, "sos", "--list", COLUMNS="40")
    assert result.returncode == 0 and result.stderr == ""
    lines = result.stdout.splitlines()
    assert f"these {len(COVERED)} countries" in flat(result.stdout)
    for code in COVERED:
        assert any(line.split()[:1] == [code] for line in lines), code
    assert "United Kingdom" in result.stdout and "South Korea" in result.stdout
    text = flat(result.stdout)
    assert "selfback sos --country XX" in text
    assert "selfback config set country XX" in text
    assert "https://findahelpline.com" in text
    assert all(len(line) <= 40 for line in lines if "https://" not in line)
    assert not get_paths().database.exists()  # a list is not an opening


LIST_PROBE = r"""
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
sys.stdout = spy
from selfback.main import run
code = run(["sos", "--list"])
sys.stdout = sys.__stdout__
print(json.dumps({"code": code, "text": "".join(spy.parts), **snap}))
"""
HEAVY = ("typer", "click", "rich", "yaml", "pydantic", "sqlite3", "_sqlite3")


def test_sos_list_stays_on_the_fast_path(home: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", LIST_PROBE],
        env=_env(home),
        capture_output=True,
        text=True,
        timeout=20,
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["code"] == 0 and "GB" in data["text"]
    for moment in ("first_write", "flush"):
        loaded = {m for m in data[moment] if m.split(".")[0] in HEAVY}
        loaded |= {m for m in data[moment] if m.startswith(("selfback.cli", "selfback.store"))}
        assert not loaded, sorted(loaded)
