"""The menus of `selfback cope`: what is going on, which skill, and the calming choices.

Every menu is line based: a number and Enter, Enter alone for the first (or to skip),
``q`` to stop, ``!`` (or ``sos``, ``help``) for crisis lines and then the menu again,
``?`` for a hint. Words typed instead are heard first (they may mean risk), then read as
a choice where the menu allows it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Literal

from selfback.actions.cope.flow import Quit
from selfback.messages import cope as msg
from selfback.text import clean_line
from selfback.ui.screen import BOLD, Screen

if TYPE_CHECKING:
    from selfback.actions.cope.flow import Hearing
    from selfback.skills.schema import Skill
    from selfback.suggest import Suggestion

# A situation picked by words comes back from a menu as this prefix and its id.
_SID = "sid:"
# From ``words``: a hint was given, ask again without the retry line.
_SAID = "said:"
# From ``words``: the person's own words, no known situation; go on without one.
_OWN = "own:"


class Menus:
    """Numbered menus on ``ui``; ``hearing`` is the controller listening for risk."""

    ui: Screen
    hearing: Hearing

    def menu(
        self,
        show: Callable[[], None],
        count: int,
        *,
        retry: str,
        help_text: str,
        keys: tuple[str, ...] = (),
        words: Callable[[str], int | str | None] | None = None,
    ) -> int | str | None:
        """Show a numbered menu and read a choice: the 0-based index of a number from 1 to
        ``count``, None for Enter, or one of ``keys``. ``words`` turns other typed words
        into a choice (or None); words that may mean risk are heard first."""
        show()
        while True:
            raw = self.ui.ask("> ").strip()
            key = raw.lower()
            if key == "":
                return None
            if key.isdigit() and 1 <= int(key) <= count:
                return int(key) - 1
            if key in keys:
                return key
            if key == "q":
                raise Quit
            if self.ui.crisis_request(raw, back_to=None):
                show()
                continue
            if key in ("?", "h"):
                self.ui.para(help_text)
                continue
            picked = self._words(raw, show, words, retry)
            if picked is not None:
                return picked

    def _words(
        self,
        raw: str,
        show: Callable[[], None],
        words: Callable[[str], int | str | None] | None,
        retry: str = "",
    ) -> int | str | None:
        """Words typed at a menu: heard first (then the menu again), else read as a
        choice, else ``retry`` is said."""
        heard = self.hearing.hear(raw)
        if heard:
            self.ui.wait_enter(msg.GO_ON)
        picked = words(raw) if words is not None else None
        if picked == _SAID:
            return None
        if picked is None:
            if heard:
                show()
            else:
                self.ui.para(retry)
        return picked

    # -- what is going on ---------------------------------------------------------------------

    def ask_situation(self) -> str | None:
        from selfback.actions.cope.situations import COMMON_SITUATIONS
        from selfback.skills.schema import SITUATIONS
        from selfback.walk.situations import closest_situation, match_situation

        first = [s for s in COMMON_SITUATIONS if s in SITUATIONS]
        rest = [s for s in SITUATIONS if s not in first]
        everything = first + rest

        def show_first() -> None:
            self.ui.out()
            self.ui.out(self.ui.style(msg.SITUATION_ASK, BOLD) + msg.SITUATION_SKIP)
            for i, sid in enumerate(first, start=1):
                self.ui.out(f"  {i}. {SITUATIONS[sid]}")
            self.ui.out(f"  {len(first) + 1}. {msg.SOMETHING_ELSE}")
            self.ui.para(msg.SITUATION_HOW)

        def show_rest() -> None:
            self.ui.out()
            for i, sid in enumerate(rest, start=1):
                self.ui.out(f"  {i}. {SITUATIONS[sid]}")
            self.ui.out(msg.NONE_OF_THESE)

        def words(raw: str) -> str | None:
            """A situation named in words: ``"sid:<id>"``, or None (after a hint)."""
            if self.hearing.heard_situation is not None:
                return _SID + self.hearing.heard_situation
            sid = match_situation(raw)
            if sid is not None:
                return _SID + sid
            near = closest_situation(raw)
            if near is not None and near in everything:
                n = first.index(near) + 1 if near in first else None
                where = f"number {n}" if n else f"under {len(first) + 1}, {msg.SOMETHING_ELSE}"
                self.ui.para(
                    msg.DID_YOU_MEAN.format(situation=SITUATIONS[near].lower(), where=where)
                )
                return _SAID
            if any(c.isalpha() for c in raw):
                # Their own words, and no name selfback knows: taken as they are.
                self.ui.para(msg.OWN_WORDS)
                return _OWN
            return None

        picked = self.menu(
            show_first,
            len(first) + 1,
            retry=msg.SITUATION_RETRY.format(count=len(first) + 1),
            help_text=msg.SITUATION_HELP,
            words=words,
        )
        if isinstance(picked, str) and picked.startswith(_SID):
            return picked[len(_SID) :]
        if not isinstance(picked, int):
            return None  # Enter, or their own words
        if picked < len(first):
            return first[picked]
        picked = self.menu(
            show_rest,
            len(rest),
            retry=msg.REST_RETRY.format(count=len(rest)),
            help_text=msg.REST_HELP,
            words=words,
        )
        if isinstance(picked, str) and picked.startswith(_SID):
            return picked[len(_SID) :]
        return rest[picked] if isinstance(picked, int) else None

    # -- which skill -------------------------------------------------------------------------

    def skills_missing(self) -> None:
        self.ui.out()
        self.ui.para(msg.SKILLS_MISSING)

    def show_suggestions(self, items: list[Suggestion]) -> None:
        from selfback.suggest import minutes_text

        for i, sug in enumerate(items, start=1):
            title = self.ui.style(clean_line(sug.skill.title), BOLD)
            why = f": {sug.reason}" if sug.reason else ""
            self.ui.out(f"  {i}. {title} ({minutes_text(sug.skill.minutes)}){why}")
            self.ui.para(sug.skill.summary, indent="     ")

    def choose_skill(self, top: list[Suggestion]) -> int | Literal["more"]:
        """The index of the skill picked from ``top`` (Enter: the first), or "more"."""

        def show() -> None:
            self.ui.out()
            self.ui.out(self.ui.style(msg.SKILLS_ASK, BOLD))
            self.show_suggestions(top)
            self.ui.out()
            self.ui.para(msg.SKILLS_KEYS)

        picked = self.menu(
            show,
            len(top),
            retry=msg.SKILLS_RETRY.format(count=len(top)),
            help_text=msg.SKILLS_HELP,
            keys=("m",),
        )
        if picked == "m":
            return "more"
        return picked if isinstance(picked, int) else 0

    def choose_from_all(self, everything: list[Suggestion]) -> int:
        from selfback.suggest import minutes_text

        def show() -> None:
            self.ui.out()
            for i, sug in enumerate(everything, start=1):
                title = clean_line(sug.skill.title)
                self.ui.out(f"  {i:>2}. {title} ({minutes_text(sug.skill.minutes)})")
            self.ui.out()
            self.ui.out(msg.ALL_KEYS)

        picked = self.menu(
            show,
            len(everything),
            retry=msg.NUMBER_RETRY.format(count=len(everything)).strip(),
            help_text=msg.ALL_HELP,
        )
        return picked if isinstance(picked, int) else 0

    # -- something calming -------------------------------------------------------------------

    def choose_calming(self, found: list[Skill]) -> Skill | None:
        """Pick a calming skill (Enter takes the first). None: back to the choice."""
        from selfback.suggest import minutes_text

        def show() -> None:
            self.ui.out()
            self.ui.out(self.ui.style(msg.CALMING, BOLD))
            for i, skill in enumerate(found, start=1):
                title = clean_line(skill.title)
                self.ui.out(f"  {i}. {title} ({minutes_text(skill.minutes)})")
            self.ui.out(msg.CALMING_KEYS)

        show()
        while True:
            raw = self.ui.ask("> ").strip()
            key = raw.lower()
            if key == "":
                return found[0]
            if key.isdigit() and 1 <= int(key) <= len(found):
                return found[int(key) - 1]
            if key == "b":
                return None
            if self.ui.crisis_request(raw, back_to=None):
                show()
                continue
            self.ui.out(msg.NUMBER_OR_BACK.format(count=len(found)))
