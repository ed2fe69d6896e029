"""The surface (issue 19, item 3): `selfback help`, shell completion, messages that are
sentences, short help lines that are whole sentences, ids parsed plainly, broken and
missing skills told apart, and where the first-run welcome appears."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pexpect
import pytest

from selfback.cli.helpfmt import first_sentence


def command_paths() -> Iterator[tuple[list[str], Any]]:
    """Every command in the tree, as its path of names and its click command."""
    from selfback.cli.app import get_click_command

    get_click_command.cache_clear()
    root = get_click_command(None)

    def walk(path: list[str], cmd: Any) -> Iterator[tuple[list[str], Any]]:
        yield path, cmd
        for name, sub in sorted(getattr(cmd, "commands", {}).items()):
            if not sub.hidden:
                yield from walk([*path, name], sub)

    yield from walk([], root)


# -- help -------------------------------------------------------------------------------


def test_help_command_shows_the_same_help_as_dash_dash_help(cli) -> None:  # type: ignore[no-untyped-def]
    assert cli("help").stdout == cli("--help").stdout
    r = cli("help", "trackers", "pin")
    assert r.exit_code == 0 and r.stdout == cli("trackers", "pin", "--help").stdout
    assert "Usage: selfback trackers pin" in r.stdout


def test_help_for_an_unknown_command_is_one_sentence(cli) -> None:  # type: ignore[no-untyped-def]
    r = cli("help", "trackers", "nope")
    assert r.exit_code == 2
    assert r.stderr.strip() == (
        "There is no command called 'trackers nope'. Run selfback help to see them all."
    )


def test_first_sentence_is_whole() -> None:
    assert first_sentence("Switch on a pack (e.g. diary-card). Past answers are kept.") == (
        "Switch on a pack (e.g. diary-card)."
    )
    assert first_sentence("Hard right now? A calm skill. More.") == (
        "Hard right now? A calm skill."
    )
    assert first_sentence("Settings: country, e.g. GB. And more.") == "Settings: country, e.g. GB."


def test_every_short_help_line_is_a_whole_sentence() -> None:
    checked = 0
    for path, cmd in command_paths():
        if not path:
            continue
        short = cmd.get_short_help_str(20)
        assert short, f"selfback {' '.join(path)} has no help"
        assert short.endswith((".", "?", "!")), f"selfback {' '.join(path)}: {short!r}"
        assert not short.endswith(("e.g.", "i.e.", "...")), short
        assert short.count("(") == short.count(")"), short
        assert cmd.help.split()[: len(short.split())] == short.split()
        checked += 1
    assert checked > 40


def _help_lines(args: list[str], columns: int) -> str:
    env = dict(os.environ, COLUMNS=str(columns))
    out = subprocess.run(
        [sys.executable, "-m", "selfback", *args, "--help"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout


def test_every_help_at_40_columns_breaks_no_word_and_lists_whole_sentences() -> None:
    for path, _cmd in command_paths():
        narrow = _help_lines(path, 40)
        wide = _help_lines(path, 200)
        where = f"selfback {' '.join(path)} --help"
        assert narrow.split() == wide.split(), where  # only the line breaks differ
        for line in narrow.splitlines():
            assert len(line) <= 40 or " " not in line.strip(), f"{where}: {line!r}"
        if "\nCommands:\n" in narrow:
            entries = re.split(r"\n  (?=\S)", narrow.split("\nCommands:\n")[1].rstrip())
            for entry in entries:
                text = " ".join(entry.split()[1:])
                assert text.endswith((".", "?", "!")), f"{where}: {entry!r}"


# -- completion -------------------------------------------------------------------------


def test_completion_script_and_answers(cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION", "1")
    r = cli("--show-completion", "bash")
    assert r.exit_code == 0 and "_SELFBACK_COMPLETE=complete_bash" in r.stdout
    env = dict(os.environ, _SELFBACK_COMPLETE="complete_bash")
    env.update(COMP_WORDS="selfback trackers pi", COMP_CWORD="2")
    out = subprocess.run(
        [sys.executable, "-m", "selfback"], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["pin"]


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_installed_bash_completion_completes_commands(
    cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION", "1")
    monkeypatch.setenv("HOME", str(tmp_path))
    r = cli("--install-completion", "bash")
    assert r.exit_code == 0, r
    assert r.stdout.strip().endswith("Open a new terminal to use it."), r
    script = tmp_path / ".bash_completions" / "selfback.sh"
    assert f"source '{script}'" in (tmp_path / ".bashrc").read_text()
    bindir = tmp_path / "bin"
    bindir.mkdir()
    launcher = bindir / "selfback"
    launcher.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m selfback "$@"\n')
    launcher.chmod(0o755)
    env = dict(os.environ, PATH=f"{bindir}:{os.environ['PATH']}")
    shell = (
        f"source '{script}'; COMP_WORDS=(selfback che); COMP_CWORD=1; "
        'COMP_LINE="selfback che"; COMP_POINT=12; _selfback_completion selfback; '
        'echo "${COMPREPLY[@]}"'
    )
    out = subprocess.run(["bash", "-c", shell], env=env, capture_output=True, text=True)
    assert out.stdout.split() == ["checkin"], out


# -- messages -----------------------------------------------------------------------------


def test_a_suggestion_keeps_its_own_question_mark(cli) -> None:  # type: ignore[no-untyped-def]
    r = cli("copee")
    assert r.exit_code == 2
    assert "Did you mean 'cope'" in r.stderr and "? Try selfback --help." in r.stderr
    assert "?." not in r.stderr and ".." not in r.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["checkin", "6", "7"],
        ["history", "--nope"],
        ["trackers", "pin"],
        ["nope"],
    ],
)
def test_usage_errors_end_in_one_mark(cli, args: list[str]) -> None:  # type: ignore[no-untyped-def]
    r = cli(*args)
    assert r.exit_code == 2
    line = r.stderr.strip()
    assert line.endswith(".") and not re.search(r"[.?!]\.", line), line
    assert "\n" not in line


# -- ids ------------------------------------------------------------------------------------


@pytest.mark.parametrize("command", [["history", "show"], ["history", "delete", "-y"]])
@pytest.mark.parametrize("raw", ["abc", "99999999999999999999", "0", "1.5"])
def test_ids_are_parsed_with_a_clear_sentence(cli, command: list[str], raw: str) -> None:  # type: ignore[no-untyped-def]
    r = cli(*command, raw)
    assert r.exit_code == 2, r
    line = r.stderr.strip()
    assert "check-in number" in line and "selfback history" in line
    assert "pydantic" not in line.lower() and "Input should" not in line
    assert "went wrong" not in line


def test_edit_and_plan_versions_parse_ids_too(cli) -> None:  # type: ignore[no-untyped-def]
    r = cli("history", "edit", "abc", "--mood", "3")
    assert r.exit_code == 2 and "'abc' is not a check-in number" in r.stderr
    r = cli("plan", "show", "--version", "abc")
    assert r.exit_code == 2 and "'abc' is not a plan version number" in r.stderr
    r = cli("plan", "show", "--version", "99999999999999999999")
    assert r.exit_code == 2 and "There is no plan version number" in r.stderr
    r = cli("skills", "list", "--distress", "lots")
    assert r.exit_code == 2 and "--distress takes a whole number from 0 to 10" in r.stderr


# -- broken and missing skills ----------------------------------------------------------------


def test_a_broken_skill_file_is_not_called_missing(cli, home: Path) -> None:  # type: ignore[no-untyped-def]
    folder = home / "skills"
    folder.mkdir(parents=True)
    (folder / "my-walk.yaml").write_text("id: my-walk\ntitle: My walk\nsteps: nope\n")
    for args in (["cope", "my-walk"], ["skills", "show", "my-walk"]):
        r = cli(*args)
        assert r.exit_code == 3, r
        line = r.stderr.strip()
        assert "is there but broken" in line and "no skill called" not in line
        assert re.search(r"my-walk\.yaml:\d+ \w+: ", line), line
        assert "selfback skills validate" in line
    r = cli("cope", "their-walk")
    assert r.exit_code == 2 and "There is no skill called 'their-walk'" in r.stderr


# -- the welcome ------------------------------------------------------------------------------


def test_welcome_comes_before_history_edit_never_inside(cli, spawn, home: Path) -> None:  # type: ignore[no-untyped-def]
    assert cli("config", "set", "country", "GB").exit_code == 0
    assert cli("checkin", "5").exit_code == 0
    assert not (home / ".welcomed").exists()
    child = spawn("history", "edit", "1")
    child.expect_exact("This message will not appear again.")
    before = child.before
    assert "Editing check-in" not in before
    assert "config set country" not in before  # the country is set already
    child.expect_exact("Editing check-in 1")
    child.sendline("")
    idx = child.expect_exact(["Welcome to selfback", "Mood right now"])
    assert idx == 1
    child.terminate(force=True)


def test_no_welcome_above_help_or_in_config_set(spawn, home: Path) -> None:  # type: ignore[no-untyped-def]
    child = spawn("history", "edit", "--help")
    child.expect(pexpect.EOF)
    assert "Welcome" not in child.before and not (home / ".welcomed").exists()
    child = spawn("config", "set", "country", "GB")
    child.expect_exact("This message will not appear again.")
    assert "config set country" not in child.before
    child.expect_exact("Saved: country = GB")
    child.expect(pexpect.EOF)
