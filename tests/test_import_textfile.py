"""The readers under the Daylio import on their own: a clock in any locale's format, and a
text file's encoding and separator (the import itself: tests/test_import_daylio.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from selfback.importer.daylio_time import AM, FLEXIBLE, PM, BadTime, parse_time
from selfback.importer.textfile import open_table


@pytest.mark.parametrize(
    "raw, want",
    [
        ("21:42", (21, 42)),
        ("0:00", (0, 0)),
        ("12:00 AM", (0, 0)),
        ("12:30 PM", (12, 30)),
        ("9:42\u202fAM", (9, 42)),
        ("9:42 a. m.", (9, 42)),
        ("9:42 p.\u00a0m.", (21, 42)),
        ("9:42 em", (21, 42)),  # Swedish
        ("9:42 odp.", (21, 42)),  # Czech
        ("du. 9:42", (21, 42)),  # Hungarian, marker first
        ("9:42 CH", (21, 42)),  # Vietnamese
        ("9:42 пп", (21, 42)),  # Ukrainian
        ("9:42 после полудня", (21, 42)),  # Russian (wide)
        ("9:42 ب.ظ.", (21, 42)),  # Persian
        ("۲۱:۴۲", (21, 42)),  # Persian digits, 24-hour
        ("९:४२ अपराह्न", (21, 42)),  # Devanagari digits
        ("21:42 Uhr", (21, 42)),
        ("21h42", (21, 42)),
        ("21\u223642", (21, 42)),  # the ratio sign some fonts' clocks use
        ("\u200f9:42 م", (21, 42)),  # a right-to-left mark first
        ("오전 12:30", (0, 30)),
        ("밤 11:00", (23, 0)),  # Korean "night", before midnight
        ("밤 1:00", (1, 0)),  # and after it
        ("저녁 7:15", (19, 15)),
        ("午後0:30", (12, 30)),  # Japanese 0-11 clock
        ("夜中1:00", (1, 0)),
        ("中午12:30", (12, 30)),
        ("中午1:00", (13, 0)),
        ("早上7:00", (7, 0)),
    ],
)
def test_clocks(raw: str, want: tuple[int, int]) -> None:
    assert parse_time(raw) == want


@pytest.mark.parametrize(
    "raw, reason",
    [
        ("", "the time is empty"),
        ("soon", "has no hours and minutes"),
        ("24:00", "is not a time of day"),
        ("21:60", "is not a time of day"),
        ("13:00 PM", "is not a time on a 12-hour clock"),
        ("9:42 xyz", "selfback does not know the marker"),
    ],
)
def test_bad_clocks(raw: str, reason: str) -> None:
    with pytest.raises(BadTime) as caught:
        parse_time(raw)
    assert reason in caught.value.reason


def test_no_marker_means_both_halves_of_the_day() -> None:
    assert not AM & PM
    assert not (AM | PM) & set(FLEXIBLE)


def _table(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "f.csv"
    path.write_bytes(data)
    return path


def test_utf16_without_a_mark_and_tabs(tmp_path: Path) -> None:
    text = "full_date\ttime\tmood\tnote\r\n2024-03-01\t9:00\tgood\tcafé\r\n"
    for codec in ("utf-16-le", "utf-16-be"):
        table = open_table(_table(tmp_path, text.encode(codec)))
        assert table.separator == "\t" and table.is_unicode
        assert table.header == ("full_date", "time", "mood", "note")
        assert list(table.rows()) == [
            (2, {"full_date": "2024-03-01", "time": "9:00", "mood": "good", "note": "café"})
        ]


def test_line_numbers_count_lines_inside_quotes(tmp_path: Path) -> None:
    text = 'full_date,time,mood,note\n2024-03-01,9:00,good,"two\nlines"\n\n2024-03-02,9:00,meh,\n'
    rows = list(open_table(_table(tmp_path, text.encode())).rows())
    assert [line for line, _row in rows] == [2, 5]


def test_cp1252_sample_is_the_first_line_outside_ascii(tmp_path: Path) -> None:
    text = (
        "full_date;time;mood;note\n2024-03-01;9:00;good;plain\n"
        "2024-03-02;9:00;good;\u201cquoted\u201d\n"
    )
    table = open_table(_table(tmp_path, text.encode("cp1252")))
    assert table.encoding == "cp1252" and table.separator == ";"
    assert table.sample == "line 3: 2024-03-02;9:00;good;\u201cquoted\u201d"
