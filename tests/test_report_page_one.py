"""Page one of the report (html, md, pdf) and `selfback trends`: what a therapist needs in
two minutes. The diary card's urges, item-9 flags with their dates and the latest answer,
meaningful-change marks for PHQ-9 and GAD-7, crisis screens the person opened apart from
those selfback showed, "no after rating", and readable names (never raw ids)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from selfback.paths import get_paths
from selfback.store.db import open_store

NOW = "2026-11-21T10:00:00+00:00"
TZ = UTC
START = datetime(2026, 11, 1, 20, 0, tzinfo=TZ)


@pytest.fixture(autouse=True)
def _fixed_now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SELFBACK_NOW", NOW)


def _iso(ts: datetime) -> str:
    return ts.isoformat()


def seed(*, phq9: list[tuple[int, int, int]] | None = None) -> None:
    """20 days of check-ins (1 to 20 November) with the diary card's urges, three coping
    sessions, PHQ-9 and GAD-7 results, and seven crisis-screen openings.

    ``phq9``: (day, total, item 9) per result, oldest first."""
    phq9 = phq9 or [(2, 19, 1), (9, 14, 2), (19, 8, 0)]
    with open_store(get_paths()) as store, store.tx() as db:
        for d in range(20):
            ts = START + timedelta(days=d)
            cur = db.execute(
                "INSERT INTO checkins (uid, ts, ts_utc, local_date, mood, created_at,"
                " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    f"c{d:031d}",
                    _iso(ts),
                    _iso(ts),
                    ts.date().isoformat(),
                    3 + d % 5,
                    _iso(ts),
                    _iso(ts),
                ),
            )
            cid = cur.lastrowid
            if d % 3 == 0:
                db.execute(
                    "INSERT INTO checkin_tags (checkin_id, kind, value)"
                    " VALUES (?, 'tag', 'friends')",
                    (cid,),
                )
            values: list[tuple[str, str, str, float | None, str | None]] = [
                ("urge_selfharm", "Urge to self-harm", "scale", float(d % 4), None)
            ]
            if d % 4:  # asked only after an urge of 1 or more; acted on on two days
                acted = 1.0 if d in (5, 13) else 0.0
                values.append(
                    ("acted_selfharm", "Acted on the self-harm urge", "yesno", acted, None)
                )
            if d % 2 == 0:
                values.append(("urge_use", "Urge to use", "scale", 1.0, None))
                values.append(("skills_used", "Skills used", "tags", None, '["opposite-action"]'))
            for tracker, label, kind, num, text in values:
                db.execute(
                    "INSERT INTO checkin_values (checkin_id, tracker_id, tracker_version, label,"
                    " kind, value_num, value_text, unit) VALUES (?, ?, 1, ?, ?, ?, ?, NULL)",
                    (cid, tracker, label, kind, num, text),
                )
        sessions = [
            ("tipp", "TIPP", "self-harm-urge", 8, 5, "completed"),
            ("tipp", "TIPP", "panic", 7, None, "completed"),  # finished, no after rating
            ("box-breathing", "Box breathing", None, 6, None, "stopped"),
        ]
        for k, (sid, title, situation, before, after, status) in enumerate(sessions):
            st = datetime(2026, 11, 10 + k, 15, 0, tzinfo=TZ)
            db.execute(
                "INSERT INTO coping_sessions (uid, skill_id, skill_version, skill_title,"
                " situation, distress_before, distress_after, started_at, started_utc,"
                " ended_at, status, answers) VALUES (?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, '[]')",
                (
                    f"s{k:031d}",
                    sid,
                    title,
                    situation,
                    before,
                    after,
                    _iso(st),
                    _iso(st),
                    _iso(st),
                    status,
                ),
            )
        results = [
            (
                "phq9",
                day,
                [1] * 8 + [item9, 1],
                total,
                _phq9_band(total),
                ["phq9-item9"] if item9 else [],
            )
            for day, total, item9 in phq9
        ]
        results += [
            ("gad7", 2, [2] * 7 + [1], 14, "moderate", []),
            ("gad7", 19, [1] * 5 + [0, 0, 1], 5, "mild", []),
        ]
        for k, (inst, day, answers, total, band, flags) in enumerate(results):
            tt = datetime(2026, 11, day, 9, 30, tzinfo=TZ)
            db.execute(
                "INSERT INTO measure_results (uid, instrument, instrument_version, taken_at,"
                " taken_utc, answers, total, band, flags) VALUES (?, ?, 1, ?, ?, ?, ?, ?, ?)",
                (
                    f"m{k:031d}",
                    inst,
                    _iso(tt),
                    _iso(tt),
                    json.dumps(answers),
                    total,
                    band,
                    json.dumps(flags),
                ),
            )
        for k, source in enumerate(["sos", "key", "cope", "measure", "measure", "risk", "rating"]):
            t = datetime(2026, 11, 3 + k, 21, 0, tzinfo=TZ)
            db.execute(
                "INSERT INTO crisis_openings (uid, opened_at, opened_utc, source)"
                " VALUES (?, ?, ?, ?)",
                (f"x{k:031d}", _iso(t), _iso(t), source),
            )


def _phq9_band(total: int) -> str:
    return ("minimal", "mild", "moderate", "moderately-severe", "severe")[min(4, total // 5)]


def export(cli: Callable[..., Any], tmp_path: Path, fmt: str, *extra: str) -> Path:
    out = tmp_path / f"report.{fmt}"
    out.unlink(missing_ok=True)
    result = cli("export", "--format", fmt, "--output", str(out), "--since", "30d", *extra)
    assert result.exit_code == 0, result
    return out


def page_one(cli: Callable[..., Any], tmp_path: Path, fmt: str, *extra: str) -> str:
    """The summary of the report in ``fmt``, as plain text with single spaces."""
    out = export(cli, tmp_path, fmt, *extra)
    if fmt == "pdf":
        from pypdf import PdfReader

        text = PdfReader(str(out)).pages[0].extract_text()
    elif fmt == "html":
        html = out.read_text(encoding="utf-8")
        summary = html[: html.index('id="details"')]
        text = re.sub(r"<[^>]+>", " ", summary).replace("&#x27;", "'")
        text = text.replace("&quot;", '"').replace("&amp;", "&")
    else:
        md = out.read_text(encoding="utf-8")
        md = md[: min(md.find(h) % (len(md) + 1) for h in ("### Trackers", "### Diary card"))]
        text = md.replace("\\*", "*").replace("**", "").replace("\\", "").replace("|", " ")
    return " ".join(text.split())


def details(cli: Callable[..., Any], tmp_path: Path, fmt: str, *extra: str) -> str:
    out = export(cli, tmp_path, fmt, *extra)
    if fmt == "pdf":
        from pypdf import PdfReader

        text = "\n".join(p.extract_text() for p in PdfReader(str(out)).pages[1:])
    else:
        html = out.read_text(encoding="utf-8")
        text = re.sub(r"<[^>]+>", " ", html[html.index('id="details"') :])
        text = text.replace("&#x27;", "'")
    return " ".join(text.split())


REPORTS = ["html", "md", "pdf"]


@pytest.mark.parametrize("fmt", REPORTS)
def test_diary_card_urges_on_page_one(cli: Any, tmp_path: Path, fmt: str) -> None:
    seed()
    text = page_one(cli, tmp_path, fmt)
    # self-harm urge: days 0-19 answered, values d % 4 (average 1.5, highest 3), acted on 2
    assert "Urge to self-harm (0-5)" in text
    assert "average 1.5, highest 3, acted on 2 of 20 days" in text
    assert "Urge to use (0-5)" in text and "average 1.0, highest 1, acted on 0 of 10 days" in text
    assert "Urge to quit therapy" not in text  # never answered: not listed


@pytest.mark.parametrize("fmt", REPORTS)
def test_crisis_help_goes_with_the_self_harm_urge_on_page_one(
    cli: Any, tmp_path: Path, fmt: str
) -> None:
    seed(phq9=[(2, 12, 0), (19, 8, 0)])  # no item-9 flag: the urge line alone brings it
    text = page_one(cli, tmp_path, fmt)
    assert "Urge to self-harm (0-5)" in text and "findahelpline.com" in text


@pytest.mark.parametrize("fmt", REPORTS)
def test_item9_flags_have_dates_and_the_latest_answer(cli: Any, tmp_path: Path, fmt: str) -> None:
    seed()
    text = page_one(cli, tmp_path, fmt)
    assert "FLAG: above 0 in 2 of 3: 2 Nov (1), 9 Nov (2); latest answer 0 (19 Nov)" in text


def test_many_item9_flags_list_the_latest_four(cli: Any, tmp_path: Path) -> None:
    seed(phq9=[(day, 12, 1 + day % 3) for day in (1, 4, 7, 10, 13, 16)])
    text = page_one(cli, tmp_path, "md")
    assert (
        "FLAG: above 0 in 6 of 6: 7 Nov (2), 10 Nov (2), 13 Nov (2), 16 Nov (2), and 2 earlier; "
        "latest answer 2 (16 Nov)"
    ) in text


@pytest.mark.parametrize("fmt", REPORTS)
def test_meaningful_change_marks_for_phq9_and_gad7(cli: Any, tmp_path: Path, fmt: str) -> None:
    seed()
    text = page_one(cli, tmp_path, fmt)
    assert re.search(r"PHQ-9 3 19 moderately severe \(2 Nov\) 8 mild \(19 Nov\) −11 \*", text)
    assert re.search(r"GAD-7 2 14 moderate \(2 Nov\) 5 mild \(19 Nov\) −9 \*", text)
    assert (
        "* At least the change usually seen as meaningful for one person: PHQ-9 5 points, "
        "GAD-7 4 points."
    ) in text


def test_a_smaller_change_gets_no_mark(cli: Any, tmp_path: Path) -> None:
    seed(phq9=[(2, 12, 0), (19, 8, 0)])  # 4 points down: under the 5 of Löwe et al. 2004
    text = page_one(cli, tmp_path, "md")
    assert " −4 " in text and "−4 *" not in text
    assert "−9 *" in text  # GAD-7: 9 points, at least 4


@pytest.mark.parametrize("fmt", REPORTS)
def test_crisis_screens_the_person_opened_are_counted_apart(
    cli: Any, tmp_path: Path, fmt: str
) -> None:
    seed()
    text = page_one(cli, tmp_path, fmt, "--include-crisis")
    assert "Crisis screen they opened" in text and "2 times on 2 days" in text
    assert "Crisis screen selfback showed" in text
    assert (
        "5 times on 5 days (2 after PHQ-9 item 9, 1 during a skill, 1 after a high rating, "
        "1 after risk words)"
    ) in text
    assert "7 times" not in text  # never the two mixed in one count
    if fmt != "md":  # the details name who opened each
        rest = details(cli, tmp_path, fmt, "--include-crisis")
        assert "When Opened by How" in rest
        assert "the person selfback sos" in rest and "selfback after words that may mean" in rest


def test_crisis_screen_never_opened(cli: Any, tmp_path: Path) -> None:
    seed()
    with open_store(get_paths()) as store, store.tx() as db:
        db.execute("DELETE FROM crisis_openings")
    assert "Crisis screen opened: not opened in this period" in page_one(
        cli, tmp_path, "md", "--include-crisis"
    )


@pytest.mark.parametrize("fmt", ["html", "pdf"])
def test_a_session_with_no_after_rating_says_so(cli: Any, tmp_path: Path, fmt: str) -> None:
    seed()
    rest = details(cli, tmp_path, fmt)
    sessions = rest[rest.index("Coping sessions") :]
    assert re.search(r"15:00 TIPP Panic, racing heart 7 - no after rating", sessions)
    assert re.search(r"15:00 TIPP Urge to hurt myself 8 5 yes", sessions)
    assert re.search(r"15:00 Box breathing - 6 - stopped early", sessions)


@pytest.mark.parametrize("fmt", REPORTS)
def test_skills_table_names_situations_and_unrated_sessions(
    cli: Any, tmp_path: Path, fmt: str
) -> None:
    seed()
    text = page_one(cli, tmp_path, fmt)
    assert "Panic, racing heart (1); Urge to hurt myself (1)" in text
    assert "self-harm-urge" not in text and "(1), panic" not in text
    assert re.search(r"Box breathing - 1 no after rating", text)
    assert "Sessions with no after rating count as uses only." in text


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_absent_tags_in_neutral_words_and_skills_by_name(
    cli: Any, tmp_path: Path, fmt: str
) -> None:
    seed()
    out = export(cli, tmp_path, fmt).read_text(encoding="utf-8").replace("&#x27;", "'")
    assert "13 days without 'friends'" in out
    assert "no friends" not in out
    assert "Skills used: Opposite action" in out and "opposite-action" not in out


def test_trends_reads_as_a_person_would(cli: Any) -> None:
    seed()
    out = " ".join(cli("trends", "--since", "30d").stdout.split())
    assert "Urge to hurt myself" in out and "Panic, racing heart" in out
    assert "self-harm-urge" not in out
    assert "no after rating" in out and "not rated" not in out
    assert "13 days without 'friends'" in out and "no friends" not in out
    assert "Skills used: Opposite action" in out and "opposite-action" not in out
    assert "11 down (a change of 5 or more is usually seen as meaningful)" in out
    assert "9 down (a change of 4 or more is usually seen as meaningful)" in out


def test_trends_says_nothing_of_meaningful_under_the_threshold(cli: Any) -> None:
    seed(phq9=[(2, 12, 0), (19, 8, 0)])
    out = " ".join(cli("trends", "--since", "30d").stdout.split())
    assert "Since 2 Nov: 4 down." in out


def test_skill_names_match_the_validated_library() -> None:
    from selfback.skills.library import load_library
    from selfback.skills.titles import builtin_titles, skill_word

    library = load_library(get_paths())
    builtin = {
        sid: e.skill.title for sid, e in library.entries.items() if e.origin.kind == "built-in"
    }
    assert builtin_titles() == {sid: t.split(":", 1)[0].strip() for sid, t in builtin.items()}
    assert skill_word("dear-man") == "DEAR MAN" and skill_word("wise mind") == "wise mind"


def test_situation_names_are_the_schema_situations() -> None:
    from selfback.skills.schema import SITUATIONS
    from selfback.skills.situation_names import SITUATIONS as NAMES
    from selfback.skills.situation_names import situation_name

    assert SITUATIONS is NAMES
    assert situation_name("self-harm-urge") == "Urge to hurt myself"
    assert situation_name("at work") == "at work"  # older or imported free text as it is


def test_sessions_show_names_the_situation(cli: Any) -> None:
    seed()
    out = " ".join(cli("sessions", "show", "1").stdout.split())
    assert "For: Urge to hurt myself." in out and "self-harm-urge" not in out
