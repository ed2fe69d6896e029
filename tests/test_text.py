"""selfback.text: control characters stripped, words never broken."""

from __future__ import annotations

import pytest

from selfback.text import clean, clean_line, terminal_width, visible_len, wrap, wrap_block


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("\x1b[2J\x1b[Hhidden", "hidden"),
        ("a\x1b]0;title\x07b", "ab"),
        ("a\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\b", "alinkb"),
        ("bell\x07 and back\x08space", "bell and backspace"),
        ("c1\x9b2Jx\x85y", "c1xy"),
        ("keep\nnew\tline", "keep\nnew\tline"),
        ("crlf\r\nline", "crlf\nline"),
        ("rtl\u202eevil", "rtlevil"),
        ("Zoë — 日本語 — émotions 🙂", "Zoë — 日本語 — émotions 🙂"),
        ("cut off \x1b[", "cut off "),
        (None, ""),
        (42, "42"),
    ],
)
def test_clean_removes_controls(raw: object, expected: str) -> None:
    assert clean(raw) == expected
    assert "\x1b" not in clean(raw)


def test_clean_line_flattens() -> None:
    assert clean_line("a\nb\tc\x1b[31m") == "a b c"


def test_wrap_never_breaks_words_at_40() -> None:
    text = "If you might act on thoughts of ending your life, call your local emergency number."
    lines = wrap(text, 40, indent="  ", subsequent_indent="  ")
    assert all(len(line) <= 40 for line in lines)
    assert " ".join(line.strip() for line in lines) == text


def test_wrap_counts_styling_as_zero_width() -> None:
    bold = "\x1b[1m116 123\x1b[0m"
    lines = wrap(f"Samaritans: call {bold} any time, day or night, free", 30)
    assert all(visible_len(line) <= 30 for line in lines)
    assert any(bold in line for line in lines)


def test_long_word_stands_alone() -> None:
    lines = wrap("see https://findahelpline.com/countries/gb/topics/suicidal-thoughts now", 20)
    assert lines[1] == "https://findahelpline.com/countries/gb/topics/suicidal-thoughts"
    assert lines[0] == "see" and lines[2] == "now"


def test_wrap_block_hangs_list_items() -> None:
    lines = wrap_block("Your reasons:\n  - my sister and the long walks we take on Sundays", 30)
    assert lines[0] == "Your reasons:"
    assert lines[1].startswith("  - my")
    assert all(line.startswith("    ") for line in lines[2:])


def test_terminal_width_from_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "40")
    assert terminal_width() == 40
    monkeypatch.setenv("COLUMNS", "abc")
    assert terminal_width(default=77) in (77,) or terminal_width() >= 20


def test_risk_api_and_flag_table(home: object) -> None:
    """The shared risk API: detect, and a flag row with no copy of the words."""
    from selfback.paths import get_paths
    from selfback.safety.risk import detect, detect_any, record_flag
    from selfback.store.db import open_store
    from selfback.store.safety import risk_flags

    hit = detect("I want to die tonight")
    assert hit is not None and hit.kind == "suicide"
    assert detect("dead tired after work") is None
    assert detect_any(["fine", None, "I might hurt myself"]) is not None
    paths = get_paths()
    record_flag(paths, source="checkin-note", kind=hit.kind, ref_uid="abc")
    store = open_store(paths)
    try:
        flags = risk_flags(store)
        raw = store.query("SELECT * FROM risk_flags")
    finally:
        store.close()
    assert [(f.source, f.kind, f.ref_uid) for f in flags] == [("checkin-note", "suicide", "abc")]
    assert "die" not in repr([tuple(r) for r in raw])
