"""Daylio exports as phones and spreadsheets really write them, through `selfback import`:
locale clocks, byte-order marks, CRLF, Windows-1252, semicolons and tabs, UTF-16, edited
entries (kept or taken), entries repeated in one file, odd lines, and no backup when
nothing changes."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from test_import import daylio_rows, pexpect_eof

HEADER = "full_date,date,weekday,time,mood,activities,note_title,note"


@pytest.fixture(autouse=True)
def _fixed_now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SELFBACK_NOW", "2026-11-21T10:00:00+00:00")


def write(tmp_path: Path, lines: list[str], *, encoding: str = "utf-8", end: str = "\n") -> Path:
    path = tmp_path / "daylio_export.csv"
    path.write_bytes((end.join(lines) + end).encode(encoding))
    return path


def times(home: Path) -> list[tuple[str, str]]:
    return [(r[0], r[1]) for r in daylio_rows(home / "selfback.db")]


def backups(home: Path) -> list[Path]:
    return sorted((home / "backups").glob("selfback-before-import-*.db"))


# -- locale clocks ---------------------------------------------------------------------

LOCALE_TIMES = [
    ("9:42 PM", "21:42"),  # English (US)
    ("9:42\u202fpm", "21:42"),  # English (Australia), narrow no-break space
    ("12:05 a.m.", "00:05"),  # Spanish (Latin America), Norwegian, Dutch
    ("9:42 p. m.", "21:42"),  # Spanish (Spain, older phones)
    ("9:42\u202fp.\u202fm.", "21:42"),  # Spanish (Spain, newer phones)
    ("9:05 a.\u00a0m.", "09:05"),  # Catalan, no-break space
    ("21.42", "21:42"),  # Finnish, Danish, Indonesian
    ("9.42 ip.", "21:42"),  # Finnish, 12-hour
    ("21 h 42", "21:42"),  # French (Canada)
    ("9:42 nachm.", "21:42"),  # German (older phones)
    ("오후 9:42", "21:42"),  # Korean
    ("午後9:42", "21:42"),  # Japanese
    ("午前0:30", "00:30"),  # Japanese, 0-11 clock
    ("下午9:42", "21:42"),  # Chinese (simplified)
    ("晚上9:42", "21:42"),  # Chinese (traditional), part of the day
    ("凌晨1:10", "01:10"),  # Chinese, early morning
    ("٩:٤٢ م", "21:42"),  # Arabic, Arabic-Indic digits
    ("ÖS 9:42", "21:42"),  # Turkish, marker first
    ("μ.μ. 9:42", "21:42"),  # Greek
    ("21:42 น.", "21:42"),  # Thai
    ("08:05:33", "08:05"),  # with seconds
]


def test_every_locale_clock_imports(cli: Any, home: Path, tmp_path: Path) -> None:
    lines = [HEADER] + [
        f"2024-03-{day:02d},x,x,{raw},good,,," for day, (raw, _) in enumerate(LOCALE_TIMES, 1)
    ]
    result = cli("import", str(write(tmp_path, lines)))
    assert result.exit_code == 0, result
    assert f"Added {len(LOCALE_TIMES)} check-ins" in result.stdout
    assert times(home) == [
        (f"2024-03-{day:02d}", want) for day, (_, want) in enumerate(LOCALE_TIMES, 1)
    ]


def test_an_odd_time_leaves_out_that_line_and_names_it(
    cli: Any, home: Path, tmp_path: Path
) -> None:
    lines = [
        HEADER,
        "2024-03-03,x,x,9:42 p. m.,good,,,",
        "2024-03-02,x,x,around nine,good,,,",
        "2024-03-01,x,x,9:42 zz,meh,,,",
    ]
    result = cli("import", str(write(tmp_path, lines)))
    assert result.exit_code == 0, result
    assert "Added 1 check-in " in result.stdout
    out = " ".join(result.stdout.split())
    assert "2 lines of daylio_export.csv could not be read and were left out" in out
    assert "line 3 has a time selfback cannot read: 'around nine' has no hours" in out
    assert "line 4 has a time selfback cannot read: selfback does not know the marker" in out
    assert times(home) == [("2024-03-03", "21:42")]


def test_a_file_with_no_readable_line_imports_nothing(cli: Any, home: Path, tmp_path: Path) -> None:
    result = cli("import", str(write(tmp_path, [HEADER, "2024-03-01,x,x,half past,meh,,,"])))
    assert result.exit_code == 3
    assert "Line 2 of daylio_export.csv has a time selfback cannot read" in result.stderr
    assert "Nothing was imported" in result.stderr
    assert "Traceback" not in result.output


# -- encodings, separators, line ends --------------------------------------------------

NOTE_LINE = '2024-03-01,1 mars,vendredi,20:15,rad,café | amis,,"Il a dit « oui » – enfin"'


@pytest.mark.parametrize(
    "encoding, end",
    [
        ("utf-8", "\n"),
        ("utf-8-sig", "\n"),  # what Daylio writes: a byte-order mark
        ("utf-8-sig", "\r\n"),  # the same, saved again on Windows
        ("utf-16", "\r\n"),  # Excel's "Unicode text" (with a byte-order mark)
    ],
)
def test_unicode_files_import_without_a_warning(
    cli: Any, home: Path, tmp_path: Path, encoding: str, end: str
) -> None:
    path = write(tmp_path, [HEADER, NOTE_LINE], encoding=encoding, end=end)
    result = cli("import", str(path))
    assert result.exit_code == 0, result
    assert "not in UTF-8" not in result.stdout
    [row] = daylio_rows(home / "selfback.db")
    assert row[3] == "Il a dit « oui » – enfin"  # no stray \r, no mojibake
    assert row[4] == "amis|café"


def test_windows_1252_is_read_as_such_with_a_warning_and_a_sample(
    cli: Any, home: Path, tmp_path: Path
) -> None:
    line = '2024-03-01,1 Mar,Friday,20:15,good,,,"She said \u201cyes\u201d \u2013 finally"'
    path = write(tmp_path, [HEADER, line], encoding="cp1252", end="\r\n")
    result = cli("import", str(path))
    assert result.exit_code == 0, result
    out = " ".join(result.stdout.split())
    assert "daylio_export.csv is not in UTF-8, so selfback read it as Windows-1252" in out
    assert 'line 2: 2024-03-01,1 Mar,Friday,20:15,good,,,"She said \u201cyes\u201d' in out
    [row] = daylio_rows(home / "selfback.db")
    assert row[3] == "She said \u201cyes\u201d \u2013 finally"


@pytest.mark.parametrize("sep", [";", "\t"])
def test_semicolons_and_tabs_are_sniffed(cli: Any, home: Path, tmp_path: Path, sep: str) -> None:
    lines = [
        HEADER.replace(",", sep),
        sep.join(["2024-03-02", "2 mars", "samedi", "21:42", "good", "work | walk", "", "a, b"]),
        sep.join(["2024-03-01", "1 mars", "vendredi", '"9:05"', "meh", "", "", '"x; y"']),
    ]
    result = cli("import", str(write(tmp_path, lines, encoding="utf-8-sig", end="\r\n")))
    assert result.exit_code == 0, result
    assert "Added 2 check-ins" in result.stdout
    rows = daylio_rows(home / "selfback.db")
    assert [(r[0], r[1], r[3], r[4]) for r in rows] == [
        ("2024-03-01", "09:05", "x; y", None),
        ("2024-03-02", "21:42", "a, b", "walk|work"),
    ]


# -- changed and repeated entries ------------------------------------------------------

FIRST = [
    HEADER,
    "2024-03-02,x,x,21:00,good,walk,,Evening",
    "2024-03-01,x,x,9:00 am,meh,work,,Morning",
]
EDITED = [
    HEADER,
    "2024-03-03,x,x,20:00,rad,,,",
    '2024-03-02,x,x,21:00,bad,walk | rain,,"Evening, then rain"',
    "2024-03-01,x,x,9:00 am,meh,work,,Morning",
]


def test_edited_entries_are_kept_without_a_terminal_and_said(
    cli: Any, home: Path, tmp_path: Path
) -> None:
    assert cli("import", str(write(tmp_path, FIRST))).exit_code == 0
    result = cli("import", str(write(tmp_path, EDITED)))
    assert result.exit_code == 0, result
    out = " ".join(result.stdout.split())
    assert "Added 1 check-in " in out
    assert (
        "1 entry in the file differs from your log, so selfback kept your log's version "
        "(line 3, 2024-03-02 21:00). To take the file's instead, run the same import with "
        "--changed take." in out
    )
    moods = {r[0]: (r[2], r[3]) for r in daylio_rows(home / "selfback.db")}
    assert moods["2024-03-02"] == (7, "Evening")


def test_edited_entries_taken_with_the_flag(cli: Any, home: Path, tmp_path: Path) -> None:
    assert cli("import", str(write(tmp_path, FIRST))).exit_code == 0
    path = write(tmp_path, EDITED[:1] + EDITED[2:])  # only the edit, nothing new
    result = cli("import", str(path), "--changed", "take")
    assert result.exit_code == 0, result
    out = " ".join(result.stdout.split())
    assert "Nothing new in daylio_export.csv." in out
    assert "Updated 1 check-in to the answers in the file (line 2, 2024-03-02 21:00)." in out
    assert "everything in it is already" not in out
    assert len(backups(home)) == 1  # the log changed, so a copy was made first
    rows = {r[0]: r for r in daylio_rows(home / "selfback.db")}
    assert rows["2024-03-02"][2:6] == (3, "Evening, then rain", "rain|walk", "bad")
    conn = sqlite3.connect(home / "selfback.db")
    try:
        created, updated = conn.execute(
            "SELECT created_at, updated_at FROM checkins WHERE local_date = '2024-03-02'"
        ).fetchone()
    finally:
        conn.close()
    assert updated.startswith("2026-11-21") and not created.startswith("2026-11-21")
    again = cli("import", str(path))
    assert "Nothing new in daylio_export.csv: everything in it is already" in again.stdout


def test_edited_entries_in_a_dry_run(cli: Any, home: Path, tmp_path: Path) -> None:
    assert cli("import", str(write(tmp_path, FIRST))).exit_code == 0
    result = cli("import", str(write(tmp_path, EDITED)), "--dry-run")
    out = " ".join(result.stdout.split())
    assert "Would add 1 check-in" in out
    assert "would keep your log's version (--changed take to take the file's)" in out
    taken = cli("import", str(write(tmp_path, EDITED)), "--dry-run", "--changed", "take")
    assert "Would update 1 check-in" in taken.stdout
    assert [r[2] for r in daylio_rows(home / "selfback.db")] == [5, 7]


def test_bad_changed_value(cli: Any, tmp_path: Path) -> None:
    result = cli("import", str(write(tmp_path, FIRST)), "--changed", "mine")
    assert result.exit_code == 2
    assert "'--changed mine' should be keep" in result.stderr


def test_edited_entries_asked_in_a_terminal(spawn: Any, home: Path, tmp_path: Path) -> None:
    child = spawn("import", str(write(tmp_path, FIRST)))
    child.expect("Added 2 check-ins")
    child.expect(pexpect_eof())
    child.close()
    child = spawn("import", str(write(tmp_path, EDITED)))
    child.expect(r"1 entry in daylio_export.csv differs\s+from\s+your\s+log")
    child.expect(r"line\s+3,\s+2024-03-02\s+21:00")
    child.expect("1. Keep what is in my log")
    child.expect("2. Take the file's version")
    child.sendline("2")
    child.expect("Added 1 check-in")
    child.expect("Updated 1 check-in")
    child.expect(pexpect_eof())
    child.close()
    assert child.exitstatus == 0
    assert [r[2] for r in daylio_rows(home / "selfback.db")] == [5, 3, 9]


def test_an_entry_twice_in_one_file_is_imported_once_and_named(
    cli: Any, home: Path, tmp_path: Path
) -> None:
    lines = [
        HEADER,
        "2024-03-02,x,x,21:00,good,walk,,Evening",
        "2024-03-02,x,x,21:00,meh,,,Another entry the same minute",
        "2024-03-01,x,x,9:00,meh,,,",
        "2024-03-02,x,x,21:00,good,walk,,Evening",
    ]
    result = cli("import", str(write(tmp_path, lines)))
    assert result.exit_code == 0, result
    out = " ".join(result.stdout.split())
    assert "Added 3 check-ins" in out
    assert (
        "1 entry in the file is there twice, so each was imported once: line 5 repeats line 2"
        in out
    )
    assert len(daylio_rows(home / "selfback.db")) == 3
    again = cli("import", str(write(tmp_path, lines)))
    assert "everything in it is already in your log" in again.stdout


# -- backups ---------------------------------------------------------------------------


def test_no_backup_when_a_daylio_import_adds_nothing(cli: Any, home: Path, tmp_path: Path) -> None:
    path = write(tmp_path, FIRST)
    assert cli("import", str(path)).exit_code == 0  # into an empty log: nothing to copy
    assert cli("checkin", "6").exit_code == 0
    again = cli("import", str(path))
    assert "Nothing new in daylio_export.csv: everything in it is already" in again.stdout
    assert backups(home) == []
    later = cli("import", str(write(tmp_path, EDITED)))
    assert "Added 1 check-in" in later.stdout
    assert len(backups(home)) == 1
