"""What trends and exports need to know about each questionnaire.

Read straight from the measures package's instrument files (``selfback/measures/data``),
the same data ``selfback.measures`` validates with pydantic, without the quarter of a
second building those models costs (a test keeps the two readings equal). A result of an
instrument this version does not ship gets a plain stand-in named after its id.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

from selfback.errors import DataError


@dataclass(frozen=True)
class BandInfo:
    id: str
    min: int  # raw totals, inclusive
    max: int
    label: str


@dataclass(frozen=True)
class MeasureInfo:
    id: str
    name: str
    max_total: int
    multiplier: int = 1
    unit: str = ""
    higher_is: str = "worse"
    meaningful_change: int | None = None
    bands: tuple[BandInfo, ...] = ()
    loinc_panel: str | None = None
    loinc_total: str | None = None
    # 1-based item positions that carry a safety flag, with that item's LOINC code
    flag_items: tuple[tuple[int, str, str | None], ...] = field(default_factory=tuple)

    @property
    def max_display(self) -> int:
        return self.max_total * self.multiplier

    def display(self, total: int) -> int:
        return total * self.multiplier

    def band_label(self, band_id: str, total: int | None = None) -> str:
        for b in self.bands:
            if b.id == band_id:
                return b.label
        if total is not None:
            for b in self.bands:
                if b.min <= total <= b.max:
                    return b.label
        return band_id


def _from_metadata(meta: dict[str, Any]) -> MeasureInfo:
    flags: list[tuple[int, str, str | None]] = []
    for item in meta.get("items", []):
        if item.get("flag"):
            flags.append((int(item["position"]), str(item["flag"]), item.get("loinc")))
    return MeasureInfo(
        id=str(meta["id"]),
        name=str(meta.get("name") or meta["id"]),
        max_total=int(meta["max_total"]),
        multiplier=int(meta.get("display_multiplier") or 1),
        unit=str(meta.get("display_unit") or ""),
        higher_is=str(meta.get("higher_is") or "worse"),
        meaningful_change=meta.get("meaningful_change"),
        bands=tuple(
            BandInfo(str(b["id"]), int(b["min"]), int(b["max"]), str(b["label"]))
            for b in meta.get("bands", [])
        ),
        loinc_panel=meta.get("loinc_panel"),
        loinc_total=meta.get("loinc_total"),
        flag_items=tuple(flags),
    )


def _from_data_file(instrument_id: str) -> MeasureInfo | None:
    """Read ``selfback/measures/data/<id>.json``; None when selfback ships no such file."""
    import json
    import re
    from importlib import resources

    if not re.fullmatch(r"[a-z][a-z0-9]{1,15}", instrument_id):
        return None
    name = f"{instrument_id}.json"
    try:
        text = (resources.files("selfback.measures") / "data" / name).read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    try:
        d = json.loads(text)
        shared = d["options"]
        items = []
        max_total = 0
        for n, item in enumerate(d["items"], start=1):
            options = item.get("options") or shared
            if item.get("scored", True):
                max_total += max(int(o["value"]) for o in options)
            items.append({"position": n, "flag": item.get("flag"), "loinc": item.get("loinc")})
        loinc = d.get("loinc") or {}
        return _from_metadata(
            {
                "id": d["id"],
                "name": d["name"],
                "max_total": max_total,
                "display_multiplier": d.get("display_multiplier", 1),
                "display_unit": d.get("display_unit", ""),
                "higher_is": d.get("higher_is", "worse"),
                "meaningful_change": d.get("meaningful_change"),
                "bands": d["bands"],
                "loinc_panel": loinc.get("panel"),
                "loinc_total": loinc.get("total"),
                "items": items,
            }
        )
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise DataError(
            f"selfback's questionnaire file {name} is damaged, so results of it cannot be "
            "shown. Reinstall selfback to repair it."
        ) from exc


@cache
def measure_info(instrument_id: str) -> MeasureInfo:
    """Metadata for ``instrument_id`` (an id selfback does not ship gets a stand-in)."""
    info = _from_data_file(instrument_id)
    if info is not None:
        return info
    return MeasureInfo(instrument_id, instrument_id.upper(), 0)
