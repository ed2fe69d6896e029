"""The report's "Things I want to talk about": coping sessions the person marked "bring to
my therapist" (`selfback sessions mark ID`), with what they wrote. Only when they ask for
it (`selfback export --include-marked`); the report says nothing of them otherwise.

Also the one line about plans made for later inside skills: how many, and how many were
done (never their words).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from selfback.periods import DateRange
    from selfback.store.db import Store

TITLE = "Things I want to talk about"
INTRO = "Coping sessions marked to bring to this appointment, with what was written in them."
NONE = "No sessions are marked."
PLANS = "Plans made for later in skills"


@dataclass(frozen=True)
class MarkedSession:
    """One marked session as the report shows it: already labelled, not yet escaped."""

    title: str  # the skill
    when: str  # "Wed 02 Dec 2026 10:00"
    answers: tuple[tuple[str, str], ...]  # (the question, the words)


def plans_fact(store: Store, rng: DateRange) -> tuple[str, str] | None:
    """("Plans made for later in skills", "3 (2 done, 1 not this time, ...)") for the
    sessions in the range, or None when none was made."""
    from selfback.store.sessions import follow_up_counts

    counts = follow_up_counts(store, rng.lo, rng.hi)
    if not counts:
        return None
    words = {
        "done": "done",
        "not-done": "not this time",
        "skipped": "not answered",
        "due": "not asked yet",
    }
    parts = [f"{counts[k]} {w}" for k, w in words.items() if counts.get(k)]
    return PLANS, f"{sum(counts.values())} ({', '.join(parts)})"


Marked = tuple[MarkedSession, ...] | None  # None: not asked for


class Doc(Protocol):
    """What the PDF part needs of ``selfback.export.pdf_layout.LayoutDoc``."""

    def heading(self, text: str, level: int = 2) -> None: ...
    def para(self, text: str, *, size: float = 9, bold: bool = False) -> None: ...


def markdown(marked: Marked, md: Callable[..., str]) -> str:
    """The part in Markdown (``md`` escapes: ``selfback.export.markdown.md``)."""
    if marked is None:
        return ""
    out = [f"### {md(TITLE)}\n\n_{md(INTRO)}_\n\n"]
    if not marked:
        out.append(f"{md(NONE)}\n\n")
    for item in marked:
        out.append(f"**{md(item.title)}**, {md(item.when)}\n\n")
        for question, words in item.answers:
            out.append(f"- {md(question)}\n\n")
            for line in words.split("\n"):
                out.append(f"  > {md(line, block=True)}\n" if line.strip() else "  >\n")
            out.append("\n")
    return "".join(out)


def html(marked: Marked, e: Callable[[object], str]) -> str:
    """The part in HTML (``e`` escapes: ``selfback.export.html.e``)."""
    if marked is None:
        return ""
    out = [f'<h3>{e(TITLE)}</h3>\n<p class="small">{e(INTRO)}</p>\n']
    if not marked:
        out.append(f"<p>{e(NONE)}</p>\n")
    for item in marked:
        out.append(f"<h4>{e(item.title)}, {e(item.when)}</h4>\n<dl>\n")
        for question, words in item.answers:
            lines = "<br>".join(e(line) for line in words.split("\n"))
            out.append(f"<dt>{e(question)}</dt><dd>{lines}</dd>\n")
        out.append("</dl>\n")
    return "".join(out)


def pdf(doc: Doc, marked: Marked) -> None:
    if marked is None:
        return
    doc.heading(TITLE, 3)
    doc.para(INTRO, size=7.5)
    if not marked:
        doc.para(NONE)
    for item in marked:
        doc.para(f"{item.title}, {item.when}", size=9.5, bold=True)
        for question, words in item.answers:
            doc.para(question, size=7.5)
            for line in words.split("\n"):
                if line.strip():
                    doc.para(line)
