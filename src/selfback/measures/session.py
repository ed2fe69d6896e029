"""Taking a questionnaire: a small state machine (answer, back, done) and saving.

The terminal UI drives a :class:`Session`. Normally nothing touches the database until
:func:`save_score` is called with the finished score, so stopping half-way saves nothing.

The one exception is a crisis item (PHQ-9 item 9) answered at or above its flag level:
that answer must never be lost, so :func:`keep_partial` saves it at once as a *partial*
result (``band`` "partial", ``flags`` "partial" plus the item's flag, ``answers`` with
``None`` for items not answered yet, ``total`` the sum of the answered items, never shown
as a score). Finishing replaces that row with the full score (same uid); stopping keeps it
(:func:`keep_partial` again with the answers as they are), or removes it when the
person went back and changed the answer to below the flag level (:func:`drop_partial`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from selfback.measures.schema import Instrument, Item, Option
from selfback.measures.scoring import Change, Score, change, score, should_ask

if TYPE_CHECKING:
    from selfback.store.db import Store
    from selfback.store.measures import MeasureResult


class Session:
    def __init__(self, instrument: Instrument) -> None:
        self.instrument = instrument
        self.answers: list[int | None] = [None] * len(instrument.items)
        self.position = 0  # index of the current item; len(items) when finished
        self._skip_unasked()

    # --- where we are ------------------------------------------------------------------
    @property
    def done(self) -> bool:
        return self.position >= len(self.instrument.items)

    @property
    def item(self) -> Item:
        if self.done:
            raise IndexError("the questionnaire is finished")
        return self.instrument.items[self.position]

    @property
    def options(self) -> tuple[Option, ...]:
        return self.instrument.item_options(self.item)

    @property
    def at_start(self) -> bool:
        return self._previous_asked() is None

    @property
    def progress(self) -> tuple[int, int] | None:
        """(n, of) for scored items, e.g. (3, 9); None for an extra unscored question."""
        if self.done or not self.item.scored:
            return None
        scored = self.instrument.scored_items
        return scored.index(self.item) + 1, len(scored)

    @property
    def crisis_flag(self) -> str | None:
        """The flag of a crisis item currently answered at or above its level, if any."""
        for item, answer in zip(self.instrument.items, self.answers, strict=True):
            if item.crisis and item.flag and answer is not None and answer >= item.flag_at:
                return item.flag
        return None

    @property
    def current_answer(self) -> int | None:
        """The answer already given to this item (after going back), if any."""
        return None if self.done else self.answers[self.position]

    # --- moving -------------------------------------------------------------------------
    def answer(self, value: int) -> None:
        values = [o.value for o in self.options]
        if value not in values:
            raise ValueError(f"{value} is not an answer to item {self.item.id}")
        self.answers[self.position] = value
        self.position += 1
        self._skip_unasked()

    def back(self) -> bool:
        """Go to the previous asked item; False when already at the first."""
        prev = self._previous_asked()
        if prev is None:
            return False
        self.position = prev
        return True

    def score(self) -> Score:
        if not self.done:
            raise RuntimeError("the questionnaire is not finished")
        return score(self.instrument, self.answers)

    # --- internals ----------------------------------------------------------------------
    def _skip_unasked(self) -> None:
        items = self.instrument.items
        while self.position < len(items) and not should_ask(
            self.instrument, items[self.position], self.answers[: self.position]
        ):
            self.answers[self.position] = None
            self.position += 1

    def _previous_asked(self) -> int | None:
        items = self.instrument.items
        for index in range(min(self.position, len(items)) - 1, -1, -1):
            if should_ask(self.instrument, items[index], self.answers[:index]):
                return index
        return None


@dataclass(frozen=True)
class Saved:
    result: MeasureResult
    previous: MeasureResult | None  # the one before, same instrument
    change: Change | None


def save_score(
    store: Store, result: Score, taken_at: datetime, *, replace_uid: str | None = None
) -> Saved:
    """Store a finished score (answers, total, band, flags, version) in one transaction.

    ``replace_uid``: the partial result kept during this session, overwritten in place."""
    from selfback.store.measures import last_result, save_result

    inst = result.instrument
    previous = last_result(store, inst.id)
    saved = save_result(
        store,
        instrument=inst.id,
        instrument_version=inst.version,
        taken_at=taken_at,
        answers=result.answers,
        total=result.total,
        band=result.band.id,
        flags=result.flags,
        uid=replace_uid,
        replace=replace_uid is not None,
    )
    ch = None
    if previous is not None and 0 <= previous.total <= inst.max_total:
        ch = change(inst, previous.total, result.total)
    return Saved(result=saved, previous=previous, change=ch)


def keep_partial(
    store: Store, session: Session, taken_at: datetime, *, uid: str | None = None
) -> MeasureResult | None:
    """Save (or update, by ``uid``) the session's answers so far as a partial result.

    Only when a crisis item is answered at or above its level; returns None otherwise
    (and saves nothing)."""
    from selfback.store.measures import PARTIAL, save_result

    flag = session.crisis_flag
    if flag is None:
        return None
    inst = session.instrument
    total = sum(a for item, a in zip(inst.items, session.answers, strict=True) if item.scored and a)
    return save_result(
        store,
        instrument=inst.id,
        instrument_version=inst.version,
        taken_at=taken_at,
        answers=session.answers,
        total=total,
        band=PARTIAL,
        flags=(PARTIAL, flag),
        uid=uid,
        replace=uid is not None,
    )


def drop_partial(store: Store, uid: str) -> None:
    """Remove a partial result the person took back (the answer was changed to 0)."""
    from selfback.store.measures import delete_result

    delete_result(store, uid)
