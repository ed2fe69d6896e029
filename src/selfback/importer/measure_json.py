"""A questionnaire result in a selfback JSON export, checked against the questionnaire it
names (``selfback.measures.library``): one selfback has, answers within each item's
scale, no more answers than items, a total it can reach, one of its bands (or
``partial``). ``selfback.importer.json_checks`` runs it once the entry's fields are right.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache

Rec = Mapping[str, object]


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _either(words: tuple[str, ...] | list[str]) -> str:
    return " or ".join([", ".join(words[:-1]), words[-1]]) if len(words) > 1 else "".join(words)


def result_rules(rec: Rec) -> list[str]:
    """A result of a questionnaire selfback has: its answers and total within its scale."""
    scales = _scales()
    name = rec.get("instrument")
    if not isinstance(name, str):
        return []
    scale = scales.get(name)
    if scale is None:
        return [
            f"'instrument' is {_show(name)}, not a questionnaire selfback knows "
            f"({_either(list(scales))})"
        ]
    highs, top, bands = scale
    out: list[str] = []
    answers = rec.get("answers")
    if isinstance(answers, list):
        if len(answers) > len(highs):
            out.append(f"'answers' has {len(answers)} items; {name} has {len(highs)}")
        for n, (a, high) in enumerate(zip(answers, highs, strict=False), start=1):
            if isinstance(a, int) and not isinstance(a, bool) and not 0 <= a <= high:
                out.append(f"answer {n} in 'answers' is {a}; it should be from 0 to {high}")
    total = rec.get("total")
    if isinstance(total, int) and not isinstance(total, bool) and total > top:
        out.append(f"'total' is {total}; {name} totals at most {top}")
    band = rec.get("band")
    if isinstance(band, str) and band not in bands:
        out.append(f"'band' is {_show(band)}, not a band of {name} ({_either(bands)})")
    return out


@cache
def _scales() -> dict[str, tuple[tuple[int, ...], int, tuple[str, ...]]]:
    """Each questionnaire: its items' highest answers, its highest total, its bands."""
    from selfback.measures.library import instruments

    return {
        inst.id: (
            tuple(max(o.value for o in inst.item_options(i)) for i in inst.items),
            inst.max_total,
            (*(b.id for b in inst.bands), "partial"),
        )
        for inst in instruments().values()
    }
