"""How the risk rules see a text: one language's normalisation and its compiled rules.

Standard library only (``unicodedata`` only for text that is not ASCII). The steps are
described in ``selfback.safety.risk``; regexes are compiled on first use, so importing this
module compiles nothing.
"""

from __future__ import annotations

import re

from selfback.safety.risk_match import RiskHit, Rule


def as_text(text: object) -> str:
    if text is None:
        return ""
    if isinstance(text, str):
        return text
    if isinstance(text, (bytes, bytearray, memoryview)):
        return bytes(text).decode("utf-8", errors="replace")
    return str(text)


LANG_CODE = re.compile(r"[a-z]{2,3}(?:-[a-z0-9]{2,8})?")
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


class Language:
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
        self.rules: list[Rule] = []

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
