"""What trends and exports need to know about each questionnaire.

The source of truth is ``selfback.measures.export_info`` (loaded from the instrument
files). When that cannot be loaded (an older install, a damaged data file), a small table
from the content guide keeps trends and exports working: names, ranges, bands, LOINC codes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any


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


_FALLBACK: dict[str, MeasureInfo] = {
    "phq9": MeasureInfo(
        "phq9",
        "PHQ-9",
        27,
        bands=(
            BandInfo("minimal", 0, 4, "minimal"),
            BandInfo("mild", 5, 9, "mild"),
            BandInfo("moderate", 10, 14, "moderate"),
            BandInfo("moderately-severe", 15, 19, "moderately severe"),
            BandInfo("severe", 20, 27, "severe"),
        ),
        loinc_panel="44249-1",
        loinc_total="44261-6",
        flag_items=((9, "phq9-item9", "44260-8"),),
    ),
    "gad7": MeasureInfo(
        "gad7",
        "GAD-7",
        21,
        bands=(
            BandInfo("minimal", 0, 4, "minimal"),
            BandInfo("mild", 5, 9, "mild"),
            BandInfo("moderate", 10, 14, "moderate"),
            BandInfo("severe", 15, 21, "severe"),
        ),
        loinc_panel="69737-5",
        loinc_total="70274-6",
    ),
    "who5": MeasureInfo(
        "who5",
        "WHO-5",
        25,
        multiplier=4,
        unit="%",
        higher_is="better",
        meaningful_change=10,
        bands=(BandInfo("low", 0, 12, "low well-being"), BandInfo("not-low", 13, 25, "not low")),
    ),
    "pcl5": MeasureInfo(
        "pcl5",
        "PCL-5",
        80,
        meaningful_change=10,
        bands=(
            BandInfo("below-cutoff", 0, 30, "below the cut-off range"),
            BandInfo("in-cutoff", 31, 33, "in the cut-off range"),
            BandInfo("above-cutoff", 34, 80, "above the cut-off range"),
        ),
        loinc_panel="101697-1",
        loinc_total="101698-9",
    ),
    "phq2": MeasureInfo(
        "phq2",
        "PHQ-2",
        6,
        bands=(BandInfo("below", 0, 2, "below 3"), BandInfo("screen-positive", 3, 6, "3 or more")),
    ),
    "gad2": MeasureInfo(
        "gad2",
        "GAD-2",
        6,
        bands=(BandInfo("below", 0, 2, "below 3"), BandInfo("screen-positive", 3, 6, "3 or more")),
    ),
}


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
    """Read ``selfback/measures/data/<id>.json`` directly: the same data the measures
    package validates with pydantic, without the ~0.25 s that costs at start-up."""
    import json
    import re
    from importlib import resources

    if not re.fullmatch(r"[a-z][a-z0-9]{1,15}", instrument_id):
        return None
    try:
        text = (resources.files("selfback.measures") / "data" / f"{instrument_id}.json").read_text(
            encoding="utf-8"
        )
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
    except Exception:
        return None


@cache
def measure_info(instrument_id: str) -> MeasureInfo:
    """Metadata for ``instrument_id``; never raises (unknown ids get a plain stand-in)."""
    fast = _from_data_file(instrument_id)
    if fast is not None:
        return fast
    try:
        from selfback.measures.export_info import instrument_metadata

        return _from_metadata(instrument_metadata(instrument_id))
    except Exception:
        pass
    if instrument_id in _FALLBACK:
        return _FALLBACK[instrument_id]
    return MeasureInfo(instrument_id, instrument_id.upper(), 0)
