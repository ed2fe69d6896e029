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
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from datetime import datetime

    from selfback.paths import Paths

RiskKind = Literal["suicide", "self-harm"]
KINDS: tuple[RiskKind, ...] = ("suicide", "self-harm")

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
)

DEFAULT_LANG = "en"


@dataclass(frozen=True)
class RiskHit:
    """What was noticed. ``rule`` names the phrase or pattern (never the person's text);
    ``lang`` is the language file whose rule matched."""

    kind: RiskKind
    rule: str
    lang: str = DEFAULT_LANG


# -- the public functions ----------------------------------------------------------------


def detect(text: object, *, lang: str = DEFAULT_LANG) -> RiskHit | None:
    """Whether ``text`` may mean risk of suicide or self-harm. Never raises.

    ``lang`` picks ``data/risk/<lang>.json`` ("en-GB" and "en_GB" use ``en``); a language
    without a file uses English. For any other language, English is checked as well,
    since people often write in more than one."""
    try:
        value = _as_text(text)
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
            return _fallback_find(_as_text(text))
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
        return _language(lang).normalise(_as_text(text))
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
    return sorted(n[:-5] for n in names if n.endswith(".json") and _LANG_CODE.fullmatch(n[:-5]))


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
        _compile_language(lang, raw, problems)
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
    """Log one flag to ``risk_flags``. Never raises and never prints: a missing, locked or
    damaged database simply means nothing is logged."""
    try:
        from selfback.clock import Clock
        from selfback.store.db import open_store
        from selfback.store.safety import insert_risk_flag

        at = when or Clock.from_env().now()
        store = open_store(paths)
        try:
            store.conn.execute("PRAGMA busy_timeout = 1000")
            with store.tx() as db:
                insert_risk_flag(db, source=source, kind=kind, when=at, ref_uid=ref_uid)
        finally:
            store.close()
    except KeyboardInterrupt:
        return  # only the log entry is skipped
    except Exception:  # recording must never break what the person is doing
        from selfback.crashlog import log

        log.exception("recording a risk flag")


# -- input ---------------------------------------------------------------------------------


def _as_text(text: object) -> str:
    if text is None:
        return ""
    if isinstance(text, str):
        return text
    if isinstance(text, (bytes, bytearray, memoryview)):
        return bytes(text).decode("utf-8", errors="replace")
    return str(text)


# -- normalisation -------------------------------------------------------------------------
# Regexes are compiled on first use (importing this module compiles nothing).

_LANG_CODE = re.compile(r"[a-z]{2,3}(?:-[a-z0-9]{2,8})?")
# Apostrophe look-alikes (NFKC already folds the fullwidth one).
_APOSTROPHES = dict.fromkeys(map(ord, "\u2018\u2019\u201b\u02bc\u02bb\u0060\u00b4\u2032"), "'")
_EDGE_PUNCT = ".,!?;:'\"()[]{}<>~-_/\\"


class _Re:
    """The normaliser's regexes, compiled once, on first use."""

    _ready = False

    @classmethod
    def get(cls) -> type[_Re]:
        if not cls._ready:
            cls.number_unit = re.compile(r"[0-9]+[^\W\d_]*")  # "3am", "10pm": not leetspeak
            # Sentence ends become a boundary token; an ellipsis ("i just... want") does not.
            cls.ellipsis = re.compile(r"\.{2,}|\u2026")
            cls.sentence_end = re.compile(r"[.!?;\n\r\u3002\uff01\uff1f]+")
            cls.ascii_nonword = re.compile(r"[^a-z0-9. ]+")
            cls.unicode_nonword = re.compile(r"[^\w\s.]+|_+")
            # Combining accents of Latin, Greek and Cyrillic (marks of other scripts stay).
            cls.accents = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff]")
            cls.repeats = re.compile(r"([^\W\d_])\1+")
            cls.boundaries = re.compile(r"(?: \.)+")
            cls._ready = True
        return cls

    number_unit: re.Pattern[str]
    ellipsis: re.Pattern[str]
    sentence_end: re.Pattern[str]
    ascii_nonword: re.Pattern[str]
    unicode_nonword: re.Pattern[str]
    accents: re.Pattern[str]
    repeats: re.Pattern[str]
    boundaries: re.Pattern[str]


class _Language:
    """One language file, compiled: normalisation settings, spellings and rules."""

    def __init__(
        self,
        code: str,
        *,
        strip_accents: bool = True,
        repeats: bool = True,
        leet: dict[str, str] | None = None,
    ) -> None:
        self.code = code
        self.strip_accents = strip_accents
        self.repeats = repeats
        leet = {k: v for k, v in (leet or {}).items() if len(k) == 1 and not k.isalpha()}
        self.leet = str.maketrans(leet)
        self.leet_chars = frozenset(leet)
        # Which tokens may hold leetspeak: those with one of the language's symbols.
        self.leet_char: re.Pattern[str] | None = None
        self.leet_token: re.Pattern[str] | None = None
        if leet:
            chars = "".join(re.escape(c) for c in sorted(leet))
            self.leet_char = re.compile(f"[{chars}]")
            self.leet_token = re.compile(rf"(?<!\S)\S*[{chars}]\S*")
        self.spellings: dict[str, str] = {}
        self.multi: dict[str, str] = {}
        self.multi_re: re.Pattern[str] | None = None
        self.rules: list[_Rule] = []

    def set_spellings(self, single: dict[str, str], multi: dict[str, str]) -> None:
        self.spellings = single
        self.multi = multi
        if multi:
            keys = sorted(multi, key=len, reverse=True)
            alternatives = "|".join(re.escape(k) for k in keys)
            self.multi_re = re.compile(f" ({alternatives})(?= )")

    # The text as the rules see it.
    def normalise(self, text: str) -> str:
        return self._spell(self.basic(text, leet=True, sentences=True))

    def basic(self, text: str, *, leet: bool, sentences: bool) -> str:
        rx = _Re.get()
        s = text
        ascii_only = s.isascii()
        if not ascii_only:
            import unicodedata

            s = unicodedata.normalize("NFKC", s).casefold().translate(_APOSTROPHES)
            if self.strip_accents:
                s = rx.accents.sub("", unicodedata.normalize("NFKD", s))
        else:
            s = s.lower()
        s = s.replace("'", "")
        if leet and self.leet_token is not None and self.leet_char is not None:
            s = self.leet_token.sub(self._unleet, s) if self.leet_char.search(s) else s
        if sentences:
            if ".." in s or "\u2026" in s:
                s = rx.ellipsis.sub(" ", s)
            s = rx.sentence_end.sub(" . ", s)
        else:
            s = s.replace(".", " ")
        if s.isascii():
            s = rx.ascii_nonword.sub(" ", s)
        else:
            s = rx.unicode_nonword.sub(_space_unless_mark, s)
        if self.repeats:
            s = rx.repeats.sub(r"\1", s)
        return s

    def _unleet(self, match: re.Match[str]) -> str:
        # Punctuation around a word stays punctuation ("die!"); "$" and "@" at the start of a
        # word are letters ("$uicide"). "3am" and "10pm" are numbers, not leetspeak.
        token = match.group(0)
        rest = token.lstrip(_EDGE_PUNCT)
        core = rest.rstrip(_EDGE_PUNCT)
        if not core or _Re.get().number_unit.fullmatch(core):
            return token
        if not any(c.isalpha() for c in core) or not any(c in self.leet_chars for c in core):
            return token
        lead = token[: len(token) - len(rest)]
        return lead + core.translate(self.leet) + rest[len(core) :]

    def _spell(self, basic: str) -> str:
        spell = self.spellings
        words = basic.split()
        if spell:
            words = [spell.get(w, w) for w in words]
        s = " ".join(["", *words, ".", ""])
        if self.multi_re is not None:
            s = self.multi_re.sub(lambda m: " " + self.multi[m.group(1)], s)
        return _Re.get().boundaries.sub(" .", s) if " . ." in s else s

    def find(self, text: str) -> RiskHit | None:
        canon = self.normalise(text)
        if len(canon) < 4:
            return None
        words = set(canon.split())
        for rule in self.rules:
            if rule.may_match(words) and rule.matches(canon):
                return RiskHit(rule.kind, rule.id, self.code)
        return None


def _space_unless_mark(match: re.Match[str]) -> str:
    import unicodedata

    run = match.group(0)
    if run.startswith("_"):
        return " "
    return "".join(c if unicodedata.category(c).startswith("M") else " " for c in run)


def _word_cost(word: str, common: frozenset[str]) -> int:
    if word in common:
        return 10_000
    return (100, 100, 50, 20, 8, 4, 2)[len(word)] if len(word) < 7 else 1


class _Anchors:
    """Words one of which every match of a rule must contain (exact, or as a prefix).

    Lets ``find`` skip, without compiling or running it, every rule none of whose words is
    in the text."""

    __slots__ = ("words", "prefixes", "_cost")

    def __init__(self, words: frozenset[str], prefixes: frozenset[str] = frozenset()) -> None:
        self.words = words
        self.prefixes = prefixes
        self._cost: int | None = None

    def __or__(self, other: _Anchors) -> _Anchors:
        return _Anchors(self.words | other.words, self.prefixes | other.prefixes)

    def cost(self, common: frozenset[str]) -> int:
        """Smaller is more selective: few words, long ones, none of the language's most
        common words. Only speed depends on it, never what is found."""
        if self._cost is None:
            self._cost = sum(_word_cost(w, common) for w in self.words) + sum(
                2 * _word_cost(w, common) for w in self.prefixes
            )
        return self._cost

    def hit(self, words: set[str]) -> bool:
        if not words.isdisjoint(self.words):
            return True
        return any(w.startswith(p) for p in self.prefixes for w in words)


_CueSources = tuple["str | None", "str | None"]
_Compiled = tuple[re.Pattern[str], "re.Pattern[str] | None", "re.Pattern[str] | None"]


class _Rule:
    __slots__ = ("id", "kind", "anchors", "_sources", "_compiled", "_phrases", "_each")

    # How far back and forward the cues look (characters of normalised text).
    WINDOW = 160

    def __init__(
        self,
        rule_id: str,
        kind: RiskKind,
        anchors: _Anchors | None,
        phrases: list[str],
        cues: Callable[[], _CueSources],
    ) -> None:
        self.id = rule_id
        self.kind = kind
        self.anchors = anchors
        # The cues are parsed, and every regex compiled, only when the rule is first needed.
        self._sources = ("(?:" + "|".join(phrases) + ")(?= )", cues)
        self._phrases = phrases
        self._compiled: _Compiled | None = None
        self._each: list[re.Pattern[str]] | None = None

    def may_match(self, words: set[str]) -> bool:
        return self.anchors is None or self.anchors.hit(words)

    def compiled(self) -> _Compiled:
        if self._compiled is None:
            pattern, cues = self._sources
            before, after = cues()
            self._compiled = (
                re.compile(pattern),
                re.compile(before) if before else None,
                re.compile(after) if after else None,
            )
        return self._compiled

    def matches(self, canon: str) -> bool:
        pattern, before, after = self.compiled()
        pos = 0
        while True:
            m = pattern.search(canon, pos)
            if m is None:
                return False
            start = m.start()
            if self._counts(canon, start, m.end(), before, after):
                return True
            # Cancelled by a cue: another phrase of this rule may match here differently
            # ("don't want to live" + "with ..." is cancelled; "live with this pain" is not).
            if len(self._phrases) > 1:
                if self._each is None:
                    self._each = [re.compile(p + "(?= )") for p in self._phrases]
                for each in self._each:
                    other = each.match(canon, start)
                    if (
                        other is not None
                        and other.end() != m.end()
                        and self._counts(canon, start, other.end(), before, after)
                    ):
                        return True
            pos = start + 1  # a later, overlapping match may still count

    def _counts(
        self,
        canon: str,
        start: int,
        end: int,
        before: re.Pattern[str] | None,
        after: re.Pattern[str] | None,
    ) -> bool:
        if before is not None and before.search(canon, max(0, start - self.WINDOW), start):
            return False
        return after is None or after.match(canon, end, end + self.WINDOW) is None


# -- the phrase language -------------------------------------------------------------------
#
#   words            matched as whole words, after the same normalisation as the text
#   (a|b c|d)        one of these (an empty choice, "(a|)", makes it optional)
#   [a|b]            optional: one of these, or nothing
#   word*            any word that begins with "word"
#   ...              up to three other words (never across a sentence end)
#   <start>          the start of a sentence or of the text
#   <end>            the end of a sentence or of the text
#   <number>         a number written in digits ("3", "10")
#   @name            any one of the phrases in the list "name" (the file's "lists")

_TOKEN = re.compile(r"\.\.\.|<start>|<end>|<number>|[()\[\]|]|[^\s()\[\]|]+")
_GAP = r"(?: [^ .]+){0,3}"


class _PhraseError(ValueError):
    pass


_NO_ANCHORS = _Anchors(frozenset())


class _Compiler:
    """Turns one phrase into a regex over normalised text, and its anchor words."""

    def __init__(
        self,
        word: Callable[[str], str],
        common: frozenset[str] = frozenset(),
        lists: dict[str, list[str]] | None = None,
    ) -> None:
        self.word = word  # normalises one written word into zero or more words
        self.common = common  # very frequent words: poor anchors
        self.lists = lists or {}  # named lists of phrases, used as @name
        self._words: dict[str, tuple[str, _Anchors]] = {}
        self._lists: dict[str, tuple[str, _Anchors | None]] = {}
        self._building: set[str] = set()
        self.tokens: list[str] = []
        self.pos = 0

    def compile(self, phrase: str) -> tuple[str, _Anchors | None]:
        tokens = _TOKEN.findall(phrase)
        if not tokens:
            raise _PhraseError("is empty")
        saved = self.tokens, self.pos  # a list may be compiled in the middle of a phrase
        self.tokens, self.pos = tokens, 0
        try:
            regex, anchors = self._alternatives(closing=None)
            if self.pos != len(self.tokens):
                raise _PhraseError(f"has an unexpected '{self.tokens[self.pos]}'")
        finally:
            self.tokens, self.pos = saved
        if not regex:
            raise _PhraseError("matches nothing")
        return regex, anchors

    def _list(self, name: str) -> tuple[str, _Anchors | None]:
        done = self._lists.get(name)
        if done is not None:
            return done
        items = self.lists.get(name)
        if not items:
            raise _PhraseError(f"uses '@{name}', but there is no list called '{name}'")
        if name in self._building:
            raise _PhraseError(f"uses the list '{name}' inside itself")
        self._building.add(name)
        try:
            compiled = [self.compile(item) for item in items]
        finally:
            self._building.discard(name)
        words: set[str] = set()
        prefixes: set[str] = set()
        anchored = True
        for _, anchors in compiled:
            if anchors is None:
                anchored = False
            else:
                words.update(anchors.words)
                prefixes.update(anchors.prefixes)
        regexes = sorted((regex for regex, _ in compiled), key=len, reverse=True)
        done = (
            "(?:" + "|".join(regexes) + ")",
            _Anchors(frozenset(words), frozenset(prefixes)) if anchored else None,
        )
        self._lists[name] = done
        return done

    def _alternatives(self, closing: str | None) -> tuple[str, _Anchors | None]:
        options = [self._sequence()]
        tokens = self.tokens
        while self.pos < len(tokens) and tokens[self.pos] == "|":
            self.pos += 1
            options.append(self._sequence())
        if closing is not None:
            if self.pos >= len(tokens) or tokens[self.pos] != closing:
                raise _PhraseError(f"is missing a '{closing}'")
            self.pos += 1
        if len(options) == 1:
            return options[0]
        words: set[str] = set()
        prefixes: set[str] = set()
        anchored = True
        for _, option in options:
            if option is None:
                anchored = False
                break
            words.update(option.words)
            prefixes.update(option.prefixes)
        # Longer choices first, so "here on this earth" is tried before "here".
        regexes = sorted((r for r, _ in options), key=len, reverse=True)
        regex = "(?:" + "|".join(regexes) + ")"
        return regex, (_Anchors(frozenset(words), frozenset(prefixes)) if anchored else None)

    def _sequence(self) -> tuple[str, _Anchors | None]:
        parts: list[str] = []
        best: _Anchors | None = None
        best_cost = 0
        tokens = self.tokens
        while self.pos < len(tokens):
            tok = tokens[self.pos]
            if tok == "|" or tok == ")" or tok == "]":
                break
            self.pos += 1
            anchors: _Anchors | None = None
            if tok == "(":
                regex, anchors = self._alternatives(closing=")")
                parts.append(f"(?:{regex})")
            elif tok == "[":
                regex, _ = self._alternatives(closing="]")
                parts.append(f"(?:{regex})?")
            elif tok == "...":
                parts.append(_GAP)
            elif tok == "<end>":
                parts.append(r" \.")
            elif tok == "<start>":
                parts.append(r"(?:\A|(?<=\.))")
            elif tok == "<number>":
                parts.append(r" [0-9]+")
            elif tok.startswith("@") and len(tok) > 1:
                regex, anchors = self._list(tok[1:])
                parts.append(regex)
            else:
                regex, anchors = self._word(tok)
                parts.append(regex)
            if anchors is not None:
                cost = anchors.cost(self.common)
                if best is None or cost < best_cost:
                    best, best_cost = anchors, cost
        return "".join(parts), best

    def _word(self, tok: str) -> tuple[str, _Anchors]:
        done = self._words.get(tok)
        if done is not None:
            return done
        prefix = tok.endswith("*")
        stem = tok[:-1] if prefix else tok
        if not stem or "*" in stem:
            raise _PhraseError(f"has a '*' that is not at the end of a word ('{tok}')")
        words = self.word(stem).split()
        if not words:
            raise _PhraseError(f"has a word with no letters ('{tok}')")
        regex = "".join(" " + re.escape(w) for w in words)
        exact = words[:-1] if prefix else words
        if exact:
            anchors = _Anchors(frozenset([min(exact, key=lambda w: _word_cost(w, self.common))]))
        else:
            anchors = _Anchors(frozenset(), frozenset(words[-1:]))
        done = ((regex + r"[^ ]*" if prefix else regex), anchors)
        self._words[tok] = done
        return done


# -- loading -------------------------------------------------------------------------------

_CACHE: dict[str, _Language] = {}


def _data_dir() -> str:
    import os

    return os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "risk")


def _language(lang: object) -> _Language:
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
        if _LANG_CODE.fullmatch(code):
            out.append(code)
            base = code.split("-")[0]
            if base != code:
                out.append(base)
    if DEFAULT_LANG not in out:
        out.append(DEFAULT_LANG)
    return out


def _load(code: str) -> _Language | None:
    """Read and compile ``<code>.json``; None when it is missing, unreadable or empty."""
    import json
    import os

    path = os.path.join(_data_dir(), f"{code}.json")
    try:
        with open(path, encoding="utf-8") as handle:
            raw = json.load(handle)
        language = _compile_language(code, raw, None)
    except (OSError, ValueError, TypeError, AttributeError, re.error, RecursionError):
        return None
    return language if language.rules else None


_RULE_FIELDS = {"id", "kind", "phrases", "unless_before", "unless_after", "note"}


def _compile_language(code: str, raw: Any, problems: list[str] | None) -> _Language:
    """Compile one language file. Broken rules are left out; with ``problems`` (a list),
    every problem is described there and each regex is compiled to check it."""
    strict = problems is not None
    report: list[str] = problems if problems is not None else []
    if not isinstance(raw, dict):
        raise ValueError("the file is not a JSON object")
    settings = raw.get("normalise") or {}
    if not isinstance(settings, dict):
        report.append("'normalise' should be an object")
        settings = {}
    leet = settings.get("leet") or {}
    if not isinstance(leet, dict) or not all(
        isinstance(k, str) and len(k) == 1 and isinstance(v, str) for k, v in leet.items()
    ):
        report.append("'normalise.leet' should map single characters to letters")
        leet = {}
    language = _Language(
        code,
        strip_accents=bool(settings.get("strip_accents", True)),
        repeats=bool(settings.get("repeats", True)),
        leet=leet,
    )
    memo: dict[str, str] = {}

    def basic(word: str) -> str:
        out = memo.get(word)
        if out is None:
            out = " ".join(language.basic(word, leet=False, sentences=False).split())
            memo[word] = out
        return out

    # Spellings: "canonical": ["variant", ...]; applied once, word by word.
    single: dict[str, str] = {}
    multi: dict[str, str] = {}
    spellings = raw.get("spellings") or {}
    if not isinstance(spellings, dict):
        report.append("'spellings' should be an object")
        spellings = {}
    for canonical, variants in spellings.items():
        if not isinstance(variants, list) or not all(isinstance(v, str) for v in variants):
            report.append(f"spelling '{canonical}' should list its variants as strings")
            continue
        target = basic(canonical)
        if not target:
            report.append(f"spelling '{canonical}' has no letters")
            continue
        for variant in variants:
            key = basic(variant)
            if not key or key == target:
                continue
            if key in single or key in multi:
                report.append(f"spelling variant '{variant}' is listed twice")
                continue
            (multi if " " in key else single)[key] = target
    # Canonical forms are themselves spelled canonically ("i dont know" -> "i do not know").
    for table in (single, multi):
        for key, target in table.items():
            table[key] = " ".join(single.get(w, w) for w in target.split())
    if strict:
        for key in multi:
            mapped = " ".join(single.get(w, w) for w in key.split())
            if mapped != key:
                report.append(
                    f"spelling variant '{key}' contains a word that is itself a variant; "
                    f"write it as '{mapped}'"
                )
    language.set_spellings(single, multi)

    word_memo: dict[str, str] = {}

    def word(written: str) -> str:
        out = word_memo.get(written)
        if out is None:
            out = " ".join(single.get(w, w) for w in basic(written).split())
            word_memo[written] = out
        return out

    common = settings.get("common_words") or []
    if not isinstance(common, list) or not all(isinstance(w, str) for w in common):
        report.append("'normalise.common_words' should be a list of words")
        common = []
    lists: dict[str, list[str]] = {}
    raw_lists = raw.get("lists") or {}
    if not isinstance(raw_lists, dict):
        report.append("'lists' should be an object")
        raw_lists = {}
    for name, items in raw_lists.items():
        if isinstance(items, list) and items and all(isinstance(i, str) for i in items):
            lists[name] = items
        else:
            report.append(f"list '{name}' should be a list of phrases")
    compiler = _Compiler(word, frozenset(w for c in common for w in word(c).split()), lists)

    cue_memo: dict[str, str] = {}

    def cue_regex(rule_id: str, field: str, items: Any, *, at_end: bool) -> str | None:
        if not items:
            return None
        if not isinstance(items, list):
            report.append(f"rule '{rule_id}': '{field}' should be a list")
            return None
        parts: list[str] = []
        for item in items:
            if not isinstance(item, str):
                report.append(f"rule '{rule_id}': '{field}' has a value that is not text")
                continue
            compiled = cue_memo.get(item)
            if compiled is None:
                try:
                    compiled = compiler.compile(item)[0]
                except _PhraseError as exc:
                    report.append(f"rule '{rule_id}': the cue '{item}' {exc}")
                    continue
                cue_memo[item] = compiled
            parts.append(compiled)
        if not parts:
            return None
        body = "(?:" + "|".join(parts) + ")"
        return body + r"\Z" if at_end else body + "(?= )"

    seen: set[str] = set()
    raw_rules = raw.get("rules")
    if not isinstance(raw_rules, list):
        report.append("'rules' should be a list")
        raw_rules = []
    for index, entry in enumerate(raw_rules, start=1):
        if not isinstance(entry, dict):
            report.append(f"rule {index} should be an object")
            continue
        rule_id = entry.get("id")
        if not isinstance(rule_id, str) or not rule_id:
            report.append(f"rule {index} has no 'id'")
            continue
        if rule_id in seen:
            report.append(f"rule '{rule_id}' is listed twice")
            continue
        seen.add(rule_id)
        kind = entry.get("kind")
        if kind not in KINDS:
            report.append(f"rule '{rule_id}': 'kind' should be 'suicide' or 'self-harm'")
            continue
        if strict and set(entry) - _RULE_FIELDS:
            unknown = ", ".join(sorted(set(entry) - _RULE_FIELDS))
            report.append(f"rule '{rule_id}' has unknown fields: {unknown}")
        phrases = entry.get("phrases")
        if not isinstance(phrases, list) or not phrases:
            report.append(f"rule '{rule_id}' has no 'phrases'")
            continue
        parts: list[str] = []
        anchors: _Anchors | None = _NO_ANCHORS
        for phrase in phrases:
            if not isinstance(phrase, str):
                report.append(f"rule '{rule_id}' has a phrase that is not text")
                continue
            try:
                regex, phrase_anchors = compiler.compile(phrase)
            except _PhraseError as exc:
                report.append(f"rule '{rule_id}': the phrase '{phrase}' {exc}")
                continue
            if strict:
                for key, target in multi.items():
                    if " " + key + " " in regex + " ":
                        report.append(
                            f"rule '{rule_id}': the phrase '{phrase}' has the words '{key}', "
                            f"which are always read as '{target}'; write '{target}'"
                        )
            parts.append(regex)
            if anchors is not None:
                anchors = None if phrase_anchors is None else anchors | phrase_anchors
        if not parts:
            continue
        parts.sort(key=len, reverse=True)
        if anchors is _NO_ANCHORS:
            anchors = None

        def cues_of(rule_id: str = rule_id, entry: dict[str, Any] = entry) -> _CueSources:
            return (
                cue_regex(rule_id, "unless_before", entry.get("unless_before"), at_end=True),
                cue_regex(rule_id, "unless_after", entry.get("unless_after"), at_end=False),
            )

        rule = _Rule(rule_id, kind, anchors, parts, cues_of)
        if strict:
            try:
                rule.compiled()
            except re.error as exc:
                report.append(f"rule '{rule_id}' does not compile: {exc}")
                continue
        language.rules.append(rule)
    return language


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


class _FallbackLanguage(_Language):
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
