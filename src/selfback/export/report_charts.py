"""The report's charts as data (``ChartSpec``): drawn as SVG in HTML, as vector lines in
the PDF, and as a small table in Markdown."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from selfback.export.report_tables import scored_points
from selfback.insights.measureinfo import measure_info
from selfback.insights.model import MeasureSummary, Series


@dataclass
class Line:
    name: str
    values: list[float | None]
    style: str  # "solid", "dashed", "dotted"


@dataclass
class ChartSpec:
    title: str
    y_min: float
    y_max: float
    unit: str
    dates: list[date]  # one per point (the bucket's first day)
    lines: list[Line]
    bucket: str
    bands: list[tuple[float, float, str]] = field(default_factory=list)
    description: str = ""
    # a shaded range behind the first line: (name, lows, highs)
    area: tuple[str, list[float | None], list[float | None]] | None = None

    @property
    def has_data(self) -> bool:
        return any(v is not None for line in self.lines for v in line.values)


def _bucket_words(bucket: str) -> str:
    return {"day": "daily averages", "week": "weekly averages", "month": "monthly averages"}[bucket]


def _describe(name: str, values: list[float | None]) -> str:
    present = [v for v in values if v is not None]
    if not present:
        return f"{name}: no data."
    return (
        f"{name}: average {sum(present) / len(present):.1f}, lowest {min(present):.1f}, "
        f"highest {max(present):.1f}."
    )


def charts_for(series: Series) -> list[ChartSpec]:
    pts = series.points
    dates = [p.start for p in pts]
    words = _bucket_words(series.bucket)
    mood = [p.mood for p in pts]
    anxiety = [p.anxiety for p in pts]
    sleep = [p.sleep for p in pts]
    before = [p.distress_before for p in pts]
    after = [p.distress_after for p in pts]
    out = [
        ChartSpec(
            f"Mood and anxiety (0-10, {words})",
            0,
            10,
            "",
            dates,
            [Line("Mood", mood, "solid"), Line("Anxiety", anxiety, "dashed")],
            series.bucket,
            description=" ".join([_describe("Mood", mood), _describe("Anxiety", anxiety)]),
        )
    ]
    if series.bucket != "day":
        out[0].area = (
            "Mood range",
            [None if p.mood_min is None else float(p.mood_min) for p in pts],
            [None if p.mood_max is None else float(p.mood_max) for p in pts],
        )
    top = max([v for v in sleep if v is not None] + [10.0])
    out.append(
        ChartSpec(
            "Sleep (hours)",
            0,
            float(min(24, int(top + 0.999))),
            "h",
            dates,
            [Line("Sleep", sleep, "solid")],
            series.bucket,
            description=_describe("Sleep in hours", sleep),
        )
    )
    out.append(
        ChartSpec(
            "Distress before and after skills (0-10)",
            0,
            10,
            "",
            dates,
            [Line("Before", before, "solid"), Line("After", after, "dashed")],
            series.bucket,
            description=" ".join(
                [_describe("Distress before", before), _describe("Distress after", after)]
            ),
        )
    )
    return out


def measure_chart(m: MeasureSummary) -> ChartSpec:

    info = measure_info(m.instrument)
    bands = [
        (float(b.min * info.multiplier), float((b.max + 1) * info.multiplier), b.label)
        for b in info.bands
    ]
    if bands:
        lo, hi, label = bands[-1]
        bands[-1] = (lo, float(info.max_display), label)
    points = scored_points(m)
    values: list[float | None] = [float(p.display) for p in points]
    return ChartSpec(
        f"{m.name} ({'0-' + str(m.max_display) + m.unit if m.max_display else 'score'}, "
        f"higher is {m.higher_is})",
        0,
        float(m.max_display or max([p.display for p in points] + [1])),
        m.unit,
        [p.day for p in points],
        [Line(m.name, values, "solid")],
        "result",
        bands=bands,
        description=_describe(m.name, values),
    )
