"""Compiling one language file of risk phrases (``data/risk/<lang>.json``).

Standard library only. ``compile_language(code, raw, problems)`` turns the parsed JSON into
a ``Language``: its normalisation settings, spellings, named lists and rules. Broken rules
are left out at run time; given a ``problems`` list (translators' ``check``), every problem
is described there, one plain sentence each, and every regex is compiled to check it.
"""

from __future__ import annotations

import re
from functools import partial
from typing import Any

from selfback.safety.risk_match import (
    KINDS,
    NO_ANCHORS,
    Anchors,
    Compiler,
    CueSources,
    PhraseError,
    Rule,
)
from selfback.safety.risk_text import Language

RULE_FIELDS = {"id", "kind", "phrases", "unless_before", "unless_after", "note"}


def compile_language(code: str, raw: Any, problems: list[str] | None) -> Language:
    """Compile one language file. Broken rules are left out; with ``problems`` (a list),
    every problem is described there and each regex is compiled to check it."""
    if not isinstance(raw, dict):
        raise ValueError("the file is not a JSON object")
    return _Builder(code, raw, problems).build()


class _Builder:
    """One language file on its way to a ``Language``; problems go to ``report``."""

    def __init__(self, code: str, raw: dict[str, Any], problems: list[str] | None) -> None:
        self.raw = raw
        self.strict = problems is not None
        self.report: list[str] = problems if problems is not None else []
        settings = raw.get("normalise") or {}
        if not isinstance(settings, dict):
            self.report.append("'normalise' should be an object")
            settings = {}
        self.settings: dict[str, Any] = settings
        self.language = Language(
            code,
            strip_accents=bool(settings.get("strip_accents", True)),
            repeats=bool(settings.get("repeats", True)),
            leet=self._leet(),
        )
        self.single: dict[str, str] = {}
        self.multi: dict[str, str] = {}
        self._basic: dict[str, str] = {}
        self._words: dict[str, str] = {}
        self._cues: dict[str, str] = {}

    def build(self) -> Language:
        self._spellings()
        compiler = Compiler(self.word, self._common(), self._lists())
        raw_rules = self.raw.get("rules")
        if not isinstance(raw_rules, list):
            self.report.append("'rules' should be a list")
            raw_rules = []
        seen: set[str] = set()
        for index, entry in enumerate(raw_rules, start=1):
            rule = self._rule(index, entry, seen, compiler)
            if rule is not None:
                self.language.rules.append(rule)
        return self.language

    # -- normalisation settings and spellings ---------------------------------------------

    def _leet(self) -> dict[str, str]:
        leet = self.settings.get("leet") or {}
        if not isinstance(leet, dict) or not all(
            isinstance(k, str) and len(k) == 1 and isinstance(v, str) for k, v in leet.items()
        ):
            self.report.append("'normalise.leet' should map single characters to letters")
            return {}
        return leet

    def basic(self, word: str) -> str:
        out = self._basic.get(word)
        if out is None:
            out = " ".join(self.language.basic(word, leet=False, sentences=False).split())
            self._basic[word] = out
        return out

    def word(self, written: str) -> str:
        """One written word (or words) as the rules see it, spellings applied."""
        out = self._words.get(written)
        if out is None:
            out = " ".join(self.single.get(w, w) for w in self.basic(written).split())
            self._words[written] = out
        return out

    def _spellings(self) -> None:
        """``"canonical": ["variant", ...]``, applied once, word by word."""
        single, multi = self.single, self.multi
        spellings = self.raw.get("spellings") or {}
        if not isinstance(spellings, dict):
            self.report.append("'spellings' should be an object")
            spellings = {}
        for canonical, variants in spellings.items():
            self._spelling(canonical, variants)
        # Canonical forms are themselves spelled canonically ("i dont know" -> "i do not know").
        for table in (single, multi):
            for key, target in table.items():
                table[key] = " ".join(single.get(w, w) for w in target.split())
        if self.strict:
            for key in multi:
                mapped = " ".join(single.get(w, w) for w in key.split())
                if mapped != key:
                    self.report.append(
                        f"spelling variant '{key}' contains a word that is itself a variant; "
                        f"write it as '{mapped}'"
                    )
        self.language.set_spellings(single, multi)

    def _spelling(self, canonical: str, variants: object) -> None:
        if not isinstance(variants, list) or not all(isinstance(v, str) for v in variants):
            self.report.append(f"spelling '{canonical}' should list its variants as strings")
            return
        target = self.basic(canonical)
        if not target:
            self.report.append(f"spelling '{canonical}' has no letters")
            return
        for variant in variants:
            key = self.basic(variant)
            if not key or key == target:
                continue
            if key in self.single or key in self.multi:
                self.report.append(f"spelling variant '{variant}' is listed twice")
                continue
            (self.multi if " " in key else self.single)[key] = target

    def _common(self) -> frozenset[str]:
        common = self.settings.get("common_words") or []
        if not isinstance(common, list) or not all(isinstance(w, str) for w in common):
            self.report.append("'normalise.common_words' should be a list of words")
            common = []
        return frozenset(w for c in common for w in self.word(c).split())

    def _lists(self) -> dict[str, list[str]]:
        lists: dict[str, list[str]] = {}
        raw_lists = self.raw.get("lists") or {}
        if not isinstance(raw_lists, dict):
            self.report.append("'lists' should be an object")
            raw_lists = {}
        for name, items in raw_lists.items():
            if isinstance(items, list) and items and all(isinstance(i, str) for i in items):
                lists[name] = items
            else:
                self.report.append(f"list '{name}' should be a list of phrases")
        return lists

    # -- rules ------------------------------------------------------------------------------

    def _rule(self, index: int, entry: object, seen: set[str], compiler: Compiler) -> Rule | None:
        report = self.report
        if not isinstance(entry, dict):
            report.append(f"rule {index} should be an object")
            return None
        rule_id = entry.get("id")
        if not isinstance(rule_id, str) or not rule_id:
            report.append(f"rule {index} has no 'id'")
            return None
        if rule_id in seen:
            report.append(f"rule '{rule_id}' is listed twice")
            return None
        seen.add(rule_id)
        kind = entry.get("kind")
        if kind not in KINDS:
            report.append(f"rule '{rule_id}': 'kind' should be 'suicide' or 'self-harm'")
            return None
        if self.strict and set(entry) - RULE_FIELDS:
            unknown = ", ".join(sorted(set(entry) - RULE_FIELDS))
            report.append(f"rule '{rule_id}' has unknown fields: {unknown}")
        phrases = entry.get("phrases")
        if not isinstance(phrases, list) or not phrases:
            report.append(f"rule '{rule_id}' has no 'phrases'")
            return None
        compiled = self._phrases(rule_id, phrases, compiler)
        if compiled is None:
            return None
        parts, anchors = compiled
        rule = Rule(
            rule_id, kind, anchors, parts, partial(self._rule_cues, rule_id, entry, compiler)
        )
        if self.strict:
            try:
                rule.compiled()
            except re.error as exc:
                report.append(f"rule '{rule_id}' does not compile: {exc}")
                return None
        return rule

    def _phrases(
        self, rule_id: str, phrases: list[Any], compiler: Compiler
    ) -> tuple[list[str], Anchors | None] | None:
        """The rule's phrases as regexes, longest first, and the words that anchor them
        (None: some phrase has no anchor, so the rule is always tried)."""
        parts: list[str] = []
        anchors: Anchors | None = NO_ANCHORS
        for phrase in phrases:
            if not isinstance(phrase, str):
                self.report.append(f"rule '{rule_id}' has a phrase that is not text")
                continue
            try:
                regex, phrase_anchors = compiler.compile(phrase)
            except PhraseError as exc:
                self.report.append(f"rule '{rule_id}': the phrase '{phrase}' {exc}")
                continue
            if self.strict:
                self._check_spelled(rule_id, phrase, regex)
            parts.append(regex)
            if anchors is not None:
                anchors = None if phrase_anchors is None else anchors | phrase_anchors
        if not parts:
            return None
        parts.sort(key=len, reverse=True)
        return parts, (None if anchors is NO_ANCHORS else anchors)

    def _check_spelled(self, rule_id: str, phrase: str, regex: str) -> None:
        for key, target in self.multi.items():
            if " " + key + " " in regex + " ":
                self.report.append(
                    f"rule '{rule_id}': the phrase '{phrase}' has the words '{key}', "
                    f"which are always read as '{target}'; write '{target}'"
                )

    def _rule_cues(self, rule_id: str, entry: dict[str, Any], compiler: Compiler) -> CueSources:
        return (
            self._cue_regex(rule_id, "unless_before", entry.get("unless_before"), compiler, True),
            self._cue_regex(rule_id, "unless_after", entry.get("unless_after"), compiler, False),
        )

    def _cue_regex(
        self, rule_id: str, field: str, items: Any, compiler: Compiler, at_end: bool
    ) -> str | None:
        if not items:
            return None
        if not isinstance(items, list):
            self.report.append(f"rule '{rule_id}': '{field}' should be a list")
            return None
        parts: list[str] = []
        for item in items:
            if not isinstance(item, str):
                self.report.append(f"rule '{rule_id}': '{field}' has a value that is not text")
                continue
            compiled = self._cues.get(item)
            if compiled is None:
                try:
                    compiled = compiler.compile(item)[0]
                except PhraseError as exc:
                    self.report.append(f"rule '{rule_id}': the cue '{item}' {exc}")
                    continue
                self._cues[item] = compiled
            parts.append(compiled)
        if not parts:
            return None
        body = "(?:" + "|".join(parts) + ")"
        return body + r"\Z" if at_end else body + "(?= )"
