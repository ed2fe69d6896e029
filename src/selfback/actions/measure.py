"""Questionnaires: the list with when each was last taken, past results, and taking one.

Taking one (:func:`take`) drives a ``selfback.measures.session.Session`` with the
person's answers, read by a :class:`QuestionnaireScreens` (the terminal). Nothing is
written until the end, except a crisis item (PHQ-9 item 9) answered at or above its flag
level: that answer is kept at once as a partial result, the crisis help is shown before
the next question and the opening is recorded. Stopping keeps that partial result (and
flags it) or takes it back when the answer was changed; finishing replaces it with the
full score. Crisis help comes before the score on the last screen.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Literal, Protocol

from selfback.crashlog import log

if TYPE_CHECKING:
    from selfback.measures.schema import Instrument
    from selfback.measures.scoring import Change, Score
    from selfback.measures.session import Session
    from selfback.paths import Paths
    from selfback.store.db import Store
    from selfback.store.measures import MeasureResult

BACK: Literal["back"] = "back"
PARTIAL_LABEL = "partial, not scored"
Stop = Literal["quit", "interrupted", "no-input"]


class Quit(Exception):
    """The person typed q."""


class QuestionnaireScreens(Protocol):
    def ask(self, session: Session) -> int | Literal["back"]:
        """Show the current question and read an answer (a value of it, or "back" when
        there is a question to go back to); raises Quit, EOFError, KeyboardInterrupt."""

    def crisis_answer(self) -> None:
        """The crisis item was answered at or above its level: the kind lead and the
        short crisis text (with the safety plan)."""

    def answers_kept(self) -> None:
        """Say that the answers so far are kept, and the questionnaire goes on."""

    def finished(self) -> None:
        """The last answer is in: the result screen starts."""

    def result(self, score: Score, saved: Saved) -> None:
        """The score, its range, the change, what next."""


@dataclass(frozen=True)
class Taken:
    """How a sitting ended: ``stopped`` (and whether a partial result was ``kept``), or
    finished with its ``score``."""

    instrument: Instrument
    stopped: Stop | None = None
    kept: bool = False
    score: Score | None = None


# -- the list and past results ----------------------------------------------------------------


def _open_existing(paths: Paths) -> Store | None:
    """The database if it exists (reading never creates one)."""
    from selfback.store.db import database_exists, open_store

    return open_store(paths) if database_exists(paths) else None


@dataclass(frozen=True)
class MeasureRow:
    """One questionnaire in the list, with its latest result."""

    id: str
    name: str
    title: str
    kind: str
    about: str
    items: int
    time_frame: str
    last_taken: str | None
    last_total: int | None
    last_score: int | None
    max_score: int
    unit: str
    last_band: str | None
    last_band_label: str | None
    last: MeasureResult | None = field(default=None, compare=False)

    def to_json(self) -> dict[str, object]:
        data = asdict(self)
        data.pop("last")
        return data


def overview(paths: Paths) -> list[MeasureRow]:
    from selfback.measures.library import instruments
    from selfback.measures.scoring import band_by_id, to_display
    from selfback.store.measures import last_per_instrument

    store = _open_existing(paths)
    try:
        last = last_per_instrument(store) if store is not None else {}
    finally:
        if store is not None:
            store.close()
    rows: list[MeasureRow] = []
    for inst in instruments().values():
        r = last.get(inst.id)
        band = band_by_id(inst, r.band) if r is not None else None
        rows.append(
            MeasureRow(
                id=inst.id,
                name=inst.name,
                title=inst.title,
                kind=inst.kind,
                about=inst.about,
                items=len(inst.scored_items),
                time_frame=inst.time_frame,
                last_taken=r.taken_at.isoformat() if r is not None else None,
                last_total=r.total if r is not None else None,
                last_score=to_display(inst, r.total) if r is not None else None,
                max_score=inst.max_display,
                unit=inst.display_unit,
                last_band=r.band if r is not None else None,
                last_band_label=band.label if band is not None else None,
                last=r,
            )
        )
    return rows


@dataclass(frozen=True)
class PastResult:
    """One result in the history; ``change`` is against the previous full result of the
    same questionnaire (a partial one is never a score, nor a point of change)."""

    uid: str
    instrument: str
    name: str
    instrument_version: int
    taken_at: str
    answers: list[int | None]
    partial: bool
    total: int | None
    score: int | None
    max_score: int
    unit: str
    band: str
    band_label: str
    change: int | None
    flags: list[str]
    result: MeasureResult = field(compare=False, repr=False)

    def to_json(self) -> dict[str, object]:
        data = {k: v for k, v in asdict(self).items() if k != "result"}
        return data


def past_results(paths: Paths, instrument_id: str | None) -> list[PastResult]:
    from selfback.measures.export_info import describe_result
    from selfback.store.measures import list_results

    store = _open_existing(paths)
    try:
        results = list_results(store, instrument=instrument_id) if store is not None else []
    finally:
        if store is not None:
            store.close()
    previous: dict[str, MeasureResult] = {}
    out: list[PastResult] = []
    for r in results:
        info = describe_result(r.instrument, r.total, r.band)
        delta = None
        if not r.partial:
            before = previous.get(r.instrument)
            if before is not None:
                old = describe_result(r.instrument, before.total, "")["display"]
                delta = info["display"] - old
            previous[r.instrument] = r
        out.append(
            PastResult(
                uid=r.uid,
                instrument=r.instrument,
                name=info["name"],
                instrument_version=r.instrument_version,
                taken_at=r.taken_at.isoformat(),
                answers=list(r.answers),
                partial=r.partial,
                total=None if r.partial else r.total,
                score=None if r.partial else info["display"],
                max_score=info["max_display"],
                unit=info["display_unit"],
                band=r.band,
                band_label=PARTIAL_LABEL if r.partial else info["band_label"],
                change=delta,
                flags=list(r.flags),
                result=r,
            )
        )
    return out


# -- saving -----------------------------------------------------------------------------------
#
# Normally nothing touches the database until the finished score is saved, so stopping
# half-way saves nothing. The one exception is a crisis item (PHQ-9 item 9) answered at
# or above its flag level: that answer must never be lost, so :func:`keep_partial` saves
# it at once as a *partial* result (``band`` "partial", ``flags`` "partial" plus the
# item's flag, ``answers`` with ``None`` for items not answered yet, ``total`` the sum of
# the answered items, never shown as a score). Finishing replaces that row with the full
# score (same uid); stopping keeps it, or removes it when the person went back and
# changed the answer to below the flag level (:func:`drop_partial`).


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
    from selfback.measures.scoring import change
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


# -- taking one -----------------------------------------------------------------------------


class _Sitting:
    """What one sitting has done so far: a kept partial result, the opening recorded."""

    def __init__(
        self, paths: Paths, now: Callable[[], datetime], store: Store, session: Session
    ) -> None:
        from selfback.store.db import new_uid

        self.paths = paths
        self.now = now
        self.store = store
        self.session = session
        self.uid = new_uid()  # the result's uid: a partial one kept now, the full one later
        self.partial_saved = False
        self.opening_recorded = False

    def keep_partial(self) -> None:
        """A crisis item was just answered at or above its level: keep it at once."""
        try:
            if keep_partial(self.store, self.session, self.now(), uid=self.uid):
                self.partial_saved = True
        except Exception:  # shown already; the final save or the stop still runs
            log.exception("keeping a crisis answer as a partial result")

    def record_opening(self) -> None:
        if not self.opening_recorded:
            self.opening_recorded = True
            from selfback.safety.crisis import record_opening

            record_opening(self.paths, "measure")

    def record_flag(self) -> None:
        flag = self.session.crisis_flag
        if flag is not None:
            from selfback.safety.risk import record_flag

            record_flag(self.paths, source="measure", kind=flag, ref_uid=self.uid)

    def stop(self) -> bool:
        """The person stopped: keep the partial result (True) or take it back."""
        if self.session.crisis_flag is not None:
            try:
                keep_partial(self.store, self.session, self.now(), uid=self.uid)
                self.partial_saved = True
            except Exception:  # the row kept when the item was answered stays as it was
                log.exception("updating a partial result on stopping")
            if self.partial_saved:
                self.record_flag()
            return self.partial_saved
        if self.partial_saved:
            try:
                drop_partial(self.store, self.uid)
            except Exception:
                log.exception("taking back a partial result")
        return False


def _ask_all(session: Session, sitting: _Sitting, screens: QuestionnaireScreens) -> None:
    while not session.done:
        item = session.item
        answer = screens.ask(session)
        if isinstance(answer, str):  # BACK
            session.back()
            continue
        session.answer(answer)
        if item.crisis and answer >= item.flag_at:
            # At once, before the next question; the answer is kept even if the person
            # stops now.
            screens.crisis_answer()
            sitting.record_opening()
            sitting.keep_partial()
            if not session.done:
                screens.answers_kept()


def take(
    paths: Paths, now: Callable[[], datetime], instrument: Instrument, screens: QuestionnaireScreens
) -> Taken:
    """Take ``instrument`` with the person, through ``screens``; see the module docstring."""
    from selfback.measures.session import Session
    from selfback.store.db import open_store

    # Open the database first: if it is broken, say so before asking nine questions.
    store = open_store(paths)
    try:
        session = Session(instrument)
        sitting = _Sitting(paths, now, store, session)
        stopped: Stop | None = None
        try:
            _ask_all(session, sitting, screens)
        except Quit:
            stopped = "quit"
        except KeyboardInterrupt:
            stopped = "interrupted"
        except EOFError:
            stopped = "no-input"
        if stopped is not None:
            return Taken(instrument, stopped=stopped, kept=sitting.stop())
        score = session.score()
        saved = save_score(store, score, now(), replace_uid=sitting.uid)
        if score.crisis:
            sitting.record_flag()
    finally:
        store.close()
    screens.finished()
    if score.crisis:
        # Crisis help first, where the eye lands; the score after it.
        screens.crisis_answer()
        sitting.record_opening()
    screens.result(score, saved)
    return Taken(instrument, score=score)
