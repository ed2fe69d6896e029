"""Hearing the person: words that may mean risk, noticed offline, in their own words.

Standard library only (it runs on the ``cope`` and ``checkin`` paths). It never blocks,
lectures or sends anything: callers show the short crisis text and the person's own people
from the safety plan, then go on. It records *that* something was noticed (a row in
``risk_flags``), never a copy of the words, and nothing here logs or keeps the text.

The API other parts of selfback use (stable; the matching behind it may grow):

- ``detect(text, lang="en") -> RiskHit | None``: whether ``text`` may mean risk.
- ``detect_any(texts) -> RiskHit | None``: the first hit among several texts.
- ``record_flag(paths, source=..., kind=..., ref_uid=None)``: log that it happened (never
  raises, never prints).

How it works (the phrases live in ``data/risk/<language>.json``, whose format is described
for translators in docs/safety.md, "Hearing the person"):

1. The text is normalised: Unicode NFKC (fullwidth letters), case folded, accents and
   curly apostrophes dropped ("I’m" -> "i am"), leetspeak inside words undone ("k1ll",
   "$uicide"), punctuation turned into spaces (sentence ends kept as a boundary), every run
   of a repeated letter shortened to one ("dieeee" -> "die", "kill" -> "kil"), and the
   language file's spellings applied word by word ("wanna" -> "want to", "don't" -> "do
   not", "suiside" -> "suicide", "kms" -> "kill myself"). Phrases go through the same
   steps, so they are written in plain words.
2. Each rule's phrases are matched as whole words (see "the phrase language" below).
3. A match does not count when the words right before it are one of the rule's
   ``unless_before`` cues ("not" before "suicidal") or the words right after it are one of
   its ``unless_after`` cues ("laughing" after "killed myself"); the rule's other phrases
   are then still tried at the same place. Negation is per rule, never a blanket rule:
   "don't want to live" is itself a rule.

The language file is read and compiled on the first call, once per process; importing this
module reads nothing. A rule is compiled only when a text holds one of its words. If the
file cannot be read, a small built-in list still catches the plainest phrases, so a broken
install never silences this. Translators check a file with
``python -m selfback.safety.risk check LANG``.

The pieces live in their own modules: ``risk_text`` (normalisation), ``risk_match`` (the
phrase language and rules), ``risk_data`` (compiling a language file). This module loads
the files, holds the built-in last resort and is the public face.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from selfback.safety.risk_data import compile_language
from selfback.safety.risk_match import DEFAULT_LANG, KINDS, RiskHit, RiskKind
from selfback.safety.risk_text import LANG_CODE, Language, as_text

if TYPE_CHECKING:
    from datetime import datetime

    from selfback.paths import Paths

# Where a flag can come from (the ``source`` column of ``risk_flags``).
FLAG_SOURCES = (
    "checkin-note",  # a check-in note
    "tracker",  # a text tracker's answer
    "tag",  # a tag or emotion typed as words
    "skill-answer",  # any answer typed inside a skill
    "situation",  # words typed at "what's going on", or --for
    "measure",  # questionnaire free text, or PHQ-9 item 9 above 0
    "rating",  # a 9-10 rating, a distress answer above the scale
    "diary-card",  # "acted on the self-harm urge: yes"
    "import",  # text in an imported file (flagged, never interrupted)
    "hope",  # words kept in the hope box, or a note for next time
)


__all__ = [
    "DEFAULT_LANG",
    "FLAG_SOURCES",
    "KINDS",
    "RiskHit",
    "RiskKind",
    "check_language",
    "detect",
    "detect_any",
    "languages",
    "normalise",
    "record_flag",
]

# -- the public functions ----------------------------------------------------------------


def detect(text: object, *, lang: str = DEFAULT_LANG) -> RiskHit | None:
    """Whether ``text`` may mean risk of suicide or self-harm. Never raises.

    ``lang`` picks ``data/risk/<lang>.json`` ("en-GB" and "en_GB" use ``en``); a language
    without a file uses English. For any other language, English is checked as well,
    since people often write in more than one."""
    try:
        value = as_text(text)
        if not value or value.isspace():
            return None
        hit = _language(lang).find(value)
        if hit is None and _language(lang).code != DEFAULT_LANG:
            hit = _language(DEFAULT_LANG).find(value)
        return hit
    except Exception:  # noticing must never break what the person is doing
        from selfback.crashlog import TEXT_INVOLVED, log

        log.exception("noticing risk words; trying the built-in phrases", extra=TEXT_INVOLVED)
        try:
            return _fallback_find(as_text(text))
        except Exception:
            log.exception("noticing risk words with the built-in phrases", extra=TEXT_INVOLVED)
            return None


def detect_any(texts: Iterable[object], *, lang: str = DEFAULT_LANG) -> RiskHit | None:
    """The first hit among ``texts`` (None if none may mean risk). Never raises."""
    try:
        for text in texts:
            hit = detect(text, lang=lang)
            if hit is not None:
                return hit
    except Exception:  # a broken iterable must not break the caller
        from selfback.crashlog import TEXT_INVOLVED, log

        log.exception("noticing risk words in several texts", extra=TEXT_INVOLVED)
        return None
    return None


def normalise(text: object, *, lang: str = DEFAULT_LANG) -> str:
    """The text as the rules see it (for tests and translators; never stored).

    Words separated by single spaces, " . " between sentences, with a leading and a
    trailing space: ``" i want to die . "``."""
    try:
        return _language(lang).normalise(as_text(text))
    except Exception:
        from selfback.crashlog import TEXT_INVOLVED, log

        log.exception("normalising a text for the risk rules", extra=TEXT_INVOLVED)
        return ""


def languages() -> list[str]:
    """The language codes that have a phrase file, sorted."""
    import os

    try:
        names = os.listdir(_data_dir())
    except OSError:
        return []
    return sorted(n[:-5] for n in names if n.endswith(".json") and LANG_CODE.fullmatch(n[:-5]))


def check_language(lang: str) -> list[str]:
    """Problems in a language file, one plain sentence each (empty when it is fine).

    For translators and tests: a broken rule is skipped at run time, never raised."""
    import json
    import os

    path = os.path.join(_data_dir(), f"{lang}.json")
    try:
        with open(path, encoding="utf-8") as handle:
            raw = json.load(handle)
    except (OSError, ValueError) as exc:
        return [f"{lang}.json cannot be read: {exc}"]
    problems: list[str] = []
    try:
        compile_language(lang, raw, problems)
    except (ValueError, TypeError, AttributeError, RecursionError) as exc:
        problems.append(f"{lang}.json cannot be compiled: {exc}")
    return problems


def record_flag(
    paths: Paths,
    *,
    source: str,
    kind: str,
    ref_uid: str | None = None,
    when: datetime | None = None,
) -> None:
    """Log one flag to ``risk_flags`` (while the log is locked, sealed into the inbox and
    added at the next unlock). Never raises and never prints: a missing or damaged
    database simply means nothing is logged."""
    try:
        from selfback.clock import Clock
        from selfback.store.db import open_store, set_busy_timeout
        from selfback.store.safety import insert_risk_flag

        at = when or Clock.from_env().now()
        from selfback.store.keys import is_locked

        if is_locked(paths):  # sealed for the next unlock, as a locked check-in is
            from selfback.inbox import seal_record

            seal_record(paths, "flag", {"source": source, "kind": kind, "ref_uid": ref_uid}, at)
            return
        store = open_store(paths)
        try:
            set_busy_timeout(store, 1000)
            with store.tx() as db:
                insert_risk_flag(db, source=source, kind=kind, when=at, ref_uid=ref_uid)
        finally:
            store.close()
    except KeyboardInterrupt as exc:
        from selfback.errors import Stopped

        if isinstance(exc, Stopped):  # SIGTERM or SIGHUP: the run stops
            raise
        return  # only the log entry is skipped
    except Exception:  # recording must never break what the person is doing
        from selfback.crashlog import log

        log.exception("recording a risk flag")


# -- loading -------------------------------------------------------------------------------

_CACHE: dict[str, Language] = {}


def _data_dir() -> str:
    import os

    return os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "risk")


def _language(lang: object) -> Language:
    """The compiled language for ``lang`` ("en", "en-GB", "en_GB.UTF-8"), else English."""
    for code in _candidates(lang):
        cached = _CACHE.get(code)
        if cached is not None:
            return cached
        language = _load(code)
        if language is not None:
            _CACHE[code] = language
            return language
    fallback = _FallbackLanguage(DEFAULT_LANG)
    _CACHE[DEFAULT_LANG] = fallback
    return fallback


def _candidates(lang: object) -> list[str]:
    out: list[str] = []
    if isinstance(lang, str):
        code = lang.strip().lower().replace("_", "-").split(".")[0]
        if LANG_CODE.fullmatch(code):
            out.append(code)
            base = code.split("-")[0]
            if base != code:
                out.append(base)
    if DEFAULT_LANG not in out:
        out.append(DEFAULT_LANG)
    return out


def _load(code: str) -> Language | None:
    """Read and compile ``<code>.json``; None when it is missing, unreadable or empty."""
    import json
    import os

    path = os.path.join(_data_dir(), f"{code}.json")
    try:
        with open(path, encoding="utf-8") as handle:
            raw = json.load(handle)
        language = compile_language(code, raw, None)
    except (OSError, ValueError, TypeError, AttributeError, re.error, RecursionError):
        return None
    return language if language.rules else None


# -- the last resort -----------------------------------------------------------------------
# Used only when no phrase file can be read or compiled (a broken install), so the plainest
# words are still heard.

_FALLBACK: list[tuple[str, RiskKind, str]] = [
    (
        "fallback-want-to-die",
        "suicide",
        r"\b(want|wanna|going|gonna) (to )?die\b|\bkill(ing)? ?myself\b|\bkms\b",
    ),
    ("fallback-suicide-word", "suicide", r"\bsuicid|\bend(ing)? (my life|it all)\b|\bunalive"),
    ("fallback-hurt-myself", "self-harm", r"\b(hurt|harm|cut)(ting)? myself\b|\bself[- ]?harm"),
]


class _FallbackLanguage(Language):
    def find(self, text: str) -> RiskHit | None:
        return _fallback_find(text)


def _fallback_find(text: str) -> RiskHit | None:
    low = text.lower().replace("\u2019", "'")
    for rule_id, kind, pattern in _FALLBACK:
        if re.search(pattern, low):
            return RiskHit(kind, rule_id)
    return None


# -- for translators -----------------------------------------------------------------------


def _main(argv: list[str]) -> int:
    """``python -m selfback.safety.risk check [LANG ...]``: problems in phrase files.

    Takes language codes only, never text to test (text typed on a command line would land
    in the shell's history)."""
    import sys

    if not argv or argv[0] != "check":
        print("usage: python -m selfback.safety.risk check [LANG ...]", file=sys.stderr)
        return 2
    codes = argv[1:] or languages()
    failed = 0
    for code in codes:
        problems = check_language(code)
        if problems:
            failed += 1
            print(f"{code}.json: {len(problems)} problem(s)")
            for problem in problems:
                print(f"  - {problem}")
        else:
            print(f"{code}.json: no problems")
    return 1 if failed else 0


if __name__ == "__main__":
    import sys

    raise SystemExit(_main(sys.argv[1:]))
