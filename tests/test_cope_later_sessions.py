"""Plans for later (behavioural activation) coming back once at the next check-in or
cope, and `selfback sessions`: list, show, delete, mark. Real terminals where it matters."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pexpect

from selfback.paths import get_paths
from selfback.store.db import open_store
from selfback.store.sessions import CopingSession, get_session, save_session
from test_cope_format_pty import answers, at, begin
from test_cope_pty import cope, finish, sessions, skills_dir

__all__ = ["cope", "skills_dir"]


def plan_for_later(cope: Any) -> None:
    child = cope("behavioural-activation", "--plain")
    begin(child)
    at(child, "Here, action comes first.", "")
    at(child, "List things that give you a little pleasure", "")
    at(child, "List small tasks", "")
    at(child, "Pick one.", "walk to the corner and back")
    at(child, "How hard does it feel right now?", "3")
    at(child, "When will you do it?", "after lunch")
    at(child, "What do you predict your mood will be", "5")
    child.expect_exact("or is it for later (after lunch)?")
    at(child, "2. Later: ask me next time how it went", "2")
    child.expect_exact("Saved for later.")
    child.expect_exact("Press Enter to go on. ")
    child.sendline("")
    # "Later": the questions about how it went are not asked now.
    at(child, "Doing something while your mood is low takes effort.", "")
    at(child, "And now, 0 to 10?", "3")
    finish(child)
    assert "How is your mood now that you've done it?" not in child.logfile_read.text


def test_later_comes_back_once_at_the_next_checkin(cope: Any, spawn: Any, home: Path) -> None:
    plan_for_later(cope)
    [s] = sessions(home)
    assert s["follow_up"] == "due" and answers(home)["now_or_later"] == "later"

    child = spawn("checkin", env={"SELFBACK_SKILLS_PATH": ""})
    child.expect_exact("Mood right now, 0-10: ")
    child.sendline("6")
    for _ in range(6):  # the other everyday questions: Enter skips them
        child.expect(r": $")
        child.sendline("")
    child.expect_exact("Saved. Thank you for checking in.")
    child.expect_exact("Earlier, in Behavioural activation")
    child.expect_exact("walk to the corner and back")
    child.expect_exact("after lunch")
    # A rating of the plan comes back with its question, not as a bare number.
    child.expect_exact("What do you predict your mood will be after doing it? 5 out of 10")
    child.expect_exact("Did you do it? 1 yes, 2 not this time, Enter to skip.")
    child.sendline("1")
    child.expect_exact("How is your mood now that you've done it? (0 to 10, Enter to skip)")
    child.sendline("7")
    child.expect_exact("How much pleasure did it give you?")
    child.sendline("")
    child.expect_exact("How much of a sense of getting something done?")
    child.sendline("6")
    child.expect_exact("Thank you. It's saved with that session.")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    [s] = sessions(home)
    assert s["follow_up"] == "done" and s["follow_up_at"]
    got = {a["step"]: a["answer"] for a in json.loads(s["follow_up_answers"])}
    assert got == {"mood_after": 7, "mastery": 6}

    # Asked once: the next check-in does not ask again.
    child = spawn("checkin")
    child.expect_exact("Mood right now, 0-10: ")
    child.sendline("6")
    for _ in range(6):
        child.expect(r": $")
        child.sendline("")
    child.expect_exact("Saved. Thank you for checking in.")
    child.expect(pexpect.EOF)
    assert "Earlier, in" not in (child.before or "")


def test_later_comes_back_at_the_next_cope_and_enter_skips_it(cope: Any, home: Path) -> None:
    plan_for_later(cope)
    child = cope("tiny-ask", "--plain")
    begin(child)
    at(child, "Name one colour near you.", "q")
    at(child, "how intense is it now, 0 to 10?", "")
    child.expect_exact("Earlier, in Behavioural activation")
    child.expect_exact("Did you do it?")
    child.sendline("")  # Enter: skipped, and never asked again
    child.expect_exact("selfback won't ask about this one again.")
    finish(child)
    first = sessions(home)[0]
    assert first["follow_up"] == "skipped"


def test_now_asks_how_it_went_at_once(cope: Any, home: Path) -> None:
    child = cope("behavioural-activation", "--plain")
    begin(child)
    at(child, "Here, action comes first.", "")
    at(child, "List things that give you a little pleasure", "")
    at(child, "List small tasks", "")
    at(child, "Pick one.", "tidy one shelf")
    at(child, "How hard does it feel right now?", "2")
    at(child, "When will you do it?", "now")
    at(child, "What do you predict your mood will be", "4")
    at(child, "1. Now:", "1")
    child.expect_exact("· How it went")
    at(child, "How is your mood now that you've done it?", "6")
    at(child, "How much pleasure", "q")
    at(child, "how intense is it now, 0 to 10?", "")
    finish(child)
    [s] = sessions(home)
    assert s["follow_up"] is None and answers(home)["mood_after"] == 6


def test_sessions_show_shows_a_letter_written_earlier(cope: Any, cli: Any, home: Path) -> None:
    child = cope("unsent-letter", "--plain")
    begin(child)
    at(child, "This letter is never sent.", "")
    at(child, "Who is the letter to?", "2")
    at(child, "How do you want to address them?", "Dear Gran,")
    at(child, "quick check-in", "")
    at(child, "An empty line (or Ctrl-D) finishes.", "I still bake your bread on Sundays.")
    child.expect_exact("... ")
    child.sendline("The kitchen smells like you.")
    child.expect_exact("... ")
    child.sendline("")
    at(child, "What do you wish had been different", "q")
    at(child, "how intense is it now, 0 to 10?", "2")
    child.expect_exact("To read what you wrote again: selfback sessions show 1.")
    child.expect_exact("selfback sessions mark 1.")
    finish(child)

    listed = cli("sessions")
    assert listed.exit_code == 0, listed
    assert "Unsent letter (stopped early, distress 3 to 2)" in listed.stdout
    shown = cli("sessions", "show", "1")
    assert shown.exit_code == 0, shown
    out = shown.stdout
    assert "Session 1: Unsent letter" in out
    assert "What do you want them to know?" in out  # labelled by the question
    assert "  I still bake your bread on Sundays.\n  The kitchen smells like you." in out
    assert "Dear Gran," in out and "Someone I have lost" in out
    data = json.loads(cli("sessions", "show", "1", "--json").stdout)
    assert data["id"] == 1 and data["skill_id"] == "unsent-letter"


def _saved(**kw: Any) -> CopingSession:
    store = open_store(get_paths())
    try:
        fields: dict[str, Any] = {
            "skill_id": "tiny-ask",
            "skill_version": 1,
            "skill_title": "Tiny questions",
            "started_at": datetime(2026, 11, 20, 10, 0, tzinfo=UTC),
            "answers": [{"step": "first", "kind": "ask", "answer": "green"}],
        }
        session = CopingSession(**(fields | kw))
        save_session(store, session)
        return session
    finally:
        store.close()


def test_sessions_list_json_mark_unmark_and_delete(cli: Any, home: Path) -> None:
    one = _saved(status="completed", distress_before=6, distress_after=3)
    assert cli("sessions").stdout.startswith("1. Fri 20 Nov 2026 10:00, Tiny questions (done")
    data = json.loads(cli("sessions", "--json").stdout)
    assert [s["uid"] for s in data["sessions"]] == [one.uid]
    assert data["sessions"][0]["answers"] == [{"step": "first", "kind": "ask", "answer": "green"}]

    marked = cli("sessions", "mark", "1")
    assert marked.exit_code == 0 and "marked to bring to your therapist" in marked.stdout
    assert "to talk about" in cli("sessions", "--marked").stdout
    assert "Marked to bring to your therapist" in cli("sessions", "show", "1").stdout
    cli("sessions", "unmark", "1")
    assert "No sessions are marked" in cli("sessions", "--marked").stdout

    kept = cli("sessions", "delete", "1", input="n\n")
    assert "Kept." in kept.stdout
    gone = cli("sessions", "delete", "1", "--yes")
    assert gone.exit_code == 0 and "Session 1 is deleted." in gone.stdout
    assert "No coping sessions yet" in cli("sessions").stdout
    missing = cli("sessions", "show", "7")
    assert missing.exit_code == 2 and "There is no session 7." in missing.stderr


def test_saving_again_keeps_the_mark_and_an_answered_follow_up(home: Path) -> None:
    from selfback.store.sessions import record_follow_up, set_marked

    session = _saved(follow_up="due")
    store = open_store(get_paths())
    try:
        set_marked(store, session.uid, True)
        when = datetime(2026, 11, 21, tzinfo=UTC)
        assert record_follow_up(store, session.uid, "done", [], when)
        assert not record_follow_up(store, session.uid, "done", [], when)  # once only
        session.follow_up = "due"
        save_session(store, session)  # a later save of the same session
        again = get_session(store, session.uid)
    finally:
        store.close()
    assert again is not None and again.marked and again.follow_up == "done"


def test_migration_4_keeps_existing_sessions(home: Path) -> None:
    from selfback.store.db import migrate

    home.mkdir(parents=True, exist_ok=True)
    db = home / "selfback.db"
    conn = sqlite3.connect(db)
    migrate(conn, db, target=3)
    conn.execute(
        "INSERT INTO coping_sessions (uid, skill_id, skill_version, started_at, started_utc,"
        " status, answers) VALUES ('u1', 'tipp', 3, '2026-11-20T10:00:00+00:00',"
        " '2026-11-20T10:00:00+00:00', 'completed', '[]')"
    )
    conn.commit()
    conn.close()
    store = open_store(get_paths())  # upgrades to the latest
    try:
        old = get_session(store, "u1")
    finally:
        store.close()
    assert old is not None and old.skill_id == "tipp"
    assert not old.marked and old.follow_up is None and old.follow_up_answers == []


def test_export_include_marked_adds_things_i_want_to_talk_about(cli: Any, home: Path) -> None:
    from selfback.store.sessions import set_marked

    letter = _saved(
        status="completed",
        skill_id="unsent-letter",
        skill_title="Unsent letter",
        follow_up="due",
    )
    store = open_store(get_paths())
    try:
        letter.answers = [{"step": "letter_main", "kind": "ask", "answer": "I miss you.\nA lot."}]
        save_session(store, letter)
        set_marked(store, letter.uid, True)
    finally:
        store.close()
    common = ["--since", "2026-11-01", "--until", "2026-11-30", "--no-notes"]
    for fmt, name in (("md", "r.md"), ("html", "r.html")):
        out = home / name
        plain = cli("export", "--format", fmt, "--output", str(out), *common)
        assert plain.exit_code == 0, plain
        text = out.read_text()
        assert "Things I want to talk about" not in text and "I miss you." not in text
        assert "Plans made for later in skills" in text and "1 (1 not asked yet)" in text
        asked = cli("export", "--format", fmt, "--output", str(out), *common, "--include-marked")
        assert asked.exit_code == 0, asked
        text = out.read_text()
        assert "Things I want to talk about" in text and "Unsent letter" in text
        assert "I miss you." in text and "A lot." in text
    pdf = cli(
        "export", "--format", "pdf", "--output", str(home / "r.pdf"), *common, "--include-marked"
    )
    assert pdf.exit_code == 0, pdf


def test_export_asks_about_marked_sessions_in_a_terminal(spawn: Any, home: Path) -> None:
    from selfback.store.sessions import set_marked

    letter = _saved(status="completed", skill_title="Unsent letter")
    store = open_store(get_paths())
    try:
        set_marked(store, letter.uid, True)
    finally:
        store.close()
    out = home / "r.md"
    args = ["--format", "md", "--output", str(out), "--since", "2026-11-01"]
    child = spawn("export", *args, "--no-notes", "--exclude-plan", "--exclude-crisis")
    child.expect_exact("Include the sessions you marked to talk about")
    child.sendline("y")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert "Things I want to talk about" in out.read_text()
