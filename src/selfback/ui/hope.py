"""The hope box's prompts and screens: adding an item, asking before a file is opened
or an item removed (`selfback hope`), and what `cope` shows of the box and the notes for
next time (:class:`CopeHopeLines`, on cope's own screen, so ``!``, ``sos`` and words that
may mean risk work at its prompts as everywhere in cope).

Line based: Enter and digits are enough; text is wrapped by whole words (40 columns
work). The person's words are cleaned before they are shown. Never opens the store.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from selfback.messages import hope as msg
from selfback.text import clean, clean_line

if TYPE_CHECKING:
    from selfback.actions.hear import Heard
    from selfback.actions.hope import HopeEntry, NextTimeNote
    from selfback.env import Env
    from selfback.ui.screen import Screen

WIDTH = 88


def write(env: Env, text: str = "") -> None:
    """``text`` wrapped by whole words to the terminal (at most 88 columns)."""
    from selfback.text import terminal_width, wrap_block

    width = min(terminal_width(env.stdout), WIDTH)
    env.stdout.write("\n".join(wrap_block(text, width)) + "\n")
    env.stdout.flush()


def bold(env: Env, text: str) -> str:
    return f"\033[1m{text}\033[0m" if env.color else text


def when(stamp: str) -> str:
    """'2026-11-21T10:00:00+00:00' -> '2026-11-21'."""
    return stamp[:10] if stamp else "?"


def item_lines(entry: HopeEntry, *, full: bool) -> list[str]:
    """An item as lines: its label, then its words (cleaned), then its file."""
    item = entry.item
    lines = []
    if item.text:
        text = clean(item.text) if full else clean_line(item.text)
        lines += text.split("\n")
    if item.path is not None:
        path = clean_line(item.path)
        lines.append(f"{path} {msg.MISSING}" if entry.missing else path)
    return lines


# -- selfback hope add / show / remove --------------------------------------------------------


def ask_kind(env: Env) -> str | None:
    """Which kind of item: a number or its name (None: q, stop)."""
    from selfback.ui.prompt import read_line

    write(env, msg.INTRO)
    write(env)
    write(env, msg.WHICH_KIND)
    for i, kind in enumerate(msg.KIND_ORDER, start=1):
        write(env, f"  {i}. {msg.KIND_LABELS[kind].capitalize()}")
    count = len(msg.KIND_ORDER)
    while True:
        raw = read_line(env, "> ").strip().lower()
        if raw == "q":
            return None
        if raw.isdigit() and 1 <= int(raw) <= count:
            return msg.KIND_ORDER[int(raw) - 1]
        if raw in msg.KIND_ORDER:
            return raw
        write(env, "  " + msg.KIND_RETRY.format(count=count))


def ask_text(env: Env, kind: str) -> str:
    from selfback.ui.prompt import read_line

    write(env, msg.ASK_TEXT[kind])
    return read_line(env, "> ")


def ask_path(env: Env) -> str:
    from selfback.ui.prompt import read_line

    write(env, msg.ASK_PATH)
    return read_line(env, "> ")


def ask_caption(env: Env) -> str:
    from selfback.ui.prompt import read_line

    write(env, msg.ASK_CAPTION)
    return read_line(env, "> ")


def confirm(env: Env, question: str) -> bool:
    """A y/n question (Enter: no), wrapped to the terminal."""
    from selfback.text import terminal_width, wrap
    from selfback.ui.prompt import confirm as ask

    lines = wrap(question, min(terminal_width(env.stdout), WIDTH) - 6)
    if len(lines) > 1:
        write(env, "\n".join(lines[:-1]))
    return ask(env, lines[-1], default=False)


def heard(env: Env, heard: Heard) -> None:
    """The kind lead line and the short crisis text."""
    from selfback.ui.crisis import show_crisis

    show_crisis(env, heard.lead)


# -- inside cope ------------------------------------------------------------------------------


class CopeHopeLines:
    """The hope box and the notes for next time on cope's screen
    (``selfback.actions.hope.HopeScreens``)."""

    def __init__(self, screen: Screen) -> None:
        self.ui = screen

    def _yes_no(self, question: str) -> bool:
        """y or n (Enter: no). ``!`` or ``sos`` show the crisis lines and ask again;
        words that may mean risk are heard."""
        while True:
            self.ui.out()
            raw = self.ui.prompt_line(f"{question} (y/n)").strip()
            key = raw.lower()
            if key in ("y", "yes"):
                return True
            if key in ("", "n", "no", "q"):
                return False
            if self.ui.crisis_request(raw, back_to=None):
                continue
            if self.ui.hear is not None and self.ui.hear(raw):
                continue
            self.ui.out(f"  {msg.COPE_YES_NO}")

    def offer_box(self) -> bool:
        return self._yes_no(msg.COPE_OFFER)

    def show_items(self, entries: list[HopeEntry], total: int) -> None:
        from selfback.ui.screen import BOLD

        self.ui.out()
        self.ui.out(self.ui.style(msg.COPE_TITLE, BOLD))
        for entry in entries:
            self.ui.out()
            item = entry.item
            if item.text:
                for line in clean(item.text).split("\n"):
                    self.ui.para(line)
            if item.path is not None:
                label = msg.SHORT_LABELS.get(item.kind, item.kind)
                path = clean_line(item.path)
                if entry.missing:
                    self.ui.para(f"{label}: {path} {msg.MISSING}")
                else:
                    self.ui.para(msg.COPE_FILE.format(label=label, path=path, id=item.id))
        if total > len(entries):
            self.ui.out()
            self.ui.para(msg.COPE_MORE)
        self.ui.out()
        self.ui.wait_enter(msg.COPE_GO_ON)

    def show_note(self, note: NextTimeNote) -> None:
        from selfback.ui.screen import BOLD

        self.ui.out()
        self.ui.out(self.ui.style(msg.NOTE_TITLE.format(when=when(note.written_at)), BOLD))
        for line in clean(note.text).split("\n"):
            self.ui.para(line)
        if note.skill_title:
            self.ui.para(msg.NOTE_HELPED.format(skill=clean_line(note.skill_title)))
        self.ui.out()
        self.ui.wait_enter(msg.COPE_GO_ON)

    def offer_note(self) -> str | None:
        """The note typed (None: no note)."""
        if not self._yes_no(msg.NOTE_OFFER):
            return None
        self.ui.para(msg.NOTE_ASK)
        text = self.ui.ask("> ").strip()
        if self.ui.crisis_request(text, back_to=None):
            return None
        if not text:
            self.ui.para(msg.NOTE_EMPTY)
            return None
        return text

    def heard(self, heard: Heard) -> None:
        """The lead line and the short crisis text (the action records the opening)."""
        self.ui.out()
        self.ui.para(heard.lead)
        self.ui.out()
        self.ui.raw(self.ui.crisis_text(compact=True).rstrip("\n") + "\n")
        self.ui.crisis_shown = True

    def say(self, text: str) -> None:
        self.ui.para(text)
