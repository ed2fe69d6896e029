"""Taking a questionnaire: a small state machine (answer, back, done), pure.

``selfback.actions.measure`` drives a :class:`Session` with the person's answers and
saves the result (a crisis answer at once, as a partial result; the score at the end).
"""

from __future__ import annotations

from selfback.measures.schema import Instrument, Item, Option
from selfback.measures.scoring import Score, score, should_ask


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
