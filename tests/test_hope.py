"""The hope box and notes for next time: the store, the actions, `selfback hope` in-process,
the opener that never runs without asking, and `sos` pointing to the box."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from selfback.actions import hope as H
from selfback.errors import UsageError
from selfback.messages import hope as msg
from selfback.paths import get_paths
from selfback.store import db as dbmod
from selfback.store import hope as S
from selfback.store.migrations import LATEST

NOW = datetime.fromisoformat("2026-11-21T10:00:00+00:00")


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def photo(tmp_path: Path) -> Path:
    path = tmp_path / "beach.jpg"
    path.write_bytes(b"\xff\xd8 not really a jpeg")
    return path


def flag_rows(home: Path) -> list[tuple[str, str, str | None]]:
    conn = sqlite3.connect(home / "selfback.db")
    try:
        return [
            (r[0], r[1], r[2])
            for r in conn.execute("SELECT source, kind, ref_uid FROM risk_flags ORDER BY id")
        ]
    finally:
        conn.close()


# -- the store -----------------------------------------------------------------------------


def test_store_keeps_lists_counts_and_removes_items() -> None:
    store = dbmod.open_store(get_paths())
    try:
        with store.tx() as db:
            first, uid = S.insert_hope_item(
                db, kind="quote", text="Keep going.", path=None, when=NOW
            )
            S.insert_hope_item(db, kind="photo", text=None, path="/x/y.jpg", when=NOW)
        items = S.hope_items(store)
        assert [i.kind for i in items] == ["quote", "photo"]
        assert items[0].uid == uid and items[0].text == "Keep going."
        assert items[0].added_at == "2026-11-21T10:00:00+00:00"
        assert S.count_hope_items(store) == 2
        assert S.hope_item(store, first) == items[0]
        with store.tx() as db:
            assert S.delete_hope_item(db, first)
            assert not S.delete_hope_item(db, first)
        assert S.count_hope_items(store) == 1
        with pytest.raises(ValueError), store.tx() as db:
            S.insert_hope_item(db, kind="video", text="x", path=None, when=NOW)
    finally:
        store.close()


def test_store_notes_latest_for_a_situation() -> None:
    store = dbmod.open_store(get_paths())
    try:
        with store.tx() as db:
            S.insert_next_time_note(db, situation="anger", text="old", when=NOW)
            S.insert_next_time_note(
                db, situation="anger", text="new", when=NOW.replace(hour=11), skill_id="tipp"
            )
            S.insert_next_time_note(db, situation="panic", text="other", when=NOW)
        note = S.latest_next_time_note(store, "anger")
        assert note is not None and note.text == "new" and note.skill_id == "tipp"
        assert S.latest_next_time_note(store, "low-mood") is None
        assert len(S.next_time_notes(store)) == 3
    finally:
        store.close()


def test_upgrade_from_schema_2_keeps_data_and_adds_the_box() -> None:
    paths = get_paths()
    old = dbmod.open_store(paths, migrate_to=2)
    with old.tx() as db:
        db.execute(
            "INSERT INTO crisis_openings (uid, opened_at, opened_utc, source)"
            " VALUES ('u1', '2026-11-20T10:00:00+00:00', '2026-11-20T10:00:00+00:00', 'sos')"
        )
    old.close()
    assert S.count_items_quietly(paths) == 0  # an older database: sos says nothing
    store = dbmod.open_store(paths)
    try:
        assert dbmod.schema_version(store.conn) == LATEST
        assert store.query("SELECT uid FROM crisis_openings")[0][0] == "u1"
        assert S.count_hope_items(store) == 0
    finally:
        store.close()


def test_count_quietly_never_creates_or_raises(home: Path) -> None:
    paths = get_paths()
    assert S.count_items_quietly(paths) == 0
    assert not paths.database.exists()
    paths.ensure()
    paths.database.write_bytes(b"this is not a database at all" * 100)
    assert S.count_items_quietly(paths) == 0


# -- the actions ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    [
        "https://example.com/me.jpg",
        "http://example.com/song.mp3",
        "file:///home/me/photo.jpg",
        "smb://server/share/photo.jpg",
        "ftp://host/x.wav",
        "www.example.com/me.jpg",
        "//server/share/photo.jpg",
        "\\\\server\\share\\photo.jpg",
        "me@host:photos/beach.jpg",
        "  HTTPS://EXAMPLE.COM/x  ",
    ],
)
def test_network_addresses_are_refused_with_one_sentence(address: str) -> None:
    with pytest.raises(UsageError) as err:
        H.check_file(address)
    assert err.value.message == msg.NOT_A_LOCAL_FILE
    assert err.value.message.count(".") == 1 and err.value.message.endswith(".")


def test_local_files_are_checked(photo: Path, tmp_path: Path) -> None:
    assert H.check_file(str(photo)) == str(photo)
    assert H.check_file("beach.jpg", cwd=tmp_path) == str(photo)
    assert not H.is_network_address("C:\\Users\\me\\beach.jpg")
    with pytest.raises(UsageError, match="There is no file at"):
        H.check_file(str(tmp_path / "gone.jpg"))
    with pytest.raises(UsageError, match="is a folder"):
        H.check_file(str(tmp_path))


def test_add_list_show_remove_and_a_file_that_went_missing(photo: Path) -> None:
    paths = get_paths()
    assert H.list_items(paths) == []
    text = H.add_item(paths, NOW, kind="message", text="  You matter.  ")
    pic = H.add_item(paths, NOW, kind="photo", text="The beach", path=str(photo))
    assert text.heard is None and pic.heard is None
    entries = H.list_items(paths)
    assert [e.item.text for e in entries] == ["You matter.", "The beach"]
    assert entries[1].item.path == str(photo) and not entries[1].missing
    photo.unlink()
    assert H.get_item(paths, pic.id).missing
    H.remove_item(paths, text.id)
    with pytest.raises(UsageError, match="There is no item"):
        H.get_item(paths, text.id)
    with pytest.raises(UsageError, match="There is no item"):
        H.remove_item(paths, text.id)


def test_add_refuses_empty_words_and_a_file_kind_without_a_file() -> None:
    paths = get_paths()
    with pytest.raises(UsageError):
        H.add_item(paths, NOW, kind="quote", text="   ")
    with pytest.raises(UsageError):
        H.add_item(paths, NOW, kind="music", text="my song")
    with pytest.raises(UsageError, match="There is no kind"):
        H.add_item(paths, NOW, kind="video", text="x")


def test_risk_in_the_words_is_heard_and_flagged_as_hope(home: Path) -> None:
    paths = get_paths()
    added = H.add_item(paths, NOW, kind="memory", text="some days I want to kill myself")
    assert added.heard is not None
    assert [c.source for c in added.heard.concerns] == ["hope"]
    H.record_heard(paths, added.heard, ref_uid=added.uid)
    assert flag_rows(home) == [("hope", "suicide", added.uid)]


def test_cope_offers_only_at_high_distress_with_items(photo: Path) -> None:
    paths = get_paths()
    assert not H.offers_hope(paths, 9)
    H.add_item(paths, NOW, kind="message", text="Hold on.")
    assert H.offers_hope(paths, 8) and H.offers_hope(paths, 10)
    assert not H.offers_hope(paths, 7) and not H.offers_hope(paths, None)
    for n in range(4):
        H.add_item(paths, NOW, kind="quote", text=f"quote {n}")
    shown, total = H.cope_items(paths)
    assert len(shown) == H.COPE_ITEMS and total == 5


def test_notes_kept_and_found_never_raising(monkeypatch: pytest.MonkeyPatch) -> None:
    paths = get_paths()
    assert H.note_for(paths, "anger") is None
    kept = H.keep_note(paths, NOW, situation="anger", text="Walk it off.", skill_id="walk")
    note = H.note_for(paths, "anger")
    assert note is not None and note.uid == kept.uid and note.text == "Walk it off."
    assert H.note_for(paths, None) is None
    with pytest.raises(UsageError):
        H.keep_note(paths, NOW, situation="anger", text=" ")

    def broken(_store: object, _situation: str) -> None:
        raise sqlite3.OperationalError("simulated")

    monkeypatch.setattr(S, "latest_next_time_note", broken)
    assert H.note_for(paths, "anger") is None


# -- the opener -----------------------------------------------------------------------------


def marker_opener(tmp_path: Path) -> tuple[str, Path]:
    """A replacement opener that writes the path it was given to a marker file."""
    marker = tmp_path / "opened.txt"
    script = tmp_path / "opener.py"
    script.write_text(
        f"import sys\nopen({str(marker)!r}, 'w').write(sys.argv[1])\n", encoding="utf-8"
    )
    return f"{sys.executable} {script}", marker


def test_open_file_uses_the_replacement_or_says_why_not(
    photo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert H.open_file(str(photo)) == msg.OPENER_OFF.format(path=photo)  # conftest: none
    command, marker = marker_opener(tmp_path)
    monkeypatch.setenv("SELFBACK_OPENER", command)
    assert H.open_file(str(photo)) is None
    assert marker.read_text() == str(photo)
    assert H.open_file(str(tmp_path / "gone.jpg")) == msg.FILE_GONE.format(
        path=tmp_path / "gone.jpg"
    )


def test_the_system_opener_is_started_detached(
    photo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SELFBACK_OPENER")
    started: list[list[str]] = []
    monkeypatch.setattr(H, "_system_opener", lambda: ["xdg-open"])
    assert H.open_file(str(photo), start=started.append) is None
    assert started == [["xdg-open", str(photo)]]
    monkeypatch.setattr(H, "_system_opener", lambda: None)
    assert H.open_file(str(photo), start=started.append) == msg.NO_OPENER.format(path=photo)


# -- selfback hope, in-process --------------------------------------------------------------


def test_cli_add_from_stdin_list_json_show_remove(cli: Any, photo: Path) -> None:
    r = cli("hope", "add", "--kind", "quote", input="This too shall pass.\n")
    assert r.exit_code == 0, r
    assert "Kept in your hope box (number 1)" in flat(r.stdout)
    r = cli("hope", "add", "--kind", "photo", input=f"{photo}\nThe beach\n")
    assert r.exit_code == 0, r
    r = cli("hope", "list", "--json")
    import json

    data = json.loads(r.stdout)
    assert [d["kind"] for d in data] == ["quote", "photo"]
    assert data[1]["path"] == str(photo) and data[1]["text"] == "The beach"
    r = cli("hope", "list")
    assert "This too shall pass." in r.stdout and "2. Photo" in r.stdout
    r = cli("hope", "show", "1")
    assert r.exit_code == 0 and "This too shall pass." in r.stdout
    r = cli("hope", "show", "2")
    assert msg.OPEN_NO_TERMINAL in flat(r.stdout)  # never opened without asking
    photo.unlink()
    assert "(the file is no longer there)" in flat(cli("hope", "list").stdout)
    assert "The file is no longer at" in flat(cli("hope", "show", "2").stdout)
    r = cli("hope", "remove", "1")
    assert r.exit_code == 2 and "--yes" in r.stderr
    assert cli("hope", "remove", "1", "--yes").exit_code == 0
    assert "This too shall pass." not in cli("hope", "list").stdout


def test_cli_refuses_words_on_the_command_line_and_urls(cli: Any) -> None:
    r = cli("hope", "add", "--kind", "message", "you", "are", "loved")
    assert r.exit_code == 2 and "never taken on the command line" in flat(r.stderr)
    r = cli("hope", "add", "--kind", "photo", input="https://example.com/a.jpg\n")
    assert r.exit_code == 2 and flat(r.stderr) == msg.NOT_A_LOCAL_FILE
    assert "Traceback" not in r.output
    r = cli("hope", "add", input="hello\n")
    assert r.exit_code == 2 and "--kind" in r.stderr
    r = cli("hope", "show", "4")
    assert r.exit_code == 2 and "There is no item 4" in r.stderr
    assert cli("hope", "list", "--json").stdout.strip() == "[]"
    assert "Your hope box is empty" in cli("hope", "list").stdout


def test_cli_hears_risk_in_the_words(cli: Any, home: Path) -> None:
    r = cli("hope", "add", "--kind", "memory", input="I wanted to die that winter\n")
    assert r.exit_code == 0
    assert "Thank you for putting it into words" in flat(r.stdout)
    assert flag_rows(home)[0][:2] == ("hope", "suicide")


# -- sos ---------------------------------------------------------------------------------------


def run_sos(home: Path, columns: str = "100") -> str:
    env = dict(os.environ, SELFBACK_HOME=str(home), COLUMNS=columns)
    done = subprocess.run(
        [sys.executable, "-m", "selfback", "sos", "--plain"],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    return done.stdout


def test_sos_points_to_the_box_only_when_it_has_items(home: Path) -> None:
    assert msg.SOS_LINE_HOPE not in run_sos(home)
    H.add_item(get_paths(), NOW, kind="message", text="You have got through hard days.")
    out = run_sos(home)
    assert out.rstrip().endswith(msg.SOS_LINE_HOPE)
    assert "You have got through hard days." not in out  # only the pointer, not the items
    narrow = run_sos(home, "40")
    assert all(len(line) <= 40 for line in narrow.splitlines() if "https://" not in line)
    assert " ".join(narrow.split()).endswith(msg.SOS_LINE_HOPE)


def test_sos_still_works_when_the_database_is_broken(home: Path) -> None:
    H.add_item(get_paths(), NOW, kind="message", text="Hold on.")
    (home / "selfback.db").write_bytes(b"garbage" * 1000)
    for suffix in ("-wal", "-shm"):
        (home / f"selfback.db{suffix}").unlink(missing_ok=True)
    out = run_sos(home)
    assert "emergency" in out.lower() and msg.SOS_LINE_HOPE not in out


# -- the moments cope calls, with a fake screen ----------------------------------------------


class FakeScreens:
    def __init__(self, *, look: bool = True, note: str | None = None) -> None:
        self.look = look
        self.note_text = note
        self.seen: list[str] = []

    def offer_box(self) -> bool:
        self.seen.append("offer")
        return self.look

    def show_items(self, entries: list[H.HopeEntry], total: int) -> None:
        self.seen.append(f"items {len(entries)} of {total}")

    def show_note(self, note: Any) -> None:
        self.seen.append(f"note {note.text}")

    def offer_note(self) -> str | None:
        self.seen.append("offer note")
        return self.note_text

    def heard(self, heard: Any) -> None:
        self.seen.append("heard")

    def say(self, text: str) -> None:
        self.seen.append(text)


def hooks(screens: FakeScreens) -> H.HopeInCope:
    from selfback.clock import Clock

    return H.HopeInCope(get_paths(), Clock.from_env(), screens)


def test_before_skills_offers_the_box_at_8_and_shows_the_note() -> None:
    screens = FakeScreens()
    hooks(screens).before_skills(9, "anger")
    assert screens.seen == []  # an empty box is never offered, no note yet
    H.add_item(get_paths(), NOW, kind="message", text="Hold on.")
    H.keep_note(get_paths(), NOW, situation="anger", text="Walk it off.")
    hooks(screens).before_skills(8, "anger")
    assert screens.seen == ["offer", "items 1 of 1", "note Walk it off."]
    screens = FakeScreens(look=False)
    hooks(screens).before_skills(10, "panic")
    assert screens.seen == ["offer"]
    screens = FakeScreens()
    hooks(screens).before_skills(7, "anger")
    assert screens.seen == ["note Walk it off."]


def after(
    screens: FakeScreens, before: int | None, after_: int | None, situation: str | None
) -> None:
    hooks(screens).after_skill(
        situation=situation,
        before=before,
        after=after_,
        skill_id="tipp",
        skill_title="TIPP",
        session_uid=None,
    )


def test_a_note_is_offered_only_after_a_skill_that_helped(home: Path) -> None:
    for b, a, sit in ((6, 6, "anger"), (5, 7, "anger"), (None, 3, "anger"), (8, 3, None)):
        screens = FakeScreens(note="x")
        after(screens, b, a, sit)
        assert screens.seen == []
    screens = FakeScreens(note="Cold water, then a walk.")
    after(screens, 8, 4, "anger")
    assert screens.seen == ["offer note", msg.NOTE_SAVED]
    note = H.note_for(get_paths(), "anger")
    assert note is not None and note.skill_title == "TIPP"
    screens = FakeScreens(note="honestly I wanted to kill myself earlier")
    after(screens, 9, 6, "anger")
    assert screens.seen == ["offer note", "heard", msg.NOTE_SAVED]
    assert flag_rows(home)[-1][:2] == ("hope", "suicide")


def test_cli_add_with_the_editor(cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    editor = tmp_path / "editor.py"
    editor.write_text(
        "import sys\nopen(sys.argv[1], 'a').write('Rest is not giving up.\\n')\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("EDITOR", f"{sys.executable} {editor}")
    r = cli("hope", "add", "--kind", "quote", "--edit")
    assert r.exit_code == 0, r
    entries = H.list_items(get_paths())
    assert [e.item.text for e in entries] == ["Rest is not giving up."]


def test_an_opener_that_fails_is_one_plain_sentence(
    photo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SELFBACK_OPENER", f"{sys.executable} -c 'raise SystemExit(1)'")
    assert H.open_file(str(photo)) == msg.OPEN_FAILED.format(path=photo)
    monkeypatch.setenv("SELFBACK_OPENER", str(tmp_path / "no-such-program"))
    assert H.open_file(str(photo)) == msg.OPEN_FAILED.format(path=photo)
