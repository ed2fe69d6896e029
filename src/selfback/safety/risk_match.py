"""The phrase language of the risk rules, compiled to regexes over normalised text.

Standard library only. A phrase ("want to (die|be dead)", "kill* myself", "@methods")
becomes one regex and the set of *anchor* words one of which every match must contain, so
a rule whose anchors are not in a text is skipped without being compiled or run. The
syntax is described below and, for translators, in docs/safety.md.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

RiskKind = Literal["suicide", "self-harm"]
KINDS: tuple[RiskKind, ...] = ("suicide", "self-harm")

DEFAULT_LANG = "en"


@dataclass(frozen=True)
class RiskHit:
    """What was noticed. ``rule`` names the phrase or pattern (never the person's text);
    ``lang`` is the language file whose rule matched."""

    kind: RiskKind
    rule: str
    lang: str = DEFAULT_LANG


def word_cost(word: str, common: frozenset[str]) -> int:
    if word in common:
        return 10_000
    return (100, 100, 50, 20, 8, 4, 2)[len(word)] if len(word) < 7 else 1


class Anchors:
    """Words one of which every match of a rule must contain (exact, or as a prefix).

    Lets ``find`` skip, without compiling or running it, every rule none of whose words is
    in the text."""

    __slots__ = ("words", "prefixes", "_cost")

    def __init__(self, words: frozenset[str], prefixes: frozenset[str] = frozenset()) -> None:
        self.words = words
        self.prefixes = prefixes
        self._cost: int | None = None

    def __or__(self, other: Anchors) -> Anchors:
        return Anchors(self.words | other.words, self.prefixes | other.prefixes)

    def cost(self, common: frozenset[str]) -> int:
        """Smaller is more selective: few words, long ones, none of the language's most
        common words. Only speed depends on it, never what is found."""
        if self._cost is None:
            self._cost = sum(word_cost(w, common) for w in self.words) + sum(
                2 * word_cost(w, common) for w in self.prefixes
            )
        return self._cost

    def hit(self, words: set[str]) -> bool:
        if not words.isdisjoint(self.words):
            return True
        return any(w.startswith(p) for p in self.prefixes for w in words)


CueSources = tuple["str | None", "str | None"]
Compiled = tuple[re.Pattern[str], "re.Pattern[str] | None", "re.Pattern[str] | None"]


class Rule:
    __slots__ = ("id", "kind", "anchors", "_sources", "_compiled", "_phrases", "_each")

    # How far back and forward the cues look (characters of normalised text).
    WINDOW = 160

    def __init__(
        self,
        rule_id: str,
        kind: RiskKind,
        anchors: Anchors | None,
        phrases: list[str],
        cues: Callable[[], CueSources],
    ) -> None:
        self.id = rule_id
        self.kind = kind
        self.anchors = anchors
        # The cues are parsed, and every regex compiled, only when the rule is first needed.
        self._sources = ("(?:" + "|".join(phrases) + ")(?= )", cues)
        self._phrases = phrases
        self._compiled: Compiled | None = None
        self._each: list[re.Pattern[str]] | None = None

    def may_match(self, words: set[str]) -> bool:
        return self.anchors is None or self.anchors.hit(words)

    def compiled(self) -> Compiled:
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


class PhraseError(ValueError):
    pass


NO_ANCHORS = Anchors(frozenset())


class Compiler:
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
        self._words: dict[str, tuple[str, Anchors]] = {}
        self._lists: dict[str, tuple[str, Anchors | None]] = {}
        self._building: set[str] = set()
        self.tokens: list[str] = []
        self.pos = 0

    def compile(self, phrase: str) -> tuple[str, Anchors | None]:
        tokens = _TOKEN.findall(phrase)
        if not tokens:
            raise PhraseError("is empty")
        saved = self.tokens, self.pos  # a list may be compiled in the middle of a phrase
        self.tokens, self.pos = tokens, 0
        try:
            regex, anchors = self._alternatives(closing=None)
            if self.pos != len(self.tokens):
                raise PhraseError(f"has an unexpected '{self.tokens[self.pos]}'")
        finally:
            self.tokens, self.pos = saved
        if not regex:
            raise PhraseError("matches nothing")
        return regex, anchors

    def _list(self, name: str) -> tuple[str, Anchors | None]:
        done = self._lists.get(name)
        if done is not None:
            return done
        items = self.lists.get(name)
        if not items:
            raise PhraseError(f"uses '@{name}', but there is no list called '{name}'")
        if name in self._building:
            raise PhraseError(f"uses the list '{name}' inside itself")
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
            Anchors(frozenset(words), frozenset(prefixes)) if anchored else None,
        )
        self._lists[name] = done
        return done

    def _alternatives(self, closing: str | None) -> tuple[str, Anchors | None]:
        options = [self._sequence()]
        tokens = self.tokens
        while self.pos < len(tokens) and tokens[self.pos] == "|":
            self.pos += 1
            options.append(self._sequence())
        if closing is not None:
            if self.pos >= len(tokens) or tokens[self.pos] != closing:
                raise PhraseError(f"is missing a '{closing}'")
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
        return regex, (Anchors(frozenset(words), frozenset(prefixes)) if anchored else None)

    def _sequence(self) -> tuple[str, Anchors | None]:
        parts: list[str] = []
        best: Anchors | None = None
        best_cost = 0
        tokens = self.tokens
        while self.pos < len(tokens):
            tok = tokens[self.pos]
            if tok == "|" or tok == ")" or tok == "]":
                break
            self.pos += 1
            anchors: Anchors | None = None
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

    def _word(self, tok: str) -> tuple[str, Anchors]:
        done = self._words.get(tok)
        if done is not None:
            return done
        prefix = tok.endswith("*")
        stem = tok[:-1] if prefix else tok
        if not stem or "*" in stem:
            raise PhraseError(f"has a '*' that is not at the end of a word ('{tok}')")
        words = self.word(stem).split()
        if not words:
            raise PhraseError(f"has a word with no letters ('{tok}')")
        regex = "".join(" " + re.escape(w) for w in words)
        exact = words[:-1] if prefix else words
        if exact:
            anchors = Anchors(frozenset([min(exact, key=lambda w: word_cost(w, self.common))]))
        else:
            anchors = Anchors(frozenset(), frozenset(words[-1:]))
        done = ((regex + r"[^ ]*" if prefix else regex), anchors)
        self._words[tok] = done
        return done
